"""Writes on a care leaver's support: a contact with the young person (SSDA903 OC3: in touch,
main activity, accommodation), the needs assessment of an eligible child, the pathway plan and its
reviews, and the end of care leaver support.

A contact that finds the young person in accommodation the authority provides (Children Act 1989
s23B or s24B) different from the accommodation on record closes the old and opens the new in the
same transaction, so the record of their accommodation (and whether it is suitable) stays true to
the latest contact, and the personal adviser's visits of Care Leavers (England) Regulations 2010
reg 8(2) run from the new accommodation. Each service locks the young person's open care leaver
episode (two people recording at once queue), refuses dates in the future or out of order, and
writes its audit entry in the same transaction.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from grip.audit import services as audit
from grip.cases.models import (
    CareLeaverAccommodation,
    CareLeaverContact,
    CareLeaverEpisode,
    LookedAfterEpisode,
    PathwayNeedsAssessment,
    PathwayPlanKind,
    PathwayPlanReview,
)
from grip.cases.models.care import NEITHER_ACTIVITY_NOR_ACCOMMODATION
from grip.core.codelists import codelist
from grip.people.models import Person

from .care import period_of_care_start
from .checks import not_in_future

IN_TOUCH = "YES"  # SSDA903 IN_TOUCH: the authority is in touch with the young person
DIED = "DIED"  # SSDA903 IN_TOUCH: no contact is recorded after it (validation rule 348)
NOT_KNOWN = "0"  # SSDA903 ACTIV and ACCOM: no information; not for a young person in touch (rule 345)


def open_care_leaver_episode(child: Person) -> CareLeaverEpisode:
    """The young person's open care leaver support, locked for this transaction; refused when none."""
    episode = CareLeaverEpisode.objects.select_for_update().filter(child=child, ended_on__isnull=True).first()
    if episode is None:
        raise ValidationError(f"{child.full_name} has no open care leaver support to record on.")
    return episode


def _in_support(day: date, field: str, what: str, *, episode: CareLeaverEpisode) -> None:
    not_in_future(day, field, what)
    if day < episode.started_on:
        raise ValidationError(
            {field: f"{what} cannot be before care leaver support began on {episode.started_on:%d/%m/%Y}."}
        )


def _check_answers(in_touch: str, activity: str, accommodation: str, provided_under: str) -> None:
    """The OC3 items as the DfE's validation rules 131-133, 153, 344 and 345 have them."""
    if in_touch not in codelist("care_leaver_in_touch"):
        raise ValidationError({"in_touch": "Select whether you were in touch with the young person."})
    if in_touch in NEITHER_ACTIVITY_NOR_ACCOMMODATION:
        if activity or accommodation or provided_under:
            raise ValidationError(
                {"activity": "A young person who has died or returned home has no activity or accommodation recorded."}
            )
        return
    if activity and activity not in codelist("care_leaver_activity"):
        raise ValidationError({"activity": "Select the young person’s main activity."})
    if accommodation and accommodation not in codelist("care_leaver_accommodation"):
        raise ValidationError({"accommodation": "Select the young person’s accommodation."})
    if in_touch == IN_TOUCH:
        if activity in ("", NOT_KNOWN):
            raise ValidationError({"activity": "You were in touch: select the young person’s main activity."})
        if accommodation in ("", NOT_KNOWN):
            raise ValidationError({"accommodation": "You were in touch: select the young person’s accommodation."})
    elif bool(activity) != bool(accommodation):
        raise ValidationError({"activity": "Give both the main activity and the accommodation, or neither."})
    if provided_under:
        if provided_under not in codelist("leaving_care_accommodation_duty"):
            raise ValidationError({"provided_under": "Select whether the authority provides the accommodation."})
        if accommodation in ("", NOT_KNOWN):
            raise ValidationError(
                {"provided_under": "Say what the accommodation is before saying the authority provides it."}
            )


def _follow_accommodation(
    episode: CareLeaverEpisode, *, on: date, accommodation: str, provided_under: str
) -> CareLeaverAccommodation | None:
    """Bring the accommodation the authority provides into line with a contact on `on`: close the
    current one if the young person is no longer in it (or it is no longer provided), open the new
    one from `on`. Returns the accommodation opened, if any. A contact on or before the day the
    current accommodation began says nothing newer about it, so changes nothing."""
    current = (
        CareLeaverAccommodation.objects.select_for_update()
        .filter(care_leaver=episode, provided_to__isnull=True)
        .order_by("-provided_from")
        .first()
    )
    if current is not None and on <= current.provided_from:
        return None
    if current is not None and current.provided_under == provided_under:
        if current.accommodation == accommodation:
            return None
        if not current.accommodation:  # recorded before contacts kept it: say what it is
            current.accommodation = accommodation
            current.save(update_fields=["accommodation"])
            return None
    if current is not None:
        current.provided_to = on - timedelta(days=1)
        current.full_clean(validate_constraints=False)
        current.save(update_fields=["provided_to"])
    if not provided_under:
        return None
    new = CareLeaverAccommodation(
        care_leaver=episode, provided_under=provided_under, provided_from=on, accommodation=accommodation
    )
    new.full_clean()
    new.save()
    return new


@transaction.atomic(durable=True)
def care_leaver_contact_record(
    *,
    child: Person,
    contact_on: date,
    in_touch: str,
    activity: str = "",
    accommodation: str = "",
    provided_under: str | None = None,
    by,
) -> CareLeaverContact:
    """Record a contact with a care leaver: whether they were in touch, and, when known, their main
    activity and accommodation; `provided_under` says whether the authority provides that
    accommodation (S23B or S24B; empty: it does not; None: not said, so the record of it is left
    alone). The latest contact keeps the record of accommodation the authority provides in line
    (see the module's note)."""
    episode = open_care_leaver_episode(child)
    _in_support(contact_on, "contact_on", "A contact", episode=episode)
    _check_answers(in_touch, activity, accommodation, provided_under or "")
    died = episode.contacts.filter(in_touch=DIED).order_by("contact_on").first()
    if died is not None:
        raise ValidationError(
            f"A contact on {died.contact_on:%d/%m/%Y} recorded that the young person has died: "
            "end their care leaver support instead."
        )
    latest = episode.contacts.order_by("-contact_on").values_list("contact_on", flat=True).first()
    contact = CareLeaverContact(
        care_leaver=episode,
        contact_on=contact_on,
        in_touch=in_touch,
        activity=activity,
        accommodation=accommodation,
    )
    contact.full_clean()
    contact.save()
    moved_into = None
    known = accommodation not in ("", NOT_KNOWN)
    if known and provided_under is not None and (latest is None or contact_on >= latest):
        moved_into = _follow_accommodation(
            episode, on=contact_on, accommodation=accommodation, provided_under=provided_under
        )
    audit.record(
        actor=by,
        verb="care_leaver_contact_recorded",
        target=contact,
        child=child,
        payload={
            "contact_on": contact_on.isoformat(),
            "in_touch": in_touch,
            "accommodation": accommodation,
            "accommodation_opened": moved_into.pk if moved_into else None,
        },
    )
    return contact


@transaction.atomic(durable=True)
def pathway_needs_assessment_record(*, child: Person, completed_on: date, by) -> PathwayNeedsAssessment:
    """Record the needs assessment of an eligible child completed (CPPCR 2010 reg 42), on which the
    pathway plan is based. The child is looked after, or a care leaver whose assessment is recorded
    late; an assessment while looked after cannot be before the period of care began."""
    care = LookedAfterEpisode.objects.select_for_update().filter(child=child, ended_on__isnull=True).first()
    leaving = CareLeaverEpisode.objects.select_for_update().filter(child=child, ended_on__isnull=True).first()
    if care is None and leaving is None:
        raise ValidationError(
            f"{child.full_name} is neither looked after nor a care leaver: there is nothing to assess."
        )
    not_in_future(completed_on, "completed_on", "A needs assessment")
    if care is not None:
        began = period_of_care_start(care)
        if completed_on < began:
            raise ValidationError(
                {
                    "completed_on": "A needs assessment cannot be before the child became looked after "
                    f"on {began:%d/%m/%Y}."
                }
            )
    if PathwayNeedsAssessment.objects.filter(child=child, completed_on=completed_on).exists():
        raise ValidationError(
            {"completed_on": f"A needs assessment completed on {completed_on:%d/%m/%Y} is already recorded."}
        )
    assessment = PathwayNeedsAssessment(child=child, completed_on=completed_on)
    assessment.full_clean()
    assessment.save()
    audit.record(
        actor=by,
        verb="pathway_needs_assessment_recorded",
        target=assessment,
        child=child,
        payload={"completed_on": completed_on.isoformat()},
    )
    return assessment


def latest_plan(episode: CareLeaverEpisode) -> PathwayPlanReview | None:
    return episode.pathway_plans.filter(kind=PathwayPlanKind.PLAN).order_by("-held_on").first()


@transaction.atomic(durable=True)
def pathway_plan_record(*, child: Person, made_on: date, by) -> PathwayPlanReview:
    """Record a pathway plan made. The plan is often made before the young person leaves care, so
    it may be before their support began; a new plan comes after the one before it."""
    episode = open_care_leaver_episode(child)
    not_in_future(made_on, "made_on", "A pathway plan")
    before = latest_plan(episode)
    if before is not None and made_on <= before.held_on:
        raise ValidationError(
            {"made_on": f"A new pathway plan must be after the last one, made on {before.held_on:%d/%m/%Y}."}
        )
    plan = PathwayPlanReview(care_leaver=episode, held_on=made_on, kind=PathwayPlanKind.PLAN)
    plan.full_clean()
    plan.save()
    audit.record(actor=by, verb="pathway_plan_made", target=plan, child=child, payload={"made_on": made_on.isoformat()})
    return plan


@transaction.atomic(durable=True)
def pathway_plan_review_record(*, child: Person, held_on: date, by) -> PathwayPlanReview:
    """Record a review of the pathway plan (Care Leavers (England) Regulations 2010, reg 7): not in
    the future, and not before the plan it reviews."""
    episode = open_care_leaver_episode(child)
    not_in_future(held_on, "held_on", "A review")
    plan = latest_plan(episode)
    if plan is None:
        raise ValidationError({"held_on": "Record the pathway plan first: a review follows the plan."})
    if held_on < plan.held_on:
        raise ValidationError(
            {"held_on": f"A review cannot be before the pathway plan, made on {plan.held_on:%d/%m/%Y}."}
        )
    if episode.pathway_plans.filter(kind=PathwayPlanKind.REVIEW, held_on=held_on).exists():
        raise ValidationError({"held_on": f"A review held on {held_on:%d/%m/%Y} is already recorded."})
    review = PathwayPlanReview(care_leaver=episode, held_on=held_on, kind=PathwayPlanKind.REVIEW)
    review.full_clean()
    review.save()
    audit.record(
        actor=by,
        verb="pathway_plan_reviewed",
        target=review,
        child=child,
        payload={"held_on": held_on.isoformat(), "plan": plan.pk},
    )
    return review


@transaction.atomic(durable=True)
def care_leaver_support_end(*, child: Person, ended_on: date, reason: str, by) -> CareLeaverEpisode:
    """End a young person's care leaver support on `ended_on`, with the reason, and end any
    accommodation the authority provides on the same day. Not before the last contact or plan
    recorded: they would fall outside the support."""
    episode = open_care_leaver_episode(child)
    _in_support(ended_on, "ended_on", "The end of support", episode=episode)
    if reason not in codelist("care_leaver_support_ended"):
        raise ValidationError({"reason": "Select why the support ended."})
    last = max(
        [
            *episode.contacts.order_by("-contact_on").values_list("contact_on", flat=True)[:1],
            *episode.pathway_plans.order_by("-held_on").values_list("held_on", flat=True)[:1],
        ],
        default=None,
    )
    if last is not None and ended_on < last:
        raise ValidationError(
            {"ended_on": f"Support cannot end before the last contact or plan recorded, on {last:%d/%m/%Y}."}
        )
    episode.ended_on = ended_on
    episode.reason_ended = reason
    episode.full_clean(validate_constraints=False)
    episode.save(update_fields=["ended_on", "reason_ended"])
    for place in CareLeaverAccommodation.objects.select_for_update().filter(
        care_leaver=episode, provided_to__isnull=True
    ):
        place.provided_to = max(ended_on, place.provided_from)
        place.save(update_fields=["provided_to"])
    audit.record(
        actor=by,
        verb="care_leaver_support_ended",
        target=episode,
        child=child,
        payload={"ended_on": ended_on.isoformat(), "reason": reason},
    )
    return episode
