"""Sign-in, failed sign-in and sign-out are written to the audit log."""

import pytest
from django.urls import reverse

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_signing_in_and_out_is_audited(client, social_worker, audit_entries):
    client.post(reverse("web:login"), {"username": "sw1", "password": PASSWORD})
    client.post(reverse("web:logout"))

    assert [e["verb"] for e in audit_entries] == ["signed_in", "signed_out"]
    signed_in, signed_out = audit_entries
    assert signed_in["actor"] == social_worker and signed_in["target"] == social_worker
    assert signed_in["payload"] == {"method": "password"}
    assert signed_in["request"] is not None and signed_out["actor"] == social_worker


def test_a_failed_sign_in_is_audited_with_the_username_but_never_the_password(client, social_worker, audit_entries):
    client.post(reverse("web:login"), {"username": "sw1", "password": "hunter2-guess"})

    (entry,) = audit_entries
    assert entry["verb"] == "sign_in_failed" and entry["actor"] is None
    assert entry["payload"] == {"username": "sw1", "locked_out": False}
    assert "hunter2-guess" not in repr(entry["payload"])


@pytest.mark.usefixtures("axes_on")
def test_the_failure_that_locks_is_marked(client, social_worker, audit_entries):
    for _ in range(5):
        client.post(reverse("web:login"), {"username": "sw1", "password": "wrong"})

    assert [e["payload"]["locked_out"] for e in audit_entries] == [False, False, False, False, True]


def test_signing_out_when_not_signed_in_is_not_audited(client, audit_entries):
    client.post(reverse("web:logout"))

    assert audit_entries == []


def test_sign_ins_reach_the_audit_log(client, social_worker):
    from grip.audit.models import AuditEntry

    client.post(reverse("web:login"), {"username": "sw1", "password": "wrong"}, REMOTE_ADDR="10.1.2.3")
    client.post(reverse("web:login"), {"username": "sw1", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")

    failed, signed_in = AuditEntry.objects.order_by("id")
    assert (failed.verb, failed.actor, failed.payload["username"]) == ("sign_in_failed", None, "sw1")
    assert (signed_in.verb, signed_in.actor) == ("signed_in", social_worker)
    assert failed.ip_address == signed_in.ip_address == "10.1.2.3"
