"""England and Wales working days, and calendar weeks and months, for statutory clocks.

A working day is Monday to Friday, not an England and Wales bank holiday and not one of the
authority's local closure days. Bank holidays come from the ``holidays`` package
(``country_holidays("GB", subdiv="ENG")``); nothing here keeps its own list of them.

The convention, used everywhere in Grip (docs/working-days.md explains it with examples):

* The clock-start day is day 0. ``add_working_days(start, n)`` is the n-th working day after
  the start day. If the start day is not a working day it is still day 0, and the first
  working day after it is day 1.
* ``working_days_between(a, b)`` counts the working days d with a < d <= b, and is negative
  when b is before a. So ``working_days_between(a, add_working_days(a, n)) == n`` for n >= 0.
* "Within 45 working days" means ``working_days_between(start, done) <= 45``; done on the
  start day is 0, as in the DfE statistics' "same day" bin. (The DfE CIN validator counts the
  start day as day 1, which makes its deadlines one working day earlier.)

Scalar methods take ``datetime.date``; a ``datetime`` is refused, because the local date of a
timestamp depends on its time zone and the caller must choose it (``timezone.localdate``).
The ``*_array`` methods do the same arithmetic on numpy ``datetime64[D]`` arrays in one call.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

import holidays
import numpy as np
import numpy.typing as npt
from dateutil.relativedelta import relativedelta

DayArray = npt.NDArray[np.datetime64]
LOCAL_CLOSURE = "Local closure"
ONE_DAY = np.timedelta64(1, "D")


@cache
def _weekday_bank_holidays(first_year: int, last_year: int) -> dict[date, str]:
    """England and Wales bank holidays that fall on a weekday, with their names."""
    found = holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
    # The package also lists a holiday's own weekend date when a substitute weekday is given
    # (Christmas Day on Saturday 25 Dec 2021, observed Monday 27 Dec). gov.uk does not list
    # those dates and they are not working days anyway, so keep weekdays only.
    return {day: name for day, name in sorted(found.items()) if day.weekday() < 5}


def _require_date(value: object) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"expected a datetime.date, got {type(value).__name__}: {value!r}")
    return value


class WorkingDayCalendar:
    """Working days in England and Wales, optionally less an authority's own closure days.

    ``closures`` may be plain dates, or a mapping of date to reason (the reason then shows in
    ``holidays_in``). Dates outside first_year..last_year are refused rather than silently
    treated as having no bank holidays.
    """

    def __init__(self, *, closures: Iterable[date] = (), first_year: int = 2000, last_year: int = 2045) -> None:
        if first_year > last_year:
            raise ValueError(f"first_year {first_year} is after last_year {last_year}")
        self.first_day = date(first_year, 1, 1)
        self.last_day = date(last_year, 12, 31)
        reasons: Mapping[date, str] = closures if isinstance(closures, Mapping) else dict.fromkeys(closures, "")
        self.closures = frozenset(_require_date(day) for day in reasons)
        self._non_working = dict(_weekday_bank_holidays(first_year, last_year))
        for day, reason in sorted(reasons.items()):
            # A closure on a weekend changes nothing; on a bank holiday the bank holiday's
            # name is kept, since that is why the day is off for everyone else too.
            if day.weekday() < 5 and day not in self._non_working:
                self._non_working[day] = f"{LOCAL_CLOSURE}: {reason}" if reason else LOCAL_CLOSURE
        self._busdaycal = np.busdaycalendar(
            weekmask="1111100", holidays=np.array(sorted(self._non_working), dtype="datetime64[D]")
        )
        self._first = np.datetime64(self.first_day, "D")
        self._last = np.datetime64(self.last_day, "D")

    def __repr__(self) -> str:
        return (
            f"WorkingDayCalendar({self.first_day.year}-{self.last_day.year}, {len(self.closures)} local closure days)"
        )

    # Scalar API -----------------------------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        self._check_in_range(d)
        return d.weekday() < 5 and d not in self._non_working

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (day 0); n < 0 counts back from it."""
        self._check_in_range(start)
        n = operator.index(n)
        if n == 0:
            return start
        result: date = np.busday_offset(
            np.datetime64(start, "D"), n, roll=self._roll(n), busdaycal=self._busdaycal
        ).item()
        self._check_in_range(result)
        return result

    def working_days_between(self, start: date, end: date) -> int:
        """Working days d with start < d <= end; negative if end is before start."""
        self._check_in_range(start)
        self._check_in_range(end)
        return int(self._count(np.datetime64(start, "D"), np.datetime64(end, "D")))

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d`` (day 1 of a clock started on ``d``)."""
        return self.add_working_days(d, 1)

    def holidays_in(self, year: int) -> dict[date, str]:
        """Weekdays in ``year`` that are not working days, with the bank holiday's name or
        the local closure label, in date order."""
        if not self.first_day.year <= year <= self.last_day.year:
            raise ValueError(f"{year} is outside this calendar's years {self!r}")
        return {day: name for day, name in sorted(self._non_working.items()) if day.year == year}

    # Array API: the same arithmetic over whole columns of dates -------------------------------

    def add_working_days_array(self, starts: Any, n: int | npt.ArrayLike) -> DayArray:
        """``add_working_days`` element-wise. ``n`` is an int or an integer array that
        broadcasts against ``starts``. NaT starts give NaT."""
        start_days = self._as_days(starts)
        steps = np.asarray(n)
        if not np.issubdtype(steps.dtype, np.integer):
            raise TypeError(f"n must be an integer or integer array, got dtype {steps.dtype}")
        start_days, steps = np.broadcast_arrays(start_days, steps)
        result = start_days.copy()  # n == 0 leaves the start day as it is
        for chosen, roll in ((steps > 0, "backward"), (steps < 0, "forward")):
            if chosen.any():
                result[chosen] = np.busday_offset(
                    start_days[chosen], steps[chosen], roll=roll, busdaycal=self._busdaycal
                )
        self._check_array_in_range(result)
        return result

    def working_days_between_array(self, starts: Any, ends: Any) -> npt.NDArray[np.int64]:
        """``working_days_between`` element-wise (broadcasting). NaT is refused by numpy:
        drop rows with a missing date first."""
        return np.asarray(self._count(self._as_days(starts), self._as_days(ends)), dtype=np.int64)

    # Helpers -------------------------------------------------------------------------------

    def _count(self, starts: Any, ends: Any) -> Any:
        # busday_count counts the half-open range [begin, end); shifting both ends by a day
        # turns that into (start, end], which is what makes the start day day 0. When end is
        # before begin numpy does not simply negate that count (Tue 23 -> Sat 20 Dec 2025
        # gives -2, but Sat 20 -> Tue 23 gives +1), so always count forwards and apply the sign.
        earlier, later = np.minimum(starts, ends), np.maximum(starts, ends)
        count = np.busday_count(earlier + ONE_DAY, later + ONE_DAY, busdaycal=self._busdaycal)
        return np.where(ends < starts, -count, count)

    @staticmethod
    def _roll(n: int) -> str:
        # A start on a non-working day first moves to a working day. Counting forward it moves
        # back, so that the first working day after it is day 1 (rolling forward would make
        # the following Monday day 0 and everything one day late). Counting back it moves
        # forward, so that the last working day before it is day -1.
        return "backward" if n > 0 else "forward"

    def _check_in_range(self, d: date) -> None:
        if not self.first_day <= _require_date(d) <= self.last_day:
            raise ValueError(f"{d} is outside this calendar's range {self!r}")

    def _as_days(self, values: Any) -> DayArray:
        days = np.asarray(values, dtype="datetime64[D]")
        self._check_array_in_range(days)
        return days

    def _check_array_in_range(self, days: DayArray) -> None:
        # Comparisons with NaT are False, so missing dates pass through this check.
        if np.any((days < self._first) | (days > self._last)):
            raise ValueError(f"some dates are outside this calendar's range {self!r}")


# Calendar units: weeks and months are not working days -----------------------------------------


def add_months(d: date, n: int) -> date:
    """Calendar months; a day missing from the target month clamps to its last day
    (31 Jan + 1 month = 28 Feb, or 29 Feb in a leap year)."""
    return _require_date(d) + relativedelta(months=operator.index(n))


def add_weeks(d: date, n: int) -> date:
    """Calendar weeks of seven days, whatever the holidays."""
    return _require_date(d) + timedelta(weeks=operator.index(n))


# Shared calendars -----------------------------------------------------------------------------


@cache
def england_calendar() -> WorkingDayCalendar:
    """Bank holidays only: the calendar the DfE returns and national statistics use."""
    return WorkingDayCalendar()


@cache
def authority_calendar() -> WorkingDayCalendar:
    """Bank holidays plus the authority's LocalClosureDay rows.

    Cached per process; saving or deleting a LocalClosureDay clears it (see connect_signals).
    QuerySet.update() and bulk_create() send no signals: call authority_calendar.cache_clear()
    after those. Other server processes keep their copy until they restart.
    """
    from grip.core.models import LocalClosureDay  # models are not loaded when this imports

    closures = dict(LocalClosureDay.objects.values_list("date", "reason"))
    return WorkingDayCalendar(closures=closures)


def _forget_authority_calendar(*, using: str = "default", **_: object) -> None:
    authority_calendar.cache_clear()
    # Clear again once the change commits: a request that rebuilt the calendar from the old
    # rows before the commit would otherwise leave it cached.
    from django.db import transaction

    transaction.on_commit(authority_calendar.cache_clear, using=using)


def connect_signals() -> None:
    """Called from CoreConfig.ready()."""
    from django.db.models.signals import post_delete, post_save

    from grip.core.models import LocalClosureDay

    for signal, uid in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(
            _forget_authority_calendar,
            sender=LocalClosureDay,
            dispatch_uid=f"grip.core.calendar.closure_{uid}",
        )
