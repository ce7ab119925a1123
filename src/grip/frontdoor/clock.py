"""The front door's decision clock.

A contact must be decided within one working day of receipt (WT2023 ch.3). The timescale is the
`contact_decision` rule of reference/timescales/rules.toml, counted as every working-day rule is
(docs/working-days.md; ADR 0014): the local (Europe/London) date of receipt is day 0, or the next
working day if it is not one; the decision is due by the END of working day 1 after it, and is
overdue once that day has ended undecided. A contact on Friday at 16:59 is due by the end of
Monday; one on Saturday by the end of Tuesday (Monday is day 0). The England calendar is used:
a local closure day does not stretch it.

`decision_due_on` is the one computation of the due day: the queue, the contact page, the
dashboard's figures and (through the same rule and grip.timescales.deadlines.first_due) the
timescale engine and the chase lists all come to it, so they show the same due time and status.

The red/amber sub-targets (reference/frontdoor/decision_rules.toml, local policy) count working
hours (09:00-17:00 on working days) since receipt. They are checked on load never to be later
than one working day of hours, so a contact turns red no later than its decision falls due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache

from django.utils import timezone

from grip.core.calendar import WorkingDayCalendar, england_calendar
from grip.core.reference import read_reference, reference_file
from grip.timescales.deadlines import end_of_day, first_due
from grip.timescales.rules import Rule, rule_book

RULES_FILE = reference_file("frontdoor/decision_rules.toml")
DECISION_RULE = "contact_decision"


class DecisionRulesError(ValueError):
    """The decision rules file says something that contradicts the decision clock."""


@dataclass(frozen=True)
class DecisionRules:
    rag: dict[str, tuple[float, float]]  # urgency -> (amber after, red after) working hours
    day_starts: time
    day_ends: time
    sign_off_outcomes: frozenset[str]
    feedback_working_days: int

    @property
    def working_days(self) -> int:
        """Working days allowed for a decision: the timescale rule's (rules.toml, contact_decision)."""
        return decision_rule().first.amount


@cache
def decision_rules() -> DecisionRules:
    raw = read_reference(RULES_FILE, error=DecisionRulesError)
    rules = DecisionRules(
        rag={
            k: (float(v["amber_after_working_hours"]), float(v["red_after_working_hours"]))
            for k, v in raw["rag"].items()
        },
        day_starts=time.fromisoformat(raw["working_hours"]["starts"]),
        day_ends=time.fromisoformat(raw["working_hours"]["ends"]),
        sign_off_outcomes=frozenset(raw["sign_off"]["outcomes"]),
        feedback_working_days=int(raw["feedback"]["working_days"]),
    )
    day_hours = (datetime.combine(date.min, rules.day_ends) - datetime.combine(date.min, rules.day_starts)) / (
        timedelta(hours=1)
    )
    for urgency, (amber, red) in rules.rag.items():
        # The decision is due by the end of working day 1 after day 0, so a whole working day's
        # hours always pass before it is due: a red sub-target within them turns red in time.
        if not 0 <= amber <= red <= day_hours:
            raise DecisionRulesError(
                f"{RULES_FILE.name}: [rag.{urgency}]: expected 0 <= amber ({amber:g}) <= red ({red:g}) <= "
                f"{day_hours:g} working hours, so that a contact turns red no later than its decision is due"
            )
    return rules


def decision_rule() -> Rule:
    """The contact_decision rule of the timescale rules file (amount and unit in working days)."""
    rule = rule_book().get(DECISION_RULE)
    if rule.first.unit != "working_days" or rule.calendar != "england":
        raise DecisionRulesError(f"rule '{DECISION_RULE}' must count working days on the England calendar")
    return rule


def decision_due_on(received_on: date) -> date:
    """The working day by the end of which a contact received (local date) on `received_on` must
    be decided."""
    return first_due(decision_rule(), received_on)


def decision_due_day(received_at: datetime) -> date:
    """The due day of a contact received at `received_at`, from its Europe/London date."""
    return decision_due_on(timezone.localdate(received_at))


def decision_due(received_at: datetime) -> datetime:
    """The moment the decision becomes overdue: the end of the due day, Europe/London time.
    Decided before this moment is in time; undecided at or after it is overdue."""
    return end_of_day(decision_due_day(received_at))


def decision_overdue(received_at: datetime, *, now: datetime) -> bool:
    return now >= decision_due(received_at)


def working_hours_between(start: datetime, end: datetime, *, cal: WorkingDayCalendar | None = None) -> float:
    """Hours of the working day (09:00-17:00 on working days, by default) between two moments."""
    if end <= start:
        return 0.0
    cal = cal or england_calendar()
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
    if decision_overdue(received_at, now=now):
        return "red"
    amber, red = decision_rules().rag.get(urgency or "ROUTINE", decision_rules().rag["ROUTINE"])
    hours = working_hours_between(received_at, now, cal=cal)
    return "red" if hours >= red else "amber" if hours >= amber else "green"
