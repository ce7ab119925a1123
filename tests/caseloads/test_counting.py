"""Caseload figures on a small worked authority: counted and weighted caseloads, thresholds scaled
by FTE, the ASYE protected caseload, away and departed workers, team capacity, and the workforce
census measure with its numerator and denominator. Then the configuration loader's errors."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from grip.caseloads.counting import (
    WorkerCaseload,
    WorkerFacts,
    census_measure,
    percent_of,
    team_caseloads,
    worker_caseloads,
)
from grip.caseloads.rules import (
    NEAR,
    NO_THRESHOLD,
    OVER,
    RULES_FILE,
    UNDER,
    CaseloadConfigError,
    caseload_rules,
    load_rules,
)
from grip.workforce.models import Absence, ServiceArea
from tests.cases.factories import (
    AllocationFactory,
    CareLeaverEpisodeFactory,
    ChildProtectionPlanFactory,
    CINEpisodeFactory,
    ClosedCINEpisodeFactory,
    EarlyHelpEpisodeFactory,
    LookedAfterEpisodeFactory,
    TeamFactory,
    WorkerFactory,
)
from tests.people.factories import ChildFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
HELD_SINCE = TODAY - timedelta(days=10)


def child_at(stage: str):
    """A child whose open case is at `stage` today."""
    child = ChildFactory()
    started = TODAY - timedelta(days=40)
    if stage == "child_protection":
        ChildProtectionPlanFactory(episode=CINEpisodeFactory(child=child, referral_date=started), started_on=started)
    elif stage == "looked_after":
        LookedAfterEpisodeFactory(child=child, started_on=started)
    elif stage == "child_in_need":
        CINEpisodeFactory(child=child, referral_date=started)
    elif stage == "care_leaver":
        CareLeaverEpisodeFactory(child=child, started_on=started)
    elif stage == "early_help":
        EarlyHelpEpisodeFactory(child=child, started_on=started)
    return child


def hold(worker, *stages: str, since=HELD_SINCE):
    children = [child_at(stage) for stage in stages]
    for child in children:
        AllocationFactory(child=child, worker=worker, team=worker.team, started_on=since)
    return children


@pytest.fixture
def authority():
    """North (teams A and B) and South (team C). Team A has a full-time and a half-time social
    worker, an ASYE, a family support worker, a case-holding team manager, an absent worker, one
    who has left but still holds a case, and a social worker with no cases."""
    north, south = ServiceArea.objects.create(name="North"), ServiceArea.objects.create(name="South")
    a = TeamFactory(name="A", service_area=north)
    b = TeamFactory(name="B", service_area=north)
    c = TeamFactory(name="C", service_area=south)
    w = {
        "sw": WorkerFactory(team=a, role="SW"),
        "part": WorkerFactory(team=a, role="SW", fte=Decimal("0.5")),
        "asye": WorkerFactory(team=a, role="ASYE"),
        "fsw": WorkerFactory(team=a, role="FSW", is_qualified_social_worker=False),
        "tm": WorkerFactory(team=a, role="TM"),
        "absent": WorkerFactory(team=a, role="SW"),
        "left": WorkerFactory(team=a, role="SW", left_on=TODAY - timedelta(days=2)),
        "idle": WorkerFactory(team=a, role="SW"),
        "b": WorkerFactory(team=b, role="SW"),
        "c": WorkerFactory(team=c, role="SW"),
        "gone_long_ago": WorkerFactory(team=a, role="SW", left_on=TODAY - timedelta(days=400)),
    }
    hold(w["sw"], "child_protection", "looked_after", "child_in_need")
    hold(w["part"], "child_in_need", "child_in_need", "child_in_need")
    hold(w["asye"], "child_in_need")
    hold(w["fsw"], "early_help")
    hold(w["tm"], "child_in_need")
    hold(w["absent"], "child_in_need", "child_in_need")
    hold(w["left"], "child_in_need", since=TODAY - timedelta(days=30))  # never handed on
    hold(w["b"], "child_protection")
    hold(w["c"], "care_leaver")
    Absence.objects.create(worker=w["absent"], absence_type="SICKNESS", started_on=TODAY - timedelta(days=3))
    # Not a caseload: a lead still running on a case that has closed, and a lead that has ended.
    closed = ChildFactory()
    ClosedCINEpisodeFactory(child=closed, referral_date=TODAY - timedelta(days=90))
    AllocationFactory(child=closed, worker=w["sw"], started_on=TODAY - timedelta(days=90))
    ended = child_at("child_in_need")
    AllocationFactory(child=ended, worker=w["sw"], started_on=TODAY - timedelta(days=40), ended_on=HELD_SINCE)
    return {"teams": {"A": a, "B": b, "C": c}, "workers": w, "north": north, "south": south}


@pytest.fixture
def small_thresholds():
    """The configured weights with small thresholds, so that a few cases reach each status."""
    rules = caseload_rules()
    small = {"SW": Decimal(4), "ASYE": Decimal("3.6"), "FSW": Decimal(5)}
    return dataclasses.replace(rules, thresholds=small)


def by_worker(rows):
    return {caseload.worker.pk: caseload for row in rows for caseload in row.workers}


# ------------------------------------------------------------------------------ counted and weighted


def test_each_worker_is_counted_and_weighted_by_the_stage_of_each_child(authority):
    weights = caseload_rules().weights
    rows = team_caseloads(teams=authority["teams"].values(), on=TODAY)
    seen = by_worker(rows)
    w = authority["workers"]

    sw = seen[w["sw"].pk]
    assert sw.children == 3  # the closed case and the ended allocation are not counted
    assert sw.weighted == weights["child_protection"] + weights["looked_after"] + weights["child_in_need"]
    assert seen[w["part"].pk].children == 3
    assert seen[w["part"].pk].weighted == 3 * weights["child_in_need"]
    assert seen[w["fsw"].pk].weighted == weights["early_help"]
    assert seen[w["c"].pk].weighted == weights["care_leaver"]
    assert seen[w["idle"].pk].children == 0 and seen[w["idle"].pk].weighted == 0


def test_a_team_totals_its_workers_and_its_capacity_is_the_thresholds_of_those_in_post(authority):
    rules = caseload_rules()
    w = authority["workers"]
    team_a = team_caseloads(teams=[authority["teams"]["A"]], on=TODAY)[0]

    # Every case the team's workers hold, but the team manager's: a manager's holding leaves the
    # case unallocated (kpi-catalogue unallocated_open_cases), so it is on the register instead.
    assert team_a.children == 3 + 3 + 1 + 1 + 2 + 1
    assert team_a.held_unallocated == 1
    full, asye, fsw = rules.thresholds["SW"], rules.thresholds["ASYE"], rules.thresholds["FSW"]
    # In post with a threshold: sw, part (half), asye, fsw, idle. Not the team manager (no
    # threshold), not the absent worker, not the one who left.
    assert team_a.capacity == full + full / 2 + asye + fsw + full
    assert team_a.workers_in_post == 6  # sw, part, asye, fsw, tm, idle
    assert team_a.percent == percent_of(team_a.weighted, team_a.capacity)
    shown = {c.worker.pk for c in team_a.workers}
    assert w["gone_long_ago"].pk not in shown  # left long ago and holds nothing
    assert {w["absent"].pk, w["left"].pk} <= shown  # away, but still holding children


def test_status_against_thresholds_scaled_by_fte(authority, small_thresholds):
    w = authority["workers"]
    seen = by_worker(team_caseloads(teams=authority["teams"].values(), on=TODAY, rules=small_thresholds))

    assert seen[w["sw"].pk].threshold == 4
    assert seen[w["sw"].pk].percent == 93  # 3.7 of 4 is 92.5%, rounded half up: near, from 85%
    assert seen[w["sw"].pk].status == NEAR
    assert seen[w["part"].pk].threshold == 2  # half of 4 at 0.5 FTE
    assert seen[w["part"].pk].status == OVER  # 3 of 2
    assert seen[w["part"].pk].percent == 150
    assert seen[w["asye"].pk].status == UNDER
    assert seen[w["tm"].pk].threshold is None and seen[w["tm"].pk].status == NO_THRESHOLD
    assert seen[w["tm"].pk].percent is None


def test_exactly_at_the_threshold_is_near_not_over(authority, small_thresholds):
    rules = dataclasses.replace(small_thresholds, thresholds={"SW": Decimal(6)})
    part = by_worker(team_caseloads(teams=[authority["teams"]["A"]], on=TODAY, rules=rules))
    assert part[authority["workers"]["part"].pk].percent == 100  # 3 of half of 6
    assert part[authority["workers"]["part"].pk].status == NEAR


def test_away_and_departed_workers_are_shown_with_why(authority):
    w = authority["workers"]
    seen = by_worker(team_caseloads(teams=[authority["teams"]["A"]], on=TODAY))

    absent = seen[w["absent"].pk]
    assert absent.away.reason == "absent" and absent.away.detail == "Sickness"
    assert not absent.in_post and not absent.gone and absent.children == 2
    left = seen[w["left"].pk]
    assert left.away.reason == "left" and left.gone and left.children == 1
    assert seen[w["sw"].pk].in_post and seen[w["sw"].pk].away is None


def test_a_worker_not_yet_started_is_not_in_post(authority):
    a = authority["teams"]["A"]
    newcomer = WorkerFactory(team=a, role="SW", started_on=TODAY + timedelta(days=7))
    seen = by_worker(team_caseloads(teams=[a], on=TODAY))
    assert newcomer.pk not in seen  # not in post and holding nothing
    hold(newcomer, "child_in_need")
    seen = by_worker(team_caseloads(teams=[a], on=TODAY))
    assert seen[newcomer.pk].gone and not seen[newcomer.pk].in_post


def test_figures_can_be_asked_as_at_a_past_day(authority):
    w = authority["workers"]
    before = TODAY - timedelta(days=20)  # before most cases were allocated; the leaver held theirs
    seen = by_worker(team_caseloads(teams=[authority["teams"]["A"]], on=before))
    assert seen[w["left"].pk].children == 1 and seen[w["left"].pk].in_post
    assert seen[w["sw"].pk].children == 1  # the allocation that has since ended
    assert seen[w["absent"].pk].away is None  # not yet absent


def test_the_threshold_of_a_part_time_worker_is_scaled_by_their_fte():
    rules = caseload_rules()
    assert rules.threshold("SW", Decimal("0.5")) == rules.thresholds["SW"] / 2
    assert rules.threshold("SW", Decimal("1.00")) == rules.thresholds["SW"]
    assert rules.threshold("SM", Decimal("1.00")) is None  # service managers do not hold cases


def test_the_asye_protected_caseload_is_its_configured_share_of_a_social_workers():
    rules = caseload_rules()
    assert rules.thresholds["ASYE"] == rules.thresholds["SW"] * Decimal("0.9")
    assert rules.thresholds["ASYE"] < rules.thresholds["SW"]
    assert "ASYE" in rules.sources["thresholds.ASYE"] and "Skills for Care" in rules.sources["thresholds.ASYE"]


def test_a_few_workers_caseloads_list_their_children_and_since_when(authority):
    w = authority["workers"]
    (sw,) = worker_caseloads(workers=[w["sw"]], on=TODAY)
    assert sw.children == 3
    assert {case.stage for case in sw.cases} == {"child_protection", "looked_after", "child_in_need"}
    assert {case.since for case in sw.cases} == {HELD_SINCE}
    assert sum(case.weight for case in sw.cases) == sw.weighted


# ------------------------------------------------------------------------------ the census measure


def test_census_measure_counts_case_holding_social_workers_only(authority):
    north = [authority["teams"]["A"], authority["teams"]["B"]]
    measure = census_measure(w for row in team_caseloads(teams=north, on=TODAY) for w in row.workers)

    # Holders: sw 3, part 3, asye 1, tm 1 (a team manager holding a case is a case holder), the
    # absent worker 2 (still in post), b 1. Not the family support worker (not a social worker),
    # not the leaver (gone), not the idle worker (holds nothing: not in the denominator either).
    assert measure.children == 3 + 3 + 1 + 1 + 2 + 1
    assert measure.fte == Decimal("1") + Decimal("0.5") + 1 + 1 + 1 + 1
    assert measure.case_holders == 6
    assert measure.value == Decimal("2.0")  # 11 / 5.5


def fake_caseload(children: int, fte: str, role: str = "SW"):
    worker = WorkerFacts(0, "A", "Worker", role, Decimal(fte), 0, TODAY, None, role not in ("FSW", "PA"))
    return WorkerCaseload(worker, children, Decimal(children), None, NO_THRESHOLD, None, True)


@pytest.mark.parametrize(
    ("holders", "value"),
    [
        ([(7, "1"), (0, "1"), (0, "0.5")], Decimal("7.0")),  # holding nothing: in neither figure
        ([(4, "1"), (3, "1"), (0, "1"), (0, "1")], Decimal("3.5")),
        ([(7, "1.5"), (0, "1.5")], Decimal("4.7")),  # 4.666...
        ([(3, "0.8"), (6, "1.0"), (0, "0.2")], Decimal("5.0")),
        ([(9, "0.8"), (0, "1")], Decimal("11.3")),  # 11.25: half up, to one decimal place as DfE publishes
    ],
)
def test_census_measure_is_children_over_the_fte_of_those_holding_them(holders, value):
    measure = census_measure(fake_caseload(n, fte) for n, fte in holders)
    assert measure.children == sum(n for n, _ in holders)
    assert measure.fte == sum(Decimal(fte) for n, fte in holders if n)
    assert measure.case_holders == sum(1 for n, _ in holders if n)
    assert measure.value == value


def test_census_measure_is_empty_without_case_holders():
    empty = census_measure([fake_caseload(0, "1"), fake_caseload(5, "1", role="FSW")])
    assert (empty.children, empty.fte, empty.case_holders, empty.value) == (0, 0, 0, None)


def test_the_census_definition_names_its_source():
    rules = caseload_rules()
    assert rules.census_decimal_places == 1
    assert "workforce" in rules.sources["census"] and "30 September" in rules.sources["census"]


def test_team_caseloads_take_a_fixed_number_of_queries(authority, django_assert_max_num_queries):
    teams = list(authority["teams"].values())
    with django_assert_max_num_queries(10) as first:
        team_caseloads(teams=teams, on=TODAY)
    for _ in range(5):  # more workers, each holding cases: no query more
        hold(WorkerFactory(team=teams[0], role="SW"), "child_in_need", "looked_after")
    with django_assert_max_num_queries(len(first.captured_queries)):
        team_caseloads(teams=teams, on=TODAY)
    with django_assert_max_num_queries(len(first.captured_queries)):
        team_caseloads(teams=teams, on=TODAY, every_team=True)


def test_every_team_reads_the_same_figures_as_narrowing_by_team(authority):
    teams = list(authority["teams"].values())
    narrowed = team_caseloads(teams=teams, on=TODAY)
    everyone = team_caseloads(teams=teams, on=TODAY, every_team=True)
    assert [(r.children, r.weighted, r.capacity, r.status) for r in narrowed] == [
        (r.children, r.weighted, r.capacity, r.status) for r in everyone
    ]


# ------------------------------------------------------------------------------ configuration


def test_the_configuration_names_a_source_for_every_setting():
    rules = load_rules()
    assert set(rules.weights) == {"looked_after", "child_protection", "child_in_need", "care_leaver", "early_help"}
    assert rules.weights["child_in_need"] == 1
    expected = {f"weights.{s}" for s in rules.weights} | {f"thresholds.{r}" for r in rules.thresholds}
    assert expected | {"status", "census"} == set(rules.sources)
    assert all(source.strip() for source in rules.sources.values())
    assert "TM" not in rules.thresholds and "SM" not in rules.thresholds
    assert {"FSW", "PA"}.isdisjoint(rules.census_roles)
    assert 0 < rules.near_from_percent < 100


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "caseloads.toml"
    path.write_text(text, encoding="utf-8")
    return path


ORIGINAL = RULES_FILE.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("weight = 1.5", 'weight = "heavy"', "weights.child_protection.weight"),
        ("weight = 1.2", "weight = 0", "weights.looked_after.weight"),
        ("weight = 1.2", "weight = -1", "weights.looked_after.weight"),
        ("[weights.early_help]\nweight = 0.8", "[weights.early_hlp]\nweight = 0.8", "weights.early_hlp"),
        ("[thresholds.SSW]", "[thresholds.XYZ]", "thresholds.XYZ"),
        ("weighted_cases = 16", "weighted_cases = true", "thresholds.SSW.weighted_cases"),
        ('share_of = "SW"', 'share_of = "ASYE"', "thresholds.ASYE.share_of"),
        ("share = 0.9", "share = 1.5", "thresholds.ASYE.share"),
        ('share_of = "SW"\nshare = 0.9', "share = 0.9", "thresholds.ASYE"),
        ("near_from_percent = 85", "near_from_percent = 100", "status.near_from_percent"),
        ('"SW", "ASYE", "SSW"', '"SW", "NQSW", "SSW"', "census.social_worker_roles"),
        ("decimal_places = 1", "decimal_places = -1", "census.decimal_places"),
        ("[status]\nnear_from_percent", "[state]\nnear_from_percent", "status"),
    ],
)
def test_bad_configuration_is_refused_naming_the_key(tmp_path, old, new, key):
    assert old in ORIGINAL
    with pytest.raises(CaseloadConfigError) as refused:
        load_rules(write(tmp_path, ORIGINAL.replace(old, new, 1)))
    assert str(refused.value).startswith(key), str(refused.value)


def test_a_missing_weight_for_an_open_stage_is_refused(tmp_path):
    start, end = ORIGINAL.index("[weights.care_leaver]"), ORIGINAL.index("[weights.early_help]")
    text = ORIGINAL[:start] + ORIGINAL[end:]
    with pytest.raises(CaseloadConfigError, match=r"^weights\.care_leaver"):
        load_rules(write(tmp_path, text))


def test_a_setting_without_its_source_is_refused(tmp_path):
    start = ORIGINAL.index("[thresholds.SSW]")
    line = ORIGINAL.index("source", start)
    end = ORIGINAL.index("\n", line)
    with pytest.raises(CaseloadConfigError, match=r"^thresholds\.SSW\.source"):
        load_rules(write(tmp_path, ORIGINAL[:line] + ORIGINAL[end + 1 :]))


def test_a_file_that_is_not_toml_is_refused(tmp_path):
    with pytest.raises(CaseloadConfigError, match="not valid TOML"):
        load_rules(write(tmp_path, "[weights\n"))
