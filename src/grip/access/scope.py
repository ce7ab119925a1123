"""Scope: which children's records a user may open. Every protected read starts here.

Scope follows the work:
- directors, performance officers, quality assurance leads and the front door see every child
  (the front door must check any child's history);
- a social worker sees the children allocated to them or to their team; a team manager their
  team's children; a service manager their service area's; a team also sees the cases waiting in
  its queue. These follow allocations and transfers, which grip.allocation owns: it registers them
  as reaches (grip.access.reach; what they are is written in grip.allocation.reach);
- an independent reviewing officer the children looked after or on a child protection plan;
- partner agency users and system administrators see no child's record (partners see only the
  contacts their organisation made: grip.frontdoor.selectors.contacts_visible_to).
Restricted records are visible only to the people named on them; anyone
else with a granted, unexpired exception may open one, giving a reason each time. A record out of
scope is "not found" (404), never a hint that it exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from grip.access.models import AccessException, RestrictedRecord
from grip.access.reach import registered
from grip.access.roles import TOLD_OF_RESTRICTED_MATCHES, WHOLE_AUTHORITY, Role, roles_of
from grip.cases.models import ChildProtectionPlan, LookedAfterEpisode
from grip.people.models import Person

NOT_FOUND = "No child has this record number, or it is not yours to see."


def _independent_reviewing_officer(roles: frozenset[Role]) -> Q | None:
    """An IRO sees the children looked after or on a child protection plan."""
    if Role.INDEPENDENT_REVIEWING_OFFICER not in roles:
        return None
    looked_after = LookedAfterEpisode.objects.filter(child_id=OuterRef("pk"), ended_on__isnull=True)
    on_plan = ChildProtectionPlan.objects.filter(episode__child_id=OuterRef("pk"), ended_on__isnull=True)
    return Q(Exists(looked_after)) | Q(Exists(on_plan))


def _in_work_scope(user, roles: frozenset[Role], *, skip_first: bool = False) -> Q | None:
    """Children in scope through the work (every registered reach, and IRO), before restrictions;
    None for nobody. `skip_first` leaves out the reach already asked (``child_access``)."""
    parts = Q()
    for reach in registered():
        if skip_first and reach.first:
            continue
        condition = reach.condition(user, roles)
        if condition is not None:
            parts |= condition
    iro = _independent_reviewing_officer(roles)
    if iro is not None:
        parts |= iro
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
    first = next((r for r in registered() if r.first), None)
    held = None if whole_authority or first is None else first.condition(user, roles)
    if held is not None:
        found = found.annotate(_held_by_user=ExpressionWrapper(held, output_field=BooleanField()))
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
    """In scope other than by the reach asked first: as an IRO, or by any other registered reach
    (a case waiting in the user's team's queue)."""
    if Role.INDEPENDENT_REVIEWING_OFFICER in roles and (
        LookedAfterEpisode.objects.filter(child_id=pk, ended_on__isnull=True).exists()
        or ChildProtectionPlan.objects.filter(episode__child_id=pk, ended_on__isnull=True).exists()
    ):
        return True
    others = Q()
    for reach in registered():
        condition = None if reach.first else reach.condition(user, roles)
        if condition is not None:
            others |= condition
    return bool(others) and Person.objects.filter(others, pk=pk).exists()


def _has_restriction(child: Person) -> bool:
    try:
        child.restriction  # noqa: B018 - the reverse one-to-one raises when there is none
    except RestrictedRecord.DoesNotExist:
        return False
    return True


def child_visible_to(user, pk: int) -> Person:
    """For pages about a child that are not the record itself: the child, or Http404."""
    return child_access(user, pk).child


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
