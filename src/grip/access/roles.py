"""The roles people hold in Grip. A person may hold more than one; what each may do is in
capabilities.py, which children each may see in scope.py."""

from __future__ import annotations

from django.db import models

from grip.access.leaving import has_left


class Role(models.TextChoices):
    FRONT_DOOR_PRACTITIONER = "front_door_practitioner", "Front door practitioner"
    FRONT_DOOR_MANAGER = "front_door_manager", "Front door manager"
    SOCIAL_WORKER = "social_worker", "Social worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    SERVICE_MANAGER = "service_manager", "Service manager"
    DIRECTOR = "director", "Director"
    PERFORMANCE_OFFICER = "performance_officer", "Performance officer"
    QUALITY_ASSURANCE_LEAD = "quality_assurance_lead", "Quality assurance lead"
    INDEPENDENT_REVIEWING_OFFICER = "independent_reviewing_officer", "Independent reviewing officer"
    PARTNER_AGENCY_USER = "partner_agency_user", "Partner agency user"
    SYSTEM_ADMINISTRATOR = "system_administrator", "System administrator"


# Roles that see every child's record (outside restricted records).
WHOLE_AUTHORITY = {
    Role.DIRECTOR,
    Role.PERFORMANCE_OFFICER,
    Role.QUALITY_ASSURANCE_LEAD,
    Role.FRONT_DOOR_PRACTITIONER,
    Role.FRONT_DOOR_MANAGER,
}
# Roles told that a restricted record exists when they search for its exact identifier (never by
# name, never any details): the front door must check a child's history before deciding on a
# contact (Working Together to Safeguard Children 2023, ch. 2), so a hidden record must not look
# like no record.
TOLD_OF_RESTRICTED_MATCHES = {Role.FRONT_DOOR_PRACTITIONER, Role.FRONT_DOOR_MANAGER}


def roles_of(user) -> frozenset[Role]:
    """The roles a signed-in user holds (cached on the user object for the request); none from a
    worker's leaving date on (checked every time, not cached: the date may turn mid-session)."""
    if not getattr(user, "is_authenticated", False) or has_left(user):
        return frozenset()
    cached = getattr(user, "_grip_roles", None)
    if cached is None:  # the user's grants (grip.access.models.RoleGrant, related name role_grants)
        cached = frozenset(Role(r) for r in user.role_grants.values_list("role", flat=True))
        user._grip_roles = cached
    return cached


def has_role(user, *roles: Role) -> bool:
    return bool(roles_of(user) & set(roles))
