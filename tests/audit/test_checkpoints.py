"""Signed checkpoints appended outside the database, and the log checked against them."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
from datetime import UTC

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from config.settings.audit_keys import DEV_KEYS
from grip.audit.checkpoints import CheckpointRefused, read_checkpoints, write_checkpoint
from grip.audit.services import record, verify_chain

from .conftest import tamper

pytestmark = pytest.mark.django_db


def append(n: int) -> list:
    return [record(actor=None, verb="contact_decided", payload={"n": i}) for i in range(n)]


def test_a_checkpoint_is_a_signed_line_appended_to_the_file(checkpoint_file):
    entries = append(3)

    checkpoint = write_checkpoint()

    (line,) = checkpoint_file.read_text().splitlines()
    fields = json.loads(line)
    assert (fields["last_id"], fields["last_hash"], fields["key_id"]) == (3, entries[-1].hash, "dev")
    # Worked by hand: HMAC-SHA256 of a marker line and the four other fields as compact sorted JSON.
    at = checkpoint.at.astimezone(UTC).isoformat(timespec="microseconds")
    signed = "grip-audit-checkpoint\n" + f'{{"at":"{at}","key_id":"dev","last_hash":"{entries[-1].hash}","last_id":3}}'
    assert fields["signature"] == hmac.new(DEV_KEYS["dev"].encode(), signed.encode(), hashlib.sha256).hexdigest()


def test_checkpoints_are_appended_never_rewritten(checkpoint_file):
    append(1)
    write_checkpoint()
    first = checkpoint_file.read_text()
    append(2)

    write_checkpoint()

    text = checkpoint_file.read_text()
    assert text.startswith(first)
    assert [c.last_id for c in read_checkpoints()] == [1, 3]


def test_an_intact_log_verifies_against_its_checkpoints():
    append(2)
    write_checkpoint()
    append(2)  # written since: the log goes on past the checkpoint
    checkpoint = write_checkpoint()
    append(1)

    report = verify_chain()

    assert report.ok and report.entries_checked == 5
    assert f"against the checkpoint of {checkpoint.when} at entry 4" in str(report)


def test_an_empty_log_checkpoints_and_verifies():
    write_checkpoint()
    assert verify_chain().ok


def test_an_altered_checkpoint_is_named(checkpoint_file):
    append(3)
    write_checkpoint()
    line = json.loads(checkpoint_file.read_text())
    checkpoint_file.write_text(json.dumps(line | {"last_id": 2}) + "\n")

    report = verify_chain()

    assert not report.ok
    assert "the checkpoint on line 1" in report.problem and "has a signature that does not match" in report.problem


def test_a_line_that_is_not_a_checkpoint_is_named(checkpoint_file):
    append(1)
    write_checkpoint()
    with checkpoint_file.open("a") as file:
        file.write("not json\n")

    report = verify_chain()

    assert not report.ok and "line 2 of" in report.problem and "is not a checkpoint" in report.problem


def test_a_checkpoint_signed_with_an_unknown_key_is_named(settings):
    append(1)
    settings.GRIP_AUDIT_KEYS, settings.GRIP_AUDIT_KEY_ID = {"k9": "k9-secret-" + "z" * 32} | DEV_KEYS, "k9"
    write_checkpoint()
    settings.GRIP_AUDIT_KEYS, settings.GRIP_AUDIT_KEY_ID = DEV_KEYS, "dev"

    report = verify_chain()

    assert not report.ok and "signed with key 'k9', which is not in GRIP_AUDIT_KEYS" in report.problem


def test_no_checkpoint_fails_only_where_one_is_required(checkpoint_file, settings):
    append(1)

    assert verify_chain().ok
    assert "no checkpoint in" in str(verify_chain())
    settings.GRIP_AUDIT_REQUIRE_CHECKPOINT = True
    report = verify_chain()
    assert not report.ok and "there is no checkpoint in" in report.problem


def test_no_checkpoint_vouches_for_an_altered_last_entry(checkpoint_file):
    append(2)
    tamper("UPDATE audit_auditentry SET verb = 'viewed' WHERE id = 2")

    with pytest.raises(CheckpointRefused, match="entry 2's signature does not match"):
        write_checkpoint()
    assert not checkpoint_file.exists()


def test_the_command_appends_a_checkpoint(checkpoint_file):
    append(2)
    out = io.StringIO()

    call_command("audit_checkpoint", stdout=out)
    call_command("audit_checkpoint", stdout=out)

    assert "Checkpoint at entry 2 (" in out.getvalue() and str(checkpoint_file) in out.getvalue()
    assert [c.last_id for c in read_checkpoints()] == [2, 2]


def test_verify_can_check_against_a_copy_of_the_checkpoints(tmp_path, checkpoint_file):
    append(3)
    copy = tmp_path / "copy.jsonl"
    write_checkpoint(path=copy)
    tamper("DELETE FROM audit_auditentry WHERE id = 3")
    tamper("UPDATE audit_auditchainhead SET last_id = 2, last_hash = (SELECT hash FROM audit_auditentry WHERE id = 2)")

    call_command("audit_verify", stdout=io.StringIO())  # the settings' file is empty: nothing to check the end
    with pytest.raises(CommandError, match="the log ends at entry 2 but the checkpoint of .* saw entry 3"):
        call_command("audit_verify", "--checkpoints", str(copy))
