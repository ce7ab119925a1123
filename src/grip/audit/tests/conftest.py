"""Fixtures for the audit tests: users with roles, and a way round the append-only triggers
(for tests that must tamper with the log to show tampering is found)."""

from __future__ import annotations

import importlib

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from grip.access.models import RoleGrant
from grip.access.roles import Role

append_only = importlib.import_module("grip.audit.migrations.0002_audit_entries_append_only")


def drop_append_only_triggers() -> None:
    """Inside a test's transaction, so the triggers come back when it is rolled back."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(append_only.PG_DROP)
        else:
            for statement in append_only.SQLITE_DROP:
                cursor.execute(statement)


def tamper(sql: str, params: list | None = None) -> None:
    drop_append_only_triggers()
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def make_user(username: str, *roles: Role, **fields):
    user = get_user_model().objects.create_user(username=username, password="x", **fields)
    for role in roles:
        RoleGrant.objects.create(user=user, role=role)
    return user


@pytest.fixture
def worker_user(db):
    return make_user("sw1", Role.SOCIAL_WORKER, first_name="Sam", last_name="Worker")
