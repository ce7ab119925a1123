"""Caseloads as they were on a past day: each worker counts in the team, role and FTE of their
terms in force that day (workforce.history), not their current ones.

Hand-worked: Sam holds two children in need from 38 days ago. Sam's terms change 30 days ago
(moved from team Old to team New, or full time to half time). Five days before the change Sam
counts in Old with 2 children and a threshold of 4 × 1.0 = 4; five days after, in New with the same 2
children, and (for the FTE change) a threshold of 4 × 0.5 = 2."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from decimal import Decimal

import pytest

from grip.caseloads.counting import census_measure, team_caseloads, worker_caseloads
from grip.caseloads.rules import caseload_rules
from grip.workforce.establishment import WorkerTerms
from tests.caseloads.test_counting import TODAY, hold
from tests.cases.factories import TeamFactory, WorkerFactory

pytestmark = pytest.mark.django_db

CHANGED_ON = TODAY - timedelta(days=30)
BEFORE = CHANGED_ON - timedelta(days=5)
AFTER = CHANGED_ON + timedelta(days=5)


def change(worker, **changes):
    """The worker's terms change on CHANGED_ON (as grip.workforce.services.terms_change writes them)."""
    current = worker.terms.get(ended_on__isnull=True)
    current.ended_on = CHANGED_ON
    current.save()
    fields = {f: getattr(current, f) for f in ("role", "team", "fte", "employment_type", "manager")} | changes
    WorkerTerms.objects.create(worker=worker, started_on=CHANGED_ON, **fields)
    for name, value in changes.items():
        setattr(worker, name, value)
    worker.save()


@pytest.fixture
def rules():
    return dataclasses.replace(caseload_rules(), thresholds={"SW": Decimal(4)})


def members(rows):
    return {row.team.name: [(c.worker.pk, c.children) for c in row.workers] for row in rows}


@pytest.mark.parametrize("every_team", [False, True])
def test_a_worker_who_moved_team_counts_in_the_old_team_before_and_the_new_after(rules, every_team):
    old, new = TeamFactory(name="Old"), TeamFactory(name="New")
    sam = WorkerFactory(team=old, role="SW")
    hold(sam, "child_in_need", "child_in_need", since=TODAY - timedelta(days=38))
    change(sam, team=new)

    before = team_caseloads(teams=[old, new], on=BEFORE, rules=rules, every_team=every_team)
    assert members(before) == {"Old": [(sam.pk, 2)], "New": []}
    assert [r.capacity for r in before] == [Decimal(4), Decimal(0)]

    after = team_caseloads(teams=[old, new], on=AFTER, rules=rules, every_team=every_team)
    assert members(after) == {"Old": [], "New": [(sam.pk, 2)]}
    assert [r.capacity for r in after] == [Decimal(0), Decimal(4)]


def test_asking_for_the_old_team_alone_still_finds_the_worker_who_has_since_left_it(rules):
    old, new = TeamFactory(name="Old"), TeamFactory(name="New")
    sam = WorkerFactory(team=old, role="SW")
    hold(sam, "child_in_need", since=TODAY - timedelta(days=38))
    change(sam, team=new)
    assert members(team_caseloads(teams=[old], on=BEFORE, rules=rules)) == {"Old": [(sam.pk, 1)]}
    assert members(team_caseloads(teams=[new], on=BEFORE, rules=rules)) == {"New": []}
    assert members(team_caseloads(teams=[old], on=AFTER, rules=rules)) == {"Old": []}


def test_an_fte_change_scales_the_threshold_from_the_day_it_takes_effect(rules):
    team = TeamFactory()
    sam = WorkerFactory(team=team, role="SW")
    hold(sam, "child_in_need", "child_in_need", since=TODAY - timedelta(days=38))
    change(sam, fte=Decimal("0.5"))

    (before,) = worker_caseloads(workers=[sam], on=BEFORE, rules=rules)
    assert (before.worker.fte, before.threshold, before.percent) == (Decimal("1.00"), Decimal(4), 50)
    (after,) = worker_caseloads(workers=[sam], on=AFTER, rules=rules)
    assert (after.worker.fte, after.threshold, after.percent) == (Decimal("0.50"), Decimal(2), 100)

    # The census caseload (children ÷ FTE of case holders): 2 ÷ 1.0 before, 2 ÷ 0.5 after.
    (row,) = team_caseloads(teams=[team], on=BEFORE, rules=rules)
    assert census_measure(row.workers).value == Decimal("2.0")
    (row,) = team_caseloads(teams=[team], on=AFTER, rules=rules)
    assert census_measure(row.workers).value == Decimal("4.0")


def test_a_role_change_is_read_as_at_the_day(rules):
    team = TeamFactory()
    sam = WorkerFactory(team=team, role="ASYE")
    change(sam, role="SW")
    (before,) = worker_caseloads(workers=[sam], on=BEFORE, rules=rules)
    (after,) = worker_caseloads(workers=[sam], on=AFTER, rules=rules)
    assert (before.worker.role, before.threshold) == ("ASYE", None)  # no ASYE threshold in these rules
    assert (after.worker.role, after.threshold) == ("SW", Decimal(4))
