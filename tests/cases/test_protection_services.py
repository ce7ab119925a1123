"""Child protection services: a section 47 enquiry's outcome, the initial conference (and the plan
it starts), review conferences and core groups: the order of events each keeps, its refusals (in
words, naming the field), what the database itself refuses, and the audit entry.

"Now" is Monday 1 June 2026. The case: referral Monday 27 April, section 47 enquiry started Monday
4 May, completed Wednesday 13 May; Saturday 16 May is a weekend day; the ICPC is Monday 18 May.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from grip.audit.models import AuditEntry
from grip.cases import services
from grip.cases.models import ChildProtectionConference, ChildProtectionPlan, CINPlan, CoreGroupMeeting
from tests.cases.factories import CINEpisodeFactory, CINPlanFactory, Section47EnquiryFactory

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(datetime(2026, 6, 1, 12, 0))
ICPC_DAY = date(2026, 5, 18)


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def worker():
    return get_user_model().objects.create_user(username="sw1", first_name="Sol", last_name="Ward")


def refusal(call) -> dict | list:
    with pytest.raises(ValidationError) as caught:
        call()
    error = caught.value
    return error.message_dict if hasattr(error, "error_dict") else error.messages


def enquiry_under_way():
    episode = CINEpisodeFactory(referral_date=date(2026, 4, 27))
    return Section47EnquiryFactory(episode=episode, started_on=date(2026, 5, 4), completed_on=None, outcome="")


def concluded(outcome="ICPC", by=None):
    enquiry = enquiry_under_way()
    return services.section47_outcome_record(enquiry=enquiry, completed_on=date(2026, 5, 13), outcome=outcome, by=by)


def icpc(enquiry, by, **changes):
    answers = {
        "enquiry": enquiry,
        "held_on": ICPC_DAY,
        "chair": "Rita Chairwoman",
        "attended_by": ["SOCIAL_CARE", "PARENT", "POLICE", "HEALTH"],
        "attendee_names": "Mother; health visitor",
        "participation": "YOUNG",
        "outcome": "PLAN",
        "category": "NEG",
        "by": by,
    }
    return services.initial_conference_hold(**(answers | changes))


def rcpc(plan, by, **changes):
    answers = {
        "plan": plan,
        "held_on": date(2026, 5, 28),
        "chair": "Rita Chairwoman",
        "attended_by": ["SOCIAL_CARE", "PARENT"],
        "participation": "VIEWS_WORKER",
        "outcome": "CONTINUE",
        "by": by,
    }
    return services.review_conference_hold(**(answers | changes))


# --- section 47 outcome ------------------------------------------------------------------------------


def test_the_outcome_completes_the_enquiry_and_holds_no_conference(worker):
    enquiry = concluded("ICPC", worker)
    enquiry.refresh_from_db()
    assert (enquiry.completed_on, enquiry.outcome, enquiry.conference_needed) == (date(2026, 5, 13), "ICPC", True)
    assert not ChildProtectionConference.objects.exists()  # needed is not held
    entry = AuditEntry.objects.get()
    assert (entry.verb, entry.actor, entry.payload["outcome"]) == ("section47_outcome_recorded", worker, "ICPC")


def test_the_outcome_refuses_dates_out_of_order_a_future_date_and_a_second_outcome(worker):
    enquiry = enquiry_under_way()
    before = refusal(
        lambda: services.section47_outcome_record(
            enquiry=enquiry, completed_on=date(2026, 5, 3), outcome="CIN", by=worker
        )
    )
    assert before == {"completed_on": ["The enquiry cannot be completed before it started (04/05/2026)."]}
    future = refusal(
        lambda: services.section47_outcome_record(
            enquiry=enquiry, completed_on=date(2026, 6, 2), outcome="CIN", by=worker
        )
    )
    assert future == {"completed_on": ["The date the enquiry was completed cannot be in the future."]}
    assert "outcome" in refusal(
        lambda: services.section47_outcome_record(
            enquiry=enquiry, completed_on=date(2026, 5, 13), outcome="MAYBE", by=worker
        )
    )
    services.section47_outcome_record(enquiry=enquiry, completed_on=date(2026, 5, 13), outcome="NFA", by=worker)
    assert refusal(
        lambda: services.section47_outcome_record(
            enquiry=enquiry, completed_on=date(2026, 5, 13), outcome="ICPC", by=worker
        )
    ) == ["This section 47 enquiry was already completed on 13/05/2026."]


# --- initial conference ------------------------------------------------------------------------------


def test_an_initial_conference_with_a_plan_starts_the_plan_that_day(worker):
    enquiry = concluded("ICPC", worker)
    conference = icpc(enquiry, worker)
    plan = ChildProtectionPlan.objects.get()
    assert (plan.started_on, plan.initial_category, plan.latest_category, plan.ended_on) == (
        ICPC_DAY,
        "NEG",
        "NEG",
        None,
    )
    assert (conference.conference_type, conference.section47, conference.plan, conference.chair) == (
        "ICPC",
        enquiry,
        plan,
        "Rita Chairwoman",
    )
    assert conference.attended_by == ["SOCIAL_CARE", "PARENT", "POLICE", "HEALTH"]
    assert (conference.participation, conference.outcome, conference.category) == ("YOUNG", "PLAN", "NEG")
    entry = AuditEntry.objects.filter(verb="initial_conference_held").get()
    assert entry.payload == {"held_on": "2026-05-18", "outcome": "PLAN", "plan": plan.pk, "category": "NEG"}


def test_an_initial_conference_without_a_plan_starts_none(worker):
    conference = icpc(concluded("ICPC", worker), worker, outcome="NO_PLAN", category="PHY")
    assert (conference.plan, conference.category) == (None, "")
    assert not ChildProtectionPlan.objects.exists()


def test_a_plan_ends_the_child_in_need_plan_running_that_day(worker):
    enquiry = concluded("ICPC", worker)
    cin_plan = CINPlanFactory(episode=enquiry.episode, started_on=date(2026, 5, 1))
    icpc(enquiry, worker)
    cin_plan.refresh_from_db()
    assert cin_plan.ended_on == ICPC_DAY  # CIN census rules 4001, 4016
    assert list(AuditEntry.objects.order_by("pk").values_list("verb", flat=True)) == [
        "section47_outcome_recorded",
        "cin_plan_ended",
        "initial_conference_held",
    ]


def test_no_conference_where_the_enquiry_did_not_ask_for_one(worker):
    assert refusal(lambda: icpc(enquiry_under_way(), worker)) == [
        "Record the section 47 enquiry’s outcome as “conference needed” first."
    ]
    assert refusal(lambda: icpc(concluded("CIN", worker), worker)) == [
        "Record the section 47 enquiry’s outcome as “conference needed” first."
    ]


def test_the_initial_conference_refuses_bad_dates_and_missing_answers(worker):
    enquiry = concluded("ICPC", worker)
    assert refusal(lambda: icpc(enquiry, worker, held_on=date(2026, 5, 12))) == {
        "held_on": [
            "The conference cannot be before the section 47 enquiry that asked for it was completed (13/05/2026)."
        ]
    }
    assert refusal(lambda: icpc(enquiry, worker, held_on=date(2026, 5, 16))) == {
        "held_on": ["An initial conference is not held at a weekend (CIN census rule 8875)."]
    }
    assert refusal(lambda: icpc(enquiry, worker, held_on=date(2026, 6, 2))) == {
        "held_on": ["The date of the conference cannot be in the future."]
    }
    assert "chair" in refusal(lambda: icpc(enquiry, worker, chair="  "))
    assert "attended_by" in refusal(lambda: icpc(enquiry, worker, attended_by=[]))
    assert "participation" in refusal(lambda: icpc(enquiry, worker, participation=""))
    assert "category" in refusal(lambda: icpc(enquiry, worker, category=""))
    assert not ChildProtectionConference.objects.exists()
    icpc(enquiry, worker)
    assert refusal(lambda: icpc(enquiry, worker)) == [
        "This section 47 enquiry already has its initial conference recorded."
    ]


# --- review conference -------------------------------------------------------------------------------


def test_a_review_continues_the_plan_with_a_new_latest_category(worker):
    plan = icpc(concluded("ICPC", worker), worker).plan
    review = rcpc(plan, worker, category="EMO")
    plan.refresh_from_db()
    assert (plan.initial_category, plan.latest_category, plan.ended_on) == ("NEG", "EMO", None)
    assert (review.conference_type, review.plan, review.outcome, review.category) == ("RCPC", plan, "CONTINUE", "EMO")
    assert AuditEntry.objects.filter(verb="review_conference_held").get().payload["latest_category"] == "EMO"


def test_a_review_that_ends_the_plan_ends_it_that_day_with_the_reason(worker):
    plan = icpc(concluded("ICPC", worker), worker).plan
    rcpc(plan, worker, outcome="END", end_reason="NO_LONGER_AT_RISK")
    plan.refresh_from_db()
    assert (plan.ended_on, plan.end_reason, plan.latest_category) == (date(2026, 5, 28), "NO_LONGER_AT_RISK", "NEG")
    assert refusal(lambda: rcpc(plan, worker, held_on=date(2026, 5, 29))) == [
        "This child protection plan ended on 28/05/2026."
    ]


def test_a_review_refuses_dates_out_of_order_and_an_end_with_no_reason(worker):
    plan = icpc(concluded("ICPC", worker), worker).plan
    assert refusal(lambda: rcpc(plan, worker, held_on=ICPC_DAY)) == {
        "held_on": ["A review must be after the plan started (18/05/2026)."]
    }
    assert refusal(lambda: rcpc(plan, worker, outcome="END")) == {"end_reason": ["Select why the plan ends."]}
    assert "outcome" in refusal(lambda: rcpc(plan, worker, outcome="PLAN"))
    rcpc(plan, worker)
    assert refusal(lambda: rcpc(plan, worker, held_on=date(2026, 5, 27))) == {
        "held_on": ["A review is already recorded on 28/05/2026: this one must be later."]
    }


# --- core group ---------------------------------------------------------------------------------------


def test_a_core_group_meets_on_the_plan_not_before_it(worker):
    plan = icpc(concluded("ICPC", worker), worker).plan
    assert refusal(
        lambda: services.core_group_record(plan=plan, held_on=date(2026, 5, 15), attended_by=["PARENT"], by=worker)
    ) == {"held_on": ["A core group cannot meet before the plan started (18/05/2026)."]}
    meeting = services.core_group_record(
        plan=plan, held_on=date(2026, 5, 26), attended_by=["SOCIAL_CARE", "PARENT", "EDUCATION"], by=worker
    )
    assert (meeting.plan, meeting.held_on, meeting.attended_by) == (
        plan,
        date(2026, 5, 26),
        ["SOCIAL_CARE", "PARENT", "EDUCATION"],
    )
    assert refusal(
        lambda: services.core_group_record(plan=plan, held_on=date(2026, 5, 26), attended_by=["PARENT"], by=worker)
    ) == {"held_on": ["A core group meeting on 26/05/2026 is already recorded."]}
    assert "attended_by" in refusal(
        lambda: services.core_group_record(plan=plan, held_on=date(2026, 5, 27), attended_by=[], by=worker)
    )
    assert CoreGroupMeeting.objects.count() == 1
    assert AuditEntry.objects.filter(verb="core_group_recorded").count() == 1


# --- what the database refuses whatever the way in ----------------------------------------------------


def _refused_by_the_database(make) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_the_database_keeps_conference_outcomes_with_their_plans():
    enquiry = Section47EnquiryFactory(completed_on=date(2026, 5, 13), outcome="ICPC")
    common = {"episode": enquiry.episode, "held_on": ICPC_DAY}
    # A plan-making ICPC with no plan; a review with an initial conference's outcome.
    _refused_by_the_database(
        lambda: ChildProtectionConference.objects.create(**common, conference_type="ICPC", outcome="PLAN")
    )
    plan = ChildProtectionPlan.objects.create(
        episode=enquiry.episode, started_on=ICPC_DAY, initial_category="NEG", latest_category="NEG"
    )
    _refused_by_the_database(
        lambda: ChildProtectionConference.objects.create(**common, conference_type="RCPC", plan=plan, outcome="PLAN")
    )
    ChildProtectionConference.objects.create(**common, conference_type="ICPC", section47=enquiry)
    _refused_by_the_database(
        lambda: ChildProtectionConference.objects.create(**common, conference_type="ICPC", section47=enquiry)
    )
    # An end reason on a plan still running; an outcome on an enquiry not completed.
    _refused_by_the_database(lambda: ChildProtectionPlan.objects.filter(pk=plan.pk).update(end_reason="DIED"))
    _refused_by_the_database(lambda: Section47EnquiryFactory(episode=enquiry.episode, completed_on=None, outcome="CIN"))
    assert CINPlan.objects.count() == 0
