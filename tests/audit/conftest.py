"""Fixtures for the audit tests: users with roles, a way round the append-only triggers (for tests
that must tamper with the log to show tampering is found), a checkpoint file of each test's own,
and, on PostgreSQL, the application's own database role for every test in one transaction."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection

from grip.access.models import RoleGrant
from grip.access.roles import Role

append_only = importlib.import_module("grip.audit.migrations.0002_audit_entries_append_only")

APP_ROLE = "grip_test_app"  # rolled back with each test's transaction, so never left in the cluster
PRIVILEGES_SQL = Path(settings.BASE_DIR) / "scripts" / "postgres-privileges.sql"


def privileges_sql(*, owner: str, app: str) -> str:
    """scripts/postgres-privileges.sql with psql's :"owner_role" and :"app_role" filled in."""
    text = PRIVILEGES_SQL.read_text()
    return re.sub(r':"(owner_role|app_role)"', lambda m: f'"{owner if m.group(1) == "owner_role" else app}"', text)


def current_role() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        return cursor.fetchone()[0]


def become_app_role() -> None:
    """Inside the test's transaction: create the app role, grant it what the deployment script
    grants, and act as it from now on (all of it undone when the test's transaction rolls back)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT session_user")
        owner = cursor.fetchone()[0]
        cursor.execute(f"DO $$ BEGIN CREATE ROLE {APP_ROLE} NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
        cursor.execute(privileges_sql(owner=owner, app=APP_ROLE))
        cursor.execute(f"SET ROLE {APP_ROLE}")


@contextmanager
def as_owner() -> Iterator[None]:
    """Act as the database's owner for a moment (PostgreSQL tests otherwise run as the app role)."""
    if connection.vendor != "postgresql" or current_role() != APP_ROLE:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"SET ROLE {APP_ROLE}")


@pytest.fixture(autouse=True)
def _as_the_application_role(request):
    """PostgreSQL: every audit test in a rolled-back transaction runs as the application's role,
    which may only read and append to the log. Transactional tests flush the database between
    tests, which only the owner may, so they stay the owner."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or bool(
        marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    )
    if connection.vendor != "postgresql" or transactional or (marker is None and "db" not in request.fixturenames):
        yield
        return
    request.getfixturevalue("db")
    become_app_role()
    yield


@pytest.fixture(autouse=True)
def checkpoint_file(tmp_path, settings) -> Path:
    """Each test's own checkpoint file (not yet written)."""
    settings.GRIP_AUDIT_CHECKPOINT_PATH = tmp_path / "audit-checkpoints.jsonl"
    return settings.GRIP_AUDIT_CHECKPOINT_PATH


def drop_append_only_triggers() -> None:
    """Inside a test's transaction, so the triggers come back when it is rolled back."""
    with as_owner(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(append_only.PG_DROP)
        else:
            for statement in append_only.SQLITE_DROP:
                cursor.execute(statement)


def tamper(sql: str, params: list | None = None) -> None:
    """Run `sql` as someone who can get round the triggers (the database's owner)."""
    drop_append_only_triggers()
    with as_owner(), connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def make_user(username: str, *roles: Role, **fields):
    user = get_user_model().objects.create_user(username=username, password="x", **fields)
    for role in roles:
        RoleGrant.objects.create(user=user, role=role)
    return user


@pytest.fixture
def worker_user(db):
    return make_user("sw1", Role.SOCIAL_WORKER, first_name="Sam", last_name="Worker")
