"""What record() and its shortcuts write: who, what, about which child, from where."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from grip.audit.models import AuditEntry
from grip.audit.services import client_ip, record, record_export, record_search, record_view
from tests.cases.factories import VisitFactory
from tests.people.factories import ChildFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_from():
    def make(ip: str = "10.1.2.3", path: str = "/children/1/", **meta):
        return RequestFactory().get(path, REMOTE_ADDR=ip, HTTP_USER_AGENT="Firefox/140", **meta)

    return make


def test_record_view_writes_who_viewed_which_child_from_where(worker_user, request_from):
    child = ChildFactory()

    entry = record_view(user=worker_user, child=child, request=request_from(path=f"/children/{child.pk}/"))

    entry.refresh_from_db()
    assert entry.verb == "viewed"
    assert (entry.actor, entry.actor_label) == (worker_user, "sw1")
    assert (entry.target_type, entry.target_id, entry.child_id) == ("people.person", str(child.pk), child.pk)
    assert entry.payload == {"path": f"/children/{child.pk}/"}
    assert (entry.ip_address, entry.user_agent) == ("10.1.2.3", "Firefox/140")


def test_record_view_keeps_the_reason_given_for_a_restricted_record(worker_user, request_from):
    child = ChildFactory()

    entry = record_view(user=worker_user, child=child, request=request_from(), reason="Covering for the lead worker")

    assert entry.verb == "restricted_opened"
    assert entry.payload["reason"] == "Covering for the lead worker"


def test_record_search_keeps_the_query_and_the_children_shown(worker_user, request_from):
    entry = record_search(user=worker_user, query="smith", result_child_ids=[5, 3, 9], request=request_from())

    entry.refresh_from_db()
    assert entry.verb == "searched"
    assert entry.child_id is None and entry.target_type == ""
    assert entry.payload == {"query": "smith", "result_child_ids": [5, 3, 9], "result_count": 3}


def test_record_export_keeps_what_how_many_rows_and_the_one_child(worker_user):
    child = ChildFactory()

    entry = record_export(user=worker_user, what="subject access request", child_ids=[child.pk], row_count=42)

    entry.refresh_from_db()
    assert entry.verb == "exported"
    assert entry.child_id == child.pk
    assert entry.payload == {
        "what": "subject access request",
        "row_count": 42,
        "children": [child.pk],
        "child_count": 1,
    }
    assert entry.ip_address is None and entry.user_agent == ""


def test_record_export_of_many_children_names_each_once_in_order(worker_user):
    entry = record_export(user=worker_user, what="CIN census 2025", child_ids=[12, 5, 12, 40], row_count=4)

    assert entry.child_id is None and entry.target_type == ""
    assert (entry.payload["children"], entry.payload["child_count"]) == ([5, 12, 40], 3)


def test_a_record_about_a_childs_record_is_found_under_the_child(worker_user):
    visit = VisitFactory()

    entry = record(actor=worker_user, verb="contact_decided", target=visit, payload={"field": "seen_alone"})

    assert (entry.target_type, entry.target_id) == ("cases.visit", str(visit.pk))
    assert entry.child_id == visit.child_id


def test_a_failed_sign_in_has_no_actor(request_from):
    entry = record(actor=AnonymousUser(), verb="sign_in_failed", payload={"username": "nobody"}, request=request_from())

    assert (entry.actor, entry.actor_label) == (None, "")


def test_one_record_costs_three_statements(worker_user):
    record(actor=worker_user, verb="contact_decided")  # the chain head now exists
    with CaptureQueriesContext(connection) as queries:
        record(actor=worker_user, verb="contact_decided")

    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    assert statements == ["SELECT", "INSERT", "UPDATE"]


def test_x_forwarded_for_is_ignored_unless_trusted(request_from, settings):
    request = request_from(ip="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")

    settings.GRIP_TRUST_X_FORWARDED_FOR = False
    assert client_ip(request) == "10.0.0.1"
    settings.GRIP_TRUST_X_FORWARDED_FOR = True
    assert client_ip(request) == "203.0.113.7"  # the address our proxy saw, not what the client claimed


def test_a_bad_forwarded_address_falls_back_to_the_peer(request_from, settings):
    settings.GRIP_TRUST_X_FORWARDED_FOR = True

    assert client_ip(request_from(ip="10.0.0.1", HTTP_X_FORWARDED_FOR="not-an-ip")) == "10.0.0.1"
    assert client_ip(request_from(ip="")) is None
    assert client_ip(request_from(ip="2001:DB8:0:0::1")) == "2001:db8::1"


def test_long_user_agents_are_cut_short(worker_user):
    request = RequestFactory().get("/", HTTP_USER_AGENT="x" * 1000)

    entry = record(actor=worker_user, verb="viewed", request=request)

    assert len(AuditEntry.objects.get(pk=entry.pk).user_agent) == 300
