"""Assessment completion and authorisation, and child in need plans with their reviews: the order
of events each service keeps, its refusals (in words, naming the field), and its audit entry.

"Now" is 1 June 2026; every date is worked by hand.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from grip.audit.models import AuditEntry
from grip.cases import services
from grip.cases.models import Assessment, CINPlan, CINPlanReview
from tests.cases.factories import AssessmentFactory, CINEpisodeFactory, CINPlanFactory

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(datetime(2026, 6, 1, 12, 0))


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def worker():
    return get_user_model().objects.create_user(username="sw1", first_name="Sol", last_name="Ward")


@pytest.fixture
def manager():
    return get_user_model().objects.create_user(username="tm1", first_name="Tess", last_name="Moor")


def started(on=date(2026, 5, 4)):
    episode = CINEpisodeFactory(referral_date=date(2026, 5, 1))
    return AssessmentFactory(episode=episode, started_on=on, authorised_on=None, factors=[])


def submit(assessment, by, completed_on=date(2026, 5, 20), factors=("3A", "4B"), outcome="CIN_PLAN"):
    return services.assessment_submit(
        assessment=assessment, completed_on=completed_on, factors=list(factors), outcome=outcome, by=by
    )


def refusal(call) -> dict | list:
    with pytest.raises(ValidationError) as caught:
        call()
    error = caught.value
    return error.message_dict if hasattr(error, "error_dict") else error.messages


# --- assessment: completed and submitted, then authorised ------------------------------------------------


def test_a_completed_assessment_waits_for_a_manager_who_authorises_it(worker, manager):
    assessment = submit(started(), worker)
    assert (assessment.completed_on, assessment.factors, assessment.outcome) == (
        date(2026, 5, 20),
        ["3A", "4B"],
        "CIN_PLAN",
    )
    assert (assessment.submitted_at, assessment.submitted_by, assessment.authorised_on) == (NOW, worker, None)
    assert assessment.awaiting_authorisation

    services.assessment_authorise(assessment=assessment, authorised_on=date(2026, 5, 22), by=manager)
    assessment.refresh_from_db()
    assert (assessment.authorised_on, assessment.authorised_by) == (date(2026, 5, 22), manager)
    assert not assessment.awaiting_authorisation
    verbs = list(AuditEntry.objects.order_by("pk").values_list("verb", "actor_id"))
    assert verbs == [("assessment_submitted", worker.pk), ("assessment_authorised", manager.pk)]


@pytest.mark.parametrize(
    ("completed_on", "factors", "outcome", "field", "words"),
    [
        (date(2026, 6, 2), ["3A"], "NFA", "completed_on", "cannot be completed in the future"),
        (date(2026, 5, 3), ["3A"], "NFA", "completed_on", "before it started (04/05/2026)"),
        (date(2026, 5, 20), [], "NFA", "factors", "Select the factors identified"),
        (date(2026, 5, 20), ["21", "3A"], "NFA", "factors", "cannot be chosen with another factor"),
        (date(2026, 5, 20), ["99Z"], "NFA", "factors", "Select the factors from the list"),
        (date(2026, 5, 20), ["3A"], "", "outcome", "Choose the outcome"),
    ],
)
def test_a_submission_out_of_order_or_incomplete_is_refused_and_changes_nothing(
    worker, completed_on, factors, outcome, field, words
):
    assessment = started()
    errors = refusal(lambda: submit(assessment, worker, completed_on, factors, outcome))
    assert words in " ".join(errors[field])
    assessment.refresh_from_db()
    assert (assessment.completed_on, assessment.submitted_at, assessment.factors) == (None, None, [])
    assert not AuditEntry.objects.exists()


def test_no_factors_identified_on_its_own_is_accepted(worker):
    assert submit(started(), worker, factors=["21"], outcome="NFA").factors == ["21"]


def test_an_assessment_is_submitted_once(worker):
    assessment = submit(started(), worker)
    assert refusal(lambda: submit(assessment, worker)) == [
        "This assessment is already waiting for a manager to authorise it."
    ]


def test_only_a_submitted_assessment_is_authorised_and_not_by_its_worker_nor_out_of_order(worker, manager):
    assessment = started()
    authorise = services.assessment_authorise
    assert refusal(lambda: authorise(assessment=assessment, authorised_on=date(2026, 5, 22), by=manager)) == [
        "This assessment has not been submitted for authorisation."
    ]
    submit(assessment, worker)
    assert refusal(lambda: authorise(assessment=assessment, authorised_on=date(2026, 5, 22), by=worker)) == [
        "You submitted this assessment: another manager must authorise it."
    ]
    early = refusal(lambda: authorise(assessment=assessment, authorised_on=date(2026, 5, 19), by=manager))
    assert early == {"authorised_on": ["An assessment cannot be authorised before it was completed (20/05/2026)."]}
    future = refusal(lambda: authorise(assessment=assessment, authorised_on=date(2026, 6, 2), by=manager))
    assert future == {"authorised_on": ["An assessment cannot be authorised in the future."]}
    assert Assessment.objects.get().authorised_on is None

    authorise(assessment=assessment, authorised_on=date(2026, 6, 1), by=manager)
    assert refusal(lambda: authorise(assessment=assessment, authorised_on=date(2026, 6, 1), by=manager)) == [
        "This assessment was authorised on 01/06/2026."
    ]


def test_nothing_is_submitted_on_a_closed_case(worker):
    assessment = started()
    episode = assessment.episode
    episode.closure_date, episode.closure_reason = date(2026, 5, 30), "RC1"
    episode.save()
    assert refusal(lambda: submit(assessment, worker)) == [
        "This case closed on 30/05/2026: nothing more can be added to it."
    ]


# --- child in need plans and their reviews ---------------------------------------------------------------


def test_a_plan_starts_is_reviewed_and_ends_in_order(manager):
    episode = CINEpisodeFactory(referral_date=date(2026, 3, 2))
    plan = services.cin_plan_start(episode=episode, started_on=date(2026, 3, 20), by=manager)
    services.cin_plan_review_record(plan=plan, held_on=date(2026, 4, 17), by=manager)
    services.cin_plan_review_record(plan=plan, held_on=date(2026, 5, 15), by=manager)
    services.cin_plan_end(plan=plan, ended_on=date(2026, 5, 29), by=manager)
    plan.refresh_from_db()
    assert (plan.started_on, plan.ended_on) == (date(2026, 3, 20), date(2026, 5, 29))
    assert sorted(plan.reviews.values_list("held_on", flat=True)) == [date(2026, 4, 17), date(2026, 5, 15)]
    assert list(AuditEntry.objects.order_by("pk").values_list("verb", flat=True)) == [
        "cin_plan_started",
        "cin_plan_reviewed",
        "cin_plan_reviewed",
        "cin_plan_ended",
    ]


def test_a_plan_start_out_of_order_is_refused(manager):
    episode = CINEpisodeFactory(referral_date=date(2026, 3, 2))
    start = services.cin_plan_start
    before = refusal(lambda: start(episode=episode, started_on=date(2026, 3, 1), by=manager))
    assert before == {"started_on": ["A plan cannot start before the referral (02/03/2026)."]}
    future = refusal(lambda: start(episode=episode, started_on=date(2026, 6, 2), by=manager))
    assert future == {"started_on": ["A plan’s start cannot be in the future."]}
    CINPlanFactory(episode=episode, started_on=date(2026, 3, 10), ended_on=date(2026, 4, 30))
    overlapping = refusal(lambda: start(episode=episode, started_on=date(2026, 4, 29), by=manager))
    assert overlapping == {"started_on": ["A new plan cannot start before the last one ended (30/04/2026)."]}
    start(episode=episode, started_on=date(2026, 5, 1), by=manager)
    assert refusal(lambda: start(episode=episode, started_on=date(2026, 5, 2), by=manager)) == [
        "A child in need plan is already running on this case: end it first."
    ]
    assert CINPlan.objects.count() == 2


def test_a_review_out_of_order_is_refused(manager):
    plan = CINPlanFactory(episode=CINEpisodeFactory(referral_date=date(2026, 3, 2)), started_on=date(2026, 3, 20))
    review = services.cin_plan_review_record
    before = refusal(lambda: review(plan=plan, held_on=date(2026, 3, 19), by=manager))
    assert before == {"held_on": ["A plan cannot be reviewed before it started (20/03/2026)."]}
    assert refusal(lambda: review(plan=plan, held_on=date(2026, 6, 2), by=manager)) == {
        "held_on": ["A review cannot be in the future."]
    }
    review(plan=plan, held_on=date(2026, 4, 17), by=manager)
    again = refusal(lambda: review(plan=plan, held_on=date(2026, 4, 17), by=manager))
    assert again == {"held_on": ["A review is already recorded on 17/04/2026: this one must be later."]}
    assert CINPlanReview.objects.count() == 1


def test_a_plan_ends_after_its_last_review_and_once(manager):
    plan = CINPlanFactory(episode=CINEpisodeFactory(referral_date=date(2026, 3, 2)), started_on=date(2026, 3, 20))
    services.cin_plan_review_record(plan=plan, held_on=date(2026, 4, 17), by=manager)
    end = services.cin_plan_end
    assert refusal(lambda: end(plan=plan, ended_on=date(2026, 4, 16), by=manager)) == {
        "ended_on": ["A plan cannot end before its last review (17/04/2026)."]
    }
    end(plan=plan, ended_on=date(2026, 4, 30), by=manager)
    assert refusal(lambda: end(plan=plan, ended_on=date(2026, 5, 1), by=manager)) == [
        "This child in need plan ended on 30/04/2026."
    ]
    assert refusal(lambda: services.cin_plan_review_record(plan=plan, held_on=date(2026, 5, 1), by=manager)) == [
        "This child in need plan ended on 30/04/2026."
    ]
