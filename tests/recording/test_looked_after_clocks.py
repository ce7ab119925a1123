"""Recording a looked-after child's legal life through the pages moves their clocks at once: a care
plan and a placement plan recorded leave the worker's chase list and the team's; becoming looked
after starts the placement plan, visit, care plan and review clocks.

Hand-worked, with today Friday 20 March 2026 (England's bank holidays near it: Good Friday 3 April
and Easter Monday 6 April 2026). Working days count the start day as day 0.
- Care began Monday 16 March 2026 under section 20 (V2), so no care order keeps the care plan clock
  off: the placement plan is due 5 working days on, Monday 23 March; the first visit 1 week on,
  Monday 23 March; the care plan 10 working days on, Monday 30 March; the first review 20 working
  days on: 17-20 March (1-4), 23-27 (5-9), 30 March-2 April (10-13), 7-10 April (14-17, after the
  two bank holidays), 13-15 April (18-20): Wednesday 15 April.
- The records are dated in 2026 and the engine counts a record only once recorded (`recorded_at`,
  the database's real clock), so each step is backdated (tests.timescales.support.backdate) as if
  entered on its day: the chase lists are read as at 20 March 2026 right after each page saves.
- A child looked after since 2 February 2026 (V2, placement U3) has had the care plan due (10
  working days on, 16 February) and the placement plan (5 working days on, 9 February) overdue
  for weeks.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from grip.chasing import lists
from tests.cases.factories import AllocationFactory, LookedAfterEpisodeFactory
from tests.people.factories import ChildFactory
from tests.timescales.support import backdate

from .test_care_clocks import date_fields

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 20)


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(timezone.make_aware(datetime(2026, 3, 20, 12)), tick=False):
        yield


def due(items, child, *rules) -> set[tuple[str, str, date]]:
    return {
        (i.obligation.rule, i.obligation.status, i.obligation.due)
        for i in items
        if i.child == child and i.obligation.rule in rules
    }


def for_worker(worker, on: date):
    backdate()  # what was just saved counts as recorded on the pretend today
    return lists.for_worker(worker=worker, on=on)


def for_teams(teams, on: date):
    backdate()
    return lists.for_teams(teams=teams, on=on)


def allocated(service, child, on):
    ada = service.workers["ada"]
    AllocationFactory(child=child, worker=ada, team=ada.team, started_on=on)
    return child


def test_a_care_plan_and_a_placement_plan_recorded_leave_both_chase_lists(client, service):
    child = ChildFactory(first_name="Lia", last_name="Care", date_of_birth=date(2015, 5, 1))
    LookedAfterEpisodeFactory(child=child, started_on=date(2026, 2, 2), legal_status="V2", placement_type="U3")
    allocated(service, child, date(2026, 2, 2))
    worker, team = service.workers["ada"], [service.assessment.pk]
    rules = ("care_plan", "placement_plan")
    expected = {("care_plan", "overdue", date(2026, 2, 16)), ("placement_plan", "overdue", date(2026, 2, 9))}
    assert due(for_worker(worker, TODAY), child, *rules) == expected
    assert due(for_teams(team, TODAY), child, *rules) == expected

    client.force_login(service.users["ada"])
    page = reverse("recording:care-plan", args=[child.pk])
    assert client.post(page, date_fields("made", date(2026, 3, 19))).status_code == 302
    left = {("placement_plan", "overdue", date(2026, 2, 9))}
    assert due(for_worker(worker, TODAY), child, *rules) == left
    assert due(for_teams(team, TODAY), child, *rules) == left

    page = reverse("recording:care-placement-plan", args=[child.pk])
    placement = child.looked_after_episodes.get()
    answer = {"placement": placement.pk, **date_fields("agreed", date(2026, 3, 19))}
    assert client.post(page, answer).status_code == 302
    assert due(for_worker(worker, TODAY), child, *rules) == set()
    assert due(for_teams(team, TODAY), child, *rules) == set()


def test_becoming_looked_after_through_the_page_starts_the_plan_visit_and_review_clocks(client, service):
    child = service.open_case("Noor", days_ago=40)
    allocated(service, child, date(2026, 2, 1))
    worker = service.workers["ada"]
    rules = ("placement_plan", "looked_after_visit", "care_plan", "looked_after_review")
    assert due(for_worker(worker, TODAY), child, *rules) == set()

    client.force_login(service.users["ada"])
    page = reverse("recording:care-start", args=[child.pk])
    answers = {
        **date_fields("started", date(2026, 3, 16)),
        "legal_status": "V2",
        "category_of_need": "N1",
        "placement_type": "U3",
        "provider": "PR1",
        "placement_postcode": "ZX1 1ZZ",
        "home_postcode": "",
    }
    assert client.post(page, {**answers, "step": "check"}).status_code == 302

    # due within 5 working days of today (to Friday 27 March): the plan and visit due on the 23rd
    assert due(for_worker(worker, TODAY), child, *rules) == {
        ("placement_plan", "due_soon", date(2026, 3, 23)),
        ("looked_after_visit", "due_soon", date(2026, 3, 23)),
    }
    assert due(for_teams([service.assessment.pk], TODAY), child, "care_plan") == set()
    # a week on, the care plan is due soon; the week after the Easter bank holidays, the review
    assert ("care_plan", "due_soon", date(2026, 3, 30)) in due(for_worker(worker, date(2026, 3, 27)), child, *rules)
    assert due(for_worker(worker, date(2026, 4, 13)), child, "looked_after_review") == {
        ("looked_after_review", "due_soon", date(2026, 4, 15))
    }
    assert due(for_teams([service.assessment.pk], date(2026, 4, 16)), child, "looked_after_review") == {
        ("looked_after_review", "overdue", date(2026, 4, 15))
    }
