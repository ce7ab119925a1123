"""The child protection pages: offered on the record at the stages they apply to; a decision (a
section 47 outcome, a conference) shown on a check-your-answers step and recorded only from there;
errors shown with what was typed (status 400), a refusal of the record's rules on the field it
names; earlier records with who recorded them and when; an independent reviewing officer records a
review conference but not a core group."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from grip.access.roles import Role
from grip.cases.models import (
    ChildProtectionConference,
    ChildProtectionPlan,
    CINPlan,
    CoreGroupMeeting,
    Section47Enquiry,
)
from tests.allocation.conftest import user_with
from tests.cases.factories import (
    AllocationFactory,
    ChildProtectionPlanFactory,
    CINEpisodeFactory,
    CINPlanFactory,
    Section47EnquiryFactory,
)
from tests.people.factories import ChildFactory

from .test_protection_clocks import date_fields, last_weekday

pytestmark = pytest.mark.django_db


@pytest.fixture
def episode(service):
    child = ChildFactory(first_name="Pia", last_name="Guard", date_of_birth=service.today - timedelta(days=365 * 7))
    episode = CINEpisodeFactory(child=child, referral_date=service.today - timedelta(days=60))
    ada = service.workers["ada"]
    AllocationFactory(child=child, worker=ada, team=ada.team, started_on=service.today - timedelta(days=60))
    return episode


@pytest.fixture
def ada(client, service):
    user = service.users["ada"]
    user.first_name, user.last_name = "Ada", "Shaw"
    user.save()
    client.force_login(user)
    return user


def conference(day, **answers) -> dict:
    return {
        **date_fields("held", day),
        "chair": "Rita Chairwoman",
        "attended_by": ["SOCIAL_CARE", "PARENT", "POLICE"],
        "attendee_names": "Mother; PC Jones",
        "participation": "ATTENDED_SPOKE",
        **answers,
    }


def test_the_record_offers_the_enquiry_and_conference_pages_and_a_plan_adds_its_own(client, service, episode, ada):
    record = reverse("web:child-record", args=[episode.child.pk])
    offered = client.get(record).text
    assert "Record a section 47 enquiry’s outcome" in offered
    assert "Record an initial child protection conference" in offered
    assert "Record a core group meeting" not in offered  # no plan yet
    ChildProtectionPlanFactory(episode=episode, started_on=service.today - timedelta(days=20))
    offered = client.get(record).text
    assert "Record a review child protection conference" in offered
    assert "Record a core group meeting" in offered


def test_the_check_page_says_a_plan_ends_the_running_child_in_need_plan(client, service, episode, ada):
    """CIN census rules 4001/4016: a child is not on a CIN plan and a CP plan at once, so a conference
    that starts a protection plan ends the CIN plan that day, and the check page says so before it is
    recorded. The CIN plan began 40 days before the conference; the warning names both days as the
    page writes dates (day, month name, year)."""
    day = last_weekday(service.today)
    began = day - timedelta(days=40)
    cin_plan = CINPlanFactory(episode=episode, started_on=began, ended_on=None)
    Section47EnquiryFactory(episode=episode, started_on=day - timedelta(days=14), completed_on=day, outcome="ICPC")
    page = reverse("recording:protection-initial-conference", args=[episode.child.pk])

    no_plan = client.post(page, conference(day, outcome="NO_PLAN"))
    assert "Check the initial child protection conference" in no_plan.text
    assert 'data-testid="ends-cin-plan"' not in no_plan.text  # no protection plan: the CIN plan runs on

    check = client.post(page, conference(day, outcome="PLAN", category="EMO"))
    assert 'data-testid="ends-cin-plan"' in check.text
    said = f"ends the child in need plan running since {began.day} {began:%B %Y}"
    assert said in check.text and f"on the day of the conference, {day.day} {day:%B %Y}" in check.text
    assert CINPlan.objects.get(pk=cin_plan.pk).ended_on is None  # only checked so far

    assert client.post(page, conference(day, outcome="PLAN", category="EMO", step="check")).status_code == 302
    assert CINPlan.objects.get(pk=cin_plan.pk).ended_on == day


def test_a_section47_outcome_is_checked_then_recorded(client, service, episode, ada):
    enquiry = Section47EnquiryFactory(
        episode=episode, started_on=service.today - timedelta(days=10), completed_on=None, outcome=""
    )
    page = reverse("recording:protection-section47-outcome", args=[episode.child.pk])
    answers = {**date_fields("completed", service.today), "outcome": "ICPC"}
    check = client.post(page, answers)
    assert check.status_code == 200
    assert "Check the section 47 enquiry’s outcome" in check.text
    assert "Initial child protection conference required" in check.text
    enquiry.refresh_from_db()
    assert enquiry.completed_on is None  # nothing recorded until it is checked

    change = client.post(page, {**answers, "step": "change"})
    assert f'name="completed_day" type="text" value="{service.today.day}"' in change.text
    assert client.post(page, {**answers, "step": "check"}).status_code == 302
    enquiry.refresh_from_db()
    assert (enquiry.completed_on, enquiry.outcome) == (service.today, "ICPC")
    assert not ChildProtectionConference.objects.exists()  # a conference needed is not a conference held

    listed = client.get(page).text
    assert 'data-testid="nothing-to-record"' in listed
    assert "by Ada Shaw on" in listed


def test_a_refused_date_is_shown_on_the_date_with_what_was_typed(client, service, episode, ada):
    Section47EnquiryFactory(
        episode=episode, started_on=service.today - timedelta(days=10), completed_on=None, outcome=""
    )
    page = reverse("recording:protection-section47-outcome", args=[episode.child.pk])
    early = service.today - timedelta(days=11)
    refused = client.post(page, {**date_fields("completed", early), "outcome": "CIN", "step": "check"})
    assert refused.status_code == 400
    assert "The enquiry cannot be completed before it started" in refused.text
    assert 'href="#completed_day"' in refused.text
    assert 'value="CIN" checked' in refused.text
    assert not Section47Enquiry.objects.filter(completed_on__isnull=False).exists()


def test_an_initial_conference_with_a_plan_asks_for_the_category_then_starts_the_plan(client, service, episode, ada):
    day = last_weekday(service.today)
    Section47EnquiryFactory(episode=episode, started_on=day - timedelta(days=14), completed_on=day, outcome="ICPC")
    page = reverse("recording:protection-initial-conference", args=[episode.child.pk])
    missing = client.post(page, conference(day, outcome="PLAN"))
    assert missing.status_code == 400
    assert "Select the category of abuse of the plan" in missing.text
    assert 'value="Rita Chairwoman"' in missing.text and 'value="POLICE" checked' in missing.text

    check = client.post(page, conference(day, outcome="PLAN", category="EMO"))
    assert "Check the initial child protection conference" in check.text and "Emotional abuse" in check.text
    assert 'data-testid="ends-cin-plan"' not in check.text  # no child in need plan to end
    assert not ChildProtectionPlan.objects.exists()
    assert client.post(page, conference(day, outcome="PLAN", category="EMO", step="check")).status_code == 302
    plan = ChildProtectionPlan.objects.get()
    assert (plan.started_on, plan.initial_category) == (day, "EMO")
    held = ChildProtectionConference.objects.get()
    assert (held.chair, held.attended_by, held.attendee_names) == (
        "Rita Chairwoman",
        ["SOCIAL_CARE", "PARENT", "POLICE"],
        "Mother; PC Jones",
    )


def test_an_iro_records_a_review_that_ends_the_plan_but_no_core_group(client, service, episode):
    plan = ChildProtectionPlanFactory(episode=episode, started_on=service.today - timedelta(days=90))
    client.force_login(user_with("iro", Role.INDEPENDENT_REVIEWING_OFFICER))
    page = reverse("recording:protection-review-conference", args=[episode.child.pk])
    no_reason = client.post(page, conference(service.today, outcome="END", step="check"))
    assert no_reason.status_code == 400 and "Select why the plan ends" in no_reason.text
    answers = conference(service.today, outcome="END", end_reason="NO_LONGER_AT_RISK")
    assert "No longer at risk of significant harm" in client.post(page, answers).text
    assert client.post(page, {**answers, "step": "check"}).status_code == 302
    plan.refresh_from_db()
    assert (plan.ended_on, plan.end_reason) == (service.today, "NO_LONGER_AT_RISK")
    assert client.get(reverse("recording:protection-core-group", args=[episode.child.pk])).status_code == 404


def test_a_core_group_before_the_plan_is_refused_and_one_on_it_listed(client, service, episode, ada):
    plan = ChildProtectionPlanFactory(episode=episode, started_on=service.today - timedelta(days=20))
    page = reverse("recording:protection-core-group", args=[episode.child.pk])
    early = {**date_fields("held", plan.started_on - timedelta(days=1)), "attended_by": ["PARENT"]}
    refused = client.post(page, early)
    assert refused.status_code == 400 and "A core group cannot meet before the plan started" in refused.text
    assert not CoreGroupMeeting.objects.exists()
    met = {**date_fields("held", service.today), "attended_by": ["PARENT", "HEALTH"]}
    assert client.post(page, met).status_code == 302
    listed = client.get(page).text
    assert 'data-testid="earlier-core-groups"' in listed and "by Ada Shaw on" in listed
