"""Who has viewed a child, and the administrators' audit log search."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from grip.access.roles import Role
from grip.audit.selectors import search_audit_log, viewers_of
from grip.audit.services import record, record_view
from tests.people.factories import ChildFactory

from .conftest import make_user

pytestmark = pytest.mark.django_db


def at(day: int, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2025, 3, day, hour))


def test_viewers_of_lists_who_opened_the_record_newest_first(worker_user):
    child, other = ChildFactory(), ChildFactory()
    manager = make_user("tm1", Role.TEAM_MANAGER, first_name="Tess", last_name="Manager")
    with time_machine.travel(at(3), tick=False):
        record_view(user=worker_user, child=child, request=None)
    with time_machine.travel(at(4), tick=False):
        record(actor=manager, verb="restricted_opened", child=child, payload={"reason": "Court report"})
        record_view(user=worker_user, child=other, request=None)
        record(actor=worker_user, verb="contact_decided", target=child)  # a change, not a view

    viewings = viewers_of(child=child)

    assert [(v.username, v.full_name, v.at, v.reason) for v in viewings] == [
        ("tm1", "Tess Manager", at(4), "Court report"),
        ("sw1", "Sam Worker", at(3), ""),
    ]
    assert [v.username for v in viewers_of(child=child, since=at(4))] == ["tm1"]
    assert len(viewers_of(child=child, limit=1)) == 1


def test_search_filters_by_each_field(worker_user):
    child = ChildFactory()
    admin = make_user("admin1", Role.SYSTEM_ADMINISTRATOR)
    with time_machine.travel(at(3), tick=False):
        record_view(user=worker_user, child=child, request=None)
    with time_machine.travel(at(5, 23), tick=False):
        record(actor=admin, verb="signed_in")
    with time_machine.travel(at(7), tick=False):
        record(actor=worker_user, verb="searched", payload={"query": "x"})

    def verbs(**filters) -> list[str]:
        return [e.verb for e in search_audit_log(**filters).entries]

    assert verbs() == ["searched", "signed_in", "viewed"]
    assert verbs(actor_username="sw1") == ["searched", "viewed"]
    assert verbs(verb="signed_in") == ["signed_in"]
    assert verbs(child_id=child.pk) == ["viewed"]
    assert verbs(date_from=dt.date(2025, 3, 4)) == ["searched", "signed_in"]
    assert verbs(date_to=dt.date(2025, 3, 5)) == ["signed_in", "viewed"]  # the whole of the last day
    assert verbs(date_from=dt.date(2025, 3, 6), date_to=dt.date(2025, 3, 6)) == []


def test_search_pages_without_counting_everything():
    for n in range(5):
        record(actor=None, verb="contact_decided", payload={"n": n})

    first = search_audit_log(page_size=2)
    last = search_audit_log(page_size=2, page=3)

    assert [e.payload["n"] for e in first.entries] == [4, 3]
    assert (first.has_previous, first.has_next) == (False, True)
    assert [e.payload["n"] for e in last.entries] == [0]
    assert (last.has_previous, last.has_next) == (True, False)
    assert search_audit_log(page=0).page == 1
