"""`grip demo_users` makes sign-ins with a published password: never with production settings, and
none of them is a Django superuser or staff (the well-known password must open no admin)."""

from __future__ import annotations

import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings

from grip.access.models import RoleGrant
from tests.accounts.settings_probe import run

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "GRIP_SECRET_KEY": "k3y-Q" * 13,  # varied enough for the deploy check: production refuses a weak key
    "GRIP_ALLOWED_HOSTS": "grip.example.gov.uk",
    "DATABASE_URL": "postgres://u@h/d",  # never reached: the command refuses before touching it
}


def test_demo_users_refuses_to_run_with_production_settings():
    completed = run([sys.executable, "-m", "grip", "demo_users"], PRODUCTION_ENV)

    assert completed.returncode != 0
    assert "only with the dev or test settings" in completed.stderr
    assert "could not connect" not in completed.stderr.lower()  # refused before reaching the database


@pytest.mark.django_db
def test_demo_users_creates_nobody_when_the_settings_do_not_allow_it():
    with override_settings(GRIP_DEMO_USERS=False), pytest.raises(CommandError, match="only with the dev or test"):
        call_command("demo_users")

    assert not get_user_model().objects.exists() and not RoleGrant.objects.exists()


@pytest.mark.django_db
def test_no_demo_user_is_a_superuser_or_django_staff():
    User = get_user_model()
    User.objects.create_user(username="admin", is_staff=True, is_superuser=True)  # as an older demo made it

    call_command("demo_users")

    assert User.objects.filter(username="admin").exists()
    assert not User.objects.filter(is_superuser=True).exists()
    assert not User.objects.filter(is_staff=True).exists()
