"""Appends from many connections at once, and emptying the database between transactional tests."""

from __future__ import annotations

import threading

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, connections, transaction

from grip.audit.models import AuditEntry
from grip.audit.services import record, verify_chain


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_log_which_then_stays_append_only():
    for _ in range(3):
        record(actor=None, verb="contact_decided")

    call_command("flush", interactive=False, verbosity=0)

    assert AuditEntry.objects.count() == 0
    assert record(actor=None, verb="contact_decided").id == 1  # a new chain, from the start
    assert verify_chain().ok
    with pytest.raises(IntegrityError, match="audit_append_only"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry")


@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite's IMMEDIATE transactions serialise writers already")
@pytest.mark.django_db(transaction=True)
def test_two_writers_at_once_keep_one_unbroken_chain():
    per_writer = 50
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def write(name: str) -> None:
        try:
            start.wait()  # both race for the (not yet made) chain head too
            for n in range(per_writer):
                with transaction.atomic():
                    record(actor=None, verb="contact_decided", payload={"writer": name, "n": n})
        except BaseException as error:  # reported below, in the test's own thread
            errors.append(error)
        finally:
            connections.close_all()

    writers = [threading.Thread(target=write, args=(name,)) for name in ("a", "b")]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()

    assert errors == []
    report = verify_chain()
    assert report.ok, report.problem
    assert report.entries_checked == 2 * per_writer
    assert list(AuditEntry.objects.order_by("id").values_list("id", flat=True)) == list(range(1, 2 * per_writer + 1))
    times = list(AuditEntry.objects.order_by("id").values_list("at", flat=True))
    assert times == sorted(times)  # time order follows chain order
