"""The `grip flush` that may empty the audit log is installed by the test and dev settings only;
production's is Django's own, which the log's triggers refuse."""

from __future__ import annotations

import sys

import pytest
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError
from django.core.management.commands import flush as django_flush

from grip.audit.models import AuditEntry
from grip.audit.services import record
from tests.accounts.settings_probe import run

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "GRIP_SECRET_KEY": "k3y-Q" * 13,  # varied enough for the deploy check: production refuses a weak key
    "GRIP_ALLOWED_HOSTS": "grip.example.gov.uk",
    "DATABASE_URL": "postgres://u@h/d",
}
WHICH_FLUSH = (
    "import django; django.setup()\n"
    "from django.conf import settings; from django.core.management import get_commands\n"
    "print(get_commands()['flush'], 'grip.audit.testing' in settings.INSTALLED_APPS)\n"
)


def test_production_settings_ship_only_djangos_own_flush():
    completed = run([sys.executable, "-c", WHICH_FLUSH], PRODUCTION_ENV)

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split() == ["django.core", "False"]


def test_test_settings_have_the_flush_that_empties_the_log():
    assert get_commands()["flush"] == "grip.audit.testing"


@pytest.mark.django_db(transaction=True)
def test_djangos_own_flush_cannot_empty_the_log():
    record(actor=None, verb="contact_decided")

    with pytest.raises(CommandError, match="couldn't be flushed"):
        call_command(django_flush.Command(), interactive=False, verbosity=0)

    assert AuditEntry.objects.count() == 1
