"""The audit key comes from the environment; production refuses to start without a real one."""

from __future__ import annotations

import re
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings.audit_keys import DEV_KEYS, audit_keys
from tests.accounts.settings_probe import run, settings_of

PRODUCTION = "config.settings.production"
SECRET_1 = "s1-" + "x" * 40
SECRET_2 = "s2-" + "y" * 40
# A secret key varied enough for the deploy check: production refuses a weak one.
ENV = {"GRIP_SECRET_KEY": "k3y-Q" * 13, "GRIP_ALLOWED_HOSTS": "grip.example.gov.uk", "DATABASE_URL": "postgres://u@h/d"}


def test_production_refuses_to_start_without_an_audit_key():
    completed = run(
        [sys.executable, "-c", "import django; django.setup()"],
        {"DJANGO_SETTINGS_MODULE": PRODUCTION, **ENV, "GRIP_AUDIT_KEY": ""},
    )

    assert completed.returncode != 0
    assert "GRIP_AUDIT_KEY must be set in the environment for production settings" in completed.stderr


def test_production_reads_the_current_key_and_the_older_ones():
    env = ENV | {"GRIP_AUDIT_KEY": f"2026b:{SECRET_2}", "GRIP_AUDIT_OLD_KEYS": f"2026a:{SECRET_1}"}

    found = settings_of(PRODUCTION, env, ["GRIP_AUDIT_KEY_ID", "GRIP_AUDIT_KEYS", "GRIP_AUDIT_REQUIRE_CHECKPOINT"])

    assert found == {
        "GRIP_AUDIT_KEY_ID": "2026b",
        "GRIP_AUDIT_KEYS": {"2026b": SECRET_2, "2026a": SECRET_1},
        "GRIP_AUDIT_REQUIRE_CHECKPOINT": True,
    }


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"GRIP_AUDIT_KEY": "no-separator"}, "must be '<key id>:<secret>'"),
        ({"GRIP_AUDIT_KEY": "k1:short"}, "needs a secret of 32+ characters"),
        ({"GRIP_AUDIT_KEY": f"dev:{SECRET_1}"}, "must not be the development audit key"),
        ({"GRIP_AUDIT_KEY": f"k1:{DEV_KEYS['dev']}"}, "must not be the development audit key"),
        (
            {"GRIP_AUDIT_KEY": f"k1:{SECRET_1}", "GRIP_AUDIT_OLD_KEYS": f"k1:{SECRET_2}"},
            "names the audit key id 'k1' twice",
        ),
    ],
)
def test_a_malformed_or_weak_key_is_refused(environ, message):
    with pytest.raises(ImproperlyConfigured, match=re.escape(message)):
        audit_keys(environ, production=True)


def test_without_a_key_only_non_production_settings_fall_back_to_the_dev_key():
    assert audit_keys({}, production=False) == ("dev", DEV_KEYS)
    with pytest.raises(ImproperlyConfigured):
        audit_keys({}, production=True)
