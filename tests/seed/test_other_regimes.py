"""The generator draws the records of the regimes beside looked after (issue 11): CIN plan reviews,
needs assessments of eligible children, accommodation for 16-17 year old care leavers, rare private
fostering arrangements with their visits, and return interviews some children decline."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest

from grip.seed.simulate import SeedRequest, simulate_authority

END = date(2026, 3, 31)


def rows(store, label: str, *names: str) -> list[tuple]:
    return list(zip(*[store.column(label, name) for name in names], strict=True))


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


@pytest.fixture(scope="module")
def store():
    return simulate_authority(SeedRequest(seed=5, scale=0.08, years=1, end=END))


def test_cin_plans_are_reviewed_within_the_plan_about_every_3_months(store):
    plans = {pk: (s, e or END) for pk, s, e in rows(store, "cases.CINPlan", "id", "started_on", "ended_on")}
    reviews = rows(store, "cases.CINPlanReview", "plan_id", "held_on")
    assert reviews
    for plan, held in reviews:
        assert plans[plan][0] < held <= plans[plan][1]
    by_plan = defaultdict(list)
    for plan, held in reviews:
        by_plan[plan].append(held)
    gaps = [(b - a).days for held in by_plan.values() for a, b in zip(sorted(held), sorted(held)[1:], strict=False)]
    assert 75 <= sum(gaps) / len(gaps) <= 100  # 3 months, some early, some late


def test_needs_assessments_are_for_children_of_14_to_17_in_care(store):
    births = dict(rows(store, "people.Person", "id", "date_of_birth"))
    in_care = defaultdict(list)
    for child, started, ended in rows(store, "cases.LookedAfterEpisode", "child_id", "started_on", "ended_on"):
        in_care[child].append((started, ended or END))
    assessed = rows(store, "cases.PathwayNeedsAssessment", "child_id", "completed_on")
    assert assessed
    for child, done in assessed:
        assert 14 <= age_on(births[child], done) < 18
        assert any(s <= done <= e for s, e in in_care[child])


def test_accommodation_is_provided_under_s23b_before_18_and_s24b_after(store):
    leavers = {pk: child for pk, child in rows(store, "cases.CareLeaverEpisode", "id", "child_id")}
    births = dict(rows(store, "people.Person", "id", "date_of_birth"))
    provided = rows(
        store, "cases.CareLeaverAccommodation", "care_leaver_id", "provided_under", "provided_from", "provided_to"
    )
    assert provided
    for leaver, duty, start, until in provided:
        if duty == "S23B":  # a relevant child: 16 or 17
            assert age_on(births[leavers[leaver]], start) < 18
            assert until is None or age_on(births[leavers[leaver]], until) < 18
        else:  # vacation accommodation for a former relevant child
            assert duty == "S24B" and age_on(births[leavers[leaver]], start) >= 18


def test_private_fostering_is_rare_and_visited_while_it_lasts(store):
    referrals = store.count("cases.CINEpisode")
    arrangements = rows(store, "cases.PrivateFosteringArrangement", "child_id", "notified_on", "ended_on")
    assert len(arrangements) <= 0.01 * referrals  # DfE: ~1,500 a year in England, ~0.2% of referrals
    spans = defaultdict(list)
    for child, notified, ended in arrangements:
        spans[child].append((notified, ended or END))
    for child, kind, on in rows(store, "cases.Visit", "child_id", "visit_type", "visited_on"):
        if kind == "PF":
            assert any(s <= on <= e for s, e in spans[child])


def test_some_return_interviews_are_declined(store):
    outcomes = [
        o for at, o in rows(store, "cases.MissingEpisode", "return_interview_at", "return_interview_outcome") if at
    ]
    assert outcomes and set(outcomes) <= {"HELD", "DECLINED"}
    assert 0.1 <= outcomes.count("DECLINED") / len(outcomes) <= 0.3  # parameter: one in five
