"""The four ways the unkeyed chain with a trusted head row was rewritten unnoticed (issue 12), each
now named by `grip audit_verify`. A checkpoint was written before each tampering, as cron does.

(a) cut the tail and move the head back; (b) wipe the log and the head; (c) rewrite an entry and
re-hash everything after it; (d) PostgreSQL: set the bypass and TRUNCATE, which the application's
own role may no longer do at all, and which, done by the owner, the checkpoint shows."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, ProgrammingError, connection, transaction

from grip.audit.chain import utc_iso
from grip.audit.checkpoints import write_checkpoint
from grip.audit.models import AuditEntry
from grip.audit.services import record, verify_chain

from .conftest import APP_ROLE, as_owner, current_role, tamper

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="roles and TRUNCATE are PostgreSQL's")


def append(n: int) -> None:
    for i in range(n):
        record(actor=None, verb="contact_decided", payload={"n": i})


def verify_fails(match: str) -> str:
    with pytest.raises(CommandError, match=match) as failure:
        call_command("audit_verify", "--batch-size", "2", stdout=io.StringIO())
    return str(failure.value)


def test_a_cut_tail_with_the_head_moved_back_is_named():
    append(7)
    checkpoint = write_checkpoint()
    tamper("DELETE FROM audit_auditentry WHERE id > 4")
    tamper("UPDATE audit_auditchainhead SET last_id = 4, last_hash = (SELECT hash FROM audit_auditentry WHERE id = 4)")
    assert verify_chain(checkpoints=checkpoint_less()).ok  # what the head alone could tell: nothing

    message = verify_fails("BROKEN at entry 5")

    assert f"the log ends at entry 4 but the checkpoint of {checkpoint.when} saw entry 7" in message


def test_the_head_moved_back_over_entries_still_there_is_named():
    append(5)
    write_checkpoint()
    tamper("UPDATE audit_auditchainhead SET last_id = 3, last_hash = (SELECT hash FROM audit_auditentry WHERE id = 3)")

    verify_fails("the chain head says the log ends at entry 3 but it goes on to 5")


def test_a_wiped_log_and_head_are_named():
    append(6)
    checkpoint = write_checkpoint()
    tamper("DELETE FROM audit_auditentry")
    tamper("DELETE FROM audit_auditchainhead")
    assert verify_chain(checkpoints=checkpoint_less()).ok

    message = verify_fails("BROKEN at entry 1")

    assert f"the log is empty but the checkpoint of {checkpoint.when} saw entry 6" in message


def test_a_wiped_log_begun_again_is_named():
    append(3)
    checkpoint = write_checkpoint()
    tamper("DELETE FROM audit_auditentry")
    tamper("DELETE FROM audit_auditchainhead")
    append(5)  # the application carries on, signing a new chain from the start

    message = verify_fails("BROKEN at entry 3")

    assert f"entry 3 is not the entry the checkpoint of {checkpoint.when} saw there" in message


def test_a_rewritten_entry_re_hashed_onwards_is_named():
    append(6)
    write_checkpoint()
    # The old scheme: sha256(previous hash + the entry's canonical JSON), with no key. An insider
    # recomputes it for entry 3 (altered) and for every entry after it, and moves the head.
    previous = AuditEntry.objects.get(id=2).hash
    for row in AuditEntry.objects.filter(id__gte=3).order_by("id").values():
        payload = {"n": "rewritten"} if row["id"] == 3 else row["payload"]
        document = {"id": str(row["id"]), "at": utc_iso(row["at"]), "verb": row["verb"], "payload": payload}
        forged = hashlib.sha256((previous + json.dumps(document, sort_keys=True)).encode()).hexdigest()
        tamper(
            "UPDATE audit_auditentry SET payload = %s, previous_hash = %s, hash = %s WHERE id = %s",
            [json.dumps(payload), previous, forged, row["id"]],
        )
        previous = forged
    tamper("UPDATE audit_auditchainhead SET last_hash = %s", [previous])

    verify_fails("BROKEN at entry 3: entry 3's signature does not match its contents")


@postgresql_only
def test_the_application_role_cannot_set_the_bypass_and_truncate_the_log():
    append(4)
    write_checkpoint()
    assert current_role() == APP_ROLE  # as the deployed application connects
    refused = [
        "SET grip.audit_erasure_allowed = 'on'; TRUNCATE audit_auditentry",
        "SET grip.audit_erasure_allowed = 'on'; TRUNCATE audit_auditentry, audit_auditchainhead CASCADE",
        "UPDATE audit_auditentry SET verb = 'viewed' WHERE id = 2",
        "DELETE FROM audit_auditentry WHERE id > 2",
        "ALTER TABLE audit_auditentry DISABLE TRIGGER USER",
        "DROP TRIGGER audit_append_only ON audit_auditentry",
        "ALTER ROLE CURRENT_USER SET grip.audit_erasure_allowed = 'on'",
    ]
    for sql in refused:
        with pytest.raises(ProgrammingError, match="permission denied|must be owner"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql)

    assert AuditEntry.objects.count() == 4
    call_command("audit_verify", stdout=io.StringIO())


@postgresql_only
def test_the_bypass_counts_only_for_the_owner_even_if_truncate_were_granted():
    append(2)
    with as_owner(), connection.cursor() as cursor:
        cursor.execute(f"GRANT TRUNCATE ON audit_auditentry TO {APP_ROLE}")  # a mistaken grant

    with pytest.raises(IntegrityError, match="the audit log cannot be truncated"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET grip.audit_erasure_allowed = 'on'")
            cursor.execute("TRUNCATE audit_auditentry")
    assert AuditEntry.objects.count() == 2


@postgresql_only
def test_the_owner_setting_the_bypass_and_truncating_is_named():
    append(5)
    checkpoint = write_checkpoint()
    with as_owner(), connection.cursor() as cursor:  # what the application's role could do before
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # else the deferred FK checks block TRUNCATE
        cursor.execute("SET grip.audit_erasure_allowed = 'on'")
        cursor.execute("TRUNCATE audit_auditentry, audit_auditchainhead")
        cursor.execute("RESET grip.audit_erasure_allowed")
    assert verify_chain(checkpoints=checkpoint_less()).ok

    message = verify_fails("BROKEN at entry 1")

    assert f"the log is empty but the checkpoint of {checkpoint.when} saw entry 5" in message


def checkpoint_less():
    """A checkpoint file that does not exist: the log checked as the original code checked it."""
    return settings.GRIP_AUDIT_CHECKPOINT_PATH.with_name("none.jsonl")
