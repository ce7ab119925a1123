"""Scope: which children's records a user may open. Every protected read starts here.

Scope follows the work:
- directors, performance officers, quality assurance leads and the front door see every child
  (the front door must check any child's history);
- a social worker sees the children allocated to them or to their team;
- a team manager their team's children; a service manager their service area's;
- a team (its workers and managers, and its service manager) also sees the cases waiting in its
  queue: those sent to it and not yet accepted, and open cases it held last that nobody holds now
  (a case whose worker left stays the team's to reallocate, however long it waits);
- an independent reviewing officer the children looked after or on a child protection plan;
- partner agency users and system administrators see no child's record (partners see only the
  contacts their organisation made: `contacts_visible_to`).
"Allocated" means a current allocation, or one that ended within GRIP_SCOPE_RECENT_ALLOCATION_DAYS
(a handover period). Restricted records are visible only to the people named on them; anyone
else with a granted, unexpired exception may open one, giving a reason each time. A record out of
scope is "not found" (404), never a hint that it exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from grip.access.models import AccessException, RestrictedRecord
from grip.access.roles import TOLD_OF_RESTRICTED_MATCHES, WHOLE_AUTHORITY, Role, roles_of
from grip.allocation.models import Allocation
from grip.cases.models import ChildProtectionPlan, LookedAfterEpisode
from grip.people.models import Person

HANDOVER_DAYS = 90  # local policy default: a team keeps sight of a child for 90 days after handing over
NOT_FOUND = "No child has this record number, or it is not yours to see."


def _worker(user):
    return getattr(user, "worker", None) if getattr(user, "is_authenticated", False) else None


def _allocations_in_scope(user, roles: frozenset[Role]) -> Q | None:
    """A condition on Allocation rows that puts their child in the user's scope, or None."""
    worker = _worker(user)
    if worker is None:
        return None
    conditions = Q()
    if Role.SOCIAL_WORKER in roles:
        conditions |= Q(worker_id=worker.pk) | Q(team_id=worker.team_id)
    if Role.TEAM_MANAGER in roles:
        conditions |= Q(team_id=worker.team_id)
    if Role.SERVICE_MANAGER in roles:
        conditions |= Q(team__service_area_id=worker.team.service_area_id)
    return conditions or None


def _team_condition(user, roles: frozenset[Role], team_field: str) -> Q | None:
    """A condition on rows with a team (`team_field`) that puts them in the user's teams."""
    worker = _worker(user)
    if worker is None:
        return None
    conditions = Q()
    if roles & {Role.SOCIAL_WORKER, Role.TEAM_MANAGER}:
        conditions |= Q(**{f"{team_field}_id": worker.team_id})
    if Role.SERVICE_MANAGER in roles:
        conditions |= Q(**{f"{team_field}__service_area_id": worker.team.service_area_id})
    return conditions or None


def _open_case_now() -> Q:
    """The child (OuterRef pk) has an open case today."""
    from grip.cases.selectors import INVOLVEMENT, open_on

    today = timezone.localdate()
    parts = Q()
    for _stage, model, to_child, started, ended in INVOLVEMENT:
        parts |= Q(Exists(model.objects.filter(open_on(started, ended, today), **{to_child: OuterRef("pk")})))
    return parts


def _in_team_queue(user, roles: frozenset[Role]) -> Q | None:
    """Children waiting in one of the user's teams' queues (see the module docstring)."""
    teams = _team_condition(user, roles, "to_team")
    if teams is None:
        return None
    from grip.allocation.models import Transfer

    sent = Transfer.objects.filter(teams, child_id=OuterRef("pk"), outcome="")
    later = Allocation.objects.filter(
        child_id=OuterRef("child_id"), role=Allocation.Role.LEAD, started_on__gte=OuterRef("ended_on")
    )
    held_last = Allocation.objects.filter(
        _team_condition(user, roles, "team"), child_id=OuterRef("pk"), role=Allocation.Role.LEAD, ended_on__isnull=False
    ).filter(~Q(Exists(later)))
    return Q(Exists(sent)) | (Q(Exists(held_last)) & _open_case_now())


def _held(user, roles: frozenset[Role]) -> Exists | None:
    """The child (OuterRef pk) has an allocation, current or ended within the handover period, that
    puts it in the user's scope; None when no allocation can."""
    allocations = _allocations_in_scope(user, roles)
    if allocations is None:
        return None
    recent = timezone.localdate() - timedelta(
        days=getattr(settings, "GRIP_SCOPE_RECENT_ALLOCATION_DAYS", HANDOVER_DAYS)
    )
    return Exists(
        Allocation.objects.filter(allocations, child_id=OuterRef("pk")).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=recent)
        )
    )


def _in_work_scope(user, roles: frozenset[Role]) -> Q | None:
    """Children in scope through the work (allocations, IRO), before restrictions; None for nobody."""
    parts = Q()
    held = _held(user, roles)
    if held is not None:
        parts |= Q(held)
    queue = _in_team_queue(user, roles)
    if queue is not None:
        parts |= queue
    if Role.INDEPENDENT_REVIEWING_OFFICER in roles:
        looked_after = LookedAfterEpisode.objects.filter(child_id=OuterRef("pk"), ended_on__isnull=True)
        on_plan = ChildProtectionPlan.objects.filter(episode__child_id=OuterRef("pk"), ended_on__isnull=True)
        parts |= Q(Exists(looked_after)) | Q(Exists(on_plan))
    return parts or None


def _restriction_lifted_for(user) -> Q:
    """Restricted children this user may still see: named on the restriction, or excepted."""
    named = RestrictedRecord.objects.filter(child_id=OuterRef("pk"), named_users=user)
    excepted = AccessException.objects.filter(
        restriction__child_id=OuterRef("pk"), user=user, expires_at__gt=timezone.now()
    )
    return Q(Exists(named)) | Q(Exists(excepted))


def children_visible_to(user) -> QuerySet[Person]:
    """Every child record the user may open (restricted ones only if named or excepted)."""
    children = Person.objects.filter(la_child_id__isnull=False)
    roles = roles_of(user)
    if not roles:
        return children.none()
    if not roles & WHOLE_AUTHORITY:
        work = _in_work_scope(user, roles)
        if work is None:
            return children.none()
        children = children.filter(work)
    restricted = RestrictedRecord.objects.filter(child_id=OuterRef("pk"))
    return children.filter(~Q(Exists(restricted)) | _restriction_lifted_for(user))


@dataclass(frozen=True)
class Openable:
    visible: frozenset[int]  # of the children asked about, those the user may open
    restricted: frozenset[int]  # of the rest, those that are restricted records


def openable_among(user, ids) -> Openable:
    """For a list that names children (a register, a chase list): which of `ids` the user may open,
    and which of the others are restricted records, so the list can say how many it leaves out."""
    ids = set(ids)
    if not ids:
        return Openable(frozenset(), frozenset())
    visible = frozenset(children_visible_to(user).filter(pk__ids_in=ids).values_list("pk", flat=True))
    others = ids - visible
    restricted = RestrictedRecord.objects.filter(child_id__ids_in=others).values_list("child_id", flat=True)
    return Openable(visible, frozenset(restricted) if others else frozenset())


@dataclass(frozen=True)
class ChildAccess:
    child: Person
    restricted: bool
    needs_reason: bool  # opened under an exception: the user must say why, every time


def child_access(user, pk: int) -> ChildAccess:
    """The child with this record number if the user may open it; Http404 otherwise.

    The same rules as `children_visible_to`, checked for one child with a few small queries rather
    than the whole scope's query: opening a record is the hot path (tests hold the two to agree).
    The child and whether the user's allocations hold it come back in one query."""
    roles = roles_of(user)
    if not roles:
        raise Http404(NOT_FOUND)
    whole_authority = bool(roles & WHOLE_AUTHORITY)
    found = Person.objects.filter(pk=pk, la_child_id__isnull=False).select_related("restriction")
    held = None if whole_authority else _held(user, roles)
    if held is not None:
        found = found.annotate(_held_by_user=held)
    child = found.first()
    if child is None or not (
        whole_authority or getattr(child, "_held_by_user", False) or _in_other_work_scope_of(user, roles, pk)
    ):
        raise Http404(NOT_FOUND)
    if not _has_restriction(child):
        return ChildAccess(child, restricted=False, needs_reason=False)
    if child.restriction.named_users.filter(pk=user.pk).exists():
        return ChildAccess(child, restricted=True, needs_reason=False)
    if AccessException.objects.filter(restriction=child.restriction, user=user, expires_at__gt=timezone.now()).exists():
        return ChildAccess(child, restricted=True, needs_reason=True)
    raise Http404(NOT_FOUND)


def _in_other_work_scope_of(user, roles: frozenset[Role], pk: int) -> bool:
    """In scope other than by allocation: as an IRO, or waiting in the user's team's queue."""
    if Role.INDEPENDENT_REVIEWING_OFFICER in roles and (
        LookedAfterEpisode.objects.filter(child_id=pk, ended_on__isnull=True).exists()
        or ChildProtectionPlan.objects.filter(episode__child_id=pk, ended_on__isnull=True).exists()
    ):
        return True
    queue = _in_team_queue(user, roles)
    return queue is not None and Person.objects.filter(queue, pk=pk).exists()


def _has_restriction(child: Person) -> bool:
    try:
        child.restriction  # noqa: B018 - the reverse one-to-one raises when there is none
    except RestrictedRecord.DoesNotExist:
        return False
    return True


def child_visible_to(user, pk: int) -> Person:
    """For pages about a child that are not the record itself: the child, or Http404."""
    return child_access(user, pk).child


def contacts_visible_to(user):
    """Contacts a user may see: a partner only those its organisation made; whole-authority roles
    every contact (including those not yet matched to a child); others the contacts of children in
    their scope."""
    from grip.frontdoor.models import Contact

    roles = roles_of(user)
    seen = Contact.objects.none()
    if Role.PARTNER_AGENCY_USER in roles:
        membership = getattr(user, "partner_membership", None)
        if membership:
            seen = Contact.objects.filter(partner_organisation_id=membership.organisation_id)
    staff_roles = roles - {Role.PARTNER_AGENCY_USER}
    if staff_roles & WHOLE_AUTHORITY:
        restricted = RestrictedRecord.objects.filter(child_id=OuterRef("child_id"))
        everyone = Contact.objects.filter(
            Q(child__isnull=True) | ~Q(Exists(restricted)) | Q(child__in=children_visible_to(user))
        )
        return everyone | seen if Role.PARTNER_AGENCY_USER in roles else everyone  # no extra query to ask
    if staff_roles:
        in_scope = Contact.objects.filter(child__in=children_visible_to(user))
        return in_scope | seen if Role.PARTNER_AGENCY_USER in roles else in_scope
    return seen


@dataclass(frozen=True)
class RestrictedMatch:
    """That a restricted record matches, and whom to ask: nothing about the child."""

    ask: str


def restricted_matches(user, *, identifier: str) -> list[RestrictedMatch]:
    """Restricted records the user cannot open whose LA child ID, UPN or NHS number is exactly
    `identifier`, for the roles that must be told such a record exists (TOLD_OF_RESTRICTED_MATCHES)."""
    if not roles_of(user) & TOLD_OF_RESTRICTED_MATCHES:
        return []
    compact = "".join(identifier.split()).upper()
    if not compact:
        return []
    matching = RestrictedRecord.objects.filter(
        Q(child__la_child_id=compact) | Q(child__upn=compact) | Q(child__nhs_number=compact)
    ).select_related("restricted_by")
    hidden = matching.exclude(child__in=children_visible_to(user))
    return [RestrictedMatch(ask=r.restricted_by.get_full_name() or r.restricted_by.username) for r in hidden]
