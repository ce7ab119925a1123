"""Entries are signed with HMAC-SHA256 under a key from settings, never the database; each entry
names its key, so a rotated-out key still verifies what it signed."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC

import pytest

from config.settings.audit_keys import DEV_KEYS
from grip.audit.chain import entry_hash
from grip.audit.models import GENESIS_HASH, AuditEntry
from grip.audit.services import record, verify_chain

from .conftest import tamper

pytestmark = pytest.mark.django_db

K1 = "first-key-secret-" + "a" * 32
K2 = "second-key-secret-" + "b" * 32


def test_an_entry_is_signed_with_hmac_sha256_of_the_previous_hash_and_its_fields():
    entry = record(actor=None, verb="contact_decided", payload={"n": 1})

    # Worked by hand from the rule in grip/audit/chain.py's docstring, not by calling it.
    at = entry.at.astimezone(UTC).isoformat(timespec="microseconds")
    document = (
        '{"actor_id":null,"actor_label":"","at":"' + at + '","child_id":null,"id":"1","ip_address":null,'
        '"key_id":"dev","payload":{"n":1},"target_id":"","target_type":"","user_agent":"","verb":"contact_decided"}'
    )
    expected = hmac.new(DEV_KEYS["dev"].encode(), (GENESIS_HASH + document).encode(), hashlib.sha256).hexdigest()
    assert json.loads(document)["payload"] == {"n": 1}  # the hand-written JSON is well formed
    assert (entry.key_id, entry.hash) == ("dev", expected)
    assert entry.hash != hashlib.sha256((GENESIS_HASH + document).encode()).hexdigest()  # not the old unkeyed hash


def test_test_and_dev_settings_use_the_marked_development_key(settings):
    assert settings.GRIP_AUDIT_KEY_ID == "dev"
    assert "NOT-SECRET" in settings.GRIP_AUDIT_KEYS["dev"]


def test_entries_re_signed_without_the_key_are_found(settings):
    for n in range(5):
        record(actor=None, verb="contact_decided", payload={"n": n})
    # Someone with the database but not the key rewrites entry 3 and re-signs it and every entry
    # after it, with a guessed key: the links all hold, the signatures do not.
    rows = list(AuditEntry.objects.order_by("id").values())
    previous = rows[1]["hash"]
    for row in rows[2:]:
        row["payload"] = {"n": 99} if row["id"] == 3 else row["payload"]
        forged = entry_hash(previous, row, key=b"a guess at the key")
        tamper(
            "UPDATE audit_auditentry SET payload = %s, previous_hash = %s, hash = %s WHERE id = %s",
            [json.dumps(row["payload"]), previous, forged, row["id"]],
        )
        previous = forged

    report = verify_chain()

    assert (report.ok, report.first_bad_id) == (False, 3)
    assert "entry 3's signature does not match its contents" in report.problem


def test_after_a_rotation_old_entries_verify_with_the_old_key_kept(settings):
    settings.GRIP_AUDIT_KEYS, settings.GRIP_AUDIT_KEY_ID = {"k1": K1}, "k1"
    record(actor=None, verb="contact_decided")
    record(actor=None, verb="contact_decided")
    settings.GRIP_AUDIT_KEYS, settings.GRIP_AUDIT_KEY_ID = {"k2": K2, "k1": K1}, "k2"
    record(actor=None, verb="contact_decided")

    assert list(AuditEntry.objects.order_by("id").values_list("key_id", flat=True)) == ["k1", "k1", "k2"]
    assert verify_chain().ok


def test_an_entry_whose_key_is_no_longer_held_is_named(settings):
    settings.GRIP_AUDIT_KEYS, settings.GRIP_AUDIT_KEY_ID = {"k1": K1}, "k1"
    record(actor=None, verb="contact_decided")
    settings.GRIP_AUDIT_KEYS, settings.GRIP_AUDIT_KEY_ID = {"k2": K2}, "k2"  # k1 dropped: a mistake
    record(actor=None, verb="contact_decided")

    report = verify_chain()

    assert (report.ok, report.first_bad_id) == (False, 1)
    assert "signed with key 'k1', which is not in GRIP_AUDIT_KEYS" in report.problem


def test_the_same_entry_under_another_key_does_not_verify(settings):
    settings.GRIP_AUDIT_KEYS, settings.GRIP_AUDIT_KEY_ID = {"k1": K1}, "k1"
    record(actor=None, verb="contact_decided")
    settings.GRIP_AUDIT_KEYS = {"k1": K2}  # same id, another secret

    assert verify_chain().first_bad_id == 1
