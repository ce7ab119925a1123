"""A visit cannot be recorded without saying whether the child was seen, and seen alone.

Issue 11 ("The data model"): `Visit.child_seen` had a default (True), so a visit saved without the
answer counted as "child seen" and stopped the statutory visit clocks. Now neither answer has a
default: the model (full_clean), the database (NOT NULL) and the admin form all refuse a visit
that leaves one out, and "no" is recorded only when someone says no.
"""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.forms import modelform_factory

from grip.cases.models import Visit

from .invariants_support import visit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("missing", ["child_seen", "seen_alone"])
def test_full_clean_refuses_a_visit_without_the_answer(world, missing):
    fields = visit(world)
    del fields[missing]
    with pytest.raises(Exception) as caught:
        Visit(**fields).full_clean()
    question = "Say whether the child was seen" + (" alone" if missing == "seen_alone" else "")
    assert caught.value.message_dict[missing] == [f"{question}: yes or no."]


@pytest.mark.parametrize("missing", ["child_seen", "seen_alone"])
def test_the_database_refuses_a_visit_without_the_answer(world, missing):
    fields = visit(world)
    del fields[missing]
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        Visit.objects.create(**fields)
    assert missing in str(caught.value) or "NOT NULL" in str(caught.value).upper()


@pytest.mark.parametrize("field", ["child_seen", "seen_alone"])
def test_the_field_has_no_default(field):
    assert not Visit._meta.get_field(field).has_default()
    assert Visit._meta.get_field(field).has_db_default() is False


def test_a_visit_where_the_child_was_not_seen_is_kept_as_not_seen(world):
    saved = Visit.objects.create(**(visit(world) | {"child_seen": False, "seen_alone": False}))
    saved.refresh_from_db()
    assert (saved.child_seen, saved.seen_alone) == (False, False)


def _model_form(data: dict):
    # Issue 12: visits are no longer in the Django admin; any form made from the model asks too.
    form_class = modelform_factory(Visit, fields=["child", "visit_type", "visited_on", "child_seen", "seen_alone"])
    return form_class(data=data)


def test_a_form_made_from_the_model_asks_for_both_answers(world):
    base = {"child": world.child.pk, "visit_type": "CIN", "visited_on": "2024-02-03"}
    unanswered = _model_form(base)
    assert not unanswered.is_valid()
    assert set(unanswered.errors) >= {"child_seen", "seen_alone"}
    # A blank first option: nobody answers by leaving a box unticked.
    choices = list(unanswered.fields["child_seen"].choices)
    assert choices[0][0] == "" and {str(v) for v, _ in choices[1:]} == {"True", "False"}
    answered = _model_form(base | {"child_seen": "False", "seen_alone": "False"})
    assert answered.is_valid(), answered.errors
    assert answered.cleaned_data["child_seen"] is False
