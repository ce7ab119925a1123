"""Days lost to absence, counted in the authority's working days (grip.core.calendar: the one
definition of a working day), and per full-time equivalent.

The Children's social work workforce census counts absence as working days lost, and the sickness
absence rate as days lost over (FTE x working days in the year) (shared/reference/statutory-
framework.md, workforce measures). An absence's days lost in a period are its working days that fall
in the period, from its first day to its last (or to the period's end while it goes on).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from grip.core.calendar import WorkingDayCalendar, authority_calendar
from grip.workforce.models import Absence, Worker


def working_days_away(absence: Absence, *, start: date, end: date, cal: WorkingDayCalendar | None = None) -> int:
    """Working days of `absence` from `start` to `end`, both included."""
    cal = cal or authority_calendar()
    first = max(absence.started_on, start)
    last = min(absence.ended_on or end, end)
    if last < first:
        return 0
    return cal.working_days_between(first, last + timedelta(days=1))


def days_lost_per_fte(
    workers: Iterable[Worker], *, start: date, end: date, types: Iterable[str] | None = None
) -> Decimal | None:
    """Working days lost by `workers` from `start` to `end` (absences of `types`, every type if
    None), over their FTE: None when they have no FTE between them. Rounded to one decimal place,
    as the census publishes it."""
    workers = list(workers)
    fte = sum((w.fte for w in workers), Decimal("0"))
    if not fte:
        return None
    cal = authority_calendar()
    absences = Absence.objects.filter(worker__in=workers, started_on__lte=end).exclude(ended_on__lt=start)
    if types is not None:
        absences = absences.filter(absence_type__in=list(types))
    lost = sum(working_days_away(a, start=start, end=end, cal=cal) for a in absences)
    return (Decimal(lost) / fte).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
