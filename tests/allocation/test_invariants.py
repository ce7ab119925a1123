"""Invariants of case allocation: bad data is refused, with a clear message.

An allocation runs over the half-open interval [started_on, ended_on) (open-ended when ended_on
is empty), so a handover on day D ends one allocation on D and starts the next on D. At most one
LEAD allocation of a child may cover any day: PostgreSQL refuses overlaps with an exclusion
constraint and SQLite with triggers (migration 0002). Co-worker allocations may overlap freely.

Each constraint is tested against the DATABASE with the ORM's validation bypassed
(``IntegrityError`` naming the constraint, on insert and on update) and, where the model declares
it, through ``full_clean()`` and its plain-English message. Hypothesis property tests compare both
the database and ``full_clean()`` with a pure-Python oracle over random interval sequences.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from hypothesis import given
from hypothesis import strategies as st

from grip.allocation.models import Allocation
from grip.people.models import Person
from grip.workforce.models import ServiceArea, Team, Worker
from tests.invariants import HYPOTHESIS, clean_refuses, db_refuses, db_refuses_action, refuses_bad_choice

pytestmark = pytest.mark.django_db

OVERLAP = "allocation_no_overlapping_lead"
ONE_CURRENT = "allocation_one_current_lead_per_child"
ONE_CURRENT_MESSAGE = "This child already has a current lead worker."
OVERLAP_MESSAGE = "This child already has a lead worker for part of that time."
D = date  # brevity in the interval tables


# --------------------------------------------------------------------------- helpers


@pytest.fixture
def staff() -> SimpleNamespace:
    area = ServiceArea.objects.create(name="Alloc area")
    team = Team.objects.create(name="Alloc team", service_area=area, function=Team.Function.CHILD_IN_NEED)
    workers = [
        Worker.objects.create(
            first_name="W",
            last_name=str(n),
            role="SW",
            employment_type="PERMANENT",
            team=team,
            started_on=date(2020, 1, 1),
        )
        for n in range(3)
    ]
    children = [
        Person.objects.create(
            la_child_id=f"AL{n:06d}", first_name="C", last_name=str(n), date_of_birth=date(2015, 1, 1)
        )
        for n in range(2)
    ]
    return SimpleNamespace(team=team, workers=workers, child=children[0], other_child=children[1])


def fields(
    staff, started_on: date, ended_on: date | None = None, *, role: str = "lead", child=None, worker: int = 0
) -> dict:
    return {
        "child": child or staff.child,
        "worker": staff.workers[worker],
        "team": staff.team,
        "role": role,
        "started_on": started_on,
        "ended_on": ended_on,
    }


def allocate(staff, started_on: date, ended_on: date | None = None, **kwargs) -> Allocation:
    return Allocation.objects.create(**fields(staff, started_on, ended_on, **kwargs))


def is_overlap_refusal(error: IntegrityError) -> bool:
    """The error is the no-overlap rule's (or, for two open leads, the one-current-lead index's)."""
    text = str(error)
    names = [OVERLAP, ONE_CURRENT]
    if connection.vendor == "sqlite":
        names.append("UNIQUE constraint failed: allocation_allocation.child_id")
    return any(name in text for name in names)


def refused_as_overlap(action) -> None:
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        action()
    assert is_overlap_refusal(caught.value), str(caught.value)


# --------------------------------------------------------------------------- simple constraints


def test_an_allocation_cannot_end_before_it_starts(staff):
    bad = fields(staff, D(2024, 3, 1), D(2024, 2, 29))
    db_refuses(Allocation, bad, "allocation_allocation_ended_on_after_started_on")
    clean_refuses(Allocation(**bad), "An allocation cannot end before it starts.")


@pytest.mark.parametrize("role", ["boss", "LEAD", ""])
def test_role_must_be_lead_or_co_worker(staff, role):
    bad = fields(staff, D(2024, 3, 1), role=role)
    refuses_bad_choice(Allocation, bad, "role", "allocation_role_known", "Role must be lead or co-worker.")


def test_a_second_current_lead_is_refused(staff):
    allocate(staff, D(2024, 1, 1))
    second = fields(staff, D(2024, 6, 1), worker=1)
    refused_as_overlap(lambda: Allocation.objects.create(**second))
    clean_refuses(Allocation(**second), ONE_CURRENT_MESSAGE)


# --------------------------------------------------------------------------- overlapping leads: insert

EXISTING = (D(2024, 1, 1), D(2024, 3, 1))  # [1 Jan, 1 Mar)

OVERLAPPING = {
    "starts-inside": (EXISTING, (D(2024, 2, 1), D(2024, 4, 1))),
    "ends-inside": (EXISTING, (D(2023, 12, 1), D(2024, 1, 2))),
    "inside": (EXISTING, (D(2024, 1, 10), D(2024, 1, 20))),
    "around": (EXISTING, (D(2023, 12, 1), D(2024, 4, 1))),
    "identical": (EXISTING, EXISTING),
    "same-start": (EXISTING, (D(2024, 1, 1), D(2024, 1, 2))),
    "last-day": (EXISTING, (D(2024, 2, 29), D(2024, 3, 10))),
    "open-from-inside": (EXISTING, (D(2024, 2, 28), None)),
    "open-from-before": (EXISTING, (D(2023, 6, 1), None)),
    "inside-open": ((D(2024, 1, 1), None), (D(2024, 5, 1), D(2024, 6, 1))),
    "across-open-start": ((D(2024, 1, 1), None), (D(2023, 12, 1), D(2024, 1, 2))),
}

TOUCHING_OR_APART = {
    "handover-after": (EXISTING, (D(2024, 3, 1), None)),
    "handover-before": (EXISTING, (D(2023, 11, 1), D(2024, 1, 1))),
    "gap-after": (EXISTING, (D(2024, 3, 2), D(2024, 5, 1))),
    "gap-before": (EXISTING, (D(2023, 1, 1), D(2023, 6, 1))),
    "before-open": ((D(2024, 1, 1), None), (D(2023, 11, 1), D(2024, 1, 1))),
    "empty-inside": (EXISTING, (D(2024, 2, 1), D(2024, 2, 1))),  # [D, D) covers no day
}


@pytest.mark.parametrize(("existing", "new"), OVERLAPPING.values(), ids=OVERLAPPING.keys())
def test_an_overlapping_lead_is_refused_on_insert(staff, existing, new):
    allocate(staff, *existing)
    refused_as_overlap(lambda: allocate(staff, *new, worker=1))
    assert Allocation.objects.count() == 1


CLOSED_OVERLAPPING = {k: v for k, v in OVERLAPPING.items() if v[0][1] is not None and v[1][1] is not None}


@pytest.mark.parametrize(("existing", "new"), CLOSED_OVERLAPPING.values(), ids=CLOSED_OVERLAPPING.keys())
def test_an_overlapping_lead_is_refused_by_the_no_overlap_rule_itself(staff, existing, new):
    """When neither is open the one-current-lead index cannot fire: only the no-overlap rule can."""
    allocate(staff, *existing)
    db_refuses_action(lambda: allocate(staff, *new, worker=1), OVERLAP)


@pytest.mark.parametrize(("existing", "new"), TOUCHING_OR_APART.values(), ids=TOUCHING_OR_APART.keys())
def test_touching_or_separate_leads_are_accepted(staff, existing, new):
    allocate(staff, *existing)
    Allocation(**fields(staff, *new, worker=1)).full_clean()
    allocate(staff, *new, worker=1)
    assert Allocation.objects.filter(child=staff.child, role="lead").count() == 2


def test_overlapping_leads_in_one_bulk_create_are_refused(staff):
    refused_as_overlap(
        lambda: Allocation.objects.bulk_create(
            [
                Allocation(**fields(staff, D(2024, 1, 1), D(2024, 3, 1))),
                Allocation(**fields(staff, D(2024, 2, 1), D(2024, 4, 1), worker=1)),
            ]
        )
    )
    assert not Allocation.objects.exists()


def test_handover_on_the_same_day(staff):
    """The working path: end the current lead on D, start the next on D."""
    current = allocate(staff, D(2024, 1, 1))
    current.ended_on = D(2024, 5, 20)
    current.full_clean()
    current.save()
    successor = Allocation(**fields(staff, D(2024, 5, 20), worker=1))
    successor.full_clean()
    successor.save()
    assert list(
        Allocation.objects.filter(child=staff.child).order_by("started_on").values_list("ended_on", flat=True)
    ) == [
        D(2024, 5, 20),
        None,
    ]


def test_co_workers_may_overlap_the_lead_and_each_other(staff):
    allocate(staff, D(2024, 1, 1))
    for worker, (start, end) in enumerate([(D(2024, 1, 1), None), (D(2023, 6, 1), D(2024, 6, 1))], start=1):
        row = Allocation(**fields(staff, start, end, role="co_worker", worker=worker))
        row.full_clean()
        row.save()
    Allocation.objects.bulk_create([Allocation(**fields(staff, D(2024, 2, 1), None, role="co_worker", worker=2))])
    assert Allocation.objects.filter(child=staff.child).count() == 4


def test_different_children_may_have_overlapping_leads(staff):
    allocate(staff, D(2024, 1, 1))
    allocate(staff, D(2023, 1, 1), D(2024, 2, 1), child=staff.other_child)
    row = Allocation(**fields(staff, D(2024, 2, 1), child=staff.other_child, worker=1))
    row.full_clean()
    row.save()
    assert Allocation.objects.filter(role="lead").count() == 3


@pytest.mark.parametrize(("existing", "new"), OVERLAPPING.values(), ids=OVERLAPPING.keys())
def test_full_clean_refuses_an_overlapping_lead(staff, existing, new):
    allocate(staff, *existing)
    clean_refuses(Allocation(**fields(staff, *new, worker=1)), OVERLAP_MESSAGE)


def test_full_clean_lets_co_workers_and_other_children_overlap(staff):
    allocate(staff, D(2024, 1, 1), D(2024, 3, 1))
    Allocation(**fields(staff, D(2024, 2, 1), D(2024, 4, 1), role="co_worker", worker=1)).full_clean()
    Allocation(**fields(staff, D(2024, 2, 1), D(2024, 4, 1), child=staff.other_child, worker=1)).full_clean()


# --------------------------------------------------------------------------- overlapping leads: update


def test_moving_a_start_into_another_lead_is_refused_on_save(staff):
    allocate(staff, D(2024, 1, 1), D(2024, 2, 1))
    later = allocate(staff, D(2024, 3, 1), D(2024, 4, 1), worker=1)
    later.started_on = D(2024, 1, 31)
    clean_refuses(later, OVERLAP_MESSAGE)
    refused_as_overlap(later.save)
    later.started_on = D(2024, 2, 1)  # touching is fine
    later.save()


def test_extending_an_end_into_another_lead_is_refused_on_update(staff):
    earlier = allocate(staff, D(2024, 1, 1), D(2024, 2, 1))
    allocate(staff, D(2024, 3, 1), D(2024, 4, 1), worker=1)
    refused_as_overlap(lambda: Allocation.objects.filter(pk=earlier.pk).update(ended_on=D(2024, 3, 2)))
    refused_as_overlap(lambda: Allocation.objects.filter(pk=earlier.pk).update(ended_on=None))
    Allocation.objects.filter(pk=earlier.pk).update(ended_on=D(2024, 3, 1))


def test_reopening_an_ended_lead_under_a_later_current_one_is_refused(staff):
    ended = allocate(staff, D(2024, 1, 1), D(2024, 2, 1))
    allocate(staff, D(2024, 2, 1), worker=1)
    ended.ended_on = None
    refused_as_overlap(ended.save)
    clean_refuses(ended, ONE_CURRENT_MESSAGE)
    clean_refuses(ended, OVERLAP_MESSAGE)


def test_promoting_an_overlapping_co_worker_to_lead_is_refused(staff):
    allocate(staff, D(2024, 1, 1), D(2024, 6, 1))
    co = allocate(staff, D(2024, 2, 1), D(2024, 3, 1), role="co_worker", worker=1)
    refused_as_overlap(lambda: Allocation.objects.filter(pk=co.pk).update(role="lead"))


def test_moving_a_lead_to_a_child_with_an_overlapping_lead_is_refused(staff):
    allocate(staff, D(2024, 1, 1), D(2024, 6, 1))
    theirs = allocate(staff, D(2024, 2, 1), D(2024, 3, 1), child=staff.other_child, worker=1)
    refused_as_overlap(lambda: Allocation.objects.filter(pk=theirs.pk).update(child=staff.child))


def test_editing_a_lead_without_moving_it_is_fine(staff):
    allocate(staff, D(2024, 1, 1), D(2024, 2, 1))
    current = allocate(staff, D(2024, 2, 1), worker=1)
    current.note = "Handed over at the team meeting."
    current.full_clean()
    current.save()


# --------------------------------------------------------------------------- property: database vs oracle

START = date(2024, 1, 1)
INTERVAL = st.tuples(st.integers(0, 60), st.none() | st.integers(0, 30))  # (start day, length or open)


def _days(start: int, length: int | None) -> tuple[int, float]:
    return start, (math.inf if length is None else start + length)


def overlaps(a: tuple[int, float], b: tuple[int, float]) -> bool:
    """Half-open intervals [s, e) share a day; an empty one ([s, s)) shares none."""
    (s1, e1), (s2, e2) = a, b
    return s1 < e1 and s2 < e2 and s1 < e2 and s2 < e1


def cleans(instance: Allocation) -> bool:
    try:
        instance.full_clean()
    except ValidationError as error:
        assert set(error.messages) <= {OVERLAP_MESSAGE, ONE_CURRENT_MESSAGE}, error.messages
        return False
    return True


def _dates(start: int, length: int | None) -> tuple[date, date | None]:
    return START + timedelta(days=start), (None if length is None else START + timedelta(days=start + length))


@HYPOTHESIS
@given(
    steps=st.lists(st.tuples(INTERVAL, st.sampled_from(["lead", "lead", "lead", "co_worker"])), min_size=1, max_size=8)
)
def test_inserting_leads_succeeds_exactly_when_the_interval_overlaps_none_stored(staff, steps):
    with transaction.atomic():
        stored: list[tuple[int, float]] = []
        for (start, length), role in steps:
            interval = _days(start, length)
            expected = role != "lead" or not any(overlaps(interval, other) for other in stored)
            assert cleans(Allocation(**fields(staff, *_dates(start, length), role=role))) == expected
            try:
                with transaction.atomic():
                    allocate(staff, *_dates(start, length), role=role)
                accepted = True
            except IntegrityError as error:
                assert is_overlap_refusal(error), str(error)
                accepted = False
            assert accepted == expected, f"{role} {interval} against {stored}"
            if accepted and role == "lead":
                stored.append(interval)
        in_db = [
            _days((a.started_on - START).days, None if a.ended_on is None else (a.ended_on - a.started_on).days)
            for a in Allocation.objects.filter(child=staff.child, role="lead")
        ]
        assert sorted(in_db) == sorted(stored)
        transaction.set_rollback(True)


@HYPOTHESIS
@given(
    intervals=st.lists(INTERVAL, min_size=1, max_size=6),
    moves=st.lists(st.tuples(st.integers(0, 5), INTERVAL), min_size=1, max_size=6),
)
def test_moving_a_lead_succeeds_exactly_when_it_then_overlaps_no_other(staff, intervals, moves):
    with transaction.atomic():
        rows: list[tuple[int, tuple[int, float]]] = []  # (pk, interval) of stored leads
        for start, length in intervals:
            interval = _days(start, length)
            if not any(overlaps(interval, other) for _, other in rows):
                rows.append((allocate(staff, *_dates(start, length)).pk, interval))
        for which, (start, length) in moves:
            pk, _ = rows[which % len(rows)]
            interval = _days(start, length)
            expected = not any(overlaps(interval, other) for other_pk, other in rows if other_pk != pk)
            started_on, ended_on = _dates(start, length)
            moved = Allocation.objects.get(pk=pk)
            moved.started_on, moved.ended_on = started_on, ended_on
            assert cleans(moved) == expected
            try:
                with transaction.atomic():
                    Allocation.objects.filter(pk=pk).update(started_on=started_on, ended_on=ended_on)
                accepted = True
            except IntegrityError as error:
                assert is_overlap_refusal(error), str(error)
                accepted = False
            assert accepted == expected, f"move {pk} to {interval} among {rows}"
            if accepted:
                rows = [(p, interval if p == pk else i) for p, i in rows]
        transaction.set_rollback(True)
