"""Test data for a child's journey: contacts, episodes, plans, care, visits and allocations.

Workforce, contact and allocation factories live here too until those apps have their own.
Every coded field gets a valid code (see grip/reference/codelists/).
"""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from grip.allocation.models import Allocation
from grip.cases import models as cases
from grip.frontdoor.models import Contact
from grip.people.models import Person
from grip.workforce.models import ServiceArea, Supervision, Team, Worker, WorkerTerms
from tests.people.factories import ChildFactory, fake


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    """An aware datetime in the project's time zone on `day`."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


class ServiceAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceArea
        django_get_or_create = ("name",)

    name = "Children's social care"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Assessment team {n}")
    service_area = factory.SubFactory(ServiceAreaFactory)
    function = Team.Function.ASSESSMENT


class WorkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Worker
        skip_postgeneration_save = True

    first_name = fake("first_name")
    last_name = fake("last_name")
    role = "SW"
    employment_type = "PERMANENT"
    team = factory.SubFactory(TeamFactory)
    started_on = dt.date(2020, 1, 6)

    @factory.post_generation
    def terms(worker, create, extracted, **kwargs):
        """The worker's first terms, from the day they started, as the starter service writes them."""
        if create:
            fields = ("role", "team", "fte", "employment_type", "manager", "started_on")
            WorkerTerms.objects.create(worker=worker, **{name: getattr(worker, name) for name in fields})


class SupervisionFactory(factory.django.DjangoModelFactory):
    """A session with the worker's team manager a week ago."""

    class Meta:
        model = Supervision

    worker = factory.SubFactory(WorkerFactory)
    supervisor = factory.SubFactory(WorkerFactory, role="TM", team=factory.SelfAttribute("..worker.team"))
    held_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=7))


class ContactFactory(factory.django.DjangoModelFactory):
    """A contact received at 10:00 and decided "referral" two hours later."""

    class Meta:
        model = Contact

    reference = factory.Sequence(lambda n: f"C{n:07d}")
    child = factory.SubFactory(ChildFactory)
    received_at = factory.LazyFunction(lambda: at(timezone.localdate() - dt.timedelta(days=30)))
    route = "PHONE"
    source = "2A"
    reporter_name = fake("name")
    reporter_organisation = "Hillside Primary School"
    decided_at = factory.LazyAttribute(lambda c: c.received_at + dt.timedelta(hours=2))
    decided_by = factory.SubFactory(WorkerFactory)
    outcome = "REF"


class CINEpisodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases.CINEpisode

    child = factory.SubFactory(ChildFactory)
    referral_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=29))
    referral_source = "6"
    primary_need = "N1"


class ClosedCINEpisodeFactory(CINEpisodeFactory):
    closure_date = factory.LazyAttribute(lambda e: e.referral_date + dt.timedelta(days=20))
    closure_reason = "RC8"


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases.Assessment

    episode = factory.SubFactory(CINEpisodeFactory)
    started_on = factory.SelfAttribute("episode.referral_date")
    authorised_on = factory.LazyAttribute(lambda a: a.started_on + dt.timedelta(days=30))
    factors = factory.LazyFunction(lambda: ["3A", "4B"])


class CINPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases.CINPlan

    episode = factory.SubFactory(CINEpisodeFactory)
    started_on = factory.LazyAttribute(lambda p: p.episode.referral_date + dt.timedelta(days=35))


class StrategyDiscussionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases.StrategyDiscussion

    class Params:
        held_on = factory.SelfAttribute("episode.referral_date")  # the day it was held, at 11:00

    episode = factory.SubFactory(CINEpisodeFactory)
    requested_at = factory.LazyAttribute(lambda d: at(d.held_on, 9))
    held_at = factory.LazyAttribute(lambda d: at(d.held_on, 11))
    attended_by = factory.LazyFunction(lambda: ["SOCIAL_CARE", "POLICE", "HEALTH"])
    outcome = "S47"


class Section47EnquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases.Section47Enquiry

    episode = factory.SubFactory(CINEpisodeFactory)
    started_on = factory.SelfAttribute("episode.referral_date")
    completed_on = factory.LazyAttribute(lambda s: s.started_on + dt.timedelta(days=10))
    outcome = "ICPC"


class ChildProtectionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases.ChildProtectionPlan

    episode = factory.SubFactory(CINEpisodeFactory)
    started_on = factory.LazyAttribute(lambda p: p.episode.referral_date + dt.timedelta(days=14))
    initial_category = "NEG"
    latest_category = "NEG"


class CoreGroupMeetingFactory(factory.django.DjangoModelFactory):
    """The first core group, a week after the plan started."""

    class Meta:
        model = cases.CoreGroupMeeting

    plan = factory.SubFactory(ChildProtectionPlanFactory)
    held_on = factory.LazyAttribute(lambda m: m.plan.started_on + dt.timedelta(days=7))


class ChildProtectionConferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases.ChildProtectionConference

    episode = factory.SubFactory(CINEpisodeFactory)
    conference_type = "ICPC"
    held_on = factory.LazyAttribute(lambda c: c.episode.referral_date + dt.timedelta(days=14))


class LookedAfterEpisodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases.LookedAfterEpisode

    child = factory.SubFactory(ChildFactory)
    started_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=100))
    reason_new_episode = "S"
    legal_status = "C2"
    category_of_need = "N1"
    placement_type = "U4"
    placement_provider = "PR1"


class LookedAfterReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases.LookedAfterReview

    child = factory.SubFactory(ChildFactory)
    held_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=80))
    participation = "PN1"


class CarePlanFactory(factory.django.DjangoModelFactory):
    """The care plan for a period of care, made the day the child was first placed."""

    class Meta:
        model = cases.CarePlan

    episode = factory.SubFactory(LookedAfterEpisodeFactory)
    child = factory.SelfAttribute("episode.child")
    made_on = factory.SelfAttribute("episode.started_on")


class HealthAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases.HealthAssessment

    child = factory.SubFactory(ChildFactory)
    held_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=90))
    assessment_type = cases.HealthAssessmentType.INITIAL


class MissingEpisodeFactory(factory.django.DjangoModelFactory):
    """Missing for a night; the return interview is the next afternoon."""

    class Meta:
        model = cases.MissingEpisode

    child = factory.SubFactory(ChildFactory)
    missing_type = "M"
    started_at = factory.LazyFunction(lambda: at(timezone.localdate() - dt.timedelta(days=50), 21))
    ended_at = factory.LazyAttribute(lambda m: m.started_at + dt.timedelta(hours=12))
    return_interview_offered = True
    return_interview_at = factory.LazyAttribute(lambda m: m.ended_at + dt.timedelta(hours=30))


class CareLeaverEpisodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases.CareLeaverEpisode

    child = factory.SubFactory(ChildFactory)
    started_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=200))


class CareLeaverContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases.CareLeaverContact

    care_leaver = factory.SubFactory(CareLeaverEpisodeFactory)
    contact_on = factory.LazyAttribute(lambda c: c.care_leaver.started_on + dt.timedelta(days=30))
    in_touch = "YES"
    activity = "F2"
    accommodation = "D1"


class CareLeaverAccommodationFactory(factory.django.DjangoModelFactory):
    """Accommodation provided under s23B, recorded before contacts kept its ACCOM code."""

    class Meta:
        model = cases.CareLeaverAccommodation

    care_leaver = factory.SubFactory(CareLeaverEpisodeFactory)
    provided_under = "S23B"
    provided_from = factory.LazyAttribute(lambda a: a.care_leaver.started_on)


class PathwayPlanReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases.PathwayPlanReview

    care_leaver = factory.SubFactory(CareLeaverEpisodeFactory)
    held_on = factory.LazyAttribute(lambda p: p.care_leaver.started_on + dt.timedelta(days=60))


class EarlyHelpEpisodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases.EarlyHelpEpisode

    child = factory.SubFactory(ChildFactory)
    started_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=60))


class EarlyHelpAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases.EarlyHelpAssessment

    episode = factory.SubFactory(EarlyHelpEpisodeFactory)
    started_on = factory.LazyAttribute(lambda a: a.episode.started_on)
    organisation = "LA_EARLY_HELP"


class TeamAroundFamilyMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases.TeamAroundFamilyMeeting

    episode = factory.SubFactory(EarlyHelpEpisodeFactory)
    held_on = factory.LazyAttribute(lambda m: m.episode.started_on)
    attended_by = factory.LazyFunction(lambda: ["PARENT", "LA_EARLY_HELP"])
    plan = "AGREED"


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases.Visit

    child = factory.SubFactory(ChildFactory)
    visit_type = "CP"
    visited_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=5))
    worker = factory.SubFactory(WorkerFactory)
    child_seen = True
    seen_alone = True


class CaseNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases.CaseNote

    child = factory.SubFactory(ChildFactory)
    note_type = "PHON"
    noted_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=2))
    text = "Spoke to the child's school about attendance."
    recorded_by = factory.LazyFunction(lambda: get_user_model().objects.get_or_create(username="case-note-writer")[0])


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Allocation

    child = factory.SubFactory(ChildFactory)
    worker = factory.SubFactory(WorkerFactory)
    team = factory.SelfAttribute("worker.team")
    role = "lead"
    started_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=28))


def child_with_a_full_journey(*, repeat: int, on: dt.date | None = None) -> Person:
    """A child with `repeat` rounds of every kind of journey record, 400 days apart, ending
    before `on` (default today)."""
    child = ChildFactory()
    start = (on or timezone.localdate()) - dt.timedelta(days=repeat * 400)
    worker = WorkerFactory()
    for i in range(repeat):
        day = start + dt.timedelta(days=i * 400)
        ContactFactory(child=child, received_at=at(day), decided_by=worker)
        early_help = EarlyHelpEpisodeFactory(
            child=child,
            started_on=day,
            ended_on=day + dt.timedelta(days=1),
            closure_reason="NEEDS_MET",
        )
        EarlyHelpAssessmentFactory(episode=early_help, completed_on=day + dt.timedelta(days=1))
        TeamAroundFamilyMeetingFactory(episode=early_help)
        episode = ClosedCINEpisodeFactory(child=child, referral_date=day, closure_date=day + dt.timedelta(days=390))
        AssessmentFactory(episode=episode)
        CINPlanFactory(episode=episode, ended_on=day + dt.timedelta(days=60))
        StrategyDiscussionFactory(episode=episode)
        Section47EnquiryFactory(episode=episode)
        plan = ChildProtectionPlanFactory(episode=episode, ended_on=day + dt.timedelta(days=200))
        ChildProtectionConferenceFactory(episode=episode, plan=plan)
        CoreGroupMeetingFactory(plan=plan)
        care = LookedAfterEpisodeFactory(
            child=child,
            started_on=day + dt.timedelta(days=210),
            ended_on=day + dt.timedelta(days=300),
            reason_ceased="E4A",
        )
        CarePlanFactory(episode=care)
        HealthAssessmentFactory(child=child, held_on=day + dt.timedelta(days=225))
        LookedAfterReviewFactory(child=child, held_on=day + dt.timedelta(days=220))
        VisitFactory(child=child, worker=worker, visited_on=day + dt.timedelta(days=20))
        CaseNoteFactory(child=child, noted_on=day + dt.timedelta(days=21))
        MissingEpisodeFactory(child=child, started_at=at(day + dt.timedelta(days=230), 20))
        leaver = CareLeaverEpisodeFactory(
            child=child,
            started_on=day + dt.timedelta(days=300),
            ended_on=day + dt.timedelta(days=390),
        )
        CareLeaverContactFactory(care_leaver=leaver)
        PathwayPlanReviewFactory(care_leaver=leaver)
        AllocationFactory(child=child, worker=worker, started_on=day, ended_on=day + dt.timedelta(days=390))
        session = SupervisionFactory(worker=worker, held_on=day + dt.timedelta(days=28))
        session.decisions.create(child=child, decision="Convene a strategy discussion.")
    return child
