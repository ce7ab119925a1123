"""Beside each item on a chase list, the page that records what stops its clock, for those who may
record it: "My overdue and due this week" is a list of work, each with its button."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import NoReverseMatch, reverse

from grip.chasing.record_links import ASSESSMENT, RECORDED_ON
from grip.timescales.rules import rule_book
from tests.allocation.conftest import service  # noqa: F401 - the allocation tests' small service area
from tests.cases.factories import AllocationFactory, ChildProtectionPlanFactory, CINEpisodeFactory
from tests.people.factories import ChildFactory
from tests.recording.test_visit_and_note_pages import visit_form

pytestmark = pytest.mark.django_db


def test_every_rule_named_is_a_rule_of_the_book_and_every_page_exists():
    rules = {rule.key for rule in rule_book().rules}
    named = set(RECORDED_ON) | set(ASSESSMENT)
    assert named <= rules, named - rules
    for view, _capability in [*RECORDED_ON.values(), *(p for pages in ASSESSMENT.values() for p in pages)]:
        try:
            reverse(view, args=[1])
        except NoReverseMatch:  # pragma: no cover - the failure message names it
            pytest.fail(f"{view} is not a page that takes a child")


def test_my_list_offers_the_visit_page_and_recording_there_clears_the_item(client, service):  # noqa: F811
    # Hand-worked as in tests/recording: a protection plan started 30 days ago wants a CP visit
    # within 10 working days of its start, so with no visit it is overdue today.
    child = ChildFactory(first_name="Link", last_name="Visit")
    ada = service.workers["ada"]
    AllocationFactory(child=child, worker=ada, team=ada.team, started_on=service.today - timedelta(days=60))
    episode = CINEpisodeFactory(child=child, referral_date=service.today - timedelta(days=50))
    ChildProtectionPlanFactory(episode=episode, started_on=service.today - timedelta(days=30))
    client.force_login(service.users["ada"])

    page = client.get(reverse("chase:mine")).content.decode()
    row = re.search(rf'<tr[^>]*data-rule="cp_visit" data-child="{child.pk}"[^>]*>(.*?)</tr>', page, re.S)

    visit_page = reverse("recording:visit-new", args=[child.pk])
    assert row and f'href="{visit_page}"' in row.group(1) and "Record it" in row.group(1)
    assert client.post(visit_page, visit_form(service.today, "CP")).status_code == 302
    again = client.get(reverse("chase:mine")).content.decode()
    assert not re.search(rf'data-rule="cp_visit" data-child="{child.pk}" data-status="overdue"', again)


def test_a_role_that_may_not_record_is_not_offered_the_page(client, service):  # noqa: F811
    """A performance officer reads the whole authority's list but records no visits."""
    from grip.access.models import RoleGrant
    from grip.access.roles import Role

    child = ChildFactory(first_name="Read", last_name="Only")
    ada = service.workers["ada"]
    AllocationFactory(child=child, worker=ada, team=ada.team, started_on=service.today - timedelta(days=60))
    episode = CINEpisodeFactory(child=child, referral_date=service.today - timedelta(days=50))
    ChildProtectionPlanFactory(episode=episode, started_on=service.today - timedelta(days=30))
    officer = service.users["ada"].__class__.objects.create_user(username="officer")
    RoleGrant.objects.create(user=officer, role=Role.PERFORMANCE_OFFICER)
    client.force_login(officer)

    page = client.get(reverse("chase:authority")).content.decode()

    assert f'data-child="{child.pk}"' in page
    assert 'data-testid="record-link"' not in page
