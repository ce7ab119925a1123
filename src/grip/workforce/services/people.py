"""Writes about people: a starter, a leaver and why, a change of terms from a day, Social Work
England registration, and the ASYE.

A worker's terms have a history (grip.workforce.establishment.WorkerTerms): a change ends the
current row on its effective day and starts a new one, and the Worker's own fields (role, team,
FTE, contract, manager), which the rest of Grip reads as "now", are set to the new terms in the
same transaction. A change takes effect today or earlier, never later, so "now" never runs ahead.

Who may: as for posts (grip.workforce.services.posts), the managers in charge of the worker's
team; a move between teams needs someone in charge of both.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from grip.audit import services as audit
from grip.cases.services.checks import not_in_future
from grip.core.codelists import codes
from grip.workforce.establishment import SWE_NUMBER, Asye, Post, Registration, WorkerTerms
from grip.workforce.models import Team, Worker

from .posts import filling_checks, filling_end, may_manage

# Roles that are not registered social work (the worker_role code list says so: FSW, PA).
UNREGISTERED_ROLES = frozenset({"FSW", "PA"})
NEWLY_QUALIFIED, QUALIFIED = "ASYE", "SW"
TERMS_FIELDS = ("role", "team", "fte", "employment_type", "manager")


def _terms_checks(*, role: str, team: Team, fte: Decimal, employment_type: str, manager: Worker | None) -> None:
    if role not in codes("worker_role"):
        raise ValidationError({"role": "Choose the role."})
    if fte is None or not (Decimal(0) < fte <= Decimal(1)):
        raise ValidationError({"fte": "FTE must be more than 0 and at most 1, like 0.6."})
    if employment_type not in codes("employment_type"):
        raise ValidationError({"employment_type": "Choose the kind of contract."})


@transaction.atomic(durable=True)
def starter_record(
    *,
    first_name: str,
    last_name: str,
    team: Team,
    role: str,
    fte: Decimal,
    employment_type: str,
    started_on: date,
    manager: Worker | None = None,
    start_origin: str = "",
    post: Post | None = None,
    basis: str = "",
    by,
) -> Worker:
    """A new worker from `started_on`, with their first terms, in `post` if given (on `basis`)."""
    may_manage(by, team)
    if not first_name.strip() or not last_name.strip():
        raise ValidationError({"first_name": "Enter the starter’s first and last names."})
    _terms_checks(role=role, team=team, fte=fte, employment_type=employment_type, manager=manager)
    if start_origin and start_origin not in codes("start_origin"):
        raise ValidationError({"start_origin": "Choose where they came from."})
    worker = Worker.objects.create(
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        team=team,
        role=role,
        is_qualified_social_worker=role not in UNREGISTERED_ROLES,
        fte=fte,
        employment_type=employment_type,
        manager=manager,
        started_on=started_on,
        start_origin=start_origin,
    )
    WorkerTerms.objects.create(
        worker=worker,
        role=role,
        team=team,
        fte=fte,
        employment_type=employment_type,
        manager=manager,
        started_on=started_on,
    )
    payload = {"team": team.pk, "role": role, "fte": str(fte), "contract": employment_type, "from": str(started_on)}
    if post is not None:
        post = Post.objects.select_for_update().get(pk=post.pk)
        if post.team_id != team.pk:
            raise ValidationError({"post": f"That post is in {post.team}, not {team}."})
        filling_checks(post, worker, basis, started_on)
        post.fillings.create(worker=worker, basis=basis, started_on=started_on)
        payload |= {"post": post.pk, "basis": basis}
    audit.record(actor=by, verb="starter_recorded", target=worker, payload=payload)
    return worker


def _locked(worker: Worker) -> Worker:
    return Worker.objects.select_for_update().select_related("team").get(pk=worker.pk)


@transaction.atomic(durable=True)
def leaver_record(*, worker: Worker, left_on: date, reason: str, by) -> Worker:
    """The worker leaves: from `left_on` they are not in post (Worker.has_left_by), hold no case
    and fill no post (the post they filled is vacant from that day). `reason` is the census's."""
    worker = _locked(worker)
    may_manage(by, worker.team)
    if reason not in codes("leaving_reason"):
        raise ValidationError({"reason": "Choose the reason for leaving."})
    if left_on <= worker.started_on:
        raise ValidationError({"left_on": f"{worker} started on {worker.started_on:%d/%m/%Y}: they leave after that."})
    if worker.left_on is not None:
        raise ValidationError({"left_on": f"{worker} left on {worker.left_on:%d/%m/%Y}."})
    for filling in worker.post_fillings.select_for_update().filter(ended_on__isnull=True):
        filling_end(filling, left_on)
    worker.left_on, worker.leaving_reason = left_on, reason
    worker.save(update_fields=["left_on", "leaving_reason"])
    audit.record(actor=by, verb="leaver_recorded", target=worker, payload={"left_on": str(left_on), "reason": reason})
    return worker


def _change_terms(worker: Worker, effective_on: date, **changes) -> WorkerTerms:
    """End the current terms on `effective_on` and start new ones with `changes` (in the caller's
    transaction, `worker` locked); the Worker's own fields follow."""
    current = worker.terms.select_for_update().filter(ended_on__isnull=True).first()
    if current is None:  # a worker from before terms were kept: their terms so far, from their start
        current = WorkerTerms.objects.create(
            worker=worker, started_on=worker.started_on, **{f: getattr(worker, f) for f in TERMS_FIELDS}
        )
    if effective_on <= current.started_on:
        raise ValidationError(
            {"effective_on": f"{worker}’s terms last changed on {current.started_on:%d/%m/%Y}: choose a later day."}
        )
    if worker.has_left_by(effective_on):
        raise ValidationError({"effective_on": f"{worker} left on {worker.left_on:%d/%m/%Y}."})
    new = {f: getattr(current, f) for f in TERMS_FIELDS} | changes
    if all(new[f] == getattr(current, f) for f in TERMS_FIELDS):
        raise ValidationError({"role": "Nothing has changed: change the role, team, FTE, contract or manager."})
    current.ended_on = effective_on
    current.save(update_fields=["ended_on"])
    terms = WorkerTerms.objects.create(worker=worker, started_on=effective_on, **new)
    for field in TERMS_FIELDS:
        setattr(worker, field, new[field])
    worker.is_qualified_social_worker = worker.is_qualified_social_worker or new["role"] not in UNREGISTERED_ROLES
    worker.save(update_fields=[*TERMS_FIELDS, "is_qualified_social_worker"])
    if new["team"].pk != current.team_id:  # they leave the post they filled in the old team
        for filling in worker.post_fillings.select_for_update().filter(ended_on__isnull=True, post__team=current.team):
            filling_end(filling, effective_on)
    return terms


@transaction.atomic(durable=True)
def terms_change(
    *,
    worker: Worker,
    effective_on: date,
    role: str,
    team: Team,
    fte: Decimal,
    employment_type: str,
    manager: Worker | None,
    by,
) -> WorkerTerms:
    """The worker's role, team, FTE, contract or manager change from `effective_on` (today or
    earlier). A move to another team ends their filling of a post in the old one."""
    worker = _locked(worker)
    may_manage(by, worker.team)
    if team.pk != worker.team_id:
        may_manage(by, team)
    not_in_future(effective_on, "effective_on", "The day the change takes effect")
    _terms_checks(role=role, team=team, fte=fte, employment_type=employment_type, manager=manager)
    if manager is not None and manager.pk == worker.pk:
        raise ValidationError({"manager": "A worker cannot be their own manager."})
    terms = _change_terms(
        worker, effective_on, role=role, team=team, fte=fte, employment_type=employment_type, manager=manager
    )
    payload = {
        "from": str(effective_on),
        "role": role,
        "team": team.pk,
        "fte": str(fte),
        "contract": employment_type,
        "manager": manager.pk if manager else None,
    }
    audit.record(actor=by, verb="terms_changed", target=worker, payload=payload)
    return terms


def swe_number_clean(raw: str) -> str:
    """A Social Work England number as written (spaces and case forgiven), or a ValidationError."""
    number = re.sub(r"\s+", "", raw or "").upper()
    if not re.match(SWE_NUMBER, number):
        raise ValidationError(
            {"swe_number": "Enter a Social Work England number: SW followed by numbers, like SW123456."}
        )
    return number


@transaction.atomic(durable=True)
def registration_record(*, worker: Worker, swe_number: str, renewal_due_on: date, by) -> Registration:
    """The worker's Social Work England number and the date their registration is next renewed."""
    worker = _locked(worker)
    may_manage(by, worker.team)
    if not worker.is_qualified_social_worker:
        raise ValidationError({"swe_number": f"{worker} is not in a registered social work role."})
    number = swe_number_clean(swe_number)
    if Registration.objects.filter(swe_number=number).exclude(worker=worker).exists():
        raise ValidationError({"swe_number": f"{number} is another worker’s registration number."})
    registration, _new = Registration.objects.update_or_create(
        worker=worker, defaults={"swe_number": number, "renewal_due_on": renewal_due_on}
    )
    payload = {"swe_number": number, "renewal_due_on": str(renewal_due_on)}
    audit.record(actor=by, verb="registration_recorded", target=worker, payload=payload)
    return registration


@transaction.atomic(durable=True)
def asye_start(*, worker: Worker, started_on: date, by) -> Asye:
    """A newly qualified worker starts their Assessed and Supported Year in Employment."""
    worker = _locked(worker)
    may_manage(by, worker.team)
    if Asye.objects.filter(worker=worker).exists():
        raise ValidationError({"started_on": f"{worker}’s ASYE is already recorded."})
    if started_on < worker.started_on:
        raise ValidationError({"started_on": f"{worker} started here on {worker.started_on:%d/%m/%Y}."})
    asye = Asye.objects.create(worker=worker, started_on=started_on)
    audit.record(actor=by, verb="asye_started", target=worker, payload={"from": str(started_on)})
    return asye


@transaction.atomic(durable=True)
def asye_complete(*, worker: Worker, completed_on: date, by) -> Asye:
    """The worker completed their ASYE on `completed_on` (today or earlier): if their role is still
    newly qualified it becomes social worker from that day (a change of terms)."""
    worker = _locked(worker)
    may_manage(by, worker.team)
    asye = Asye.objects.select_for_update().filter(worker=worker).first()
    if asye is None:
        raise ValidationError({"completed_on": f"{worker} has no ASYE recorded: record its start first."})
    if asye.completed_on is not None:
        raise ValidationError({"completed_on": f"{worker} completed their ASYE on {asye.completed_on:%d/%m/%Y}."})
    not_in_future(completed_on, "completed_on", "The day the ASYE was completed")
    if completed_on <= asye.started_on:
        raise ValidationError({"completed_on": f"The ASYE started on {asye.started_on:%d/%m/%Y}."})
    asye.completed_on = completed_on
    asye.save(update_fields=["completed_on"])
    payload = {"completed_on": str(completed_on)}
    if worker.role == NEWLY_QUALIFIED:
        try:
            _change_terms(worker, completed_on, role=QUALIFIED)
        except ValidationError as error:
            raise ValidationError({"completed_on": error.messages}) from error
        payload["role"] = QUALIFIED
    audit.record(actor=by, verb="asye_completed", target=worker, payload=payload)
    return asye
