"""Writes on a looked-after child's legal life: the independent reviewing officer assigned, the
start of a period of care, a change of legal status, the care plan and placement plans, and the
end of care (with, for a young person leaving care at 16 or over, care leaver support opened).

SSDA903 holds a period of care as a run of episodes, each one legal status and one placement:
care starts with an episode whose reason for new episode (RNE) is "S"; a change of legal status
ends the current episode with reason ceased (REC) "X1" and starts the next the same day with RNE
"L"; care ends with the REC saying why. Each service locks the child's open episode (or, to start
care, checks there is none), refuses days in the future and days out of order, and writes its
audit entry in the same transaction.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from grip.audit import services as audit
from grip.cases.models import (
    IRO_ROLE,
    CareLeaverEpisode,
    CarePlan,
    IROAssignment,
    LookedAfterEpisode,
    PlacementPlan,
)
from grip.core.codelists import check_valid_on, codelist
from grip.core.reference import named_source, read_reference, reference_file
from grip.people.models import Person

from .care import NEW_EPISODE_SAME_DAY, POSTCODE_LENGTH, open_looked_after_episode, period_of_care_start
from .checks import not_in_future

STARTED_TO_BE_LOOKED_AFTER = "S"  # SSDA903 RNE
LEGAL_STATUS_CHANGE_ONLY = "L"  # SSDA903 RNE: change of legal status only
# SSDA903 RNE codes under which the child stays in the placement they were in: a change of legal
# status only (L), or of placement with the same carers (T, U). Grip's reading, as the timescale
# engine's (grip.timescales.loading): these episodes continue a placement rather than start one.
CONTINUES_THE_PLACEMENT = frozenset({LEGAL_STATUS_CHANGE_ONLY, "T", "U"})
LEAVING_CARE_FILE = reference_file("looked_after/leaving_care.toml")


def care_leaver_offer() -> tuple[int, frozenset[str]]:
    """From what age, and for which reasons care ended (REC), ending care offers care leaver
    support (reference/looked_after/leaving_care.toml)."""
    table = read_reference(LEAVING_CARE_FILE)["care_leaver_offer"]
    named_source(table, key="care_leaver_offer", path=LEAVING_CARE_FILE)
    return int(table["from_age"]), frozenset(table["reasons"])


def may_become_care_leaver(child: Person, *, reason: str, on: date) -> bool:
    """Whether care ending on `on` for `reason` may make the child a care leaver (the offer)."""
    from_age, reasons = care_leaver_offer()
    age = child.age_on(on)
    return reason in reasons and age is not None and age >= from_age


def _postcode(value: str, field: str) -> str:
    postcode = " ".join(value.upper().split())
    if len(postcode) > POSTCODE_LENGTH:
        raise ValidationError({field: "Enter a postcode, like SW1A 1AA."})
    return postcode


def _code(list_name: str, code: str, field: str, message: str, *, on: date) -> None:
    if code not in codelist(list_name):
        raise ValidationError({field: message})
    not_of_its_year = check_valid_on(list_name, code, on)
    if not_of_its_year:
        raise ValidationError({field: not_of_its_year})


def current_iro(child: Person) -> IROAssignment | None:
    return IROAssignment.objects.filter(child=child, ended_on__isnull=True).select_related("iro").first()


def placement_start(episode: LookedAfterEpisode) -> LookedAfterEpisode:
    """The episode that started the placement `episode` is part of: back through episodes that
    continue the placement (RNE L, T, U), each starting the day the one before ended."""
    start = episode
    earlier = LookedAfterEpisode.objects.filter(child_id=episode.child_id, started_on__lt=episode.started_on)
    for before in earlier.order_by("-started_on"):
        if start.reason_new_episode not in CONTINUES_THE_PLACEMENT or before.ended_on != start.started_on:
            break
        start = before
    return start


@transaction.atomic(durable=True)
def iro_assign(*, child: Person, iro, from_on: date, by) -> IROAssignment:
    """Make `iro` (a worker with the IRO role) the child's independent reviewing officer from
    `from_on`, ending the current assignment that day (Children Act 1989 s25A)."""
    episode = open_looked_after_episode(child)
    not_in_future(from_on, "from_on", "The day the IRO takes over")
    began = period_of_care_start(episode)
    if from_on < began:
        raise ValidationError(
            {"from_on": f"An IRO cannot be assigned before the child became looked after on {began:%d/%m/%Y}."}
        )
    if iro.role != IRO_ROLE:
        raise ValidationError({"iro": f"{iro.full_name} is not an independent reviewing officer."})
    if not iro.in_post_on(from_on):
        raise ValidationError({"iro": f"{iro.full_name} is not in post on {from_on:%d/%m/%Y}."})
    current = IROAssignment.objects.select_for_update().filter(child=child, ended_on__isnull=True).first()
    if current is not None:
        if current.iro_id == iro.pk:
            raise ValidationError({"iro": f"{iro.full_name} is already {child.full_name}’s IRO."})
        if from_on <= current.started_on:
            raise ValidationError(
                {"from_on": f"The current IRO took over on {current.started_on:%d/%m/%Y}: the new one starts after."}
            )
        current.ended_on = from_on
        current.full_clean(validate_constraints=False)
        current.save(update_fields=["ended_on"])
    assignment = IROAssignment(child=child, iro=iro, started_on=from_on)
    assignment.full_clean()
    assignment.save()
    audit.record(
        actor=by,
        verb="iro_assigned",
        target=assignment,
        child=child,
        payload={"iro": iro.pk, "from_on": from_on.isoformat(), "ended": current.pk if current else None},
    )
    return assignment


@transaction.atomic(durable=True)
def looked_after_start(
    *,
    child: Person,
    started_on: date,
    legal_status: str,
    category_of_need: str,
    placement_type: str,
    provider: str,
    placement_postcode: str,
    home_postcode: str,
    by,
) -> LookedAfterEpisode:
    """Record the child becoming looked after: the first episode of a period of care (RNE S)."""
    Person.objects.select_for_update().filter(pk=child.pk).first()  # two starts at once queue here
    if LookedAfterEpisode.objects.filter(child=child, ended_on__isnull=True).exists():
        raise ValidationError(f"{child.full_name} is already looked after: record a change instead.")
    not_in_future(started_on, "started_on", "The day care began")
    last = LookedAfterEpisode.objects.filter(child=child).order_by("-ended_on").first()
    if last is not None and started_on < last.ended_on:
        raise ValidationError(
            {"started_on": f"The child’s last period of care ended on {last.ended_on:%d/%m/%Y}: care began after."}
        )
    _code("legal_status", legal_status, "legal_status", "Select the legal status.", on=started_on)
    _code("cla_category_of_need", category_of_need, "category_of_need", "Select the category of need.", on=started_on)
    _code("placement_type", placement_type, "placement_type", "Select the type of placement.", on=started_on)
    _code("placement_provider", provider, "provider", "Select who provides the placement.", on=started_on)
    episode = LookedAfterEpisode(
        child=child,
        started_on=started_on,
        reason_new_episode=STARTED_TO_BE_LOOKED_AFTER,
        legal_status=legal_status,
        category_of_need=category_of_need,
        placement_type=placement_type,
        placement_provider=provider,
        placement_postcode=_postcode(placement_postcode, "placement_postcode"),
        home_postcode=_postcode(home_postcode, "home_postcode"),
    )
    episode.full_clean()
    episode.save()
    audit.record(
        actor=by,
        verb="looked_after_started",
        target=episode,
        child=child,
        payload={"started_on": started_on.isoformat(), "legal_status": legal_status, "placement_type": placement_type},
    )
    return episode


@transaction.atomic(durable=True)
def legal_status_change(*, child: Person, changed_on: date, legal_status: str, by) -> LookedAfterEpisode:
    """Record a change of legal status: the current episode ends on `changed_on` (REC X1) and a new
    one starts that day (RNE L) with the new legal status and the same placement."""
    current = open_looked_after_episode(child)
    not_in_future(changed_on, "changed_on", "A change of legal status")
    if changed_on <= current.started_on:
        raise ValidationError(
            {"changed_on": f"The change must be after the current episode started, on {current.started_on:%d/%m/%Y}."}
        )
    _code("legal_status", legal_status, "legal_status", "Select the new legal status.", on=changed_on)
    if legal_status == current.legal_status:
        raise ValidationError({"legal_status": f"The legal status is {legal_status} already: select the new one."})
    current.ended_on = changed_on
    current.reason_ceased = NEW_EPISODE_SAME_DAY
    current.full_clean(validate_constraints=False)
    current.save(update_fields=["ended_on", "reason_ceased"])
    new = LookedAfterEpisode(
        child=child,
        started_on=changed_on,
        reason_new_episode=LEGAL_STATUS_CHANGE_ONLY,
        legal_status=legal_status,
        category_of_need=current.category_of_need,
        placement_type=current.placement_type,
        placement_provider=current.placement_provider,
        placement_postcode=current.placement_postcode,
        home_postcode=current.home_postcode,
        carer_approval=current.carer_approval,
    )
    new.full_clean()
    new.save()
    audit.record(
        actor=by,
        verb="legal_status_changed",
        target=new,
        child=child,
        payload={"changed_on": changed_on.isoformat(), "ended": current.pk, "legal_status": legal_status},
    )
    return new


@transaction.atomic(durable=True)
def care_plan_record(*, child: Person, made_on: date, by) -> CarePlan:
    """Record the care plan made for the current period of care (CPPCR 2010 reg 4). It may be made
    before the child was first placed, so only a day in the future is refused."""
    episode = open_looked_after_episode(child)
    not_in_future(made_on, "made_on", "A care plan")
    began = period_of_care_start(episode)
    first = LookedAfterEpisode.objects.filter(child=child, started_on=began).order_by("pk").first()
    if CarePlan.objects.filter(child=child, made_on=made_on).exists():
        raise ValidationError({"made_on": f"A care plan made on {made_on:%d/%m/%Y} is already recorded."})
    plan = CarePlan(child=child, episode=first, made_on=made_on)
    plan.full_clean()
    plan.save()
    audit.record(
        actor=by, verb="care_plan_recorded", target=plan, child=child, payload={"made_on": made_on.isoformat()}
    )
    return plan


@transaction.atomic(durable=True)
def placement_plan_record(*, child: Person, placement: LookedAfterEpisode, agreed_on: date, by) -> PlacementPlan:
    """Record the placement plan agreed for a placement of the current period of care (CPPCR 2010
    reg 9): `placement` is the episode that started it. It may be agreed before the placement began."""
    episode = open_looked_after_episode(child)
    not_in_future(agreed_on, "agreed_on", "A placement plan")
    if placement.child_id != child.pk or placement.started_on < period_of_care_start(episode):
        raise ValidationError({"placement": "Select a placement of this period of care."})
    if placement_start(placement).pk != placement.pk:
        raise ValidationError({"placement": "Select the episode that started the placement."})
    if PlacementPlan.objects.filter(episode=placement, agreed_on=agreed_on).exists():
        raise ValidationError({"agreed_on": f"A plan for this placement agreed on {agreed_on:%d/%m/%Y} is recorded."})
    plan = PlacementPlan(child=child, episode=placement, agreed_on=agreed_on)
    plan.full_clean()
    plan.save()
    audit.record(
        actor=by,
        verb="placement_plan_recorded",
        target=plan,
        child=child,
        payload={"agreed_on": agreed_on.isoformat(), "placement": placement.pk},
    )
    return plan


@transaction.atomic(durable=True)
def looked_after_cease(
    *, child: Person, ceased_on: date, reason: str, becomes_care_leaver: bool, by
) -> LookedAfterEpisode:
    """Record the end of care: the open episode ends on `ceased_on` with the SSDA903 reason (REC,
    valid on the day). The IRO's assignment ends that day. When `becomes_care_leaver` (offered only
    for a young person of 16 or over leaving care for a reason that may make them a care leaver),
    care leaver support opens the same day. Returns the ended episode."""
    current = open_looked_after_episode(child)
    not_in_future(ceased_on, "ceased_on", "The day care ended")
    if ceased_on < current.started_on:
        raise ValidationError(
            {"ceased_on": f"Care cannot end before the current episode started, on {current.started_on:%d/%m/%Y}."}
        )
    if reason == NEW_EPISODE_SAME_DAY:
        raise ValidationError(
            {"reason": "X1 starts a new episode the same day: record a change of placement or of legal status."}
        )
    _code("reason_episode_ceased", reason, "reason", "Select why the child stopped being looked after.", on=ceased_on)
    if becomes_care_leaver:
        if not may_become_care_leaver(child, reason=reason, on=ceased_on):
            from_age, _ = care_leaver_offer()
            raise ValidationError(
                {
                    "becomes_care_leaver": f"Care leaver support is for a young person of {from_age} or over "
                    "leaving care to live on their own or with others: not for this reason or age."
                }
            )
        if CareLeaverEpisode.objects.filter(child=child, ended_on__isnull=True).exists():
            raise ValidationError({"becomes_care_leaver": "This young person already has open care leaver support."})
    iro = IROAssignment.objects.select_for_update().filter(child=child, ended_on__isnull=True).first()
    if iro is not None and ceased_on < iro.started_on:
        raise ValidationError(
            {"ceased_on": f"The child’s IRO was assigned on {iro.started_on:%d/%m/%Y}: care ended after that."}
        )
    current.ended_on = ceased_on
    current.reason_ceased = reason
    current.full_clean()
    current.save(update_fields=["ended_on", "reason_ceased"])
    if iro is not None:
        iro.ended_on = ceased_on
        iro.save(update_fields=["ended_on"])
    care_leaver = None
    if becomes_care_leaver:
        care_leaver = CareLeaverEpisode(child=child, started_on=ceased_on)
        care_leaver.full_clean()
        care_leaver.save()
    audit.record(
        actor=by,
        verb="looked_after_ceased",
        target=current,
        child=child,
        payload={
            "ceased_on": ceased_on.isoformat(),
            "reason": reason,
            "care_leaver": care_leaver.pk if care_leaver else None,
        },
    )
    return current
