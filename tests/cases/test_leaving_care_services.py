"""The care leaver services: contacts as SSDA903 OC3 codes them, the accommodation the authority
provides kept in line with the latest contact, the needs assessment, the pathway plan before its
reviews, and the end of support. Dates are counted back from today by hand in each test."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from grip.audit.models import AuditEntry
from grip.cases import services
from grip.cases.models import CareLeaverAccommodation, CareLeaverContact, PathwayNeedsAssessment, PathwayPlanReview
from tests.cases.factories import (
    CareLeaverAccommodationFactory,
    CareLeaverContactFactory,
    CareLeaverEpisodeFactory,
    LookedAfterEpisodeFactory,
    PathwayPlanReviewFactory,
)
from tests.people.factories import ChildFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def by():
    return get_user_model().objects.create_user(username="pa", first_name="Pat", last_name="Adviser")


@pytest.fixture
def episode():
    """Care leaver support that began 100 days ago."""
    return CareLeaverEpisodeFactory(started_on=TODAY() - timedelta(days=100))


def contact(episode, by, *, days_ago=0, in_touch="YES", activity="F5", accommodation="U1", provided_under=""):
    return services.care_leaver_contact_record(
        child=episode.child,
        contact_on=TODAY() - timedelta(days=days_ago),
        in_touch=in_touch,
        activity=activity,
        accommodation=accommodation,
        provided_under=provided_under,
        by=by,
    )


def refused(call) -> dict:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict if hasattr(error.value, "error_dict") else {"__all__": error.value.messages}


def provided(episode):
    return list(
        CareLeaverAccommodation.objects.filter(care_leaver=episode)
        .order_by("provided_from")
        .values_list("provided_under", "accommodation", "provided_from", "provided_to")
    )


# --- contacts --------------------------------------------------------------------------------------


def test_a_contact_is_recorded_with_its_audit_entry(episode, by):
    made = contact(episode, by, days_ago=2)
    assert (made.in_touch, made.activity, made.accommodation) == ("YES", "F5", "U1")
    entry = AuditEntry.objects.get(verb="care_leaver_contact_recorded")
    assert entry.child_id == episode.child_id and entry.actor == by


def test_a_contact_in_the_future_or_before_support_began_is_refused(episode, by):
    assert "contact_on" in refused(lambda: contact(episode, by, days_ago=-1))
    before = refused(lambda: contact(episode, by, days_ago=101))
    assert before["contact_on"] == [
        f"A contact cannot be before care leaver support began on {episode.started_on:%d/%m/%Y}."
    ]
    assert not CareLeaverContact.objects.exists()


def test_a_young_person_in_touch_has_a_known_activity_and_accommodation(episode, by):
    """DfE validation rule 345: in touch, so neither is "0" (no information) nor left out."""
    assert "activity" in refused(lambda: contact(episode, by, activity="0"))
    assert "activity" in refused(lambda: contact(episode, by, activity=""))
    assert "accommodation" in refused(lambda: contact(episode, by, accommodation="0"))
    assert not CareLeaverContact.objects.exists()


def test_not_in_touch_gives_both_or_neither(episode, by):
    """Rule 153: activity and accommodation are both coded or both blank."""
    assert "activity" in refused(lambda: contact(episode, by, in_touch="NO", activity="0", accommodation=""))
    made = contact(episode, by, in_touch="REFU", activity="", accommodation="")
    assert (made.activity, made.accommodation) == ("", "")


def test_died_or_returned_home_records_no_activity_or_accommodation(episode, by):
    """Rule 344, in the service and in the database."""
    assert "activity" in refused(lambda: contact(episode, by, in_touch="RHOM"))
    with pytest.raises(IntegrityError), transaction.atomic():
        CareLeaverContactFactory(care_leaver=episode, in_touch="DIED", activity="F5", accommodation="U1")
    with pytest.raises(IntegrityError), transaction.atomic():
        CareLeaverContactFactory(care_leaver=episode, in_touch="NO", activity="F5", accommodation="")


def test_no_contact_after_one_recording_the_young_person_died(episode, by):
    contact(episode, by, days_ago=5, in_touch="DIED", activity="", accommodation="")
    assert "__all__" in refused(lambda: contact(episode, by, days_ago=1))


def test_no_contact_without_open_support(by):
    ended = CareLeaverEpisodeFactory(started_on=TODAY() - timedelta(days=100), ended_on=TODAY() - timedelta(days=5))
    assert "__all__" in refused(lambda: contact(ended, by))


# --- the accommodation the authority provides --------------------------------------------------------


def test_a_contact_in_accommodation_the_authority_provides_opens_it(episode, by):
    contact(episode, by, days_ago=3, provided_under="S23B")
    assert provided(episode) == [("S23B", "U1", TODAY() - timedelta(days=3), None)]


def test_a_move_closes_the_old_accommodation_the_day_before_and_opens_the_new(episode, by):
    contact(episode, by, days_ago=40, provided_under="S23B")
    contact(episode, by, days_ago=10, accommodation="D1", provided_under="S23B")
    assert provided(episode) == [
        ("S23B", "U1", TODAY() - timedelta(days=40), TODAY() - timedelta(days=11)),
        ("S23B", "D1", TODAY() - timedelta(days=10), None),
    ]


def test_accommodation_turned_unsuitable_is_new_on_the_record(episode, by):
    """U1 to U2: the same kind, no longer suitable, so the record of it says so from the contact on."""
    contact(episode, by, days_ago=40, provided_under="S24B")
    contact(episode, by, days_ago=10, accommodation="U2", provided_under="S24B")
    assert [row[1] for row in provided(episode)] == ["U1", "U2"]


def test_the_same_accommodation_again_changes_nothing(episode, by):
    contact(episode, by, days_ago=40, provided_under="S23B")
    contact(episode, by, days_ago=10, provided_under="S23B")
    assert provided(episode) == [("S23B", "U1", TODAY() - timedelta(days=40), None)]


def test_accommodation_no_longer_provided_is_closed(episode, by):
    contact(episode, by, days_ago=40, provided_under="S23B")
    contact(episode, by, days_ago=10, accommodation="B1", provided_under="")
    assert provided(episode) == [("S23B", "U1", TODAY() - timedelta(days=40), TODAY() - timedelta(days=11))]


def test_a_contact_that_does_not_say_who_provides_the_accommodation_leaves_it_alone(episode, by):
    contact(episode, by, days_ago=40, provided_under="S23B")
    contact(episode, by, days_ago=10, accommodation="D1", provided_under=None)
    assert provided(episode) == [("S23B", "U1", TODAY() - timedelta(days=40), None)]


def test_a_late_recorded_contact_older_than_the_latest_leaves_the_accommodation_alone(episode, by):
    contact(episode, by, days_ago=10, provided_under="S23B")
    contact(episode, by, days_ago=30, accommodation="D1", provided_under="S23B")
    assert provided(episode) == [("S23B", "U1", TODAY() - timedelta(days=10), None)]


def test_accommodation_recorded_without_its_code_is_told_what_it_is(episode, by):
    """Rows from before contacts kept the code (the seed): the same duty, so no move, just the code."""
    CareLeaverAccommodationFactory(care_leaver=episode, provided_from=TODAY() - timedelta(days=60))
    contact(episode, by, days_ago=5, provided_under="S23B")
    assert provided(episode) == [("S23B", "U1", TODAY() - timedelta(days=60), None)]


def test_saying_the_authority_provides_unknown_accommodation_is_refused(episode, by):
    assert "provided_under" in refused(
        lambda: contact(episode, by, in_touch="NO", activity="0", accommodation="0", provided_under="S23B")
    )


# --- the needs assessment ----------------------------------------------------------------------------


def test_a_needs_assessment_for_a_looked_after_child(by):
    care = LookedAfterEpisodeFactory(started_on=TODAY() - timedelta(days=200))
    child = care.child
    done = services.pathway_needs_assessment_record(child=child, completed_on=TODAY(), by=by)
    assert done.completed_on == TODAY()
    assert "completed_on" in refused(
        lambda: services.pathway_needs_assessment_record(child=child, completed_on=TODAY(), by=by)
    )
    before_care = refused(
        lambda: services.pathway_needs_assessment_record(child=child, completed_on=TODAY() - timedelta(days=201), by=by)
    )
    assert before_care["completed_on"][0].startswith("A needs assessment cannot be before the child became looked")


def test_a_needs_assessment_wants_a_child_in_care_or_leaving_it(by):
    child = ChildFactory()
    assert "__all__" in refused(
        lambda: services.pathway_needs_assessment_record(child=child, completed_on=TODAY(), by=by)
    )
    assert not PathwayNeedsAssessment.objects.exists()


# --- the pathway plan and its reviews ----------------------------------------------------------------


def test_a_review_needs_the_plan_first_and_cannot_be_before_it(episode, by):
    child = episode.child
    review = lambda days_ago: services.pathway_plan_review_record(  # noqa: E731
        child=child, held_on=TODAY() - timedelta(days=days_ago), by=by
    )
    assert refused(lambda: review(5)) == {"held_on": ["Record the pathway plan first: a review follows the plan."]}
    made = TODAY() - timedelta(days=120)  # before support began, while still looked after
    services.pathway_plan_record(child=child, made_on=made, by=by)
    assert refused(lambda: review(121)) == {
        "held_on": [f"A review cannot be before the pathway plan, made on {made:%d/%m/%Y}."]
    }
    assert "held_on" in refused(lambda: review(-1))
    review(5)
    assert "held_on" in refused(lambda: review(5))  # the same review twice
    kinds = list(PathwayPlanReview.objects.order_by("held_on").values_list("kind", flat=True))
    assert kinds == ["PLAN", "REVIEW"]


def test_a_new_plan_comes_after_the_last(episode, by):
    child = episode.child
    services.pathway_plan_record(child=child, made_on=TODAY() - timedelta(days=30), by=by)
    assert "made_on" in refused(
        lambda: services.pathway_plan_record(child=child, made_on=TODAY() - timedelta(days=30), by=by)
    )
    assert "made_on" in refused(
        lambda: services.pathway_plan_record(child=child, made_on=TODAY() + timedelta(days=1), by=by)
    )
    services.pathway_plan_record(child=child, made_on=TODAY(), by=by)
    assert PathwayPlanReview.objects.filter(kind="PLAN").count() == 2


def test_reviews_recorded_before_plans_were_told_apart_are_reviews(episode):
    assert PathwayPlanReviewFactory(care_leaver=episode).kind == "REVIEW"


# --- ending support ------------------------------------------------------------------------------


def test_ending_support_records_the_reason_and_ends_the_accommodation(episode, by):
    contact(episode, by, days_ago=20, provided_under="S24B")
    ended = services.care_leaver_support_end(child=episode.child, ended_on=TODAY(), reason="NREQ", by=by)
    assert (ended.ended_on, ended.reason_ended) == (TODAY(), "NREQ")
    assert provided(episode) == [("S24B", "U1", TODAY() - timedelta(days=20), TODAY())]
    assert AuditEntry.objects.filter(verb="care_leaver_support_ended", child=episode.child).count() == 1
    assert "__all__" in refused(lambda: contact(episode, by))


def test_support_cannot_end_before_the_last_contact_or_without_a_reason(episode, by):
    contact(episode, by, days_ago=10)
    end = lambda days_ago, reason="AGE": services.care_leaver_support_end(  # noqa: E731
        child=episode.child, ended_on=TODAY() - timedelta(days=days_ago), reason=reason, by=by
    )
    last = TODAY() - timedelta(days=10)
    assert refused(lambda: end(11)) == {
        "ended_on": [f"Support cannot end before the last contact or plan recorded, on {last:%d/%m/%Y}."]
    }
    assert "ended_on" in refused(lambda: end(-1))
    assert "reason" in refused(lambda: end(0, reason="RC1"))
    episode.refresh_from_db()
    assert episode.ended_on is None
