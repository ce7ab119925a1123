"""Allocating brothers and sisters together offers, and allows, only those the manager may open: a
sibling outside the manager's scope, or a restricted record, is neither listed nor allocated, even
when a hand-made POST names it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import Http404
from django.urls import reverse

from grip.access.models import RestrictedRecord
from grip.allocation import services
from grip.allocation.models import Allocation
from tests.cases.factories import AllocationFactory
from tests.people.factories import RelationshipFactory

pytestmark = pytest.mark.django_db


def waiting_in_queue(service, name):
    """An open case the assessment team held last, nobody holding it now (in the team's queue)."""
    child = service.open_case(name, days_ago=40)
    AllocationFactory(
        child=child,
        worker=service.workers["ben"],
        team=service.assessment,
        started_on=service.today - timedelta(days=30),
        ended_on=service.today - timedelta(days=5),
    )
    return child


@pytest.fixture
def family(service):
    child = waiting_in_queue(service, "Queued")
    in_scope = waiting_in_queue(service, "Sister")
    restricted = waiting_in_queue(service, "Hushed")
    RestrictedRecord.objects.create(child=restricted, reason="A relative works here", restricted_by=service.manager)
    outside = service.open_case("Outside")  # no team has held it: only the front door's to route
    for sibling in (in_scope, restricted, outside):
        RelationshipFactory(person=child, relative=sibling, relationship_type="SIBLING")
    return child, in_scope, restricted, outside


def test_the_allocation_page_offers_only_siblings_the_manager_may_open(client, service, family):
    child, in_scope, restricted, outside = family
    client.force_login(service.manager)
    page = client.get(reverse("allocation:child", kwargs={"pk": child.pk})).content.decode()
    assert f'id="sibling-{in_scope.pk}"' in page and in_scope.la_child_id in page
    for hidden in (restricted, outside):
        assert f'id="sibling-{hidden.pk}"' not in page
        assert hidden.la_child_id not in page and hidden.full_name not in page


@pytest.mark.parametrize("which", ["restricted", "outside"])
def test_a_post_naming_a_sibling_the_manager_may_not_open_allocates_nobody(client, service, family, which):
    child, in_scope, restricted, outside = family
    hidden = {"restricted": restricted, "outside": outside}[which]
    client.force_login(service.manager)
    response = client.post(
        reverse("allocation:child", kwargs={"pk": child.pk}),
        {"action": "allocate", "worker": service.workers["ada"].pk, "siblings": [in_scope.pk, hidden.pk]},
    )
    assert response.status_code in (400, 404)
    body = response.content.decode()
    assert hidden.full_name not in body and hidden.la_child_id not in body
    assert not Allocation.objects.filter(child__in=[child, in_scope, hidden], ended_on__isnull=True).exists()


@pytest.mark.parametrize("which", ["restricted", "outside"])
def test_the_service_refuses_to_allocate_a_child_outside_the_managers_scope(service, family, which):
    child, in_scope, restricted, outside = family
    hidden = {"restricted": restricted, "outside": outside}[which]
    with pytest.raises(Http404):
        services.siblings_allocate(actor=service.manager, children=[child, hidden], worker=service.workers["ada"])
    with pytest.raises(Http404):
        services.case_allocate(actor=service.manager, child=hidden, worker=service.workers["ada"])
    assert not Allocation.objects.filter(child__in=[child, hidden], ended_on__isnull=True).exists()


def test_a_restricted_transfer_waiting_for_the_team_is_counted_not_named(client, service):
    from .conftest import route_to_queue

    seen = service.open_case("Seen")
    hushed = service.open_case("Hushed")
    for child in (seen, hushed):
        route_to_queue(child, service.assessment, on=service.today)
    RestrictedRecord.objects.create(child=hushed, reason="A relative works here", restricted_by=service.service_manager)
    client.force_login(service.manager)
    page = client.get(reverse("allocation:queue")).content.decode()
    assert f'data-testid="incoming-row" data-child="{seen.pk}"' in page and "Seen Case" in page
    assert "Hushed" not in page and hushed.la_child_id not in page
    assert reverse("allocation:child", kwargs={"pk": hushed.pk}) not in page
    assert "1 more transfer is a restricted record you may not open" in page
