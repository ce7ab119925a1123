"""The embedded SQLite database runs as production needs it: WAL journal, IMMEDIATE transactions,
foreign keys on. On PostgreSQL (DATABASE_URL set) these checks do not apply."""

import os

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.fixture
def sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite settings: this run is on " + connection.vendor)


def test_sqlite_uses_write_ahead_logging(sqlite_only):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


def test_sqlite_enforces_foreign_keys(sqlite_only):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1


def test_sqlite_transactions_take_the_write_lock_at_once(sqlite_only):
    # IMMEDIATE: a writer waits for the lock at BEGIN rather than failing part-way through.
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_postgresql_is_selected_by_database_url(monkeypatch):
    from config.settings.base import database_from_environment

    monkeypatch.setenv("DATABASE_URL", "postgres://grip:secret@db.example:5433/grip")
    settings = database_from_environment(default_sqlite="unused.sqlite3")
    assert settings["ENGINE"] == "django.db.backends.postgresql"
    assert (settings["HOST"], settings["PORT"], settings["NAME"]) == ("db.example", 5433, "grip")
    monkeypatch.delenv("DATABASE_URL")
    assert database_from_environment(default_sqlite="x.sqlite3")["ENGINE"] == "django.db.backends.sqlite3"


def test_postgresql_is_planned_for_solid_state_storage(monkeypatch):
    from config.settings.base import database_from_environment

    monkeypatch.setenv("DATABASE_URL", "postgres://grip@db.example/grip")
    monkeypatch.delenv("GRIP_PG_RANDOM_PAGE_COST", raising=False)
    assert database_from_environment("unused")["OPTIONS"]["options"] == "-c random_page_cost=1.1"
    monkeypatch.setenv("GRIP_PG_RANDOM_PAGE_COST", "4")
    assert database_from_environment("unused")["OPTIONS"]["options"] == "-c random_page_cost=4"
    monkeypatch.setenv("GRIP_PG_RANDOM_PAGE_COST", "")
    assert "options" not in database_from_environment("unused").get("OPTIONS", {})
    monkeypatch.setenv("GRIP_PG_RANDOM_PAGE_COST", "fast")
    with pytest.raises(ImproperlyConfigured, match="must be a number, not 'fast'"):
        database_from_environment("unused")


def test_a_postgresql_connection_uses_the_setting():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL settings: this run is on " + connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == os.environ.get("GRIP_PG_RANDOM_PAGE_COST", "1.1")
