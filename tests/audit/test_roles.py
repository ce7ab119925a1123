"""PostgreSQL: the application's role (scripts/postgres-privileges.sql) may only read and append
to the audit log, while working every other table; migration 0003 strips any wider grant."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection

from grip.audit.services import record, verify_chain
from tests.people.factories import ChildFactory

from .conftest import APP_ROLE, as_owner, current_role

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles are PostgreSQL's"),
]
keyed_chain = importlib.import_module("grip.audit.migrations.0003_audit_keyed_chain")
PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "TRIGGER", "REFERENCES")


def privileges_of(role: str, table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p FROM unnest(%s::text[]) AS p WHERE has_table_privilege(%s, %s, p)",
            [list(PRIVILEGES), role, table],
        )
        return {row[0] for row in cursor.fetchall()}


def test_the_audit_tests_run_as_the_application_role():
    assert current_role() == APP_ROLE


def test_the_application_role_may_only_read_and_append_to_the_log():
    assert privileges_of(APP_ROLE, "audit_auditentry") == {"SELECT", "INSERT"}
    assert privileges_of(APP_ROLE, "people_person") == {"SELECT", "INSERT", "UPDATE", "DELETE"}


def test_the_application_works_as_that_role():
    child = ChildFactory()  # writes other tables

    entry = record(actor=None, verb="viewed", target=child)

    assert entry.child_id == child.pk and verify_chain().ok


def test_the_migration_takes_back_whatever_else_was_granted_on_the_log():
    with as_owner(), connection.cursor() as cursor:
        cursor.execute(f"GRANT ALL ON audit_auditentry TO {APP_ROLE}, PUBLIC")
        assert {"UPDATE", "DELETE", "TRUNCATE"} <= privileges_of(APP_ROLE, "audit_auditentry")

        cursor.execute(keyed_chain.PG_OWNER_ONLY_BYPASS)

    assert privileges_of(APP_ROLE, "audit_auditentry") == {"SELECT", "INSERT"}
