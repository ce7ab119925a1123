"""Who may allocate, reallocate and transfer which team's cases.

A team manager manages their own team; a service manager every team of their service area; a
director every team. Everyone else manages none (they may still read the register if their role
allows: grip.allocation.views.REGISTER_ROLES).
"""

from __future__ import annotations

from django.db.models import QuerySet

from grip.access.roles import Role, roles_of
from grip.workforce.models import Team

# Who allocates (each within the teams they manage), and who may also send a new case to a team.
ALLOCATORS = frozenset({Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.DIRECTOR})
ROUTERS = frozenset({Role.FRONT_DOOR_MANAGER, Role.FRONT_DOOR_PRACTITIONER})


def teams_managed_by(user) -> QuerySet[Team]:
    roles = roles_of(user)
    teams = Team.objects.select_related("service_area")
    if Role.DIRECTOR in roles:
        return teams.all()
    worker = getattr(user, "worker", None)
    if worker is None:
        return teams.none()
    if Role.SERVICE_MANAGER in roles:
        return teams.filter(service_area_id=worker.team.service_area_id)
    if Role.TEAM_MANAGER in roles:
        return teams.filter(pk=worker.team_id)
    return teams.none()


def may_manage_team(user, team: Team) -> bool:
    return teams_managed_by(user).filter(pk=team.pk).exists()
