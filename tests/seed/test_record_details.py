"""The generator fills in what the recording pages ask (issue 14), so seeded records read like real
work: each conference has its chair, who came, the child's part, its outcome and category; each core
group who came; each early help episode its lead organisation, lead practitioner and reason; the
accommodation the authority provides a care leaver what it is. The details come from a stream of
their own: drawing them differently changes nothing else."""

from __future__ import annotations

from datetime import date

import pytest

from grip.core.codelists import codelist
from grip.seed import simulate
from grip.seed.details import RecordDetails
from grip.seed.simulate import SeedRequest, simulate_authority

from .test_other_regimes import age_on, rows

END = date(2026, 3, 31)
REQUEST = SeedRequest(seed=7, scale=0.05, years=1, end=END)


@pytest.fixture(scope="module")
def store():
    return simulate_authority(REQUEST)


def children_of_episodes(store) -> dict[int, int]:
    return dict(rows(store, "cases.CINEpisode", "id", "child_id"))


def test_every_conference_has_a_chair_attendance_participation_and_an_outcome_that_fits(store):
    plans = {
        pk: (i, latest)
        for pk, i, latest in rows(store, "cases.ChildProtectionPlan", "id", "initial_category", "latest_category")
    }
    conferences = rows(
        store,
        "cases.ChildProtectionConference",
        "conference_type",
        "plan_id",
        "chair",
        "attended_by",
        "participation",
        "outcome",
        "category",
    )
    assert {c[0] for c in conferences} == {"ICPC", "RCPC"}
    participation = codelist("conference_participation")
    for kind, plan, chair, came, took_part, outcome, category in conferences:
        assert chair.count(" ") >= 1  # a name
        assert came[0] == "SOCIAL_CARE" and all(code in codelist("conference_attendee") for code in came)
        assert took_part in participation
        if kind == "ICPC":
            # An initial conference starts the plan it names, with the plan's initial category; or no plan.
            assert (outcome, category) == (("PLAN", plans[plan][0]) if plan else ("NO_PLAN", ""))
        else:
            assert (outcome, category) == ("CONTINUE", plans[plan][1])
    assert 1 < len({c[2] for c in conferences}) <= 12  # the safeguarding unit's few chairs
    outcomes = [c[5] for c in conferences if c[0] == "ICPC"]
    assert "PLAN" in outcomes and "NO_PLAN" in outcomes


def test_who_comes_and_the_childs_part_follow_the_childs_age(store):
    births = dict(rows(store, "people.Person", "id", "date_of_birth"))
    child_of = children_of_episodes(store)
    seen = set()
    for episode, held, came, took_part in rows(
        store, "cases.ChildProtectionConference", "episode_id", "held_on", "attended_by", "participation"
    ):
        born = births[child_of[episode]]
        age = -1 if born is None or born > held else age_on(born, held)  # -1: unborn
        if age < 4:
            assert took_part == "YOUNG"  # an unborn child or a baby does not take part
        if age < 5:
            assert "EDUCATION" not in came
        if "CHILD" in came:
            assert age >= 12 and took_part.startswith("ATTENDED")
        seen.add(took_part)
    assert {"YOUNG", "VIEWS_WORKER"} <= seen


def test_every_core_group_says_who_came(store):
    meetings = rows(store, "cases.CoreGroupMeeting", "attended_by", "attendee_names")
    assert meetings
    for came, names in meetings:
        assert came[0] == "SOCIAL_CARE" and names.startswith("Social worker")
    assert sum("PARENT" in came for came, _ in meetings) > len(meetings) / 2


def test_early_help_has_its_lead_organisation_practitioner_and_reason(store):
    episodes = rows(store, "cases.EarlyHelpEpisode", "lead_organisation", "lead_practitioner", "reason")
    assert episodes
    organisations = codelist("early_help_organisation")
    for lead, practitioner, reason in episodes:
        assert lead in organisations and ", " in practitioner and reason.endswith(".")
    assert len({lead for lead, _p, _r in episodes}) > 3


def test_accommodation_provided_to_a_care_leaver_is_suitable_and_of_its_duty(store):
    provided = rows(store, "cases.CareLeaverAccommodation", "provided_under", "accommodation")
    assert provided
    for duty, accommodation in provided:
        assert accommodation in codelist("care_leaver_accommodation") and accommodation.endswith("1")
        assert duty in ("S23B", "S24B")


def test_drawing_the_details_differently_changes_nothing_else(store, monkeypatch):
    class Other(RecordDetails):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.rng.seed("another stream")

    monkeypatch.setattr(simulate, "RecordDetails", Other)
    other = simulate_authority(REQUEST)
    for label, names in {
        "cases.ChildProtectionConference": ("episode_id", "conference_type", "plan_id", "held_on", "outcome"),
        "cases.CoreGroupMeeting": ("plan_id", "held_on"),
        "cases.EarlyHelpEpisode": ("child_id", "started_on", "ended_on", "closure_reason"),
        "cases.Visit": ("child_id", "visited_on", "visit_type"),
        "allocation.Allocation": ("child_id", "worker_id", "started_on", "ended_on"),
    }.items():
        assert rows(other, label, *names) == rows(store, label, *names), label
    assert rows(other, "cases.CoreGroupMeeting", "attended_by") != rows(store, "cases.CoreGroupMeeting", "attended_by")
