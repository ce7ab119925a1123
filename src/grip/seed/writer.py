"""Write the generator's rows to the database in bulk, or to Parquet files.

SQLite: one transaction of `executemany` per table. PostgreSQL: `COPY ... FROM STDIN` per table,
then the identity sequences are moved past the generated keys. Every database constraint and
trigger still applies, so the database checks the generator's output as it would any input.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import connection, models, transaction

from grip.audit.models import AuditEntry
from grip.seed.rows import MODEL_ORDER, RowStore, TableSpec, model_for

Progress = Callable[[str, int], None]


# Rows that point at what the generator writes and go with it: restrictions on children's records,
# partner users' memberships of seeded organisations.
DEPENDENT_MODELS = ["access.AccessException", "access.RestrictedRecord", "access.PartnerMembership"]


class AuditedDataRefused(Exception):
    pass


def refuse_if_audited() -> None:
    if AuditEntry.objects.filter(child__isnull=False).exists():
        raise AuditedDataRefused(
            "The audit log already records work on these children, so they cannot be replaced: "
            "seed a new database instead (delete var/grip.sqlite3, or create a new PostgreSQL database)."
        )


def clear_seeded_tables() -> None:
    """Empty every table the generator writes (and their history), ready for a fresh authority.

    Refused once the audit log records anything about a child: the log is append-only and its
    entries would then point at different children."""
    refuse_if_audited()
    models_ = [model_for(label) for label in MODEL_ORDER]
    history = [m.history.model for m in models_ if hasattr(m, "history")]
    dependent = [model_for(label) for label in DEPENDENT_MODELS]
    tables = [m._meta.db_table for m in models_ + history]
    tables += [
        t
        for m in dependent
        for t in (m._meta.db_table, *[f.remote_field.through._meta.db_table for f in m._meta.many_to_many])
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "TRUNCATE " + ", ".join(connection.ops.quote_name(t) for t in tables) + " RESTART IDENTITY CASCADE"
            )
        else:
            for table in reversed(tables):  # dependants were listed last: delete them first
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
            placeholders = ",".join("%s" for _ in tables)
            cursor.execute(f"DELETE FROM sqlite_sequence WHERE name IN ({placeholders})", tables)


def tables_hold_data() -> bool:
    return any(model_for(label).objects.exists() for label in MODEL_ORDER)


def write_to_database(store: RowStore, *, replace: bool = False, progress: Progress | None = None) -> int:
    """Load every table in one transaction; with `replace`, the old rows are cleared inside it."""
    report = progress or (lambda table, n: None)
    written = 0
    with transaction.atomic():
        if replace:
            clear_seeded_tables()
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA defer_foreign_keys = ON")
            for spec, rows in store.tables():
                if not rows:
                    continue
                if connection.vendor == "postgresql":
                    _copy_postgres(cursor, spec, rows)
                else:
                    _insert_sqlite(cursor, spec, rows)
                written += len(rows)
                report(spec.label, len(rows))
            if connection.vendor == "postgresql":
                _reset_sequences(cursor, store)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return written


def _insert_sqlite(cursor, spec: TableSpec, rows: list[tuple]) -> None:
    converters = [_sqlite_converter(spec.model._meta.get_field(name)) for name in spec.attnames]
    columns = ", ".join(connection.ops.quote_name(c) for c in spec.columns)
    placeholders = ", ".join("?" for _ in spec.columns)
    sql = f"INSERT INTO {connection.ops.quote_name(spec.model._meta.db_table)} ({columns}) VALUES ({placeholders})"
    raw = cursor.connection  # the sqlite3 connection: its executemany takes "?" placeholders
    chunk = 50_000
    for i in range(0, len(rows), chunk):
        raw.executemany(sql, [tuple(c(v) for c, v in zip(converters, row, strict=True)) for row in rows[i : i + chunk]])


def _identity(value: Any) -> Any:
    return value


def _sqlite_converter(field: models.Field) -> Callable[[Any], Any]:
    if isinstance(field, models.DateTimeField):
        return lambda v: None if v is None else v.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(field, models.DateField):
        return lambda v: None if v is None else v.isoformat()
    if isinstance(field, models.JSONField):
        return lambda v: json.dumps(v)
    if isinstance(field, models.BooleanField):
        return lambda v: None if v is None else int(v)
    if isinstance(field, models.DecimalField):
        return lambda v: None if v is None else str(v)
    return _identity


def _copy_postgres(cursor, spec: TableSpec, rows: list[tuple]) -> None:
    json_positions = [
        i for i, name in enumerate(spec.attnames) if isinstance(spec.model._meta.get_field(name), models.JSONField)
    ]
    columns = ", ".join(connection.ops.quote_name(c) for c in spec.columns)
    table = connection.ops.quote_name(spec.model._meta.db_table)
    with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            if json_positions:
                row = list(row)
                for i in json_positions:
                    row[i] = json.dumps(row[i])
            copy.write_row(row)


def _reset_sequences(cursor, store: RowStore) -> None:
    for label in MODEL_ORDER:
        table = model_for(label)._meta.db_table
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {connection.ops.quote_name(table)}), 0) + 1, false)",
            [table],
        )


def write_to_parquet(store: RowStore, directory: Path, *, authority_code: str, append: bool = False) -> int:
    """One Parquet file per table, with an `la_code` column, for national-scale analytics."""
    import polars as pl

    directory.mkdir(parents=True, exist_ok=True)
    written = 0
    for spec, rows in store.tables():
        if not rows:
            continue
        data = {name: [_parquet_value(row[i]) for row in rows] for i, name in enumerate(spec.attnames)}
        frame = pl.DataFrame(data, strict=False).with_columns(pl.lit(authority_code).alias("la_code"))
        path = directory / f"{spec.model._meta.db_table}" / f"{authority_code}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        frame.write_parquet(path)
        written += len(rows)
    return written


def _parquet_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list):
        return ",".join(value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True)
    if isinstance(value, datetime | date):
        return value
    return value
