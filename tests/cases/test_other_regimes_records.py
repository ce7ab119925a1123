"""The records issue 11 added (CIN plan reviews, needs assessments, care leaver accommodation,
private fostering arrangements, the return interview outcome): bad data is refused."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from grip.cases.models import CareLeaverAccommodation, CINPlanReview, PrivateFosteringArrangement
from tests.cases.factories import CareLeaverEpisodeFactory, CINPlanFactory, MissingEpisodeFactory
from tests.people.factories import ChildFactory

pytestmark = pytest.mark.django_db


def refused(make) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_accommodation_is_provided_under_a_known_duty_and_ends_after_it_starts():
    leaver = CareLeaverEpisodeFactory(started_on=date(2026, 1, 5))

    def provided(**kw):
        values = {"provided_under": "S23B", "provided_from": date(2026, 1, 5), **kw}
        return CareLeaverAccommodation.objects.create(care_leaver=leaver, **values)

    refused(lambda: provided(provided_under="S20"))
    refused(lambda: provided(provided_to=date(2026, 1, 4)))
    assert provided(provided_under="S24B", provided_to=date(2026, 1, 5)).pk


def test_a_private_fostering_arrangement_cannot_end_before_it_was_notified():
    child = ChildFactory()
    refused(
        lambda: PrivateFosteringArrangement.objects.create(
            child=child, notified_on=date(2026, 3, 2), ended_on=date(2026, 3, 1)
        )
    )


def test_a_cin_plan_cannot_be_reviewed_before_it_starts():
    plan = CINPlanFactory(started_on=date(2026, 3, 2))
    with pytest.raises(ValidationError, match="before it starts"):
        CINPlanReview(plan=plan, held_on=date(2026, 3, 1)).full_clean()
    CINPlanReview(plan=plan, held_on=date(2026, 3, 2)).full_clean()


def test_a_return_interview_outcome_is_held_or_declined():
    assert MissingEpisodeFactory(return_interview_outcome="HELD").pk
    assert MissingEpisodeFactory(return_interview_outcome="DECLINED").pk
    refused(lambda: MissingEpisodeFactory(return_interview_outcome="MAYBE"))


def test_the_journey_says_a_return_interview_was_declined():
    from datetime import UTC, datetime

    from grip.cases.journey import child_journey
    from grip.core.formatting import long_date

    returned = datetime(2026, 3, 27, 12, tzinfo=UTC)
    declined = MissingEpisodeFactory(
        started_at=datetime(2026, 3, 27, 9, tzinfo=UTC),
        ended_at=returned,
        return_interview_at=datetime(2026, 3, 28, 12, tzinfo=UTC),
        return_interview_outcome="DECLINED",
    )

    (missing,) = [e for e in child_journey(child=declined.child) if e.kind == "missing"]
    assert missing.detail.splitlines()[1] == (
        f"Return interview offered and declined {long_date(date(2026, 3, 28))}, within 72 hours"
    )
