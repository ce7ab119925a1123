"""Dates, moments and lengths of time as people read them, in GOV.UK style: "19 December 2025",
"3 Mar 2026", "27 March 2026 at 14:30", "1 day 3 hours". No leading zeros, the month in words.

The one place these are written: services and selectors build sentences with them, and the Jinja
environment (grip.web.jinja) registers them as filters, so templates write ``{{ day | long_date }}``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone


def long_date(day: date) -> str:
    """19 December 2025 (a datetime is shown as it is, without converting it to local time)."""
    return f"{day.day} {day:%B %Y}"


def short_date(day: date) -> str:
    """3 Mar 2026: for tables, where the month in full takes too much room."""
    return f"{day.day} {day:%b %Y}"


def when(moment: datetime | None) -> str:
    """A moment as people read it, in the authority's time: "27 March 2026 at 14:30"; "" for none."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{long_date(local)} at {local:%H:%M}"


def duration(span: timedelta) -> str:
    """A length of time in words, to the minute: "1 day 3 hours", "2 hours 5 minutes", "40 minutes"."""
    minutes = int(abs(span).total_seconds() // 60)
    days, hours, minutes = minutes // 1440, minutes // 60 % 24, minutes % 60
    parts = [(days, "day"), (hours, "hour")] + ([(minutes, "minute")] if not days else [])
    words = [f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in parts if n]
    return " ".join(words) or "less than a minute"
