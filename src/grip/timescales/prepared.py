"""The engine's queries, compiled once per shape and run with each call's dates and ids.

Building and compiling a Django query costs more than the database takes to run one of the
engine's small queries (for one worker's cases, about two thirds of the engine's time was Django
building SQL). The SQL of each query depends only on its shape: the event, what it is read for,
and whether it is narrowed to given children or workers. It does not depend on the date asked or
on which ids. So each shape is compiled once per process with placeholder values that cannot occur
in the records (dates in 1901, negative ids), and every call fills in its own values.

A compiled parameter that looks like a date or a list of ids but is not a placeholder would mean
the SQL depends on something the shape does not capture: that stops with an error, rather than
running a query with a stale value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import numpy as np
from django.db import connections
from django.db.models import QuerySet

from grip.core.lookups import Ids, ids_parameter

from .columns import Columns, columns_sql, read_columns
from .events import Scope

PLACEHOLDER = Scope(on=date(1901, 2, 3), window_start=date(1901, 1, 2), children=Ids([-901]), workers=Ids([-902]))
_LOOKS_SCOPED = re.compile(r"^(\d{4}-\d\d-\d\d|\[|\{)")  # dates as text (SQLite), ids as text


class UnfilledParameter(RuntimeError):
    pass


@dataclass(frozen=True)
class Template:
    sql: str
    using: str
    slots: tuple[str | None, ...]  # per parameter: the scope value to put there, or None to keep it
    constants: tuple[Any, ...]


_TEMPLATES: dict[Hashable, Template] = {}


def _values(scope: Scope, using: str) -> dict[str, Any]:
    connection = connections[using]
    ops = connection.ops
    return {
        "on": ops.adapt_datefield_value(scope.on),
        "window_start": ops.adapt_datefield_value(scope.window_start),
        "end_of_on": ops.adapt_datetimefield_value(scope.end_of_on),
        "start_of_window": ops.adapt_datetimefield_value(scope.start_of_window),
        "children": None if scope.children is None else ids_parameter(scope.children, connection),
        "workers": None if scope.workers is None else ids_parameter(scope.workers, connection),
    }


def _compile(build: Callable[[Scope], QuerySet[Any]], columns: Columns, shape: Scope) -> Template:
    queryset = build(shape)
    sql, params = columns_sql(queryset, columns)
    placeholders = {name: value for name, value in _values(shape, queryset.db).items() if value is not None}
    slots: list[str | None] = []
    for param in params:
        found = [name for name, value in placeholders.items() if type(value) is type(param) and value == param]
        if found:
            slots.append(found[0])
        elif isinstance(param, date | list) or (isinstance(param, str) and _LOOKS_SCOPED.match(param)):
            raise UnfilledParameter(f"the engine's query has a parameter {param!r} that is not the scope's: {sql}")
        else:
            slots.append(None)
    return Template(sql, queryset.db, tuple(slots), tuple(params))


def read(
    key: Hashable, build: Callable[[Scope], QuerySet[Any]], columns: Columns, scope: Scope
) -> dict[str, np.ndarray]:
    """`columns` of the query `build(scope)` makes, compiled once for its shape: `key` names the
    query (it must capture everything but the scope's dates and ids that the SQL depends on)."""
    shape = replace(
        PLACEHOLDER,
        children=None if scope.children is None else PLACEHOLDER.children,
        workers=None if scope.workers is None else PLACEHOLDER.workers,
    )
    full_key = (key, scope.children is None, scope.workers is None)
    template = _TEMPLATES.get(full_key)
    if template is None:
        template = _TEMPLATES[full_key] = _compile(build, columns, shape)
    values = _values(scope, template.using)
    params = tuple(values[slot] if slot else c for slot, c in zip(template.slots, template.constants, strict=True))
    found = scope.read.get((template.sql, params))
    if found is None:  # the same query for two events (the looked-after ones) is run once per scope
        found = scope.read[(template.sql, params)] = read_columns(template.sql, params, columns, using=template.using)
    return found
