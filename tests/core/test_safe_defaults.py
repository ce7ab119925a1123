"""Safe defaults (issue 12): every entry point defaults to production settings, which refuse to
start without a real secret key and host names; the dev server and the tests name their settings;
the PostgreSQL connection can require TLS."""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.settings.tls import postgres_tls
from tests.accounts.settings_probe import run, settings_of

PRODUCTION = "config.settings.production"
ROOT = Path(settings.BASE_DIR)
PROBE = "from django.conf import settings; print(settings.SETTINGS_MODULE)"


def production_environment(**overrides) -> dict[str, str]:
    env = {
        "GRIP_SECRET_KEY": secrets.token_urlsafe(64),
        "GRIP_ALLOWED_HOSTS": "grip.example.gov.uk",
        "DATABASE_URL": "postgres://grip@db.example.internal:5432/grip",
    }
    return {k: v for k, v in (env | overrides).items() if v is not None}


ENTRY_POINTS = {
    "manage.py": [sys.executable, "manage.py", "shell", "-c", PROBE],
    "grip": [sys.executable, "-m", "grip", "shell", "-c", PROBE],
    "wsgi.py": [sys.executable, "-c", f"import config.wsgi; {PROBE}"],
    "asgi.py": [sys.executable, "-c", f"import config.asgi; {PROBE}"],
}


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_every_entry_point_defaults_to_production_settings(entry):
    # No DJANGO_SETTINGS_MODULE (the probe clears it) and no secrets: production refuses to start.
    refused = run(ENTRY_POINTS[entry], {})
    assert refused.returncode != 0
    assert "GRIP_SECRET_KEY must be set in the environment for production settings" in refused.stderr

    started = run(ENTRY_POINTS[entry], production_environment())
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip().splitlines()[-1] == PRODUCTION


@pytest.mark.parametrize(
    "key",
    ["dev-only-not-secret-change-me", "short-but-set", "django-insecure-" + "x1y2z3" * 10, "ab" * 40],
)
def test_production_refuses_a_key_that_is_not_a_real_secret(key):
    completed = run([sys.executable, "manage.py", "check"], production_environment(GRIP_SECRET_KEY=key))
    assert completed.returncode != 0
    assert "GRIP_SECRET_KEY must be a real secret key in production" in completed.stderr


@pytest.mark.parametrize("hosts", ["*", " , ", "grip.example.gov.uk,*"])
def test_production_refuses_allowed_hosts_that_name_no_host(hosts):
    completed = run([sys.executable, "manage.py", "check"], production_environment(GRIP_ALLOWED_HOSTS=hosts))
    assert completed.returncode != 0
    assert "GRIP_ALLOWED_HOSTS must" in completed.stderr


def test_the_deploy_check_is_clean_with_tls_to_the_database_and_json_logging():
    completed = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        production_environment(GRIP_PG_SSLMODE="verify-full", GRIP_PG_SSLROOTCERT="/etc/ssl/certs/db-ca.pem"),
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert completed.stdout.strip() == "System check identified no issues (0 silenced)."


def test_the_dev_server_tests_and_scripts_name_their_settings():
    assert "export DJANGO_SETTINGS_MODULE=config.settings.dev" in (ROOT / "scripts/start").read_text()
    assert "export DJANGO_SETTINGS_MODULE=config.settings.test" in (ROOT / "scripts/test").read_text()
    assert "DJANGO_SETTINGS_MODULE=config.settings.dev" in (ROOT / "scripts/regenerate-initial-migrations").read_text()
    assert 'DJANGO_SETTINGS_MODULE = "config.settings.test"' in (ROOT / "pyproject.toml").read_text()
    for bench in sorted((ROOT / "bench").glob("*.py")):
        text = bench.read_text()
        if "manage.py" in text or "django.setup()" in text:
            assert "DJANGO_SETTINGS_MODULE=" in text or "from common import" in text, bench.name
    assert settings.SETTINGS_MODULE == "config.settings.test"


# ---------------------------------------------------------------------- TLS to PostgreSQL


def test_production_requires_tls_to_postgresql_by_default():
    probed = settings_of(PRODUCTION, production_environment(), ["DATABASES"])
    assert probed["DATABASES"]["default"]["OPTIONS"]["sslmode"] == "require"


def test_the_environment_chooses_the_mode_and_the_certificates():
    env = production_environment(
        GRIP_PG_SSLMODE="verify-full",
        GRIP_PG_SSLROOTCERT="/etc/grip/db-ca.pem",
        GRIP_PG_SSLCERT="/etc/grip/client.pem",
        GRIP_PG_SSLKEY="/etc/grip/client.key",
    )
    options = settings_of(PRODUCTION, env, ["DATABASES"])["DATABASES"]["default"]["OPTIONS"]
    assert {k: options[k] for k in ("sslmode", "sslrootcert", "sslcert", "sslkey")} == {
        "sslmode": "verify-full",
        "sslrootcert": "/etc/grip/db-ca.pem",
        "sslcert": "/etc/grip/client.pem",
        "sslkey": "/etc/grip/client.key",
    }
    dev = settings_of(
        "config.settings.dev",
        {"DATABASE_URL": "postgres://grip@db.example.internal/grip", "GRIP_PG_SSLMODE": "require"},
        ["DATABASES"],
    )
    assert dev["DATABASES"]["default"]["OPTIONS"]["sslmode"] == "require"


def test_a_mode_in_the_database_url_is_kept_and_the_variable_wins_over_it():
    env = production_environment(DATABASE_URL="postgres://grip@db/grip?sslmode=verify-ca", GRIP_PG_SSLROOTCERT="/c")
    url_mode = settings_of(PRODUCTION, env, ["DATABASES"])
    assert url_mode["DATABASES"]["default"]["OPTIONS"]["sslmode"] == "verify-ca"
    postgres = {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {"sslmode": "verify-ca"}}
    assert postgres_tls(dict(postgres, OPTIONS={"sslmode": "prefer"}), {}, default_sslmode="require")["OPTIONS"] == {
        "sslmode": "prefer"
    }
    assert postgres_tls(postgres, {"GRIP_PG_SSLMODE": "disable"})["OPTIONS"]["sslmode"] == "disable"


def test_a_bad_mode_or_a_verifying_mode_without_a_ca_is_refused_at_start_up():
    postgres = {"ENGINE": "django.db.backends.postgresql"}
    with pytest.raises(ImproperlyConfigured, match="must be one of"):
        postgres_tls(dict(postgres), {"GRIP_PG_SSLMODE": "on"})
    with pytest.raises(ImproperlyConfigured, match="needs GRIP_PG_SSLROOTCERT"):
        postgres_tls(dict(postgres), {"GRIP_PG_SSLMODE": "verify-full"})
    sqlite = {"ENGINE": "django.db.backends.sqlite3"}
    assert postgres_tls(dict(sqlite), {"GRIP_PG_SSLMODE": "require"}) == sqlite
