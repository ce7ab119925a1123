"""Two managers allocating the same case at the same moment end with exactly one lead allocation.

Real parallel requests, each on its own database connection and thread, released together by a
barrier. Run on both databases by the suite; PostgreSQL is the production case (row locks), SQLite
serialises writers with IMMEDIATE transactions.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from grip.access.roles import Role
from grip.allocation.models import Allocation, Transfer
from grip.audit.models import AuditEntry

from .conftest import user_with

pytestmark = pytest.mark.django_db(transaction=True)
ROUNDS = 10


def _in_parallel(*calls):
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as error:  # noqa: BLE001 - the test inspects whatever happened
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_two_managers_posting_the_allocation_form_at_once_make_one_lead_allocation(service):
    second_manager = user_with("tm2", Role.SERVICE_MANAGER, None)
    from tests.cases.factories import WorkerFactory

    WorkerFactory(team=service.assessment, role="SM", user=second_manager)
    for round_ in range(ROUNDS):
        child = service.open_case(f"Race{round_}")
        Transfer.objects.create(  # new to the team: waiting in its queue
            child=child,
            to_team=service.assessment,
            handover_note="New referral: assessment needed.",
            requested_by=service.service_manager,
            requested_on=service.today,
        )
        url = reverse("allocation:child", kwargs={"pk": child.pk})
        clients = []
        for user, worker in ((service.manager, service.workers["ada"]), (second_manager, service.workers["ben"])):
            client = Client()
            client.force_login(user)
            clients.append((client, worker))
        responses = _in_parallel(
            *(lambda c=c, w=w, u=url: c.post(u, {"action": "allocate", "worker": w.pk}) for c, w in clients)
        )
        assert all(not isinstance(r, Exception) for r in responses), responses
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [302, 400], statuses  # one allocates; the other is told who holds it
        refused = next(r for r in responses if r.status_code == 400)
        assert b"is already allocated to" in refused.content
        assert Allocation.objects.filter(child=child, role="lead").count() == 1
        assert AuditEntry.objects.filter(child=child, verb="case_allocated").count() == 1
