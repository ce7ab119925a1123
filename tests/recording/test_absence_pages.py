"""A manager's absence pages: recording an absence, recording the worker back, and who is off.

Hand-worked from the local policy (reference/workforce/long_term_absence.toml): long-term sickness
is long-term from its first day; plain sickness becomes long-term after 20 working days. Ada (a
social worker of the assessment team, in post since 6 January 2020, never supervised) holds one
open case; her monthly supervision has been overdue since 6 February 2020.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from grip.allocation.register import reallocation_list
from grip.audit.models import AuditEntry
from grip.chasing import lists
from grip.core.calendar import authority_calendar
from grip.workforce.models import Absence
from tests.cases.factories import AllocationFactory

pytestmark = pytest.mark.django_db


def date_fields(prefix: str, day: date) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def supervision_due(items, worker) -> set[tuple[str, str]]:
    return {(i.obligation.rule, i.obligation.status) for i in items if i.obligation.worker_id == worker.pk}


@pytest.fixture
def held(service):
    """Ada's open case."""
    child = service.open_case("Ava", days_ago=40)
    AllocationFactory(child=child, worker=service.workers["ada"], started_on=service.today - timedelta(days=30))
    return child


def _absence(service, **fields):
    return {"worker": service.workers["ada"].pk, **fields}


def test_a_long_absence_recorded_puts_the_cases_on_the_reallocation_list_and_pauses_supervision(client, service, held):
    ada, today, team = service.workers["ada"], service.today, [service.assessment.pk]
    assert supervision_due(lists.for_teams(teams=team, on=today), ada) == {("supervision", "overdue")}
    assert held.pk not in {row.child.pk for row in reallocation_list(on=today)}

    client.force_login(service.manager)
    form = _absence(service, absence_type="LONG_TERM_SICKNESS", sickness_reason="S10", **date_fields("started", today))
    response = client.post(reverse("recording:absence-new"), form)
    assert response.status_code == 302 and response["Location"] == reverse("recording:who-is-off")

    assert [(row.child.pk, row.worker.pk) for row in reallocation_list(on=today)] == [(held.pk, ada.pk)]
    assert supervision_due(lists.for_teams(teams=team, on=today), ada) == set()
    assert supervision_due(lists.for_worker(worker=ada, on=today), ada) == set()
    entry = AuditEntry.objects.get(verb="absence_recorded")
    assert entry.actor == service.manager and entry.payload["reason"] == "S10"


def test_a_short_sickness_is_not_long_term_so_supervision_is_still_chased(client, service, held):
    ada, today = service.workers["ada"], service.today
    client.force_login(service.manager)
    form = _absence(service, absence_type="SICKNESS", sickness_reason="S13", **date_fields("started", today))
    assert client.post(reverse("recording:absence-new"), form).status_code == 302
    assert supervision_due(lists.for_teams(teams=[service.assessment.pk], on=today), ada) == {
        ("supervision", "overdue")
    }
    page = client.get(reverse("recording:who-is-off")).content.decode()
    assert "Short-term" in page and "Long-term" not in page


def test_sickness_asks_for_its_reason_and_nothing_is_recorded_without_it(client, service):
    client.force_login(service.manager)
    form = _absence(service, absence_type="SICKNESS", **date_fields("started", service.today))
    response = client.post(reverse("recording:absence-new"), form)
    assert response.status_code == 400
    assert "Select the reason for the sickness" in response.content.decode()
    assert not Absence.objects.exists()


def test_a_manager_may_record_an_absence_only_for_a_worker_of_their_teams(client, service):
    client.force_login(service.manager)
    dee = service.workers["dee"]  # Assessment South: not the manager's team
    form = {"worker": dee.pk, "absence_type": "ANNUAL_LEAVE", **date_fields("started", service.today)}
    response = client.post(reverse("recording:absence-new"), form)
    assert response.status_code == 400 and "Select the worker" in response.content.decode()
    assert dee.last_name not in client.get(reverse("recording:absence-new")).content.decode()
    assert not Absence.objects.exists()


def test_who_is_off_shows_since_when_expected_back_and_what_they_hold(client, service, held):
    ada, today = service.workers["ada"], service.today
    started, last_day = today - timedelta(days=3), today + timedelta(days=4)
    Absence.objects.create(worker=ada, absence_type="ANNUAL_LEAVE", started_on=started, ended_on=last_day)
    client.force_login(service.manager)
    response = client.get(reverse("recording:who-is-off"))
    page = response.content.decode()
    assert response.status_code == 200
    back = authority_calendar().next_working_day(last_day)  # the first working day after the last day away
    assert "Ada Shaw" in page and "Annual leave" in page
    assert f"{started.day} {started:%B %Y}" in page and f"{back.day} {back:%B %Y}" in page
    assert held.full_name in page
    entry = AuditEntry.objects.get(verb="who_is_off_viewed")
    assert entry.payload["children"] == [held.pk]


def test_who_is_off_is_only_the_managers_own_teams(client, service):
    Absence.objects.create(worker=service.workers["dee"], absence_type="SICKNESS", started_on=service.today)
    client.force_login(service.manager)
    assert "Nobody in your teams is away today" in client.get(reverse("recording:who-is-off")).content.decode()


def test_recording_a_worker_back_with_their_return_to_work_meeting(client, service, held):
    ada, today = service.workers["ada"], service.today
    absence = Absence.objects.create(
        worker=ada, absence_type="SICKNESS", sickness_reason="S13", started_on=today - timedelta(days=10)
    )
    client.force_login(service.manager)
    listing = client.get(reverse("recording:absence-return")).content.decode()
    assert f"?absence={absence.pk}" in listing
    page = f"{reverse('recording:absence-return')}?absence={absence.pk}"
    last_day, meeting = today - timedelta(days=3), today - timedelta(days=1)
    response = client.post(page, {**date_fields("ended", last_day), **date_fields("meeting", meeting)})
    assert response.status_code == 302
    absence.refresh_from_db()
    assert (absence.ended_on, absence.return_to_work_on) == (last_day, meeting)
    assert held.pk not in {row.child.pk for row in reallocation_list(on=today)}
    assert AuditEntry.objects.filter(verb="absence_ended", actor=service.manager).count() == 1


def test_a_return_to_work_meeting_before_the_last_day_away_is_refused(client, service):
    today = service.today
    absence = Absence.objects.create(
        worker=service.workers["ada"], absence_type="OTHER", started_on=today - timedelta(days=10)
    )
    client.force_login(service.manager)
    page = f"{reverse('recording:absence-return')}?absence={absence.pk}"
    form = {**date_fields("ended", today - timedelta(days=2)), **date_fields("meeting", today - timedelta(days=5))}
    response = client.post(page, form)
    assert response.status_code == 400
    assert "The return-to-work meeting is held after the last day away" in response.content.decode()
    absence.refresh_from_db()
    assert absence.ended_on is None


def test_another_teams_absence_is_not_found(client, service):
    absence = Absence.objects.create(worker=service.workers["dee"], absence_type="OTHER", started_on=service.today)
    client.force_login(service.manager)
    assert client.get(f"{reverse('recording:absence-return')}?absence={absence.pk}").status_code == 404
