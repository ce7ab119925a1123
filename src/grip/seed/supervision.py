"""Supervision sessions of the social workers, each with their manager, while they are in post.

The LGA employer standards (Standard 5) and the ASYE framework set the rhythm: a newly qualified
worker weekly for 6 weeks and fortnightly to 6 months, then everyone at least monthly. Sessions
slip, a few are cancelled and never rearranged, and none is held while the worker is off sick.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from grip.core.calendar import WorkingDayCalendar, add_months
from grip.seed.organisation import Organisation
from grip.seed.parameters import Parameters
from grip.seed.rows import RowStore, as_datetime

ROW_FIELDS = ("id", "role", "manager_id", "started_on", "left_on")


def add_supervisions(
    *,
    store: RowStore,
    params: Parameters,
    rng: random.Random,
    cal: WorkingDayCalendar,
    org: Organisation,
    keep_from: date,
    end: date,
) -> None:
    wf = params.section("workforce")
    roles = set(wf["supervised_roles"])
    late = params.rate("workforce", "supervision_late_share")
    missed = params.rate("workforce", "supervision_missed_share")
    delay = params.durations["recording_delay_days"]
    last_moment = as_datetime(end, 23 * 60 + 59)
    columns = [store.column("workforce.Worker", name) for name in ROW_FIELDS]
    for worker, role, manager, started, left in zip(*columns, strict=True):
        if role not in roles or (left is not None and left < keep_from):
            continue
        weekly_until = started + timedelta(weeks=wf["asye_weekly_supervision_weeks"])
        fortnightly_until = add_months(started, wf["asye_fortnightly_supervision_months"])
        # A worker who began as ASYE is a social worker now if their first year is over (role
        # "SW"), but had the ASYE rhythm of supervision in their first six months.
        asye = (role == "ASYE" or worker in org.asye_started) and fortnightly_until > keep_from
        if asye:
            held = started + timedelta(days=rng.randint(1, 7))
        else:  # start the monthly rhythm where the kept window opens, at any point in the month
            held = max(started + timedelta(days=rng.randint(7, 30)), keep_from + timedelta(days=rng.randint(0, 30)))
        stop = min(left or end, end)
        absences = org.absences.get(worker, [])
        while True:
            held = _after_absences(cal, held, absences)
            if held is None or held > stop or (left is not None and held >= left):
                break
            if held >= keep_from and rng.random() >= missed:
                recorded = as_datetime(held + timedelta(days=delay.draw(rng)), 12 * 60 + rng.randint(0, 300))
                store.add(
                    "workforce.Supervision",
                    worker_id=worker,
                    supervisor_id=manager,
                    held_on=held,
                    recorded_at=min(recorded, last_moment),
                )
            if asye and held < weekly_until:
                due, slip, behind = held + timedelta(days=7), 1, 4
            elif asye and held < fortnightly_until:
                due, slip, behind = held + timedelta(days=14), 2, 7
            else:
                due, slip, behind = add_months(held, wf["supervision_months"]), 5, 21
            if rng.random() < late:
                held = due + timedelta(days=rng.randint(1, behind))
            else:
                held = due - timedelta(days=rng.randint(0, slip))


def _after_absences(cal: WorkingDayCalendar, day: date, absences: list[tuple[date, date | None]]) -> date | None:
    """`day`, or the first working day after any absence it falls in; None if the absence never ends."""
    while True:  # a session moved past one absence can land in the next; each move is past an end
        day = day if cal.is_working_day(day) else cal.next_working_day(day)
        spell = next(((s, e) for s, e in absences if s <= day and (e is None or day <= e)), None)
        if spell is None:
            return day
        if spell[1] is None:
            return None
        day = spell[1] + timedelta(days=1)
