"""How allocations and transfers put a child within someone's reach (registered with
grip.access.reach when Django starts: grip.allocation.apps).

- A social worker reaches the children allocated to them or to their team; a team manager their
  team's; a service manager their service area's. "Allocated" means a current allocation, or one
  that ended within GRIP_SCOPE_RECENT_ALLOCATION_DAYS (a handover period, 90 days unless set).
  This is the reach opening a record asks first: most openings are of a worker's own children.
- A team (its workers and managers, and its service manager) also reaches the cases waiting in its
  queue: those sent to it and not yet accepted, and open cases it held last that nobody holds now
  (a case whose worker left stays the team's to reallocate, however long it waits).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from grip.access.roles import Role
from grip.allocation.models import Allocation, Transfer
from grip.cases.selectors import INVOLVEMENT
from grip.core.periods import open_on
from grip.workforce.selectors import teams_managed_by

# The managers whose reach is the teams they are in charge of (a director reaches every child anyway).
IN_CHARGE = frozenset({Role.TEAM_MANAGER, Role.SERVICE_MANAGER})
HANDOVER_DAYS = 90  # local policy default: a team keeps sight of a child for 90 days after handing over


def _worker(user):
    return getattr(user, "worker", None) if getattr(user, "is_authenticated", False) else None


def _allocations_in_reach(user, roles: frozenset[Role]) -> Q | None:
    """A condition on Allocation rows that puts their child within the user's reach, or None: a
    social worker's own allocations and their team's, and those of the teams a manager is in charge
    of (grip.workforce.selectors.teams_managed_by)."""
    worker = _worker(user)
    if worker is None:
        return None
    conditions = Q()
    if Role.SOCIAL_WORKER in roles:
        conditions |= Q(worker_id=worker.pk) | Q(team_id=worker.team_id)
    if roles & IN_CHARGE:
        conditions |= Q(team__in=teams_managed_by(user).values("pk"))
    return conditions or None


def _team_condition(user, roles: frozenset[Role], team_field: str) -> Q | None:
    """A condition on rows with a team (`team_field`) that puts them in the user's teams: the team a
    social worker works in, and the teams a manager is in charge of."""
    worker = _worker(user)
    if worker is None:
        return None
    conditions = Q()
    if Role.SOCIAL_WORKER in roles:
        conditions |= Q(**{f"{team_field}_id": worker.team_id})
    if roles & IN_CHARGE:
        conditions |= Q(**{f"{team_field}__in": teams_managed_by(user).values("pk")})
    return conditions or None


def held(user, roles: frozenset[Role]) -> Q | None:
    """The child (OuterRef pk) has an allocation, current or ended within the handover period, that
    puts it within the user's reach; None when no allocation can."""
    allocations = _allocations_in_reach(user, roles)
    if allocations is None:
        return None
    recent = timezone.localdate() - timedelta(
        days=getattr(settings, "GRIP_SCOPE_RECENT_ALLOCATION_DAYS", HANDOVER_DAYS)
    )
    return Q(
        Exists(
            Allocation.objects.filter(allocations, child_id=OuterRef("pk")).filter(
                Q(ended_on__isnull=True) | Q(ended_on__gte=recent)
            )
        )
    )


def _open_case_now() -> Q:
    """The child (OuterRef pk) has an open case today."""
    today = timezone.localdate()
    parts = Q()
    for _stage, model, to_child, started, ended in INVOLVEMENT:
        parts |= Q(Exists(model.objects.filter(open_on(started, ended, today), **{to_child: OuterRef("pk")})))
    return parts


def in_team_queue(user, roles: frozenset[Role]) -> Q | None:
    """Children waiting in one of the user's teams' queues (see the module docstring)."""
    teams = _team_condition(user, roles, "to_team")
    if teams is None:
        return None
    sent = Transfer.objects.filter(teams, child_id=OuterRef("pk"), outcome="")
    later = Allocation.objects.filter(
        child_id=OuterRef("child_id"), role=Allocation.Role.LEAD, started_on__gte=OuterRef("ended_on")
    )
    held_last = Allocation.objects.filter(
        _team_condition(user, roles, "team"), child_id=OuterRef("pk"), role=Allocation.Role.LEAD, ended_on__isnull=False
    ).filter(~Q(Exists(later)))
    return Q(Exists(sent)) | (Q(Exists(held_last)) & _open_case_now())
