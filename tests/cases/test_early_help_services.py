"""Early help's services: start (and as a step down from a CIN episode), assessment, team around the
family meetings, closure, and the step up that closes early help and opens a referral together.
Dates are counted back from today by hand in each test."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from grip.audit.models import AuditEntry
from grip.cases import services
from grip.cases.journey import child_journey
from grip.cases.models import CINEpisode, EarlyHelpEpisode, TafPlan
from grip.cases.selectors import child_stage
from tests.cases.factories import CINEpisodeFactory, ClosedCINEpisodeFactory, ContactFactory
from tests.people.factories import ChildFactory

pytestmark = pytest.mark.django_db

REASON = "Mum asked the school for help with routines and school attendance."


@pytest.fixture
def worker():
    return get_user_model().objects.create_user(username="eh-worker")


def days_ago(n: int):
    return timezone.localdate() - timedelta(days=n)


def start(child, by, *, on=None, **kwargs):
    return services.early_help_start(
        child=child,
        started_on=on or days_ago(60),
        lead_organisation=kwargs.pop("lead_organisation", "SCHOOL"),
        reason=kwargs.pop("reason", REASON),
        by=by,
        **kwargs,
    )


def test_early_help_starts_once_with_its_lead_organisation_and_reason(worker):
    child = ChildFactory()
    episode = start(child, worker, lead_practitioner=" Sam Jones, pastoral lead ")
    assert (episode.started_on, episode.lead_organisation, episode.lead_practitioner, episode.reason) == (
        days_ago(60),
        "SCHOOL",
        "Sam Jones, pastoral lead",
        REASON,
    )
    assert child_stage(child=child) == "early_help"
    entry = AuditEntry.objects.get(verb="early_help_started")
    assert entry.child_id == child.pk and entry.payload["lead_organisation"] == "SCHOOL"
    with pytest.raises(ValidationError, match=f"already open for this child \\(since {days_ago(60):%d/%m/%Y}\\)"):
        start(child, worker, on=days_ago(1))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"on": timezone.localdate() + timedelta(days=1)}, "started_on", "cannot be in the future"),
        ({"lead_organisation": "MI5"}, "lead_organisation", "Choose the organisation leading early help."),
        ({"reason": "help"}, "reason", "Say why the family needs early help."),
    ],
)
def test_a_start_is_refused_with_its_reason_on_the_field(worker, changes, field, message):
    with pytest.raises(ValidationError) as refused:
        start(ChildFactory(), worker, **changes)
    assert message in refused.value.message_dict[field][0]
    assert not EarlyHelpEpisode.objects.exists()


def test_new_early_help_cannot_start_before_the_last_one_ended(worker):
    child = ChildFactory()
    first = start(child, worker, on=days_ago(100))
    services.early_help_close(episode=first, ended_on=days_ago(40), reason="NEEDS_MET", by=worker)
    with pytest.raises(ValidationError, match=f"before the last early help ended \\({days_ago(40):%d/%m/%Y}\\)"):
        start(child, worker, on=days_ago(41))
    assert start(child, worker, on=days_ago(40)).started_on == days_ago(40)


def test_a_step_down_names_the_cin_episode_it_came_from_once(worker):
    child = ChildFactory()
    case = ClosedCINEpisodeFactory(
        child=child, referral_date=days_ago(90), closure_date=days_ago(10), closure_reason="RC9"
    )
    with pytest.raises(ValidationError, match="before the referral it comes from"):
        start(child, worker, on=days_ago(91), stepped_down_from=case)
    episode = start(child, worker, on=days_ago(9), stepped_down_from=case)
    assert episode.stepped_down_from == case
    assert AuditEntry.objects.get(verb="early_help_started").payload["stepped_down_from"] == case.pk
    services.early_help_close(episode=episode, ended_on=days_ago(2), reason="NEEDS_MET", by=worker)
    with pytest.raises(ValidationError, match="already recorded as the step down from this case"):
        start(child, worker, on=days_ago(1), stepped_down_from=case)
    other = ChildFactory()
    with pytest.raises(ValidationError, match="this child's own case"):
        start(other, worker, on=days_ago(1), stepped_down_from=case)


def test_the_assessment_starts_and_completes_in_order(worker):
    episode = start(ChildFactory(), worker, on=days_ago(60))
    with pytest.raises(ValidationError, match="before early help started"):
        services.early_help_assessment_start(episode=episode, started_on=days_ago(61), organisation="SCHOOL", by=worker)
    assessment = services.early_help_assessment_start(
        episode=episode, started_on=days_ago(55), organisation="HEALTH", by=worker
    )
    with pytest.raises(ValidationError, match="already under way"):
        services.early_help_assessment_start(episode=episode, started_on=days_ago(50), organisation="SCHOOL", by=worker)
    with pytest.raises(ValidationError, match="cannot be completed before it started"):
        services.early_help_assessment_complete(assessment=assessment, completed_on=days_ago(56), by=worker)
    done = services.early_help_assessment_complete(assessment=assessment, completed_on=days_ago(30), by=worker)
    assert (done.started_on, done.completed_on, done.organisation) == (days_ago(55), days_ago(30), "HEALTH")
    with pytest.raises(ValidationError, match="was completed on"):
        services.early_help_assessment_complete(assessment=assessment, completed_on=days_ago(29), by=worker)


def test_a_plan_is_agreed_before_it_is_reviewed_and_only_a_review_has_an_outcome(worker):
    episode = start(ChildFactory(), worker, on=days_ago(60))
    meet = lambda **kw: services.taf_meeting_record(  # noqa: E731
        episode=episode, attended_by=kw.pop("attended_by", ["PARENT", "SCHOOL"]), by=worker, **kw
    )
    with pytest.raises(ValidationError, match="after a meeting has agreed it"):
        meet(held_on=days_ago(40), plan=TafPlan.REVIEWED, review_outcome="CONTINUE")
    with pytest.raises(ValidationError, match="Only a review of the plan has an outcome"):
        meet(held_on=days_ago(40), plan=TafPlan.AGREED, review_outcome="CONTINUE")
    with pytest.raises(ValidationError, match="Select who attended"):
        meet(held_on=days_ago(40), plan=TafPlan.AGREED, attended_by=[])
    agreed = meet(held_on=days_ago(40), plan=TafPlan.AGREED, attended_by=["PARENT", "SCHOOL", "PARENT"])
    assert agreed.attended_by == ["PARENT", "SCHOOL"]
    with pytest.raises(ValidationError, match="Select the outcome of the review"):
        meet(held_on=days_ago(20), plan=TafPlan.REVIEWED)
    reviewed = meet(held_on=days_ago(20), plan=TafPlan.REVIEWED, review_outcome="STEP_UP", notes=" Escalating. ")
    assert (reviewed.review_outcome, reviewed.notes) == ("STEP_UP", "Escalating.")
    # A review's outcome is the meeting's decision: early help is still open until the step up.
    episode.refresh_from_db()
    assert episode.ended_on is None and child_stage(child=episode.child) == "early_help"


def test_closing_early_help_takes_a_reason_but_not_stepped_up_and_no_date_before_its_records(worker):
    episode = start(ChildFactory(), worker, on=days_ago(60))
    services.taf_meeting_record(
        episode=episode, held_on=days_ago(20), attended_by=["PARENT"], plan=TafPlan.AGREED, by=worker
    )
    with pytest.raises(ValidationError, match="Step up to social care"):
        services.early_help_close(episode=episode, ended_on=days_ago(1), reason="STEPPED_UP", by=worker)
    with pytest.raises(ValidationError, match=f"last thing recorded in it \\({days_ago(20):%d/%m/%Y}\\)"):
        services.early_help_close(episode=episode, ended_on=days_ago(21), reason="NEEDS_MET", by=worker)
    closed = services.early_help_close(episode=episode, ended_on=days_ago(5), reason="UNIVERSAL", by=worker)
    assert (closed.ended_on, closed.closure_reason) == (days_ago(5), "UNIVERSAL")
    assert child_stage(child=episode.child) == "closed"
    with pytest.raises(ValidationError, match="nothing more can be added"):
        services.taf_meeting_record(
            episode=episode, held_on=days_ago(1), attended_by=["PARENT"], plan=TafPlan.AGREED, by=worker
        )


def test_a_step_up_closes_early_help_and_opens_a_referral_from_early_help_together(worker):
    child = ChildFactory()
    episode = start(child, worker, on=days_ago(60))
    referral = services.early_help_step_up(episode=episode, stepped_up_on=days_ago(3), by=worker)
    episode.refresh_from_db()
    assert (episode.ended_on, episode.closure_reason, episode.stepped_up_to) == (days_ago(3), "STEPPED_UP", referral)
    # CIN census ReferralSource 5D: "LA services – early help"; the referral date is the step up's day.
    assert (referral.referral_date, referral.referral_source, referral.contact) == (days_ago(3), "5D", None)
    assert child_stage(child=child) == "child_in_need"
    verbs = set(AuditEntry.objects.filter(child=child).values_list("verb", flat=True))
    assert {"early_help_stepped_up", "referral_opened"} <= verbs
    kinds = [e.kind for e in child_journey(child=child) if e.when == days_ago(3)]
    assert kinds == ["referral", "early_help_ended"]  # newest first: early help ends, then the referral


def test_a_step_up_is_refused_when_the_case_is_already_open_and_nothing_changes(worker):
    child = ChildFactory()
    CINEpisodeFactory(child=child, referral_date=days_ago(10))
    episode = start(child, worker, on=days_ago(60))
    with pytest.raises(ValidationError, match="already has an open case"):
        services.early_help_step_up(episode=episode, stepped_up_on=days_ago(1), by=worker)
    episode.refresh_from_db()
    assert episode.ended_on is None and CINEpisode.objects.filter(child=child).count() == 1


def test_a_failed_referral_leaves_early_help_open(worker, monkeypatch):
    """One transaction: when the referral cannot be written, early help is not closed either."""
    from grip.cases.services import early_help as module

    def broken(**_kwargs):
        raise RuntimeError("database unavailable")

    child = ChildFactory()
    episode = start(child, worker, on=days_ago(60))
    monkeypatch.setattr(module, "open_referral", broken)
    with pytest.raises(RuntimeError):
        services.early_help_step_up(episode=episode, stepped_up_on=days_ago(1), by=worker)
    episode.refresh_from_db()
    assert episode.ended_on is None and not CINEpisode.objects.filter(child=child).exists()


def test_the_front_door_keeps_a_child_in_the_early_help_they_have(worker):
    child = ChildFactory()
    episode = start(child, worker, on=days_ago(60))
    contact = ContactFactory(child=child)
    from django.db import transaction

    with transaction.atomic():
        same = services.early_help_from_contact(contact=contact, by=worker)
    assert same == episode and EarlyHelpEpisode.objects.filter(child=child).count() == 1


def test_the_journey_shows_the_assessment_and_meetings(worker):
    child = ChildFactory()
    episode = start(child, worker, on=days_ago(60), lead_organisation="LA_EARLY_HELP")
    assessment = services.early_help_assessment_start(
        episode=episode, started_on=days_ago(58), organisation="LA_EARLY_HELP", by=worker
    )
    services.early_help_assessment_complete(assessment=assessment, completed_on=days_ago(45), by=worker)
    services.taf_meeting_record(
        episode=episode, held_on=days_ago(40), attended_by=["PARENT", "HEALTH"], plan=TafPlan.AGREED, by=worker
    )
    services.taf_meeting_record(
        episode=episode,
        held_on=days_ago(10),
        attended_by=["PARENT"],
        plan=TafPlan.REVIEWED,
        review_outcome="CONTINUE",
        by=worker,
    )
    events = [(e.when, e.title, e.detail) for e in child_journey(child=child)]
    assert events == [
        (
            days_ago(10),
            "Early help plan review",
            "The plan was reviewed\nOutcome: Continue the plan\nAttended: Parent or carer",
        ),
        (
            days_ago(40),
            "Team around the family meeting",
            "The plan was agreed\nAttended: Parent or carer, Health (health visitor, school nurse, GP)",
        ),
        (days_ago(45), "Early help assessment completed", "Organisation: Local authority early help service"),
        (days_ago(58), "Early help assessment started", "Organisation: Local authority early help service"),
        (days_ago(60), "Early help started", f"Led by: Local authority early help service\nWhy: {REASON}"),
    ]
