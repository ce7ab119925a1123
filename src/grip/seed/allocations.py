"""Who held each child's case: lead allocations drawn from the periods a team should hold it.

Real-data defects are drawn in on purpose: a case waits a while for a new team to allocate it,
a few open cases have nobody, and a few stay with a worker who has left.
"""

from __future__ import annotations

import bisect
import random
from datetime import date, timedelta

from grip.seed.families import ChildState
from grip.seed.organisation import Organisation
from grip.seed.parameters import Parameters, QuantileTable
from grip.seed.rows import Pending, RowStore, as_datetime


def draw_allocations(
    *,
    store: RowStore,
    params: Parameters,
    rng: random.Random,
    org: Organisation,
    children: dict[int, ChildState],
    end: date,
    keep_from: date,
) -> dict[int, list[tuple[date, date | None, int]]]:
    """Add Allocation rows; returns, for each child, (start, end, worker) of each lead allocation."""
    wf = params.section("workforce")
    held: dict[int, list[tuple[date, date | None, int]]] = {}
    for child in children.values():
        segments = sorted((s, e, f) for f, s, e in child.segments if s <= end)
        cursor: date | None = None
        for seg_start, seg_end, function in segments:
            if seg_end is not None and seg_end < keep_from:
                continue
            start = seg_start if cursor is None else max(seg_start, cursor)
            if start > end:
                break
            if rng.random() > 0.9:
                start += timedelta(days=rng.randint(1, 30))  # awaiting allocation after a transfer
            stop = seg_end if seg_end <= end else None
            if stop is not None and start >= stop:
                continue
            if start > end:
                continue
            cursor = stop if stop is not None else date.max
            if stop is None and rng.random() < wf["unallocated_share"]:
                # An open case nobody holds now: held until a few weeks ago (its worker moved on and
                # nobody has taken it yet), unless it opened since.
                stop = end - timedelta(days=rng.randint(1, wf["unallocated_max_days"]))
                if stop <= start:
                    continue
            team = org.pick_team(rng, function)
            _allocate(store, rng, org, held, child.pk, team, start, stop, wf["stale_allocation_after_leaving"], end)
    return held


def _allocate(
    store: RowStore,
    rng: random.Random,
    org: Organisation,
    held: dict,
    child: int,
    team,
    start: date,
    stop: date | None,
    stale_share: float,
    end: date,
) -> None:
    while True:
        worker = team.pick_case_holder(rng, start)
        if worker is None:
            # Opened before anyone now on the team's records joined: held from when one did.
            later = team.first_case_holder_after(rng, start, stop)
            if later is None:
                return
            worker, start = later
        left = org.worker_left.get(worker)
        stays_after_leaving = left is not None and rng.random() < stale_share
        if left is not None and (stop is None or left < stop) and not stays_after_leaving:
            if left <= start:
                return
            _add(store, held, child, worker, team.team_id, start, left, "Worker left")
            start = left
            continue
        _add(store, held, child, worker, team.team_id, start, stop, "")
        return


def _add(
    store: RowStore, held: dict, child: int, worker: int, team: int, start: date, stop: date | None, note: str
) -> None:
    store.add(
        "allocation.Allocation",
        child_id=child,
        worker_id=worker,
        team_id=team,
        role="lead",
        started_on=start,
        ended_on=stop,
        note=note,
        recorded_at=as_datetime(start, 10 * 60),
    )
    held.setdefault(child, []).append((start, stop, worker))


def add_visits(
    *,
    store: RowStore,
    pending: list[Pending],
    held: dict[int, list[tuple[date, date | None, int]]],
    rng: random.Random,
    recording_delay: QuantileTable,
    end: date,
    org: Organisation,
) -> None:
    """Visits are made by whoever held the case that day. A visit due while nobody held the case,
    or while its worker had left or was off sick, is not made: the chase lists show it missed."""
    entered_by = as_datetime(end, 23 * 60 + 59)  # nothing is entered after the simulation ends
    starts = {child: [s for s, _e, _w in spans] for child, spans in held.items()}
    for visit in sorted(pending, key=lambda v: (v.on, v.child)):
        worker = None
        spans = held.get(visit.child)
        if spans:
            i = bisect.bisect_right(starts[visit.child], visit.on) - 1
            if i >= 0:
                s, e, w = spans[i]
                if e is None or visit.on < e:
                    worker = w
        if worker is None or not _available(org, worker, visit.on):
            continue
        store.add(
            "cases.Visit",
            child_id=visit.child,
            visit_type=visit.visit_type,
            visited_on=visit.on,
            worker_id=worker,
            child_seen=visit.child_seen,
            seen_alone=visit.seen_alone,
            recorded_at=min(as_datetime(visit.on + timedelta(days=recording_delay.draw(rng)), 16 * 60), entered_by),
        )


def _available(org: Organisation, worker: int, on: date) -> bool:
    """In post and not off sick on `on`."""
    left = org.worker_left.get(worker)
    if left is not None and on >= left:
        return False
    return not any(s <= on and (e is None or on <= e) for s, e in org.absences.get(worker, ()))
