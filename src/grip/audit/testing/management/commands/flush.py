"""`grip flush` as Django's, but allowed to empty the append-only audit log along with every other
table (test runs flush between transactional tests). Row-by-row changes stay refused.

Installed only by the test and dev settings (grip.audit.testing), never in production."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper


@contextmanager
def audit_erasure_allowed(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """While inside, this connection may empty the audit table (see audit migration 0002)."""
    connection.grip_audit_erasure_allowed = True  # read by the SQLite trigger's function
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET grip.audit_erasure_allowed = 'on'")
    try:
        yield
    finally:
        connection.grip_audit_erasure_allowed = False
        if connection.vendor == "postgresql" and connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute("RESET grip.audit_erasure_allowed")


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        with audit_erasure_allowed(connections[options.get("database") or DEFAULT_DB_ALIAS]):
            super().handle(**options)
