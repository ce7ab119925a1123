"""Recording a looked-after child's care through the pages stops its clock at once: the review and
the health assessment due, and the return interview due within 72 hours, leave the worker's chase
list and the team's the moment the page saves them.

Hand-worked: the child became looked after 60 calendar days ago, so the first review and the initial
health assessment (each 20 working days from then: at most 28 calendar days plus a few bank
holidays) are overdue today; the child came back from missing 24 hours ago, so the return interview
(72 hours) is due within the week but not yet overdue.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from grip.chasing import lists
from tests.cases.factories import AllocationFactory, LookedAfterEpisodeFactory, MissingEpisodeFactory
from tests.people.factories import ChildFactory

pytestmark = pytest.mark.django_db


def date_fields(prefix: str, day: date) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def due(items, child, *rules) -> set[tuple[str, str]]:
    return {(i.obligation.rule, i.obligation.status) for i in items if i.child == child and i.obligation.rule in rules}


@pytest.fixture
def looked_after(service):
    child = ChildFactory(first_name="Lia", last_name="Care", date_of_birth=service.today - timedelta(days=365 * 10))
    started = service.today - timedelta(days=60)
    LookedAfterEpisodeFactory(child=child, started_on=started)
    ada = service.workers["ada"]
    AllocationFactory(child=child, worker=ada, team=ada.team, started_on=started)
    return child


def test_a_review_and_a_health_assessment_recorded_leave_both_chase_lists(client, service, looked_after):
    worker, team, today = service.workers["ada"], [service.assessment.pk], service.today
    rules = ("looked_after_review", "health_assessment")
    expected = {("looked_after_review", "overdue"), ("health_assessment", "overdue")}
    assert due(lists.for_worker(worker=worker, on=today), looked_after, *rules) == expected
    assert due(lists.for_teams(teams=team, on=today), looked_after, *rules) == expected

    client.force_login(service.users["ada"])
    yesterday = today - timedelta(days=1)
    page = reverse("recording:care-review", args=[looked_after.pk])
    assert client.post(page, {**date_fields("held", yesterday), "participation": "PN1"}).status_code == 302
    assert due(lists.for_worker(worker=worker, on=today), looked_after, *rules) == {("health_assessment", "overdue")}
    page = reverse("recording:care-health", args=[looked_after.pk])
    assert client.post(page, {**date_fields("held", yesterday), "assessment_type": "IHA"}).status_code == 302

    assert due(lists.for_worker(worker=worker, on=today), looked_after, *rules) == set()
    assert due(lists.for_teams(teams=team, on=today), looked_after, *rules) == set()


def test_a_return_interview_declined_leaves_both_chase_lists(client, service, looked_after):
    worker, team, today = service.workers["ada"], [service.assessment.pk], service.today
    back = timezone.now() - timedelta(hours=24)
    MissingEpisodeFactory(
        child=looked_after,
        started_at=back - timedelta(hours=10),
        ended_at=back,
        return_interview_offered=False,
        return_interview_at=None,
    )
    waiting = {("return_home_interview", "due_soon")}
    assert due(lists.for_worker(worker=worker, on=today), looked_after, "return_home_interview") == waiting
    assert due(lists.for_teams(teams=team, on=today), looked_after, "return_home_interview") == waiting

    client.force_login(service.users["ada"])
    page = reverse("recording:care-return-interview", args=[looked_after.pk])
    offered = client.post(page, {"missing": looked_after.missing_episodes.get().pk, "outcome": "OFFERED"})
    assert offered.status_code == 302
    assert due(lists.for_worker(worker=worker, on=today), looked_after, "return_home_interview") == waiting

    declined_at = timezone.localtime(timezone.now() - timedelta(hours=1))
    answer = {
        "missing": looked_after.missing_episodes.get().pk,
        "outcome": "DECLINED",
        **date_fields("at", declined_at.date()),
        "at_time": f"{declined_at:%H:%M}",
    }
    checking = client.post(page, answer)  # an interview held or declined is checked first: nothing yet
    assert checking.status_code == 200 and "Check the return interview" in checking.text
    assert due(lists.for_worker(worker=worker, on=today), looked_after, "return_home_interview") == waiting
    assert client.post(page, {**answer, "step": "check"}).status_code == 302
    assert due(lists.for_worker(worker=worker, on=today), looked_after, "return_home_interview") == set()
    assert due(lists.for_teams(teams=team, on=today), looked_after, "return_home_interview") == set()
