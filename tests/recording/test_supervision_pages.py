"""Recording a supervision session through its question pages, the worker's confirmation, and the
decision on the child's chronology.

Hand-worked: Ada (social worker, assessment team, in post since 6 January 2020, never supervised)
has a monthly supervision overdue since 6 February 2020 (rule `supervision`); a session held
yesterday meets it, and the next is due a month after yesterday, so nothing is due soon or overdue
today. She holds Ava's open case; Ben holds Bo's, which is not Ada's to discuss.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from grip.audit.models import AuditEntry
from grip.cases.journey import child_journey
from grip.chasing import lists
from grip.workforce.models import Supervision
from tests.cases.factories import AllocationFactory

pytestmark = pytest.mark.django_db
PAGE = "recording:supervision-new"


def date_fields(prefix: str, day: date) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def supervision_due(items, worker) -> set[tuple[str, str]]:
    return {(i.obligation.rule, i.obligation.status) for i in items if i.obligation.worker_id == worker.pk}


@pytest.fixture
def cases(service):
    ava = service.open_case("Ava", days_ago=40)
    AllocationFactory(child=ava, worker=service.workers["ada"])
    bo = service.open_case("Bo", days_ago=40)
    AllocationFactory(child=bo, worker=service.workers["ben"])
    return ava, bo


def details(service, **changes) -> dict:
    yesterday = service.today - timedelta(days=1)
    return {
        "worker": service.workers["ada"].pk,
        **date_fields("held", yesterday),
        "duration": "90",
        "supervision_type": "INDIVIDUAL",
        **changes,
    }


def test_a_session_recorded_through_the_question_pages_stops_the_clock_and_shows_on_the_chronology(
    client, service, cases
):
    ava, bo = cases
    ada, today, team = service.workers["ada"], service.today, [service.assessment.pk]
    assert supervision_due(lists.for_teams(teams=team, on=today), ada) == {("supervision", "overdue")}
    client.force_login(service.manager)
    url = reverse(PAGE)

    answers = details(service, step="details")
    page = client.post(url, answers).content.decode()
    assert "Cases discussed and decisions" in page and ava.full_name in page and bo.full_name not in page

    answers |= {"step": "cases", f"decision_{ava.pk}": "Step down to early help after the review."}
    page = client.post(url, answers).content.decode()
    assert "Reflective part" in page

    answers |= {"step": "reflection", "reflection": "Reflected on working with the father."}
    page = client.post(url, answers).content.decode()
    assert "Check the supervision record" in page and "Step down to early help after the review." in page
    assert not Supervision.objects.exists()  # nothing is recorded before the answers are checked

    response = client.post(url, answers | {"step": "check"})
    assert response.status_code == 302
    session = Supervision.objects.get()
    assert (session.worker, session.supervisor, session.held_on) == (ada, service.workers["tm"], today - timedelta(1))
    assert (session.duration_minutes, session.supervision_type, session.confirmed_at) == (90, "INDIVIDUAL", None)
    assert supervision_due(lists.for_teams(teams=team, on=today), ada) == set()
    assert supervision_due(lists.for_worker(worker=ada, on=today), ada) == set()

    oversight = [e for e in child_journey(child=ava) if e.kind == "supervision_decision"]
    assert len(oversight) == 1 and "Step down to early help after the review." in oversight[0].detail
    assert oversight[0].by == "Tam Lead" and "Not yet confirmed" in oversight[0].detail
    assert not [e for e in child_journey(child=bo) if e.kind == "supervision_decision"]
    assert AuditEntry.objects.filter(verb="supervision_recorded", actor=service.manager).count() == 1
    assert AuditEntry.objects.get(verb="supervision_decision_recorded").child == ava


def test_the_answers_can_be_changed_before_they_are_recorded(client, service, cases):
    client.force_login(service.manager)
    answers = details(service, step="change", duration="45")
    page = client.post(reverse(PAGE), answers).content.decode()
    assert "The session" in page and 'value="45"' in page
    assert not Supervision.objects.exists()


def test_the_session_page_says_what_is_missing(client, service):
    client.force_login(service.manager)
    response = client.post(reverse(PAGE), {"step": "details"})
    page = response.content.decode()
    assert response.status_code == 400
    for message in (
        "Select the worker",
        "Enter date of the session",
        "Enter how long the session lasted, in minutes",
        "Select the type of supervision",
    ):
        assert message in page


def test_a_session_in_the_future_is_refused_on_the_check_step(client, service):
    client.force_login(service.manager)
    answers = details(service, step="check", **date_fields("held", service.today + timedelta(days=2)))
    response = client.post(reverse(PAGE), answers)
    assert response.status_code == 400
    assert "The day of the session cannot be in the future" in response.content.decode()
    assert not Supervision.objects.exists()


def test_the_worker_confirms_the_record_and_it_is_agreed_by_both(client, service, cases):
    ava, _bo = cases
    ada = service.workers["ada"]
    session = Supervision.objects.create(
        worker=ada, supervisor=service.workers["tm"], held_on=service.today, supervision_type="GROUP"
    )
    session.decisions.create(child=ava, decision="Hold a family network meeting.")
    client.force_login(service.users["ada"])
    listing = client.get(reverse("recording:supervision-confirm")).content.decode()
    assert f"?session={session.pk}" in listing
    page = f"{reverse('recording:supervision-confirm')}?session={session.pk}"
    shown = client.get(page).content.decode()
    assert "Hold a family network meeting." in shown and "Group supervision" in shown
    assert client.post(page).status_code == 302
    session.refresh_from_db()
    assert session.confirmed_at is not None
    assert "Agreed by both" in [e for e in child_journey(child=ava) if e.kind == "supervision_decision"][0].detail
    assert AuditEntry.objects.filter(verb="supervision_confirmed", actor=service.users["ada"]).count() == 1
    assert "No supervision record is waiting" in client.get(reverse("recording:supervision-confirm")).content.decode()


def test_nobody_else_may_open_or_confirm_a_workers_supervision(client, service):
    session = Supervision.objects.create(
        worker=service.workers["ada"], supervisor=service.workers["tm"], held_on=service.today
    )
    page = f"{reverse('recording:supervision-confirm')}?session={session.pk}"
    client.force_login(service.manager)  # the supervisor: the record is the worker's to agree
    assert client.get(page).status_code == 404
    assert client.post(page).status_code == 404
    session.refresh_from_db()
    assert session.confirmed_at is None
