"""The signed chain: entries link up, verify_chain finds any alteration, removal or reordering,
and neither the ORM nor the database lets an entry be changed or deleted."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from grip.audit.chain import HASHED_FIELDS, entry_hash, plain_payload
from grip.audit.keys import key_for
from grip.audit.models import GENESIS_HASH, AppendOnlyError, AuditChainHead, AuditEntry
from grip.audit.services import record, verify_chain
from tests.people.factories import ChildFactory

from .conftest import as_owner, tamper

pytestmark = pytest.mark.django_db


def append(n: int, user=None) -> list[AuditEntry]:
    return [record(actor=user, verb="contact_decided", payload={"n": i}) for i in range(n)]


def test_entries_link_each_to_the_one_before(worker_user):
    entries = append(3, worker_user)

    assert [e.id for e in entries] == [1, 2, 3]
    assert entries[0].previous_hash == GENESIS_HASH
    assert entries[1].previous_hash == entries[0].hash
    assert entries[2].previous_hash == entries[1].hash
    head = AuditChainHead.objects.get()
    assert (head.last_id, head.last_hash) == (3, entries[2].hash)


def test_stored_entries_hash_the_same_as_when_written(worker_user):
    child = ChildFactory()
    record(actor=worker_user, verb="viewed", target=child, payload={"when": 1.5, "big": 1e20, "ok": True})

    stored = AuditEntry.objects.get()
    fields = {name: getattr(stored, name) for name in HASHED_FIELDS}
    assert stored.key_id == "dev"
    assert entry_hash(stored.previous_hash, fields, key=key_for("dev")) == stored.hash
    assert stored.payload == {"when": "1.5", "big": "1e+20", "ok": True}


def test_an_intact_chain_verifies():
    append(7)

    report = verify_chain(batch_size=3)  # three batches, so the links across batches are checked

    assert report.ok and report.entries_checked == 7 and report.first_bad_id is None


def test_an_empty_log_verifies():
    assert verify_chain().ok


def test_altered_payload_is_found():
    append(5)
    tamper("UPDATE audit_auditentry SET payload = %s WHERE id = 3", ['{"n": 99}'])

    report = verify_chain()

    assert not report.ok
    assert report.first_bad_id == 3
    assert report.entries_checked == 2
    assert "entry 3's signature does not match its contents" in report.problem


def test_altered_hash_is_found():
    append(5)
    tamper("UPDATE audit_auditentry SET hash = %s WHERE id = 2", ["f" * 64])

    report = verify_chain()

    assert (report.ok, report.first_bad_id) == (False, 2)


def test_a_removed_middle_entry_is_found():
    append(5)
    tamper("DELETE FROM audit_auditentry WHERE id = 3")

    report = verify_chain()

    assert (report.ok, report.first_bad_id) == (False, 4)
    assert "does not follow entry 2" in report.problem


def test_a_removed_first_entry_is_found():
    append(3)
    tamper("DELETE FROM audit_auditentry WHERE id = 1")

    report = verify_chain()

    assert (report.ok, report.first_bad_id) == (False, 2)
    assert "start of the chain" in report.problem


def test_removed_last_entries_are_found():
    append(5)
    tamper("DELETE FROM audit_auditentry WHERE id >= 4")

    report = verify_chain()

    assert (report.ok, report.first_bad_id, report.entries_checked) == (False, 4, 3)
    assert "should end at entry 5" in report.problem


def test_a_rewritten_chain_is_found_even_with_consistent_hashes():
    # Re-hashing one altered entry is not enough: the next entry still links to the old hash.
    entries = append(3)
    forged = {
        "id": 2,
        "at": entries[1].at,
        "actor_id": None,
        "actor_label": "",
        "verb": "contact_decided",
        "target_type": "",
        "target_id": "",
        "child_id": None,
        "payload": {"n": 42},
        "ip_address": None,
        "user_agent": "",
        "key_id": "dev",
    }
    tamper(
        "UPDATE audit_auditentry SET payload = %s, hash = %s WHERE id = 2",
        ['{"n": 42}', entry_hash(entries[1].previous_hash, forged, key=key_for("dev"))],
    )

    assert (verify_chain().ok, verify_chain().first_bad_id) == (False, 3)


def test_the_database_refuses_update_and_delete_even_to_its_owner():
    append(2)
    for sql in ("UPDATE audit_auditentry SET verb = 'x' WHERE id = 1", "DELETE FROM audit_auditentry WHERE id = 1"):
        with pytest.raises(IntegrityError, match="audit_append_only"), as_owner(), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql)
    assert AuditEntry.objects.count() == 2 and verify_chain().ok


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_postgresql_refuses_truncate_even_to_its_owner():
    append(1)
    with pytest.raises(IntegrityError, match="cannot be truncated"), as_owner(), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # else the deferred FK checks block TRUNCATE
            cursor.execute("TRUNCATE audit_auditentry")


def test_the_orm_refuses_change_and_delete():
    entry = append(1)[0]
    attempts = [
        entry.save,
        entry.delete,
        lambda: AuditEntry.objects.filter(pk=entry.pk).update(verb="x"),
        lambda: AuditEntry.objects.filter(pk=entry.pk).delete(),
        lambda: AuditEntry.objects.bulk_create([AuditEntry(verb="x", hash="a")]),
        lambda: AuditEntry(verb="sneaked in").save(),  # not through record(): no hash
    ]
    for attempt in attempts:
        with pytest.raises(AppendOnlyError):
            attempt()
    assert AuditEntry.objects.count() == 1


def test_an_entry_rolls_back_with_the_change_it_records():
    append(1)
    with pytest.raises(RuntimeError), transaction.atomic():
        record(actor=None, verb="contact_decided")
        raise RuntimeError("the change failed")

    assert AuditEntry.objects.count() == 1
    assert AuditChainHead.objects.get().last_id == 1
    assert record(actor=None, verb="contact_decided").id == 2
    assert verify_chain().ok


def test_a_missing_head_continues_from_the_last_entry():
    append(2)
    AuditChainHead.objects.all().delete()

    assert not verify_chain().ok
    assert record(actor=None, verb="contact_decided").id == 3
    assert verify_chain().ok


def test_payloads_are_kept_to_plain_json():
    import datetime as dt

    value = plain_payload({"d": dt.date(2025, 3, 27), "s": {2, 1}, "t": (1, "a\x00b"), 3: 2.0})
    assert value == {"d": "2025-03-27", "s": [1, 2], "t": [1, "ab"], "3": 2}
    with pytest.raises(TypeError):
        plain_payload({"x": object()})
