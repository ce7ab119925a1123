"""The write side of a looked-after child's care: reviews, placement changes, health assessments,
personal education plans, missing episodes and return interviews. Dates are set by hand around
a fixed day (Friday 20 March 2026)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from grip.audit.models import AuditEntry
from grip.cases import services
from grip.cases.models import HealthAssessment, LookedAfterEpisode, LookedAfterReview, MissingEpisode
from tests.cases.factories import HealthAssessmentFactory, LookedAfterEpisodeFactory
from tests.people.factories import ChildFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 20)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(at(TODAY, 12), tick=False):
        yield


@pytest.fixture
def worker():
    return get_user_model().objects.create_user(username="sw")


@pytest.fixture
def child():
    """Born 1 May 2015 (10 at every date here); looked after since 1 December 2025 in two episodes:
    the first placement ended on 10 January 2026 and the second began that day."""
    young = ChildFactory(date_of_birth=date(2015, 5, 1))
    LookedAfterEpisodeFactory(
        child=young,
        started_on=date(2025, 12, 1),
        ended_on=date(2026, 1, 10),
        reason_ceased="X1",
        placement_type="U6",
    )
    LookedAfterEpisodeFactory(child=young, started_on=date(2026, 1, 10), reason_new_episode="P", placement_type="U6")
    return young


def refusal(error: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return error.value.message_dict if hasattr(error.value, "error_dict") else {"": error.value.messages}


def test_a_review_is_recorded_with_the_childs_participation_and_audited(child, worker):
    review = services.looked_after_review_hold(child=child, held_on=date(2025, 12, 29), participation="PN1", by=worker)
    assert (review.held_on, review.participation) == (date(2025, 12, 29), "PN1")
    entry = AuditEntry.objects.get(verb="looked_after_review_held")
    assert (entry.actor, entry.child_id, entry.target_id) == (worker, child.pk, str(review.pk))


@pytest.mark.parametrize(
    ("held_on", "participation", "field", "message"),
    [
        (date(2026, 3, 21), "PN1", "held_on", "A review cannot be in the future."),
        # before the first episode of the period of care, not merely before the current one
        (
            date(2025, 11, 30),
            "PN1",
            "held_on",
            "A review cannot be before the child became looked after on 01/12/2025.",
        ),
        (date(2026, 3, 2), "PX", "participation", "Select how the child took part in the review."),
        (
            date(2026, 3, 2),
            "PN0",
            "participation",
            "PN0 is for a child under 4: the child was 4 or over at the review.",
        ),
    ],
)
def test_a_review_out_of_time_or_with_a_wrong_code_is_refused(child, worker, held_on, participation, field, message):
    with pytest.raises(ValidationError) as error:
        services.looked_after_review_hold(child=child, held_on=held_on, participation=participation, by=worker)
    assert refusal(error) == {field: [message]}
    assert not LookedAfterReview.objects.exists() and not AuditEntry.objects.exists()


def test_a_review_of_a_child_under_four_takes_pn0(worker):
    toddler = ChildFactory(date_of_birth=date(2023, 6, 1))  # 2 years old in 2026
    LookedAfterEpisodeFactory(child=toddler, started_on=date(2026, 1, 5))
    with pytest.raises(ValidationError) as error:
        services.looked_after_review_hold(child=toddler, held_on=date(2026, 2, 2), participation="PN1", by=worker)
    assert refusal(error) == {"participation": ["The child was under 4 at the review: select PN0."]}
    services.looked_after_review_hold(child=toddler, held_on=date(2026, 2, 2), participation="PN0", by=worker)


def test_nothing_is_recorded_for_a_child_who_is_not_looked_after(worker):
    home = ChildFactory(first_name="Ada", last_name="Home")
    with pytest.raises(ValidationError) as error:
        services.health_assessment_record(child=home, held_on=date(2026, 3, 2), assessment_type="IHA", by=worker)
    assert refusal(error) == {"": ["Ada Home is not looked after: there is no open period of care to record on."]}


def test_a_placement_change_ends_the_episode_x1_and_starts_a_new_one_the_same_day(child, worker):
    new = services.placement_change(
        child=child,
        changed_on=date(2026, 3, 16),
        placement_type="K2",
        provider="PR4",
        postcode="zx9  9zz",
        reason="CREQB",
        same_carer=False,
        by=worker,
    )
    rows = list(
        LookedAfterEpisode.objects.filter(child=child)
        .order_by("started_on")
        .values_list("started_on", "ended_on", "reason_new_episode", "reason_ceased", "reason_place_change")
    )
    assert rows == [
        (date(2025, 12, 1), date(2026, 1, 10), "S", "X1", ""),
        (date(2026, 1, 10), date(2026, 3, 16), "P", "X1", "CREQB"),
        (date(2026, 3, 16), None, "P", "", ""),
    ]
    assert (new.placement_type, new.placement_provider, new.placement_postcode, new.legal_status) == (
        "K2",
        "PR4",
        "ZX9 9ZZ",
        "C2",
    )
    assert AuditEntry.objects.get(verb="placement_changed").target_id == str(new.pk)


def test_a_change_with_the_same_carers_is_rne_t(child, worker):
    new = services.placement_change(
        child=child,
        changed_on=date(2026, 3, 16),
        placement_type="U4",
        provider="PR1",
        postcode="",
        reason="CARPL",
        same_carer=True,
        by=worker,
    )
    assert new.reason_new_episode == "T"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"changed_on": date(2026, 1, 10)},
            "changed_on",
            "A placement change must be after the current placement started, on 10/01/2026.",
        ),
        (
            {"changed_on": date(2026, 1, 2)},
            "changed_on",
            "A placement change must be after the current placement started, on 10/01/2026.",
        ),
        ({"changed_on": date(2026, 3, 21)}, "changed_on", "A placement change cannot be in the future."),
        ({"reason": ""}, "reason", "Select the reason for the change of placement."),
        ({"provider": "PR9"}, "provider", "Select who provides the new placement."),
        ({"postcode": "ZX99 9ZZ 1"}, "postcode", "Enter a postcode, like SW1A 1AA."),
    ],
)
def test_a_placement_change_out_of_order_or_incomplete_is_refused_and_changes_nothing(
    child, worker, changes, field, message
):
    asked = {
        "changed_on": date(2026, 3, 16),
        "placement_type": "K2",
        "provider": "PR4",
        "postcode": "",
        "reason": "CREQB",
        "same_carer": False,
        **changes,
    }
    with pytest.raises(ValidationError) as error:
        services.placement_change(child=child, by=worker, **asked)
    assert refusal(error) == {field: [message]}
    assert LookedAfterEpisode.objects.filter(child=child, ended_on__isnull=True).get().started_on == date(2026, 1, 10)
    assert LookedAfterEpisode.objects.filter(child=child).count() == 2


def test_a_placement_type_retired_in_that_collection_year_is_refused(child, worker):
    with pytest.raises(ValidationError) as error:
        services.placement_change(
            child=child,
            changed_on=date(2026, 3, 16),
            placement_type="Z1",  # valid until 2024-25; 16 March 2026 is in 2025-26
            provider="PR1",
            postcode="",
            reason="CARPL",
            same_carer=False,
            by=worker,
        )
    assert list(refusal(error)) == ["placement_type"]
    assert "not in 2025-26" in refusal(error)["placement_type"][0]


def test_one_initial_health_assessment_per_period_of_care(child, worker):
    HealthAssessmentFactory(child=child, held_on=date(2025, 6, 1), assessment_type="IHA")  # an earlier period
    services.health_assessment_record(child=child, held_on=date(2025, 12, 20), assessment_type="IHA", by=worker)
    with pytest.raises(ValidationError) as error:
        services.health_assessment_record(child=child, held_on=date(2026, 3, 2), assessment_type="IHA", by=worker)
    assert refusal(error) == {
        "assessment_type": [
            "The initial health assessment of this period of care was held on 20/12/2025: record this one as a review."
        ]
    }
    services.health_assessment_record(child=child, held_on=date(2026, 3, 2), assessment_type="RHA", by=worker)
    assert sorted(HealthAssessment.objects.filter(child=child).values_list("held_on", "assessment_type")) == [
        (date(2025, 6, 1), "IHA"),
        (date(2025, 12, 20), "IHA"),
        (date(2026, 3, 2), "RHA"),
    ]


def test_an_education_plan_may_predate_care_but_not_today(child, worker):
    services.education_plan_record(child=child, held_on=date(2025, 11, 28), by=worker)
    with pytest.raises(ValidationError) as error:
        services.education_plan_record(child=child, held_on=date(2026, 3, 21), by=worker)
    assert refusal(error) == {"held_on": ["A personal education plan cannot be in the future."]}


def test_missing_then_returned_then_the_interview_offered_and_declined(child, worker):
    gone = services.missing_record(child=child, missing_type="M", started_at=at(date(2026, 3, 14), 22), by=worker)
    with pytest.raises(ValidationError) as error:
        services.missing_record(child=child, missing_type="A", started_at=at(date(2026, 3, 15), 1), by=worker)
    assert refusal(error) == {"": ["The child is already recorded as missing: record their return first."]}
    with pytest.raises(ValidationError) as error:
        services.return_interview_offer(missing=gone, by=worker)
    assert refusal(error) == {"": ["Record the child's return first: the interview follows it."]}
    with pytest.raises(ValidationError) as error:
        services.missing_return(missing=gone, returned_at=at(date(2026, 3, 14), 21), by=worker)
    assert refusal(error) == {"returned_at": ["A child cannot return before they went missing."]}
    services.missing_return(missing=gone, returned_at=at(date(2026, 3, 15), 9), by=worker)
    services.return_interview_offer(missing=gone, by=worker)
    gone.refresh_from_db()
    assert (gone.return_interview_offered, gone.return_interview_outcome, gone.return_interview_at) == (True, "", None)
    with pytest.raises(ValidationError) as error:
        services.return_interview_record(missing=gone, outcome="DECLINED", at=at(date(2026, 3, 15), 8), by=worker)
    assert refusal(error) == {"at": ["A return interview follows the child's return."]}
    services.return_interview_record(missing=gone, outcome="DECLINED", at=at(date(2026, 3, 16), 10), by=worker)
    gone.refresh_from_db()
    assert (gone.return_interview_outcome, gone.return_interview_at) == ("DECLINED", at(date(2026, 3, 16), 10))
    with pytest.raises(ValidationError):
        services.return_interview_record(missing=gone, outcome="HELD", at=at(date(2026, 3, 17), 10), by=worker)
    verbs = list(AuditEntry.objects.order_by("id").values_list("verb", flat=True))
    assert verbs == ["missing_recorded", "missing_returned", "return_interview_offered", "return_interview_recorded"]


def test_a_missing_episode_with_its_return_in_one_go_and_an_interview_held(child, worker):
    gone = services.missing_record(
        child=child,
        missing_type="A",
        started_at=at(date(2026, 3, 1), 18),
        returned_at=at(date(2026, 3, 1), 23, 30),
        by=worker,
    )
    services.return_interview_record(missing=gone, outcome="HELD", at=at(date(2026, 3, 3), 15), by=worker)
    gone.refresh_from_db()
    assert (gone.return_interview_offered, gone.return_interview_outcome) == (True, "HELD")


def test_going_missing_before_care_or_in_the_future_is_refused(child, worker):
    for started_at, message in (
        (
            at(date(2025, 11, 30), 20),
            {"started_at": ["Going missing cannot be before the child became looked after on 01/12/2025."]},
        ),
        (at(date(2026, 3, 20), 13), {"started_at": ["Going missing cannot be in the future."]}),
    ):
        with pytest.raises(ValidationError) as error:
            services.missing_record(child=child, missing_type="M", started_at=started_at, by=worker)
        assert refusal(error) == message
    assert not MissingEpisode.objects.exists()
