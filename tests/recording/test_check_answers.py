"""Check-your-answers on two decisions: a return interview held or declined, and a manager's
management oversight note. The first send shows the answers and records nothing; "Change" brings
the form back exactly as typed; the answers sent from the check page are recorded. An interview
only offered, and a note of any other kind, is recorded at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from grip.cases.models import CaseNote, MissingEpisode
from tests.cases.factories import AllocationFactory, CINEpisodeFactory, LookedAfterEpisodeFactory, MissingEpisodeFactory
from tests.people.factories import ChildFactory

from .test_care_clocks import date_fields

pytestmark = pytest.mark.django_db

OVERSIGHT = "Reviewed the plan with Ada: visits to stay fortnightly until the review on Friday."


@pytest.fixture
def back_from_missing(service):
    """A looked-after child of Ada's, back 2 days ago at 08:00 from a night missing, no interview yet."""
    child = ChildFactory(first_name="Rae", last_name="Home", date_of_birth=service.today - timedelta(days=365 * 14))
    LookedAfterEpisodeFactory(child=child, started_on=service.today - timedelta(days=90))
    ada = service.workers["ada"]
    AllocationFactory(child=child, worker=ada, team=ada.team, started_on=service.today - timedelta(days=90))
    back = timezone.make_aware(
        timezone.datetime.combine(service.today - timedelta(days=2), timezone.datetime.min.time())
    )
    back = back.replace(hour=8)
    MissingEpisodeFactory(
        child=child,
        started_at=back - timedelta(hours=10),
        ended_at=back,
        return_interview_offered=False,
        return_interview_at=None,
    )
    return child


def test_a_return_interview_held_is_checked_changed_and_recorded(client, service, back_from_missing):
    child = back_from_missing
    missing = MissingEpisode.objects.get(child=child)
    page = reverse("recording:care-return-interview", args=[child.pk])
    held_on = service.today - timedelta(days=1)
    typed = {"missing": missing.pk, "outcome": "HELD", **date_fields("at", held_on), "at_time": "15:30"}
    client.force_login(service.users["ada"])

    checking = client.post(page, typed)
    assert checking.status_code == 200 and "Check the return interview" in checking.text
    assert f"{held_on.day} {held_on:%B %Y} at 15:30" in checking.text
    assert 'Change<span class="govuk-visually-hidden"> what happened</span>' in checking.text
    missing.refresh_from_db()
    assert missing.return_interview_outcome == ""  # nothing recorded yet

    changing = client.post(page, {**typed, "step": "change"})
    assert changing.status_code == 200 and "What happened?" in changing.text
    assert 'value="15:30"' in changing.text and 'value="HELD" checked' in changing.text
    assert f'value="{held_on.day}"' in changing.text

    assert client.post(page, {**typed, "step": "check"}).status_code == 302
    missing.refresh_from_db()
    assert (missing.return_interview_outcome, timezone.localtime(missing.return_interview_at).date()) == (
        "HELD",
        held_on,
    )


def test_an_interview_only_offered_is_recorded_at_once(client, service, back_from_missing):
    missing = MissingEpisode.objects.get(child=back_from_missing)
    client.force_login(service.users["ada"])
    page = reverse("recording:care-return-interview", args=[back_from_missing.pk])
    assert client.post(page, {"missing": missing.pk, "outcome": "OFFERED"}).status_code == 302
    missing.refresh_from_db()
    assert missing.return_interview_offered and missing.return_interview_outcome == ""


def test_an_interview_refused_after_checking_comes_back_to_the_form_as_typed(client, service, back_from_missing):
    missing = MissingEpisode.objects.get(child=back_from_missing)
    before_return = service.today - timedelta(days=3)  # the child came back 2 days ago
    typed = {"missing": missing.pk, "outcome": "DECLINED", **date_fields("at", before_return), "at_time": "09:00"}
    client.force_login(service.users["ada"])
    refused = client.post(
        reverse("recording:care-return-interview", args=[back_from_missing.pk]), {**typed, "step": "check"}
    )
    assert refused.status_code == 400 and 'value="09:00"' in refused.text
    missing.refresh_from_db()
    assert missing.return_interview_outcome == ""


@pytest.fixture
def open_case(service):
    child = ChildFactory(first_name="Oli", last_name="Oversight")
    CINEpisodeFactory(child=child, referral_date=service.today - timedelta(days=20))
    ada = service.workers["ada"]
    AllocationFactory(child=child, worker=ada, team=ada.team, started_on=service.today - timedelta(days=20))
    return child


def test_a_management_oversight_note_is_checked_changed_and_recorded(client, service, open_case):
    url = reverse("recording:case-note-new", args=[open_case.pk])
    typed = {**date_fields("noted", service.today), "note_type": "MO", "text": OVERSIGHT}
    client.force_login(service.manager)

    checking = client.post(url, typed)
    assert checking.status_code == 200 and "Check the management oversight note" in checking.text
    assert OVERSIGHT in checking.text and not CaseNote.objects.exists()

    changing = client.post(url, {**typed, "step": "change"})
    assert changing.status_code == 200 and "Add a case note" in changing.text
    assert OVERSIGHT in changing.text and 'value="MO" checked' in changing.text

    assert client.post(url, {**typed, "step": "check"}).status_code == 302
    note = CaseNote.objects.get()
    assert (note.note_type, note.text, note.recorded_by) == ("MO", OVERSIGHT, service.manager)


def test_a_note_of_another_kind_is_recorded_at_once(client, service, open_case):
    url = reverse("recording:case-note-new", args=[open_case.pk])
    client.force_login(service.manager)
    typed = {**date_fields("noted", service.today), "note_type": "PHON", "text": "Rang school: attendance is up."}
    assert client.post(url, typed).status_code == 302
    assert CaseNote.objects.get().note_type == "PHON"
