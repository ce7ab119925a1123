"""Writes on a looked-after child's care: a review held (with the child's participation, SSDA903
REVIEW_CODE), a change of placement (the current SSDA903 episode ends "X1" with the reason for the
change and a new episode starts the same day with the new placement), a health assessment and a
personal education plan. Missing episodes and return interviews are in `missing`.

Each needs the child to be looked after today (an open episode, locked for the transaction so two
people recording at once queue), refuses dates in the future and dates before the period of care
began, and writes its audit entry in the same transaction.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from grip.audit import services as audit
from grip.cases.models import (
    IRO_ROLE,
    HealthAssessment,
    HealthAssessmentType,
    LookedAfterEpisode,
    LookedAfterReview,
    PersonalEducationPlan,
)
from grip.core.codelists import check_valid_on, codelist
from grip.people.models import Person

from .checks import not_in_future

NEW_EPISODE_SAME_DAY = "X1"  # SSDA903 REC: the episode ceases and a new one begins the same day
PLACEMENT_ONLY = "P"  # SSDA903 RNE: change of placement and carer(s) only
PLACEMENT_SAME_CARER = "T"  # SSDA903 RNE: change of placement only, with the same carer(s)
UNDER_FOUR = "PN0"  # SSDA903 REVIEW_CODE: the child was aged under 4 at the review
POSTCODE_LENGTH = 8


def open_looked_after_episode(child: Person) -> LookedAfterEpisode:
    """The child's open SSDA903 episode, locked for this transaction; refused when there is none."""
    episode = LookedAfterEpisode.objects.select_for_update().filter(child=child, ended_on__isnull=True).first()
    if episode is None:
        raise ValidationError(f"{child.full_name} is not looked after: there is no open period of care to record on.")
    return episode


def period_of_care_start(episode: LookedAfterEpisode) -> date:
    """The day the period of care holding `episode` began: episodes run on, each starting the day
    the one before ended, back to the first."""
    start = episode.started_on
    earlier = LookedAfterEpisode.objects.filter(child_id=episode.child_id, started_on__lt=start).order_by("-started_on")
    for before in earlier.values("started_on", "ended_on"):
        if before["ended_on"] != start:
            break
        start = before["started_on"]
    return start


def _a_day_of_this_care(day: date, field: str, what: str, *, began: date) -> None:
    not_in_future(day, field, what)
    if day < began:
        raise ValidationError({field: f"{what} cannot be before the child became looked after on {began:%d/%m/%Y}."})


@transaction.atomic(durable=True)
def looked_after_review_hold(
    *, child: Person, held_on: date, participation: str, by, chaired_by=None
) -> LookedAfterReview:
    """Record a looked-after review held (CPPCR 2010 reg 33), with how the child took part and,
    when given, the independent reviewing officer who chaired it (a worker with the IRO role)."""
    episode = open_looked_after_episode(child)
    _a_day_of_this_care(held_on, "held_on", "A review", began=period_of_care_start(episode))
    if participation not in codelist("review_participation"):
        raise ValidationError({"participation": "Select how the child took part in the review."})
    age = child.age_on(held_on)
    if age is not None:
        under_four = age < 4
        if under_four and participation != UNDER_FOUR:
            raise ValidationError({"participation": "The child was under 4 at the review: select PN0."})
        if not under_four and participation == UNDER_FOUR:
            raise ValidationError(
                {"participation": "PN0 is for a child under 4: the child was 4 or over at the review."}
            )
    if LookedAfterReview.objects.filter(child=child, held_on=held_on).exists():
        raise ValidationError({"held_on": f"A review held on {held_on:%d/%m/%Y} is already recorded."})
    if chaired_by is not None and chaired_by.role != IRO_ROLE:
        raise ValidationError({"chaired_by": f"{chaired_by.full_name} is not an independent reviewing officer."})
    review = LookedAfterReview(child=child, held_on=held_on, participation=participation, chaired_by=chaired_by)
    review.full_clean()
    review.save()
    audit.record(
        actor=by,
        verb="looked_after_review_held",
        target=review,
        child=child,
        payload={
            "held_on": held_on.isoformat(),
            "participation": participation,
            "chaired_by": chaired_by.pk if chaired_by else None,
        },
    )
    return review


@transaction.atomic(durable=True)
def placement_change(
    *,
    child: Person,
    changed_on: date,
    placement_type: str,
    provider: str,
    postcode: str,
    reason: str,
    same_carer: bool,
    by,
) -> LookedAfterEpisode:
    """Record a change of placement as SSDA903 does: the current episode ends on `changed_on` (REC
    X1, with the reason for the change) and a new one starts that day with the same legal status
    and the new placement (RNE P, or T with the same carers). Returns the new episode."""
    current = open_looked_after_episode(child)
    not_in_future(changed_on, "changed_on", "A placement change")
    if changed_on <= current.started_on:
        raise ValidationError(
            {
                "changed_on": "A placement change must be after the current placement started, "
                f"on {current.started_on:%d/%m/%Y}."
            }
        )
    if placement_type not in codelist("placement_type"):
        raise ValidationError({"placement_type": "Select the type of the new placement."})
    not_of_its_year = check_valid_on("placement_type", placement_type, changed_on)
    if not_of_its_year:
        raise ValidationError({"placement_type": not_of_its_year})
    if provider not in codelist("placement_provider"):
        raise ValidationError({"provider": "Select who provides the new placement."})
    if reason not in codelist("reason_place_change"):
        raise ValidationError({"reason": "Select the reason for the change of placement."})
    postcode = " ".join(postcode.upper().split())
    if len(postcode) > POSTCODE_LENGTH:
        raise ValidationError({"postcode": "Enter a postcode, like SW1A 1AA."})
    current.ended_on = changed_on
    current.reason_ceased = NEW_EPISODE_SAME_DAY
    current.reason_place_change = reason
    current.full_clean(validate_constraints=False)
    current.save(update_fields=["ended_on", "reason_ceased", "reason_place_change"])
    new = LookedAfterEpisode(
        child=child,
        started_on=changed_on,
        reason_new_episode=PLACEMENT_SAME_CARER if same_carer else PLACEMENT_ONLY,
        legal_status=current.legal_status,
        category_of_need=current.category_of_need,
        placement_type=placement_type,
        placement_provider=provider,
        placement_postcode=postcode,
        home_postcode=current.home_postcode,
    )
    new.full_clean()
    new.save()
    audit.record(
        actor=by,
        verb="placement_changed",
        target=new,
        child=child,
        payload={
            "changed_on": changed_on.isoformat(),
            "ended": current.pk,
            "placement_type": placement_type,
            "reason": reason,
        },
    )
    return new


@transaction.atomic(durable=True)
def health_assessment_record(*, child: Person, held_on: date, assessment_type: str, by) -> HealthAssessment:
    """Record a statutory health assessment held (CPPCR 2010 reg 7): the initial one of the period
    of care, or a review. A period of care has one initial assessment."""
    episode = open_looked_after_episode(child)
    began = period_of_care_start(episode)
    _a_day_of_this_care(held_on, "held_on", "A health assessment", began=began)
    if assessment_type not in HealthAssessmentType.values:
        raise ValidationError({"assessment_type": "Select an initial or a review health assessment."})
    if assessment_type == HealthAssessmentType.INITIAL:
        initial = HealthAssessment.objects.filter(
            child=child, assessment_type=HealthAssessmentType.INITIAL, held_on__gte=began
        ).first()
        if initial is not None:
            raise ValidationError(
                {
                    "assessment_type": f"The initial health assessment of this period of care was held on "
                    f"{initial.held_on:%d/%m/%Y}: record this one as a review."
                }
            )
    assessment = HealthAssessment(child=child, held_on=held_on, assessment_type=assessment_type)
    assessment.full_clean()
    assessment.save()
    audit.record(
        actor=by,
        verb="health_assessment_recorded",
        target=assessment,
        child=child,
        payload={"held_on": held_on.isoformat(), "assessment_type": assessment_type},
    )
    return assessment


@transaction.atomic(durable=True)
def education_plan_record(*, child: Person, held_on: date, by) -> PersonalEducationPlan:
    """Record a personal education plan made or reviewed. A PEP may be made before care began (it
    is part of the care plan), so only a day in the future is refused."""
    open_looked_after_episode(child)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "A personal education plan cannot be in the future."})
    if PersonalEducationPlan.objects.filter(child=child, held_on=held_on).exists():
        raise ValidationError({"held_on": f"A personal education plan on {held_on:%d/%m/%Y} is already recorded."})
    plan = PersonalEducationPlan(child=child, held_on=held_on)
    plan.full_clean()
    plan.save()
    audit.record(
        actor=by, verb="education_plan_recorded", target=plan, child=child, payload={"held_on": held_on.isoformat()}
    )
    return plan
