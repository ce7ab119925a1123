"""`field__ids_in=[...]`: a field is one of these whole numbers, without Django's per-value work.

Django's `__in` prepares and normalises every value in Python (for a foreign key, through the
related-object machinery), which costs milliseconds per thousand ids on every query. Selectors that
pass the same few hundred ids to a dozen queries (the timescale engine, the register) pay that each
time. This lookup checks the values are whole numbers once and hands the database one parameter:
an array literal on PostgreSQL (`= ANY(%s::bigint[])`), a JSON list read by `json_each` on SQLite.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignObject, IntegerField, Lookup


class Ids:
    """Whole numbers checked once, for passing to many `ids_in` filters: Django walks a plain list
    value by value for every filter it is given to, but leaves this alone."""

    __slots__ = ("_listed", "values")

    def __init__(self, values) -> None:
        self._listed: str | None = None
        if isinstance(values, Ids):
            self.values: list[int] = values.values
            self._listed = values._listed
        else:
            self.values = sorted({int(v) for v in values if v is not None})  # a non-number fails here

    def listed(self) -> str:
        """The ids as "1,2,3", written once however many queries they are passed to: handing the
        database a list of ids costs a millisecond per query per thousand ids (psycopg adapts
        each one), text costs nothing."""
        if self._listed is None:
            self._listed = ",".join(map(str, self.values))
        return self._listed

    def __len__(self) -> int:
        return len(self.values)

    def __iter__(self):
        return iter(self.values)


class IdsIn(Lookup):
    lookup_name = "ids_in"
    prepare_rhs = False

    def get_prep_lookup(self):
        return Ids(self.rhs)

    def as_sql(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if connection.vendor in ("postgresql", "sqlite"):
            return f"{lhs} {ONE_PARAMETER[connection.vendor]}", (*lhs_params, ids_parameter(self.rhs, connection))
        placeholders = ", ".join(["%s"] * len(self.rhs))
        return f"{lhs} IN ({placeholders})", (*lhs_params, *self.rhs.values)


ONE_PARAMETER = {"postgresql": "= ANY(%s::bigint[])", "sqlite": "IN (SELECT value FROM json_each(%s))"}


def ids_parameter(ids, connection) -> str:
    """The one parameter `ids_in` passes for these ids: an array literal on PostgreSQL ("{1,2}"),
    a JSON list on SQLite ("[1,2]")."""
    listed = (ids if isinstance(ids, Ids) else Ids(ids)).listed()
    return f"{{{listed}}}" if connection.vendor == "postgresql" else f"[{listed}]"


def register() -> None:
    IntegerField.register_lookup(IdsIn)
    ForeignObject.register_lookup(IdsIn)
