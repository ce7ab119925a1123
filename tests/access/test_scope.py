"""Scope in detail: restricted records and exceptions, search, paging, partners, handovers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from grip.access import services
from grip.access.roles import Role
from grip.access.scope import children_visible_to
from grip.allocation.models import Allocation
from grip.audit.models import AuditEntry
from grip.frontdoor.selectors import contacts_visible_to
from tests.cases.factories import AllocationFactory, CINEpisodeFactory
from tests.people.factories import ChildFactory

from .conftest import EXPECTED

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", list(Role))
def test_scope_of_each_role(world, role):
    visible = set(children_visible_to(world.users[role]).values_list("pk", flat=True))
    assert visible == {world.children[k].pk for k in EXPECTED[role]}


def test_a_social_worker_paging_through_ids_finds_nothing_outside_their_scope(client, world):
    client.force_login(world.users[Role.SOCIAL_WORKER])
    own = {world.children[k].pk for k in EXPECTED[Role.SOCIAL_WORKER]}
    for pk in range(
        max(1, min(c.pk for c in world.children.values()) - 2), max(c.pk for c in world.children.values()) + 3
    ):
        response = client.get(reverse("web:child-record", kwargs={"pk": pk}))
        assert response.status_code == (200 if pk in own else 404)


def test_search_shows_only_children_in_scope_and_is_audited(client, world):
    client.force_login(world.users[Role.SOCIAL_WORKER])
    response = client.get(reverse("web:child-search"), {"q": "Scope"})  # every child is called "... Scope"
    page = response.content.decode()
    in_scope = {world.children[k].pk for k in ("own", "team")}
    for key, child in world.children.items():
        assert (f"/children/{child.pk}/" in page) == (child.pk in in_scope), key
    shown = in_scope
    entry = AuditEntry.objects.filter(verb="searched").latest("id")
    assert entry.actor == world.users[Role.SOCIAL_WORKER]
    assert entry.payload["query"] == "Scope" and sorted(entry.payload["result_child_ids"]) == sorted(shown)


def test_viewing_a_child_writes_an_access_entry(client, world):
    client.force_login(world.users[Role.SOCIAL_WORKER])
    client.get(reverse("web:child-record", kwargs={"pk": world.children["own"].pk}), REMOTE_ADDR="10.1.2.3")
    entry = AuditEntry.objects.filter(verb="viewed").latest("id")
    assert (entry.actor, entry.child, entry.ip_address) == (
        world.users[Role.SOCIAL_WORKER],
        world.children["own"],
        "10.1.2.3",
    )


def test_a_refused_view_writes_no_view_entry(client, world):
    client.force_login(world.users[Role.SOCIAL_WORKER])
    client.get(reverse("web:child-record", kwargs={"pk": world.children["other_service"].pk}))
    assert not AuditEntry.objects.filter(verb="viewed").exists()


def test_a_handover_keeps_the_old_team_in_sight_for_a_while_then_not(world):
    from grip.workforce.models import Worker

    child = ChildFactory()
    CINEpisodeFactory(child=child)
    worker = world.users[Role.SOCIAL_WORKER].worker
    elsewhere = Worker.objects.exclude(team=worker.team).first()
    today = timezone.localdate()
    allocation = AllocationFactory(
        child=child,
        worker=worker,
        team=worker.team,
        started_on=today - timedelta(days=200),
        ended_on=today - timedelta(days=30),
    )
    AllocationFactory(child=child, worker=elsewhere, team=elsewhere.team, started_on=today - timedelta(days=30))
    assert children_visible_to(world.users[Role.SOCIAL_WORKER]).filter(pk=child.pk).exists()
    Allocation.objects.filter(pk=allocation.pk).update(ended_on=today - timedelta(days=120))
    Allocation.objects.filter(child=child).exclude(pk=allocation.pk).update(started_on=today - timedelta(days=120))
    assert not children_visible_to(world.users[Role.SOCIAL_WORKER]).filter(pk=child.pk).exists()


def test_an_open_case_nobody_took_stays_in_sight_of_the_team_that_held_it_last(world, client):
    child = ChildFactory()
    CINEpisodeFactory(child=child, referral_date=timezone.localdate() - timedelta(days=400))
    worker = world.users[Role.SOCIAL_WORKER].worker
    today = timezone.localdate()
    AllocationFactory(
        child=child,
        worker=worker,
        team=worker.team,
        started_on=today - timedelta(days=300),
        ended_on=today - timedelta(days=200),
    )
    for role in (Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER):
        assert children_visible_to(world.users[role]).filter(pk=child.pk).exists(), role
        client.force_login(world.users[role])
        assert client.get(reverse("web:child-record", kwargs={"pk": child.pk})).status_code == 200
    child.cin_episodes.update(closure_date=today - timedelta(days=1), closure_reason="RC1")
    for role in (Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER):
        assert not children_visible_to(world.users[role]).filter(pk=child.pk).exists(), role
        client.force_login(world.users[role])
        assert client.get(reverse("web:child-record", kwargs={"pk": child.pk})).status_code == 404


# --- restricted records -------------------------------------------------------------------------


def test_a_restricted_record_is_not_found_for_people_not_named_even_with_a_whole_authority_role(client, world):
    client.force_login(world.users[Role.DIRECTOR])
    response = client.get(reverse("web:child-record", kwargs={"pk": world.children["restricted"].pk}))
    assert response.status_code == 404


def test_an_exception_lets_someone_open_it_giving_a_reason_each_time(client, world):
    manager = world.users[Role.TEAM_MANAGER]
    director = world.users[Role.DIRECTOR]
    restriction = world.children["restricted"].restriction
    services.access_exception_grant(
        restriction=restriction,
        user=director,
        reason="Serious case review in progress",
        expires_at=timezone.now() + timedelta(days=2),
        by=manager,
    )
    client.force_login(director)
    url = reverse("web:child-record", kwargs={"pk": world.children["restricted"].pk})
    asked = client.get(url)
    assert asked.status_code == 200 and b"Why do you need to open this record" in asked.content
    assert world.children["restricted"].last_name.encode() not in asked.content
    refused = client.post(url, {"access_reason": "curious", "access_step": "reason"})
    assert refused.status_code == 403 and b"at least 10 characters" in refused.content
    opened = client.post(
        url, {"access_reason": "Preparing the serious case review chronology", "access_step": "reason"}
    )
    assert opened.status_code == 200 and b"Restricted record" in opened.content
    entry = AuditEntry.objects.filter(verb="restricted_opened", child=world.children["restricted"]).latest("id")
    assert entry.actor == director and entry.payload["reason"] == "Preparing the serious case review chronology"
    assert client.get(url).status_code == 200 and b"Why do you need" in client.get(url).content  # asked again


def test_an_expired_exception_opens_nothing(client, world):
    restriction = world.children["restricted"].restriction
    services.access_exception_grant(
        restriction=restriction,
        user=world.users[Role.DIRECTOR],
        reason="Short look needed",
        expires_at=timezone.now() + timedelta(minutes=5),
        by=world.users[Role.TEAM_MANAGER],
    )
    client.force_login(world.users[Role.DIRECTOR])
    url = reverse("web:child-record", kwargs={"pk": world.children["restricted"].pk})
    import time_machine

    with time_machine.travel(timezone.now() + timedelta(minutes=10)):  # within the idle timeout
        assert client.get(url).status_code == 404


def test_only_a_named_manager_may_grant_an_exception(world):
    restriction = world.children["restricted"].restriction
    with pytest.raises(ValidationError, match="named on the restricted record"):
        services.access_exception_grant(
            restriction=restriction,
            user=world.users[Role.DIRECTOR],
            reason="Need to look",
            expires_at=timezone.now() + timedelta(days=1),
            by=world.users[Role.SERVICE_MANAGER],
        )
    assert not restriction.exceptions.exists()


def test_the_named_people_open_it_without_a_reason(client, world):
    client.force_login(world.users[Role.TEAM_MANAGER])
    response = client.get(reverse("web:child-record", kwargs={"pk": world.children["restricted"].pk}))
    assert response.status_code == 200 and b"Restricted record" in response.content


# --- partners ---------------------------------------------------------------------------------


def test_a_partner_sees_only_its_own_organisations_contacts(world):
    partner = world.users[Role.PARTNER_AGENCY_USER]
    assert list(contacts_visible_to(partner)) == [world.contacts["police"]]


def test_a_partner_cannot_read_another_partners_contact(client, world):
    client.force_login(world.users[Role.PARTNER_AGENCY_USER])
    school = world.contacts["school"]
    response = client.get(reverse("frontdoor:contact-detail", kwargs={"pk": school.pk}))
    assert response.status_code == 404 and school.reference.encode() not in response.content
    listing = client.get(reverse("frontdoor:contact-list"))
    assert world.contacts["police"].reference.encode() in listing.content
    assert school.reference.encode() not in listing.content


def test_a_partner_never_opens_a_childs_record(client, world):
    client.force_login(world.users[Role.PARTNER_AGENCY_USER])
    child = world.contacts["police"].child
    assert client.get(reverse("web:child-record", kwargs={"pk": child.pk})).status_code == 404


def test_the_front_door_is_told_a_restricted_record_matches_an_exact_identifier_and_nothing_more(client, world):
    hidden = world.children["restricted"]
    client.force_login(world.users[Role.FRONT_DOOR_PRACTITIONER])
    page = client.get(reverse("web:child-search"), {"q": hidden.la_child_id}).content.decode()
    assert "A restricted record matches this identifier" in page
    assert hidden.first_name not in page and f"/children/{hidden.pk}/" not in page
    assert AuditEntry.objects.filter(
        verb="restricted_match_shown", actor=world.users[Role.FRONT_DOOR_PRACTITIONER]
    ).exists()
    by_name = client.get(reverse("web:child-search"), {"q": "Restricted"}).content.decode()
    assert "A restricted record matches" not in by_name  # a name search never tells


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.SOCIAL_WORKER, Role.PARTNER_AGENCY_USER])
def test_other_roles_are_not_told_of_restricted_matches(client, world, role):
    client.force_login(world.users[role])
    page = client.get(reverse("web:child-search"), {"q": world.children["restricted"].la_child_id}).content.decode()
    assert "restricted record matches" not in page
