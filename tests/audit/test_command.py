"""`grip audit_verify` says whether the chain is intact, and fails when it is not."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from grip.audit.services import record

from .conftest import tamper

pytestmark = pytest.mark.django_db


def test_an_intact_chain_passes():
    for _ in range(3):
        record(actor=None, verb="contact_decided")
    out = io.StringIO()

    call_command("audit_verify", stdout=out)

    assert "intact: 3 entries checked" in out.getvalue()


def test_a_broken_chain_fails_with_the_first_bad_entry():
    for _ in range(3):
        record(actor=None, verb="contact_decided")
    tamper("UPDATE audit_auditentry SET verb = 'viewed' WHERE id = 2")

    with pytest.raises(CommandError, match="BROKEN at entry 2"):
        call_command("audit_verify", "--batch-size", "1")
