"""A rule's calendar and first deadline, for the engine and for any page that shows one clock.

The engine (grip.timescales.schedule) computes every deadline with `add_interval` on the rule's
calendar (`calendar_for`). A page that shows a single clock (the front door's decision on a
contact) calls `first_due` here, which is the same function on the same calendar, so the page
and the chase list cannot disagree about a due date.

A deadline in days is met by anything done by the end of the due day, Europe/London time; it
is overdue once that day has ended (`end_of_day`), which is what the engine's statuses say for
a date `on` (overdue when `on` is after the due day).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import numpy as np
from django.utils import timezone

from grip.core.calendar import WorkingDayCalendar, authority_calendar, england_calendar

from .rules import Rule
from .schedule import add_interval


def calendar_for(rule: Rule) -> WorkingDayCalendar:
    """The England calendar (bank holidays, with the national overrides) for every national rule;
    the authority's calendar (also its local closure days) only for a local rule that uses it."""
    return authority_calendar() if rule.calendar == "authority" else england_calendar()


def first_due(rule: Rule, start: date) -> date:
    """The rule's first deadline for a clock started on `start` (a local date)."""
    if isinstance(start, datetime) or not isinstance(start, date):
        raise TypeError(f"start must be a date (the local date of the start), got {start!r}")
    if rule.first.unit == "hours":
        raise ValueError(f"rule '{rule.key}' counts hours from a timestamp, not days from a date")
    days = np.array([start], dtype="datetime64[D]")
    return add_interval(days, np.array([rule.first.amount]), rule.first.unit, calendar_for(rule))[0].item()


def end_of_day(day: date) -> datetime:
    """The moment `day` ends in Europe/London (midnight at the start of the next day): a deadline
    due on `day` is overdue from this moment."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
