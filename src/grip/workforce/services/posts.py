"""Writes to the establishment: a team's funded posts, and who fills each one and how.

Who may: grip.access.capabilities.MANAGE_THE_ESTABLISHMENT's roles, each for the teams they are in
charge of (grip.workforce.selectors.may_manage_team): a team manager their own team, a service
manager their service area's, the director every team. Each service is one durable transaction
that locks the post (two managers could fill it at once) and writes its audit entry inside it.
A team's `establishment_fte` is kept in step: the FTE of its posts funded today.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from grip.audit import services as audit
from grip.core.codelists import codes
from grip.core.periods import open_on
from grip.workforce.establishment import Post, PostFilling
from grip.workforce.history import terms_on
from grip.workforce.models import Team, Worker
from grip.workforce.selectors import may_manage_team

AGENCY = "AGENCY"


def may_manage(by, team: Team) -> None:
    if not may_manage_team(by, team):
        raise PermissionDenied(f"You are not in charge of {team}.")


def post_checks(*, role: str, fte: Decimal) -> None:
    if role not in codes("worker_role"):
        raise ValidationError({"role": "Choose the post’s role."})
    if fte is None or not (Decimal(0) < fte <= Decimal(1)):
        raise ValidationError({"fte": "FTE must be more than 0 and at most 1, like 0.6."})


def establishment_refresh(team: Team) -> None:
    """The team's establishment_fte: its posts funded today."""
    today = timezone.localdate()
    total = Post.objects.filter(open_on("started_on", "ended_on", today), team=team).aggregate(fte=Sum("fte"))["fte"]
    Team.objects.filter(pk=team.pk).update(establishment_fte=total or Decimal(0))


@transaction.atomic(durable=True)
def post_add(
    *,
    team: Team,
    role: str,
    fte: Decimal,
    case_holding: bool,
    started_on: date,
    reference: str = "",
    by,
) -> Post:
    """A newly funded post in `team`, from `started_on`."""
    may_manage(by, team)
    post_checks(role=role, fte=fte)
    post = Post.objects.create(
        team=team, role=role, fte=fte, case_holding=case_holding, started_on=started_on, reference=reference.strip()
    )
    establishment_refresh(team)
    payload = {"team": team.pk, "role": role, "fte": str(fte), "case_holding": case_holding, "from": str(started_on)}
    audit.record(actor=by, verb="post_added", target=post, payload=payload)
    return post


@transaction.atomic(durable=True)
def post_edit(*, post: Post, role: str, fte: Decimal, case_holding: bool, reference: str = "", by) -> Post:
    """Correct a post's role, FTE, case holding or number (a change of funding is ending one post
    and adding another, so the establishment on past days stays as it was)."""
    post = Post.objects.select_for_update().select_related("team").get(pk=post.pk)
    may_manage(by, post.team)
    post_checks(role=role, fte=fte)
    before = {"role": post.role, "fte": str(post.fte), "case_holding": post.case_holding, "reference": post.reference}
    post.role, post.fte, post.case_holding, post.reference = role, fte, case_holding, reference.strip()
    post.save(update_fields=["role", "fte", "case_holding", "reference"])
    establishment_refresh(post.team)
    after = {"role": role, "fte": str(fte), "case_holding": case_holding, "reference": post.reference}
    audit.record(actor=by, verb="post_edited", target=post, payload={"before": before, "after": after})
    return post


@transaction.atomic(durable=True)
def post_end(*, post: Post, ended_on: date, by) -> Post:
    """The post is no longer funded from `ended_on`. Whoever fills it must leave it first."""
    post = Post.objects.select_for_update().select_related("team").get(pk=post.pk)
    may_manage(by, post.team)
    if post.ended_on is not None:
        raise ValidationError({"ended_on": f"This post stopped being funded on {post.ended_on:%d/%m/%Y}."})
    if ended_on <= post.started_on:
        raise ValidationError({"ended_on": f"The post was funded from {post.started_on:%d/%m/%Y}: end it after that."})
    filled = post.fillings.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=ended_on)).select_related("worker").first()
    if filled is not None:
        raise ValidationError({"ended_on": f"{filled.worker} fills this post then: record them leaving it first."})
    post.ended_on = ended_on
    post.save(update_fields=["ended_on"])
    establishment_refresh(post.team)
    audit.record(actor=by, verb="post_ended", target=post, payload={"ended_on": str(ended_on)})
    return post


def filling_checks(post: Post, worker: Worker, basis: str, started_on: date) -> None:
    if basis not in codes("post_filling_basis"):
        raise ValidationError({"basis": "Choose how the post is filled."})
    if not (post.started_on <= started_on and (post.ended_on is None or started_on < post.ended_on)):
        raise ValidationError({"started_on": f"The post is not funded on {started_on:%d/%m/%Y}."})
    if not worker.in_post_on(started_on):
        raise ValidationError({"worker": f"{worker} does not work here on {started_on:%d/%m/%Y}."})
    overlapping = Q(ended_on__isnull=True) | Q(ended_on__gt=started_on)
    if post.fillings.filter(overlapping).exists():
        raise ValidationError(
            {"started_on": "Someone fills the post on or after that day: record them leaving it first."}
        )
    if worker.post_fillings.filter(overlapping).exists():
        raise ValidationError({"worker": f"{worker} fills another post then: record them leaving it first."})
    terms = terms_on(worker, started_on)
    employment = terms.employment_type if terms is not None else worker.employment_type
    if (basis == AGENCY) != (employment == AGENCY):
        raise ValidationError(
            {"basis": "An agency worker covers a post as agency cover, and only an agency worker does."}
        )


@transaction.atomic(durable=True)
def post_fill(*, post: Post, worker: Worker, basis: str, started_on: date, by) -> PostFilling:
    """`worker` fills `post` from `started_on`: permanently, as agency cover, or on secondment."""
    post = Post.objects.select_for_update().select_related("team").get(pk=post.pk)
    may_manage(by, post.team)
    filling_checks(post, worker, basis, started_on)
    filling = PostFilling.objects.create(post=post, worker=worker, basis=basis, started_on=started_on)
    payload = {"post": post.pk, "worker": worker.pk, "basis": basis, "from": str(started_on)}
    audit.record(actor=by, verb="post_filled", target=filling, payload=payload)
    return filling


def filling_end(filling: PostFilling, ended_on: date) -> None:
    """End a filling (inside the caller's transaction): the post is vacant from `ended_on`."""
    if ended_on < filling.started_on:
        raise ValidationError({"ended_on": f"{filling.worker} filled the post from {filling.started_on:%d/%m/%Y}."})
    filling.ended_on = ended_on
    filling.save(update_fields=["ended_on"])


@transaction.atomic(durable=True)
def post_vacate(*, post: Post, ended_on: date, by) -> PostFilling:
    """Whoever fills `post` no longer does from `ended_on`: the post is vacant from that day."""
    post = Post.objects.select_for_update().select_related("team").get(pk=post.pk)
    may_manage(by, post.team)
    filling = post.fillings.filter(ended_on__isnull=True).select_related("worker").first()
    if filling is None:
        raise ValidationError({"post": "Nobody fills this post."})
    filling_end(filling, ended_on)
    audit.record(
        actor=by,
        verb="post_vacated",
        target=filling,
        payload={"post": post.pk, "worker": filling.worker_id, "ended_on": str(ended_on)},
    )
    return filling
