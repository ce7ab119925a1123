"""The services that record a visit and a case note: what they refuse, in words a practitioner
reads on the form, and what they keep (who recorded it, the child's own words, the audit entry)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from grip.audit.models import AuditEntry
from grip.cases import services
from grip.cases.models import CaseNote, Visit
from tests.cases.factories import WorkerFactory
from tests.people.factories import ChildFactory

pytestmark = pytest.mark.django_db

WORDS = "Said she likes her new school and misses her brother."


@pytest.fixture
def worker_user():
    user = get_user_model().objects.create_user(username="vera", first_name="Vera", last_name="Nash")
    WorkerFactory(first_name="Vera", last_name="Nash", user=user)
    return user


def visit(child, by, **changes):
    answers = {
        "visit_type": "CP",
        "visited_on": timezone.localdate() - timedelta(days=1),
        "child_seen": True,
        "seen_alone": True,
        "place": "At home",
        "child_said": WORDS,
    }
    return services.visit_record(child=child, by=by, **{**answers, **changes})


def refusal(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call()
    error = caught.value
    return error.message_dict if hasattr(error, "error_dict") else {"": error.messages}


def test_a_visit_keeps_the_childs_words_who_made_it_and_who_recorded_it(worker_user):
    child = ChildFactory(date_of_birth=date(2015, 4, 1))
    made = visit(child, worker_user, visited_on=timezone.localdate() - timedelta(days=3))
    saved = Visit.objects.get(pk=made.pk)
    assert (saved.child_said, saved.place, saved.recorded_by, str(saved.worker)) == (
        WORDS,
        "At home",
        worker_user,
        "Vera Nash",
    )
    entry = AuditEntry.objects.get(verb="visit_recorded")
    assert entry.child_id == child.pk and WORDS not in str(entry.payload)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"visited_on": date.today() + timedelta(days=2)},
            "visited_on",
            "The date of the visit cannot be in the future.",
        ),
        ({"visited_on": date(2015, 3, 1)}, "visited_on", "The date of the visit cannot be before the child was born."),
        ({"visit_type": "XX"}, "visit_type", "Select the kind of visit."),
        (
            {"child_seen": False, "seen_alone": True},
            "seen_alone",
            "A child seen alone was seen: answer yes to “Was the child seen?”.",
        ),
        (
            {"child_said": "ok"},
            "child_said",
            "Write what the child said and how they felt, in their own words where you can.",
        ),
    ],
)
def test_a_visit_is_refused_with_a_message_on_its_field(worker_user, changes, field, message):
    child = ChildFactory(date_of_birth=date(2015, 4, 1))
    assert refusal(lambda: visit(child, worker_user, **changes)) == {field: [message]}
    assert not Visit.objects.exists() and not AuditEntry.objects.filter(verb="visit_recorded").exists()


def test_a_child_not_seen_needs_no_words_but_the_same_visit_twice_is_refused(worker_user):
    child = ChildFactory()
    day = timezone.localdate() - timedelta(days=4)
    visit(child, worker_user, visited_on=day, child_seen=False, seen_alone=False, child_said="")
    answer = refusal(lambda: visit(child, worker_user, visited_on=day, child_seen=False, seen_alone=False))
    assert answer == {"": [f"A child protection visit on {day:%d/%m/%Y} is already recorded for this child."]}
    assert Visit.objects.count() == 1


def note(child, by, *, manager=False, **changes):
    answers = {"note_type": "PHON", "noted_on": timezone.localdate(), "text": "Rang the school: attendance is up."}
    return services.case_note_record(child=child, by=by, manager=manager, **{**answers, **changes})


def test_management_oversight_is_a_managers_alone(worker_user):
    child = ChildFactory()
    assert refusal(lambda: note(child, worker_user, note_type="MO")) == {
        "note_type": ["Only a manager can write a management oversight note."]
    }
    written = note(child, worker_user, note_type="MO", manager=True)
    assert CaseNote.objects.get().note_type == "MO" and written.recorded_by == worker_user
    assert AuditEntry.objects.filter(verb="case_note_recorded", child=child).count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"noted_on": date.today() + timedelta(days=1)}, "noted_on", "The date of the note cannot be in the future."),
        ({"noted_on": date(2015, 1, 1)}, "noted_on", "The date of the note cannot be before the child was born."),
        ({"note_type": "ZZ"}, "note_type", "Select the kind of note."),
        ({"text": "  called "}, "text", "Write the note: what happened, and what was agreed."),
    ],
)
def test_a_case_note_is_refused_with_a_message_on_its_field(worker_user, changes, field, message):
    child = ChildFactory(date_of_birth=date(2015, 4, 1))
    assert refusal(lambda: note(child, worker_user, **changes)) == {field: [message]}
    assert not CaseNote.objects.exists()
