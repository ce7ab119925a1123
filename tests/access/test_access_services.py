"""Granting and revoking roles, restricting and lifting restrictions, granting and revoking
exceptions: the system administrator's services. Bad input is refused with the field named and
changes nothing."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from grip.access import services
from grip.access.models import AccessException, RestrictedRecord, RoleGrant
from grip.access.policy import load_exception_policy
from grip.access.roles import Role, roles_of
from grip.access.scope import children_visible_to
from grip.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)  # Wednesday 4 March 2026


@pytest.fixture
def admin(world):
    return world.users[Role.SYSTEM_ADMINISTRATOR]


def _fields(error: ValidationError) -> dict:
    return error.message_dict


# --- roles --------------------------------------------------------------------------------------


def test_a_granted_role_gives_its_scope_and_a_revoked_one_takes_it_away(world, admin):
    performance = world.users[Role.PERFORMANCE_OFFICER]
    social_worker = world.users[Role.SOCIAL_WORKER]
    services.role_grant(user=social_worker, role=Role.DIRECTOR, by=admin)
    assert children_visible_to(social_worker).count() == 6  # every child but the restricted one
    services.role_revoke(user=performance, role=Role.PERFORMANCE_OFFICER, by=admin)
    assert roles_of(performance) == frozenset() and not children_visible_to(performance).exists()
    assert AuditEntry.objects.filter(verb="role_revoked", actor=admin).count() == 1


def test_granting_a_role_the_user_holds_is_refused(world, admin):
    director = world.users[Role.DIRECTOR]
    with pytest.raises(ValidationError) as refused:
        services.role_grant(user=director, role=Role.DIRECTOR, by=admin)
    assert _fields(refused.value) == {"role": ["director already holds the role Director."]}
    assert RoleGrant.objects.filter(user=director).count() == 1
    assert not AuditEntry.objects.filter(verb="role_granted").exists()


def test_revoking_a_role_the_user_does_not_hold_is_refused(world, admin):
    with pytest.raises(ValidationError) as refused:
        services.role_revoke(user=world.users[Role.DIRECTOR], role=Role.SOCIAL_WORKER, by=admin)
    assert _fields(refused.value) == {"role": ["director does not hold the role Social worker."]}


def test_an_administrator_cannot_revoke_their_own_administrator_role(world, admin):
    with pytest.raises(ValidationError, match="your own system administrator role"):
        services.role_revoke(user=admin, role=Role.SYSTEM_ADMINISTRATOR, by=admin)
    assert RoleGrant.objects.filter(user=admin, role=Role.SYSTEM_ADMINISTRATOR).exists()


@pytest.mark.parametrize("role", sorted(set(Role) - {Role.SYSTEM_ADMINISTRATOR}))
def test_only_a_system_administrator_grants_or_revokes_roles(world, role):
    target = world.users[Role.PARTNER_AGENCY_USER]
    with pytest.raises(ValidationError, match="Only a system administrator"):
        services.role_grant(user=target, role=Role.DIRECTOR, by=world.users[role])
    with pytest.raises(ValidationError, match="Only a system administrator"):
        services.role_revoke(user=target, role=Role.PARTNER_AGENCY_USER, by=world.users[role])
    assert list(target.role_grants.values_list("role", flat=True)) == [Role.PARTNER_AGENCY_USER]


# --- restricting --------------------------------------------------------------------------------


def test_an_administrator_restricts_a_record_to_the_named_people_only(world, admin):
    child = world.children["own"]
    social_worker, director = world.users[Role.SOCIAL_WORKER], world.users[Role.DIRECTOR]
    services.record_restrict(child=child, reason="A relative works in the team", named_users=[social_worker], by=admin)
    assert list(child.restriction.named_users.all()) == [social_worker]  # the administrator is not named
    assert children_visible_to(social_worker).filter(pk=child.pk).exists()
    assert not children_visible_to(director).filter(pk=child.pk).exists()


def test_restricting_an_already_restricted_record_is_refused_and_changes_nothing(world, admin):
    restricted = world.children["restricted"]
    before = list(restricted.restriction.named_users.values_list("pk", flat=True))
    with pytest.raises(ValidationError) as refused:
        services.record_restrict(
            child=restricted, reason="Another reason entirely", named_users=[world.users[Role.DIRECTOR]], by=admin
        )
    assert _fields(refused.value) == {"child": [f"Record {restricted.pk} is already restricted."]}
    restriction = RestrictedRecord.objects.get(child=restricted)
    assert restriction.reason == "A relative works in the team"
    assert list(restriction.named_users.values_list("pk", flat=True)) == before


def test_an_administrator_must_name_someone(world, admin):
    with pytest.raises(ValidationError) as refused:
        services.record_restrict(child=world.children["own"], reason="High-profile case", named_users=[], by=admin)
    assert _fields(refused.value) == {"named_users": ["Name at least one person who may see the record."]}
    assert not RestrictedRecord.objects.filter(child=world.children["own"]).exists()


def test_lifting_a_restriction_opens_the_record_to_scope_again(world, admin):
    child = world.children["restricted"]
    director = world.users[Role.DIRECTOR]
    assert not children_visible_to(director).filter(pk=child.pk).exists()
    services.record_unrestrict(child=child, by=admin)
    assert children_visible_to(director).filter(pk=child.pk).exists()
    entry = AuditEntry.objects.get(verb="unrestricted")
    assert entry.child_id == child.pk and entry.payload["named_users"] == [world.users[Role.TEAM_MANAGER].pk]


def test_lifting_a_restriction_that_is_not_there_is_refused(world, admin):
    with pytest.raises(ValidationError) as refused:
        services.record_unrestrict(child=world.children["own"], by=admin)
    assert _fields(refused.value) == {"child": [f"Record {world.children['own'].pk} is not restricted."]}


# --- exceptions ---------------------------------------------------------------------------------


def _grant(world, by, *, expires_at, user=None, reason="Serious case review in progress"):
    return services.access_exception_grant(
        restriction=world.children["restricted"].restriction,
        user=user or world.users[Role.DIRECTOR],
        reason=reason,
        expires_at=expires_at,
        by=by,
    )


def test_the_longest_exception_comes_from_the_policy_file_with_its_source():
    policy = load_exception_policy()
    assert policy.longest_days == 90 and "Local policy" in policy.source


def test_an_exception_may_last_to_the_end_of_the_ninetieth_day_and_no_longer(world, admin, time_machine):
    time_machine.move_to(NOW, tick=False)
    # 4 March 2026 + 90 days = 2 June 2026: an exception may run to midnight at the end of that day.
    last = dt.datetime(2026, 6, 3, 0, 0, tzinfo=LONDON)
    with pytest.raises(ValidationError) as refused:
        _grant(world, admin, expires_at=last + dt.timedelta(seconds=1))
    assert _fields(refused.value) == {
        "expires_at": ["An exception can last at most 90 days: choose 2 June 2026 or earlier."]
    }
    assert not AccessException.objects.exists()
    exception = _grant(world, admin, expires_at=last)
    assert exception.expires_at == last


def test_an_exception_expiring_in_the_past_is_refused(world, admin, time_machine):
    time_machine.move_to(NOW, tick=False)
    with pytest.raises(ValidationError) as refused:
        _grant(world, admin, expires_at=NOW - dt.timedelta(days=1))
    assert _fields(refused.value) == {"expires_at": ["An exception must end in the future."]}
    assert not AccessException.objects.exists()


def test_no_exception_for_someone_named_or_already_excepted(world, admin):
    soon = timezone.now() + dt.timedelta(days=3)
    with pytest.raises(ValidationError) as named:
        _grant(world, admin, expires_at=soon, user=world.users[Role.TEAM_MANAGER])
    assert _fields(named.value) == {"user": ["team_manager is named on this record: they need no exception."]}
    _grant(world, admin, expires_at=soon)
    with pytest.raises(ValidationError, match="director already has an exception for this record until"):
        _grant(world, admin, expires_at=soon + dt.timedelta(days=1))
    assert AccessException.objects.count() == 1


def test_a_revoked_exception_opens_nothing_and_cannot_be_revoked_twice(world, admin):
    director = world.users[Role.DIRECTOR]
    exception = _grant(world, admin, expires_at=timezone.now() + dt.timedelta(days=3))
    child = world.children["restricted"]
    assert children_visible_to(director).filter(pk=child.pk).exists()

    services.access_exception_revoke(exception=exception, by=admin)

    assert not children_visible_to(director).filter(pk=child.pk).exists()
    exception.refresh_from_db()
    assert exception.revoked_by == admin and exception.revoked_at is not None
    with pytest.raises(ValidationError) as again:
        services.access_exception_revoke(exception=exception, by=admin)
    assert _fields(again.value) == {"exception": ["This exception has already ended."]}


def test_a_manager_not_named_cannot_revoke_an_exception(world, admin):
    exception = _grant(world, admin, expires_at=timezone.now() + dt.timedelta(days=3))
    with pytest.raises(ValidationError, match="named on the restricted record"):
        services.access_exception_revoke(exception=exception, by=world.users[Role.SERVICE_MANAGER])
    exception.refresh_from_db()
    assert exception.revoked_at is None
