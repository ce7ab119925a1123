"""Police protection beyond 72 hours and emergency protection orders beyond their legal length are
record errors (Children Act 1989 s46(6), s45): listed as such once the limit is passed, never as
overdue work, never escalated."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse

from grip.chasing import digest, lists
from tests.cases.factories import AllocationFactory, LookedAfterEpisodeFactory
from tests.people.factories import ChildFactory

pytestmark = pytest.mark.django_db


def under_police_protection(service, *, days_ago: int):
    child = ChildFactory(first_name="Held", last_name="Chase")
    started = service.today - timedelta(days=days_ago)
    LookedAfterEpisodeFactory(child=child, started_on=started, legal_status="L1", reason_new_episode="S")
    worker = service.workers["ada"]
    AllocationFactory(child=child, worker=worker, team=worker.team, started_on=started)
    return child


def limit_items(items):
    return [i for i in items if i.obligation.rule == "police_protection_limit"]


def test_police_protection_is_listed_as_a_record_error_once_72_hours_are_passed_and_never_escalated(service):
    under_police_protection(service, days_ago=2)
    assert limit_items(lists.for_worker(worker=service.workers["ada"], on=service.today)) == []

    child = under_police_protection(service, days_ago=40)
    (item,) = limit_items(lists.for_worker(worker=service.workers["ada"], on=service.today))
    assert (item.child, item.is_record_error, item.obligation.days_over) == (child, True, 37)
    assert not item.escalated


def test_the_chase_page_and_download_show_a_record_error_as_such(client, service):
    child = under_police_protection(service, days_ago=40)
    client.force_login(service.users["performance"])

    page = client.get(reverse("chase:authority"), {"rule": "police_protection_limit"})
    text = page.content.decode()
    assert f'data-child="{child.pk}"' in text
    assert "Record error" in text and "<strong>1</strong> record error" in text
    assert "<strong>0</strong> overdue" in text

    download = client.get(reverse("chase:authority"), {"rule": "police_protection_limit", "download": "csv"})
    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    assert [(r["LA child ID"], r["Status"]) for r in rows] == [(child.la_child_id, "Record error")]


def test_the_digest_line_of_a_record_error_says_so(service):
    under_police_protection(service, days_ago=40)
    (item,) = limit_items(lists.for_worker(worker=service.workers["ada"], on=service.today))

    assert "record error: past the legal limit by 37 days" in digest._line(item)
