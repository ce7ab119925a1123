"""When a rule's clock does not run: before an unborn child is born, and while a worker is on
long-term absence.

* `from_birth = true` (visit rules): a child cannot be seen before birth. An unborn child's clock
  starts on the day of birth (day 0), so nothing is due before it and no visit before it counts;
  a child not born as at `on` has no obligation yet.
* `paused_while = "long_term_absence"` (supervision rules): the outstanding obligations of a worker
  on long-term absence as at `on` are not listed. What counts as long-term is local policy, in
  reference/workforce/long_term_absence.toml.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import numpy as np
from django.apps import apps
from django.db.models import Q

from grip.core.calendar import WorkingDayCalendar, add_months, add_weeks
from grip.core.codelists import codes
from grip.core.reference import read_reference, reference_file

from .events import Frame, Scope
from .rules import UNITS, Interval, RulesFileError
from .schedule import Occurrences

ABSENCE_FILE = reference_file("workforce/long_term_absence.toml")


# --- Unborn children --------------------------------------------------------------------------------


def from_birth(clocks: Frame, on: np.datetime64) -> Frame:
    """The clocks of children born by `on`, each starting no earlier than the day of birth."""
    assert clocks.birth is not None  # checked on load: the start event has a date of birth
    born = ~np.isnat(clocks.birth) & (clocks.birth <= on)
    clocks = clocks.take(np.flatnonzero(born))
    clocks.day = np.maximum(clocks.day, clocks.birth)
    return clocks


# --- Long-term absence ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LongTermAbsence:
    after: Interval
    counted: frozenset[str]
    from_the_start: frozenset[str]

    def started(self, first_day: date, cal: WorkingDayCalendar) -> date:
        """The day an absence of a counted type that began on `first_day` becomes long-term."""
        amount, unit = self.after.amount, self.after.unit
        if unit == "working_days":
            return cal.add_working_days(first_day, amount)
        if unit == "weeks":
            return add_weeks(first_day, amount)
        if unit == "months":
            return add_months(first_day, amount)
        return first_day + timedelta(days=amount)


@cache
def long_term_absence() -> LongTermAbsence:
    return load_long_term_absence(ABSENCE_FILE)


def load_long_term_absence(path: Path) -> LongTermAbsence:
    here = f"{path.name}"
    raw = read_reference(path, error=RulesFileError)
    unknown = set(raw) - {"after", "counted", "from_the_start"}
    if unknown:
        raise RulesFileError(f"{here}: unknown field(s) {', '.join(sorted(unknown))}")
    after = raw.get("after")
    if not isinstance(after, dict) or not isinstance(after.get("amount"), int) or after["amount"] <= 0:
        raise RulesFileError(f"{here}: field 'after': expected {{ amount = <whole number above 0>, unit = ... }}")
    if after.get("unit") not in UNITS or after["unit"] == "hours":
        raise RulesFileError(f"{here}: field 'after.unit': expected one of {', '.join(UNITS[:-1])}")
    known = set(codes("absence_type"))
    lists = {}
    for name in ("counted", "from_the_start"):
        values = raw.get(name, [])
        bad = [v for v in values if v not in known] if isinstance(values, list) else [values]
        if bad:
            raise RulesFileError(f"{here}: field '{name}': not a code of absence_type: {', '.join(map(repr, bad))}")
        lists[name] = frozenset(values)
    return LongTermAbsence(Interval(after["amount"], after["unit"]), lists["counted"], lists["from_the_start"])


def workers_on_long_term_absence(scope: Scope, cal: WorkingDayCalendar) -> np.ndarray:
    """Workers whose absence recorded by the end of `on` makes them on long-term absence on `on`."""
    policy = long_term_absence()
    absence = apps.get_model("workforce", "Absence")
    rows = absence.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=scope.on),
        started_on__lte=scope.on,
        recorded_at__lt=scope.end_of_on,
        absence_type__in=sorted(policy.counted | policy.from_the_start),
    )
    if scope.workers is not None:
        rows = rows.filter(worker_id__ids_in=scope.workers)
    away = {
        worker
        for worker, kind, first_day in rows.values_list("worker_id", "absence_type", "started_on")
        if kind in policy.from_the_start or policy.started(first_day, cal) <= scope.on
    }
    return np.fromiter(away, dtype=np.int64, count=len(away))


def drop_paused(occ: Occurrences, clocks: Frame, paused_owners: np.ndarray) -> Occurrences:
    """`occ` without the outstanding occurrences of paused owners (met ones stay listed)."""
    outstanding = np.isnat(occ.met)
    paused = np.isin(clocks.owner[occ.instance], paused_owners)
    return occ.take(np.flatnonzero(~(outstanding & paused)))
