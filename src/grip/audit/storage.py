"""The three statements of an append, written as SQL prepared once per database.

An append happens on every page that shows a child, so it must cost next to nothing. Building
the same three queries through the ORM each time took ~0.4 ms of Python per append; the
statements themselves take a few tens of microseconds. Values still go through each field's own
get_db_prep_save, so they are stored exactly as the ORM would store them.
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

from .models import AuditChainHead, AuditEntry

ENTRY_FIELDS = tuple(AuditEntry._meta.concrete_fields)
_PREPARED: dict[str, tuple[str, str, str]] = {}


def statements(connection: BaseDatabaseWrapper) -> tuple[str, str, str]:
    """SELECT ... FOR UPDATE of the head, INSERT of an entry, UPDATE of the head (per vendor)."""
    prepared = _PREPARED.get(connection.vendor)
    if prepared is None:
        quote = connection.ops.quote_name
        # SQLite has no FOR UPDATE: its IMMEDIATE transactions hold the write lock from BEGIN.
        for_update = " FOR UPDATE" if connection.features.has_select_for_update else ""
        head = quote(AuditChainHead._meta.db_table)
        table = quote(AuditEntry._meta.db_table)
        columns = ", ".join(quote(f.column) for f in ENTRY_FIELDS)
        placeholders = ", ".join(["%s"] * len(ENTRY_FIELDS))
        prepared = _PREPARED[connection.vendor] = (
            f"SELECT {quote('last_id')}, {quote('last_hash')} FROM {head} WHERE {quote('id')} = %s{for_update}",
            f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",
            f"UPDATE {head} SET {quote('last_id')} = %s, {quote('last_hash')} = %s WHERE {quote('id')} = %s",
        )
    return prepared


def lock_head(connection: BaseDatabaseWrapper) -> tuple[int, str]:
    """(last id, last hash) of the chain, the head row locked until the transaction ends. The row
    is made on first use (a new or emptied database), continuing from the last entry if any."""
    select, _, _ = statements(connection)
    with connection.cursor() as cursor:
        cursor.execute(select, [AuditChainHead.ROW_ID])
        row = cursor.fetchone()
        if row is None:
            last = AuditEntry.objects.using(connection.alias).order_by("-id").values_list("id", "hash").first()
            start = AuditChainHead(last_id=last[0], last_hash=last[1]) if last else AuditChainHead()
            # Two first writers may race here: one inserts, the other's insert is ignored; both then lock.
            AuditChainHead.objects.using(connection.alias).bulk_create([start], ignore_conflicts=True)
            cursor.execute(select, [AuditChainHead.ROW_ID])
            row = cursor.fetchone()
    return row[0], row[1]


def append(connection: BaseDatabaseWrapper, entry: AuditEntry) -> None:
    """INSERT the (hashed) entry and move the head to it. The caller holds the head's lock."""
    _, insert, update = statements(connection)
    values = [f.get_db_prep_save(getattr(entry, f.attname), connection) for f in ENTRY_FIELDS]
    with connection.cursor() as cursor:
        cursor.execute(insert, values)
        cursor.execute(update, [entry.id, entry.hash, AuditChainHead.ROW_ID])
    entry._state.adding = False
    entry._state.db = connection.alias
