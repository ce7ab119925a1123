"""England and Wales working days, and calendar weeks and months, for statutory clocks.

A working day is Monday to Friday, not an England and Wales bank holiday and, in the authority
calendar only, not one of the authority's local closure days. Bank holidays come from the
``holidays`` package (``country_holidays("GB", subdiv="ENG")``), amended by the national
overrides file (reference/calendar/national_overrides.toml: a one-off bank holiday proclaimed
after the package's release) which every calendar reads; nothing else keeps a list of them.

The convention is the project's reference one (shared/reference/kpi-catalogue.md, "Clock
conventions"; docs/working-days.md explains it with examples, ADR 0014):

* The clock-start day is day 0, and a clock that starts on a non-working day behaves as if it
  started on the next working day (which is then day 0).
* ``working_days_between(start, end)`` is ``numpy.busday_count(start, end)``: the working days d
  with start <= d < end. When end is before start it is minus the count the other way round, so
  ``working_days_between(a, b) == -working_days_between(b, a)``.
* ``add_working_days(start, n)`` is ``numpy.busday_offset(start, n, roll="forward")``: the due
  date of an n-working-day timescale. ``working_days_between(a, add_working_days(a, n)) == n``
  for every date a and every n.
* "Within N working days" means ``working_days_between(start, done) <= N``, which is the same as
  ``done <= add_working_days(start, N)``; done on the start day is 0, as in the DfE statistics'
  "same day" bin. (The DfE CIN validator counts the start day as day 1, which makes its
  deadlines one working day earlier.)

Scalar methods take ``datetime.date``; a ``datetime`` is refused, because the local date of a
timestamp depends on its time zone and the caller must choose it (``timezone.localdate``).
The ``*_array`` methods do the same arithmetic on numpy ``datetime64[D]`` arrays in one call.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import holidays
import numpy as np
import numpy.typing as npt
from dateutil.relativedelta import relativedelta

from grip.core.reference import read_reference, reference_file

DayArray = npt.NDArray[np.datetime64]
LOCAL_CLOSURE = "Local closure"
NATIONAL_OVERRIDES_FILE = reference_file("calendar/national_overrides.toml")


class CalendarDataError(ValueError):
    """The national overrides file says something the calendar cannot use."""


@dataclass(frozen=True)
class NationalOverrides:
    """Changes to the ``holidays`` package's England and Wales bank holidays, for every calendar:
    one-off holidays proclaimed after its release (``added``: date, name) and, rarely, a listed
    day that is no longer a holiday (``removed``: date, reason)."""

    added: tuple[tuple[date, str], ...] = ()
    removed: tuple[tuple[date, str], ...] = ()


def load_national_overrides(path: Path) -> NationalOverrides:
    """Read and check a national overrides file (format: reference/calendar/national_overrides.toml)."""
    raw = read_reference(path, error=CalendarDataError)
    unknown = sorted(set(raw) - {"added", "removed"})
    if unknown:
        raise CalendarDataError(f"{path}: unknown field(s) {', '.join(unknown)}; expected 'added' and 'removed'")
    lists: dict[str, tuple[tuple[date, str], ...]] = {}
    seen: set[date] = set()
    for kind in ("added", "removed"):
        entries = raw.get(kind, [])
        if not isinstance(entries, list):
            raise CalendarDataError(f"{path}: '{kind}' must be a list of entries")
        found = []
        for number, entry in enumerate(entries, start=1):
            here = f"{path}: {kind} entry {number}"
            if not isinstance(entry, dict) or set(entry) != {"date", "name", "source"}:
                raise CalendarDataError(f"{here}: expected exactly date, name and source")
            day = entry["date"]
            if isinstance(day, datetime) or not isinstance(day, date):
                raise CalendarDataError(f"{here}: 'date' must be a date such as 2030-05-06, got {day!r}")
            if day.weekday() >= 5:
                raise CalendarDataError(f"{here}: {day} is a {day:%A}, not a working day anyway")
            if day in seen:
                raise CalendarDataError(f"{here}: {day} is listed twice")
            for name in ("name", "source"):
                if not isinstance(entry[name], str) or not entry[name].strip():
                    raise CalendarDataError(f"{here}: '{name}' is required (the {name} of the holiday)")
            seen.add(day)
            found.append((day, entry["name"].strip()))
        lists[kind] = tuple(sorted(found))
    return NationalOverrides(added=lists["added"], removed=lists["removed"])


@cache
def national_overrides() -> NationalOverrides:
    """The shipped overrides file, read once per process."""
    return load_national_overrides(NATIONAL_OVERRIDES_FILE)


@cache
def _weekday_bank_holidays(first_year: int, last_year: int, overrides: NationalOverrides) -> dict[date, str]:
    """England and Wales bank holidays that fall on a weekday, with their names."""
    found = holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
    # The package also lists a holiday's own weekend date when a substitute weekday is given
    # (Christmas Day on Saturday 25 Dec 2021, observed Monday 27 Dec). gov.uk does not list
    # those dates and they are not working days anyway, so keep weekdays only.
    result = {day: name for day, name in sorted(found.items()) if day.weekday() < 5}
    for day, reason in overrides.removed:
        if first_year <= day.year <= last_year:
            if day not in result:
                raise CalendarDataError(
                    f"national overrides: {day} ({reason}) is to be removed but is not a bank holiday in the "
                    f"holidays package"
                )
            del result[day]
    for day, name in overrides.added:
        if first_year <= day.year <= last_year:
            result.setdefault(day, name)  # once the package lists it too, its own name stands
    return dict(sorted(result.items()))


def _require_date(value: object) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"expected a datetime.date, got {type(value).__name__}: {value!r}")
    return value


class WorkingDayCalendar:
    """Working days in England and Wales, optionally less an authority's own closure days.

    ``closures`` may be plain dates, or a mapping of date to reason (the reason then shows in
    ``holidays_in``). ``overrides`` defaults to the shipped national overrides file. Dates
    outside first_year..last_year are refused rather than silently treated as having no bank
    holidays.
    """

    def __init__(
        self,
        *,
        closures: Iterable[date] = (),
        first_year: int = 2000,
        last_year: int = 2045,
        overrides: NationalOverrides | None = None,
    ) -> None:
        if first_year > last_year:
            raise ValueError(f"first_year {first_year} is after last_year {last_year}")
        self.first_day = date(first_year, 1, 1)
        self.last_day = date(last_year, 12, 31)
        reasons: Mapping[date, str] = closures if isinstance(closures, Mapping) else dict.fromkeys(closures, "")
        self.closures = frozenset(_require_date(day) for day in reasons)
        overrides = national_overrides() if overrides is None else overrides
        self._non_working = dict(_weekday_bank_holidays(first_year, last_year, overrides))
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
        """The due date of an n-working-day timescale started on ``start``: day n, counting the
        start day (or, if it is not a working day, the next working day) as day 0. n < 0 counts
        back from day 0; n == 0 is day 0 itself."""
        self._check_in_range(start)
        result: date = self._offset(np.datetime64(start, "D"), operator.index(n)).item()
        self._check_in_range(result)
        return result

    def working_days_between(self, start: date, end: date) -> int:
        """Working days d with start <= d < end (``numpy.busday_count``); minus the count from
        end to start if end is before start."""
        self._check_in_range(start)
        self._check_in_range(end)
        return int(self._count(np.datetime64(start, "D"), np.datetime64(end, "D")))

    def first_working_day_from(self, d: date) -> date:
        """``d`` if it is a working day, else the next working day: day 0 of a clock started on ``d``."""
        return self.add_working_days(d, 0)

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        self._check_in_range(d)
        return self.add_working_days(d + timedelta(days=1), 0)

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
        result = np.asarray(self._offset(start_days, steps), dtype="datetime64[D]")
        self._check_array_in_range(result)
        return result

    def working_days_between_array(self, starts: Any, ends: Any) -> npt.NDArray[np.int64]:
        """``working_days_between`` element-wise (broadcasting). NaT is refused by numpy:
        drop rows with a missing date first."""
        return np.asarray(self._count(self._as_days(starts), self._as_days(ends)), dtype=np.int64)

    # Helpers -------------------------------------------------------------------------------

    def _offset(self, starts: Any, steps: Any) -> Any:
        # The reference convention's due date: a start on a non-working day first rolls forward
        # to the next working day (day 0), then moves n working days. The scalar and array
        # methods both come here, so they cannot disagree. NaT starts give NaT.
        return np.busday_offset(starts, steps, roll="forward", busdaycal=self._busdaycal)

    def _count(self, starts: Any, ends: Any) -> Any:
        # busday_count counts the half-open range [start, end): the reference convention's
        # elapsed working days. When end is before start numpy counts (end, start] instead
        # (Tue 23 -> Sat 20 Dec 2025 gives -2, Sat 20 -> Tue 23 gives +1), which would break
        # working_days_between(a, add_working_days(a, -n)) == -n for a weekend start; so always
        # count forwards, from the earlier day, and apply the sign.
        earlier, later = np.minimum(starts, ends), np.maximum(starts, ends)
        count = np.busday_count(earlier, later, busdaycal=self._busdaycal)
        return np.where(ends < starts, -count, count)

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
    """Bank holidays only (with the national overrides): the calendar of every statutory,
    guidance, standard and DfE-measure timescale, of the front door's decision clock, and of
    the DfE returns and national statistics. Local closure days never move these deadlines."""
    return WorkingDayCalendar()


@cache
def authority_calendar() -> WorkingDayCalendar:
    """Bank holidays (with the national overrides) plus the authority's LocalClosureDay rows:
    for the authority's own local-policy timescales only.

    Cached per process; saving or deleting a LocalClosureDay clears it (see connect_signals).
    QuerySet.update() and bulk_create() send no signals: call authority_calendar.cache_clear()
    after those. Other server processes keep their copy until they restart.
    """
    from grip.core.models import LocalClosureDay  # models are not loaded when this imports

    closures = dict(LocalClosureDay.objects.values_list("date", "reason"))
    return WorkingDayCalendar(closures=closures)


def forget_calendars() -> None:
    """Drop every cached calendar and the cached overrides file (after editing the file, or in tests)."""
    national_overrides.cache_clear()
    _weekday_bank_holidays.cache_clear()
    england_calendar.cache_clear()
    authority_calendar.cache_clear()


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
