"""Recording a child's protection through the pages stops its clocks at once: the initial conference
(rules icpc and icpc_dfe), the first core group (core_group_first), the review conference
(cp_review) and the visits on the plan (cp_visit) leave the worker's chase list and the team's the
moment the page saves them. A section 47 outcome of "conference needed" is not a conference held:
it leaves the ICPC clocks running.

Hand-worked, from today (the records' "recorded at" is the database's clock, so the test runs on
the real today; every interval is chosen so bank holidays cannot change the answer):

- ICPC: the strategy discussion that started the section 47 enquiry was held 40 calendar days ago
  (the enquiry starts that day). 15 working days are at most 21 calendar days, plus at most 4 bank
  holidays in any stretch (Christmas and New Year): the Working Together clock (from the
  discussion) is overdue today. The DfE measure (icpc_dfe, from the enquiry's start, the same day)
  is a measure, never chased (grip.timescales.engine.chased_rules): the engine shows it overdue,
  then met late by the conference recorded.
- A plan that started 120 calendar days ago: the first core group (10 working days: at most 14
  calendar days plus 4 bank holidays), the first review conference (3 months: at most 92 days) and
  the visits (every 10 working days, none recorded) are all overdue.
- Recorded yesterday (or, for the conference, on the last weekday before today: an initial
  conference is not held at a weekend), the next of each is beyond this week: the next visit 10
  working days on (at least 13 days from today), the next review 6 months on; core_group_first is
  met.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from grip.chasing import lists
from grip.timescales.engine import obligations
from tests.cases.factories import (
    AllocationFactory,
    ChildProtectionPlanFactory,
    CINEpisodeFactory,
    Section47EnquiryFactory,
    StrategyDiscussionFactory,
)
from tests.people.factories import ChildFactory

pytestmark = pytest.mark.django_db
SATURDAY = 5


def last_weekday(today: date) -> date:
    day = today - timedelta(days=1)
    while day.weekday() >= SATURDAY:
        day -= timedelta(days=1)
    return day


def date_fields(prefix: str, day: date) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def due(items, child, *rules) -> set[tuple[str, str]]:
    return {(i.obligation.rule, i.obligation.status) for i in items if i.child == child and i.obligation.rule in rules}


def both_lists(service, child, *rules) -> tuple[set, set]:
    worker, team, today = service.workers["ada"], [service.assessment.pk], service.today
    return (
        due(lists.for_worker(worker=worker, on=today), child, *rules),
        due(lists.for_teams(teams=team, on=today), child, *rules),
    )


def measure(service, child) -> list[str]:
    """The DfE ICPC measure's statuses for the child, from the engine (it is on no chase list)."""
    found = obligations(
        on=service.today, since=service.today - timedelta(days=7), children=[child.pk], rule_keys=["icpc_dfe"]
    )
    return [o.status for o in found]


def allocated_child(service, referral: date):
    child = ChildFactory(first_name="Pia", last_name="Guard", date_of_birth=date(2019, 2, 1))
    episode = CINEpisodeFactory(child=child, referral_date=referral)
    ada = service.workers["ada"]
    AllocationFactory(child=child, worker=ada, team=ada.team, started_on=referral)
    return child, episode


def conference(day: date, **answers) -> dict:
    return {
        **date_fields("held", day),
        "chair": "Rita Chairwoman",
        "attended_by": ["SOCIAL_CARE", "PARENT", "POLICE"],
        "participation": "VIEWS_WORKER",
        "step": "check",
        **answers,
    }


def test_the_initial_conference_stops_both_icpc_clocks_and_the_outcome_alone_does_not(client, service):
    held = service.today - timedelta(days=40)
    child, episode = allocated_child(service, referral=held - timedelta(days=3))
    discussion = StrategyDiscussionFactory(episode=episode, held_on=held)
    Section47EnquiryFactory(
        episode=episode, strategy_discussion=discussion, started_on=held, completed_on=None, outcome=""
    )
    conference_day = last_weekday(service.today)
    overdue = {("icpc", "overdue")}
    assert both_lists(service, child, "icpc", "icpc_dfe") == (overdue, overdue)
    assert measure(service, child) == ["overdue"]

    client.force_login(service.users["ada"])
    outcome = {**date_fields("completed", conference_day), "outcome": "ICPC", "step": "check"}
    page = reverse("recording:protection-section47-outcome", args=[child.pk])
    assert client.post(page, outcome).status_code == 302
    assert both_lists(service, child, "icpc", "icpc_dfe") == (overdue, overdue)  # needed, not held
    assert measure(service, child) == ["overdue"]

    page = reverse("recording:protection-initial-conference", args=[child.pk])
    assert client.post(page, conference(conference_day, outcome="PLAN", category="NEG")).status_code == 302
    assert both_lists(service, child, "icpc", "icpc_dfe") == (set(), set())
    assert measure(service, child) == ["met_late"]


def test_a_core_group_a_review_conference_and_a_visit_stop_the_plan_clocks(client, service):
    child, episode = allocated_child(service, referral=service.today - timedelta(days=150))
    ChildProtectionPlanFactory(episode=episode, started_on=service.today - timedelta(days=120))
    yesterday = service.today - timedelta(days=1)
    rules = ("core_group_first", "cp_review", "cp_visit")
    overdue = {("core_group_first", "overdue"), ("cp_review", "overdue"), ("cp_visit", "overdue")}
    assert both_lists(service, child, *rules) == (overdue, overdue)

    client.force_login(service.users["ada"])
    page = reverse("recording:protection-core-group", args=[child.pk])
    meeting = {**date_fields("held", yesterday), "attended_by": ["SOCIAL_CARE", "PARENT", "EDUCATION"]}
    assert client.post(page, meeting).status_code == 302
    left = {("cp_review", "overdue"), ("cp_visit", "overdue")}
    assert both_lists(service, child, *rules) == (left, left)

    page = reverse("recording:protection-review-conference", args=[child.pk])
    assert client.post(page, conference(yesterday, outcome="CONTINUE")).status_code == 302
    assert both_lists(service, child, *rules) == ({("cp_visit", "overdue")}, {("cp_visit", "overdue")})

    visit = {
        "visit_type": "CP",
        **date_fields("visited", yesterday),
        "child_seen": "yes",
        "seen_alone": "yes",
        "place": "At home",
        "child_said": "Pia said she liked her new bedroom and felt safe at home now.",
    }
    assert client.post(reverse("recording:visit-new", args=[child.pk]), visit).status_code == 302
    assert both_lists(service, child, *rules) == (set(), set())
