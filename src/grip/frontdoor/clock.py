"""The front door's decision clock, from reference/frontdoor/decision_rules.toml.

A contact must be decided within one working day of receipt (WT2023 ch.3): by the same time on
the next working day after the day it arrived (a contact on Saturday at 10:00 is due on Monday at
10:00). Red/amber sub-targets count working hours (09:00-17:00 on working days) since receipt.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import cache
from pathlib import Path

from django.utils import timezone

from grip.core.calendar import WorkingDayCalendar, authority_calendar

RULES_FILE = Path(__file__).resolve().parent.parent / "reference" / "frontdoor" / "decision_rules.toml"


@dataclass(frozen=True)
class DecisionRules:
    working_days: int
    rag: dict[str, tuple[float, float]]  # urgency -> (amber after, red after) working hours
    day_starts: time
    day_ends: time
    sign_off_outcomes: frozenset[str]
    feedback_working_days: int


@cache
def decision_rules() -> DecisionRules:
    with open(RULES_FILE, "rb") as fh:
        raw = tomllib.load(fh)
    return DecisionRules(
        working_days=int(raw["decision"]["working_days"]),
        rag={
            k: (float(v["amber_after_working_hours"]), float(v["red_after_working_hours"]))
            for k, v in raw["rag"].items()
        },
        day_starts=time.fromisoformat(raw["working_hours"]["starts"]),
        day_ends=time.fromisoformat(raw["working_hours"]["ends"]),
        sign_off_outcomes=frozenset(raw["sign_off"]["outcomes"]),
        feedback_working_days=int(raw["feedback"]["working_days"]),
    )


def decision_due(received_at: datetime, *, cal: WorkingDayCalendar | None = None) -> datetime:
    cal = cal or authority_calendar()
    local = timezone.localtime(received_at)
    due_day = cal.add_working_days(local.date(), decision_rules().working_days)
    return timezone.make_aware(datetime.combine(due_day, local.time().replace(tzinfo=None)))


def working_hours_between(start: datetime, end: datetime, *, cal: WorkingDayCalendar | None = None) -> float:
    """Hours of the working day (09:00-17:00 on working days, by default) between two moments."""
    if end <= start:
        return 0.0
    cal = cal or authority_calendar()
    rules = decision_rules()
    start, end = timezone.localtime(start), timezone.localtime(end)
    total = 0.0
    day = start.date()
    while day <= end.date():
        if cal.is_working_day(day):
            opens = timezone.make_aware(datetime.combine(day, rules.day_starts))
            closes = timezone.make_aware(datetime.combine(day, rules.day_ends))
            overlap = min(closes, end) - max(opens, start)
            total += max(0.0, overlap.total_seconds() / 3600)
        day += timedelta(days=1)
    return total


def rag_status(*, received_at: datetime, urgency: str, now: datetime, cal: WorkingDayCalendar | None = None) -> str:
    """ "red", "amber" or "green" for an undecided contact; "red" too once the decision is overdue."""
    if now > decision_due(received_at, cal=cal):
        return "red"
    amber, red = decision_rules().rag.get(urgency or "ROUTINE", decision_rules().rag["ROUTINE"])
    hours = working_hours_between(received_at, now, cal=cal)
    return "red" if hours >= red else "amber" if hours >= amber else "green"
