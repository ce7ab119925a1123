"""A small authority for access tests: two service areas, three teams, children in and out of
each role's scope, a restricted record, and one user per role."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model

from grip.access.models import PartnerMembership, RestrictedRecord, RoleGrant
from grip.access.roles import Role
from grip.frontdoor.models import PartnerOrganisation
from grip.workforce.models import ServiceArea
from tests.cases.factories import (
    AllocationFactory,
    CINEpisodeFactory,
    ContactFactory,
    LookedAfterEpisodeFactory,
    TeamFactory,
    WorkerFactory,
)
from tests.people.factories import ChildFactory

PASSWORD = "a-long-test-password"


@dataclass
class World:
    children: dict[str, object] = field(default_factory=dict)
    users: dict[Role, object] = field(default_factory=dict)
    contacts: dict[str, object] = field(default_factory=dict)
    organisations: dict[str, object] = field(default_factory=dict)


# Which of the world's children each role may open. The restricted child is allocated to the
# social worker's team, but only the team manager is named on it.
EXPECTED = {
    Role.FRONT_DOOR_PRACTITIONER: {"own", "team", "other_team", "other_service", "looked_after", "unallocated"},
    Role.FRONT_DOOR_MANAGER: {"own", "team", "other_team", "other_service", "looked_after", "unallocated"},
    Role.DIRECTOR: {"own", "team", "other_team", "other_service", "looked_after", "unallocated"},
    Role.PERFORMANCE_OFFICER: {"own", "team", "other_team", "other_service", "looked_after", "unallocated"},
    Role.QUALITY_ASSURANCE_LEAD: {"own", "team", "other_team", "other_service", "looked_after", "unallocated"},
    Role.SOCIAL_WORKER: {"own", "team"},
    Role.TEAM_MANAGER: {"own", "team", "restricted"},
    Role.SERVICE_MANAGER: {"own", "team", "other_team"},
    Role.INDEPENDENT_REVIEWING_OFFICER: {"looked_after"},
    Role.PARTNER_AGENCY_USER: set(),
    Role.SYSTEM_ADMINISTRATOR: set(),
}
# Which contacts each role may see: a partner only its own organisation's; staff, the contacts of
# children in their scope (the police contact is about "own", the school's about "team").
CONTACT_KEYS = ["police", "school"]
EXPECTED_CONTACTS = {
    role: {key for key, child in (("police", "own"), ("school", "team")) if child in seen}
    for role, seen in EXPECTED.items()
}
EXPECTED_CONTACTS[Role.PARTNER_AGENCY_USER] = {"police"}
CHILD_KEYS = ["own", "team", "other_team", "other_service", "looked_after", "unallocated", "restricted"]


@pytest.fixture
def world(db) -> World:
    w = World()
    north, south = ServiceArea.objects.create(name="North"), ServiceArea.objects.create(name="South")
    team_a = TeamFactory(name="North A", service_area=north)
    team_b = TeamFactory(name="North B", service_area=north)
    team_c = TeamFactory(name="South C", service_area=south)
    worker = WorkerFactory(team=team_a, role="SW")
    colleague = WorkerFactory(team=team_a, role="SW")
    manager = WorkerFactory(team=team_a, role="TM")
    service_manager = WorkerFactory(team=team_a, role="SM")
    other_b, other_c = WorkerFactory(team=team_b), WorkerFactory(team=team_c)
    start = date.today() - timedelta(days=30)
    holders = {
        "own": worker,
        "team": colleague,
        "other_team": other_b,
        "other_service": other_c,
        "looked_after": other_c,
        "restricted": colleague,
    }
    for key in CHILD_KEYS:
        child = ChildFactory(first_name=key.replace("_", " ").title(), last_name="Scope")
        CINEpisodeFactory(child=child, referral_date=start)
        if key in holders:
            AllocationFactory(child=child, worker=holders[key], team=holders[key].team, started_on=start)
        w.children[key] = child
    LookedAfterEpisodeFactory(child=w.children["looked_after"], started_on=start)
    users = {}
    User = get_user_model()
    for role in Role:
        user = User.objects.create_user(username=role.value, password=PASSWORD)
        RoleGrant.objects.create(user=user, role=role)
        users[role] = user
    for role, w_ in (
        (Role.SOCIAL_WORKER, worker),
        (Role.TEAM_MANAGER, manager),
        (Role.SERVICE_MANAGER, service_manager),
    ):
        w_.user = users[role]
        w_.save()
    police = PartnerOrganisation.objects.create(name="Test Police", referral_source="6")
    school = PartnerOrganisation.objects.create(name="Test School", referral_source="2A")
    PartnerMembership.objects.create(user=users[Role.PARTNER_AGENCY_USER], organisation=police)
    w.organisations = {"police": police, "school": school}
    w.contacts = {
        "police": ContactFactory(child=w.children["own"], partner_organisation=police, source="6", route="API"),
        "school": ContactFactory(child=w.children["team"], partner_organisation=school, source="2A", route="WEB"),
    }
    restriction = RestrictedRecord.objects.create(
        child=w.children["restricted"], reason="A relative works in the team", restricted_by=users[Role.TEAM_MANAGER]
    )
    restriction.named_users.add(users[Role.TEAM_MANAGER])
    w.users = users
    return w
