"""Reading records as numpy columns: one query per kind of record, dates as day numbers.

Dates come out of the database as days since 1970-01-01 (an integer the database computes), so a
few hundred thousand rows become a ``datetime64[D]`` column without a Python date object each.
Timestamps come out as seconds since 1970 UTC, and their local dates are worked out per distinct
hour.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connections
from django.db.models import BigIntegerField, Func, IntegerField, QuerySet
from django.utils import timezone

DayArray = npt.NDArray[np.datetime64]
NAT = np.datetime64("NaT", "D")
NOT_A_TIME = np.iinfo(np.int64).min  # a missing timestamp, in seconds


class EpochDays(Func):
    """A date column as whole days since 1970-01-01 (NULL stays NULL)."""

    output_field = IntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # julianday('1970-01-01') is 2440587.5; a date's julian day is always n + .5.
        template = "CAST(julianday(%(expressions)s) - 2440587.5 AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="(%(expressions)s - DATE '1970-01-01')", **extra)


class EpochSeconds(Func):
    """A timestamp column as whole seconds since 1970-01-01 UTC (NULL stays NULL)."""

    output_field = BigIntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # Django keeps timestamps in SQLite as UTC text; strftime's format goes in as a parameter.
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST(strftime(%s, {sql}) AS INTEGER)", ["%s", *params]

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST(FLOOR(EXTRACT(EPOCH FROM {sql})) AS BIGINT)", params


@dataclass(frozen=True)
class Columns:
    """What to read, each a mapping of column name -> ORM path: `ints` (ids, NULL as -1), `days`
    (date paths, as datetime64[D], NULL as NaT), `values` (codes as a string array, flags as a
    bool array) and `times` (timestamp paths, as int64 seconds since 1970 UTC, NULL as
    NOT_A_TIME)."""

    ints: Mapping[str, str] = field(default_factory=dict)
    days: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, str] = field(default_factory=dict)
    times: Mapping[str, str] = field(default_factory=dict)


def columns_sql(queryset: QuerySet[Any], columns: Columns) -> tuple[str, list[Any]]:
    """The SQL and parameters that read `columns` of `queryset`."""
    annotations: dict[str, Any] = {f"_d_{name}": EpochDays(path) for name, path in columns.days.items()}
    annotations |= {f"_t_{name}": EpochSeconds(path) for name, path in columns.times.items()}
    paths = [
        *columns.ints.values(),
        *(f"_d_{n}" for n in columns.days),
        *columns.values.values(),
        *(f"_t_{n}" for n in columns.times),
    ]
    sql, params = queryset.annotate(**annotations).values_list(*paths).query.sql_with_params()
    return sql, list(params)


def read_columns(sql: str, params: Sequence[Any], columns: Columns, *, using: str) -> dict[str, np.ndarray]:
    """Run `sql` on a plain cursor (the values need none of Django's per-row conversions) and
    return `columns` as numpy arrays."""
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    width = len(columns.ints) + len(columns.days) + len(columns.values) + len(columns.times)
    found: list[Sequence[Any]] = list(zip(*rows, strict=True)) if rows else [() for _ in range(width)]
    out: dict[str, np.ndarray] = {}
    i = 0
    for name in columns.ints:
        out[name] = np.array([-1 if v is None else v for v in found[i]], dtype=np.int64)
        i += 1
    for name in columns.days:
        out[name] = _days(found[i])
        i += 1
    for name in columns.values:
        out[name] = _codes(found[i])
        i += 1
    for name in columns.times:
        out[name] = np.array([NOT_A_TIME if v is None else v for v in found[i]], dtype=np.int64)
        i += 1
    return out


def _codes(column: Sequence[Any]) -> np.ndarray:
    """Codes as a numpy string array ("" for NULL), flags as a bool array (0/1 from SQLite)."""
    if any(isinstance(v, bool | int) for v in column[:1]):
        return np.array([bool(v) for v in column], dtype=bool)
    return np.array(["" if v is None else v for v in column], dtype=str)


def _days(column: Sequence[int | None]) -> DayArray:
    # NaT is the smallest int64, so a missing day maps straight onto it.
    nat = np.iinfo(np.int64).min
    return np.array([nat if v is None else v for v in column], dtype=np.int64).astype("datetime64[D]")


def local_days(seconds: npt.NDArray[np.int64]) -> DayArray:
    """The local date (TIME_ZONE) of each moment, given as seconds since 1970 UTC.

    Offsets from UTC change on the hour, so each distinct hour is looked up once."""
    days = np.full(len(seconds), NAT, dtype="datetime64[D]")
    known = seconds != NOT_A_TIME
    if known.any():
        hours, which = np.unique(seconds[known] // 3600, return_inverse=True)
        zone = timezone.get_current_timezone()
        offsets = np.array(
            [datetime.fromtimestamp(int(h) * 3600, tz=UTC).astimezone(zone).utcoffset().total_seconds() for h in hours],
            dtype=np.int64,
        )
        days[known] = ((seconds[known] + offsets[which]) // 86400).astype("datetime64[D]")
    return days


def from_epoch_seconds(seconds: int) -> datetime:
    return timezone.localtime(datetime.fromtimestamp(seconds, tz=UTC))
