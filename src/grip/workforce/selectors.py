"""Workforce reads: which teams a person is in charge of.

A team manager is in charge of their own team; a service manager of every team of their service
area; a director of every team. Everyone else is in charge of none. What being in charge lets
them do (allocate, chase, see caseloads) is grip.access.capabilities's; this says over which teams.
"""

from __future__ import annotations

from django.db.models import QuerySet

from grip.access.roles import Role, roles_of
from grip.workforce.models import Team


def teams_managed_by(user) -> QuerySet[Team]:
    """The teams this person is in charge of (their service area included for a service manager)."""
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
