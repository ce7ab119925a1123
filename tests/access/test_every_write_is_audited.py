"""Every write service writes its audit entry, inside the same transaction as the change.

Services are discovered: every public function defined in a `grip.<app>.services` module, or
handed on by a `grip.<app>.services` package from its modules. A new
service without an example here fails the suite, so none can be added without its audit test.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

import grip
from grip.access.roles import Role
from grip.audit.models import AuditEntry

pytestmark = pytest.mark.django_db(transaction=True)
AUDIT_WRITERS = {"grip.audit.services"}  # the audit log's own API


def write_services():
    found = {}
    for module_info in pkgutil.iter_modules(grip.__path__):
        if not module_info.ispkg:
            continue
        name = f"grip.{module_info.name}.services"
        if name in AUDIT_WRITERS or importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            # A services package (grip.cases.services) hands on the services of its modules.
            defined_here = inspect.isfunction(value) and (
                value.__module__ == name or value.__module__.startswith(name + ".")
            )
            if not attr.startswith("_") and defined_here:
                found[f"{name}.{attr}"] = value
    return found


def _grant(world):
    from grip.access import services

    user = get_user_model().objects.create_user(username="newcomer")
    return lambda: services.role_grant(user=user, role=Role.SOCIAL_WORKER, by=world.users[Role.SYSTEM_ADMINISTRATOR])


def _restrict(world):
    from grip.access import services

    return lambda: services.record_restrict(
        child=world.children["own"],
        reason="High-profile case in the press",
        named_users=[world.users[Role.SOCIAL_WORKER]],
        by=world.users[Role.TEAM_MANAGER],
    )


def _exception(world):
    from grip.access import services

    return lambda: services.access_exception_grant(
        restriction=world.children["restricted"].restriction,
        user=world.users[Role.DIRECTOR],
        reason="Serious case review in progress",
        expires_at=timezone.now() + timedelta(days=1),
        by=world.users[Role.TEAM_MANAGER],
    )


def _revoke(world):
    from grip.access import services

    return lambda: services.role_revoke(
        user=world.users[Role.DIRECTOR], role=Role.DIRECTOR, by=world.users[Role.SYSTEM_ADMINISTRATOR]
    )


def _unrestrict(world):
    from grip.access import services

    return lambda: services.record_unrestrict(
        child=world.children["restricted"], by=world.users[Role.SYSTEM_ADMINISTRATOR]
    )


def _exception_revoke(world):
    from grip.access import services

    exception = services.access_exception_grant(
        restriction=world.children["restricted"].restriction,
        user=world.users[Role.DIRECTOR],
        reason="Serious case review in progress",
        expires_at=timezone.now() + timedelta(days=1),
        by=world.users[Role.SYSTEM_ADMINISTRATOR],
    )
    return lambda: services.access_exception_revoke(exception=exception, by=world.users[Role.SYSTEM_ADMINISTRATOR])


def _report(world):
    from grip.frontdoor import services
    from grip.frontdoor.named import NamedChild

    return lambda: services.contact_report_receive(
        received_at=timezone.now(),
        route="PHONE",
        source="2A",
        reporter_name="A Teacher",
        concerns="Bruising seen",
        consent="YES",
        urgency="ROUTINE",
        children=[NamedChild("Sam", "Field")],
        by=world.users[Role.FRONT_DOOR_PRACTITIONER],
    )


def _undecided(world, *, matched: bool = True):
    from grip.frontdoor import services
    from grip.frontdoor.named import NamedChild

    report, _ = services.contact_report_receive(
        received_at=timezone.now(),
        route="PHONE",
        source="2A",
        reporter_name="A Nurse",
        concerns="Worried about weight",
        consent="YES",
        urgency="ROUTINE",
        children=[NamedChild("Kit", "Lane")],
        reporter_email="nurse@example.test",
        by=world.users[Role.FRONT_DOOR_PRACTITIONER],
    )
    contact = report.contacts.get()
    if matched:
        services.contact_match(
            contact=contact, child=world.children["unallocated"], by=world.users[Role.FRONT_DOOR_PRACTITIONER]
        )
    return contact


def _match(world):
    from grip.frontdoor import services

    contact = _undecided(world, matched=False)
    return lambda: services.contact_match(
        contact=contact, child=world.children["own"], by=world.users[Role.FRONT_DOOR_PRACTITIONER]
    )


def _claim(world):
    from grip.frontdoor import services

    contact = _undecided(world)
    return lambda: services.contact_claim(contact=contact, by=world.users[Role.FRONT_DOOR_PRACTITIONER])


def _mash_request(world):
    from grip.frontdoor import services

    contact = _undecided(world)
    return lambda: services.mash_check_request(
        contact=contact, agency="POLICE", question="Any callouts?", by=world.users[Role.FRONT_DOOR_PRACTITIONER]
    )


def _mash_answer(world):
    from grip.frontdoor import services

    contact = _undecided(world)
    check = services.mash_check_request(contact=contact, agency="HEALTH", by=world.users[Role.FRONT_DOOR_PRACTITIONER])
    return lambda: services.mash_check_answer(
        check=check, response="Known to health visiting", by=world.users[Role.FRONT_DOOR_PRACTITIONER]
    )


def _decide(world):
    from grip.frontdoor import services

    contact = _undecided(world)
    return lambda: services.contact_decide(
        contact=contact,
        outcome="IA",
        rationale="Advice given to the school",
        by=world.users[Role.FRONT_DOOR_PRACTITIONER],
    )


def _sign_off(world):
    from grip.frontdoor import services

    contact = _undecided(world)
    services.contact_decide(
        contact=contact,
        outcome="NFA",
        rationale="No concerns once checked",
        by=world.users[Role.FRONT_DOOR_PRACTITIONER],
    )
    return lambda: services.contact_sign_off(contact=contact, by=world.users[Role.FRONT_DOOR_MANAGER])


def _notify(world):
    from grip.frontdoor import services
    from grip.frontdoor.models import Contact

    contact = _undecided(world)
    Contact.objects.filter(pk=contact.pk).update(
        outcome="EH", decided_at=timezone.now(), rationale="Family support offered"
    )
    return lambda: services.notify_referrer(contact_pk=contact.pk)


# ---------------------------------------------------------------------- cases


def _episode_of(world, key):
    from grip.cases.models import CINEpisode

    return CINEpisode.objects.get(child=world.children[key], closure_date=None)


def _referral(world):
    from grip.cases import services
    from grip.frontdoor.models import Contact
    from tests.people.factories import ChildFactory

    contact = _undecided(world, matched=False)
    Contact.objects.filter(pk=contact.pk).update(
        child=ChildFactory(last_name="New"), outcome="REF", decided_at=timezone.now(), rationale="Referral"
    )
    contact.refresh_from_db()
    return lambda: services.referral_open(contact=contact, by=world.users[Role.FRONT_DOOR_PRACTITIONER])


def _strategy_request(world):
    from grip.cases import services

    return lambda: services.strategy_discussion_request(
        episode=_episode_of(world, "own"),
        requested_at=timezone.now(),
        reason="Police report of an assault at home",
        by=world.users[Role.TEAM_MANAGER],
    )


def _strategy_hold(world):
    from grip.cases import services

    discussion = services.strategy_discussion_request(
        episode=_episode_of(world, "own"),
        requested_at=timezone.now() - timedelta(hours=3),
        reason="Police report of an assault at home",
        by=world.users[Role.TEAM_MANAGER],
    )
    return lambda: services.strategy_discussion_hold(
        discussion=discussion,
        held_at=timezone.now() - timedelta(hours=1),
        attended_by=["SOCIAL_CARE", "POLICE", "HEALTH"],
        outcome="S47",
        by=world.users[Role.TEAM_MANAGER],
    )


def _assessment_start(world):
    from grip.cases import services

    return lambda: services.assessment_start(
        episode=_episode_of(world, "own"), started_on=timezone.localdate(), by=world.users[Role.SOCIAL_WORKER]
    )


def _close_nfa(world):
    from grip.cases import services

    return lambda: services.referral_close_nfa(
        episode=_episode_of(world, "unallocated"), closed_on=timezone.localdate(), by=world.users[Role.TEAM_MANAGER]
    )


def _started_assessment(world):
    from grip.cases import services

    episode = _episode_of(world, "own")
    return services.assessment_start(
        episode=episode, started_on=episode.referral_date, by=world.users[Role.SOCIAL_WORKER]
    )


def _assessment_submit(world):
    from grip.cases import services

    assessment = _started_assessment(world)
    return lambda: services.assessment_submit(
        assessment=assessment,
        completed_on=timezone.localdate(),
        factors=["3A", "4B"],
        outcome="CIN_PLAN",
        by=world.users[Role.SOCIAL_WORKER],
    )


def _assessment_authorise(world):
    from grip.cases import services

    assessment = _started_assessment(world)
    services.assessment_submit(
        assessment=assessment,
        completed_on=timezone.localdate() - timedelta(days=1),
        factors=["3A"],
        outcome="CIN_PLAN",
        by=world.users[Role.SOCIAL_WORKER],
    )
    return lambda: services.assessment_authorise(
        assessment=assessment, authorised_on=timezone.localdate(), by=world.users[Role.TEAM_MANAGER]
    )


def _cin_plan_start(world):
    from grip.cases import services

    return lambda: services.cin_plan_start(
        episode=_episode_of(world, "own"), started_on=timezone.localdate(), by=world.users[Role.SOCIAL_WORKER]
    )


def _running_plan(world):
    from grip.cases import services

    return services.cin_plan_start(
        episode=_episode_of(world, "own"),
        started_on=timezone.localdate() - timedelta(days=10),
        by=world.users[Role.SOCIAL_WORKER],
    )


def _cin_plan_review(world):
    from grip.cases import services

    plan = _running_plan(world)
    return lambda: services.cin_plan_review_record(
        plan=plan, held_on=timezone.localdate(), by=world.users[Role.SOCIAL_WORKER]
    )


def _cin_plan_end(world):
    from grip.cases import services

    plan = _running_plan(world)
    return lambda: services.cin_plan_end(plan=plan, ended_on=timezone.localdate(), by=world.users[Role.TEAM_MANAGER])


def _enquiry(world, *, outcome: str = ""):
    """A section 47 enquiry on the social worker's own child, started 20 days ago; completed 10 days
    ago with `outcome` when one is given."""
    from tests.cases.factories import Section47EnquiryFactory

    today = timezone.localdate()
    return Section47EnquiryFactory(
        episode=_episode_of(world, "own"),
        started_on=today - timedelta(days=20),
        completed_on=today - timedelta(days=10) if outcome else None,
        outcome=outcome,
    )


def _section47_outcome(world):
    from grip.cases import services

    enquiry = _enquiry(world)
    return lambda: services.section47_outcome_record(
        enquiry=enquiry, completed_on=timezone.localdate(), outcome="ICPC", by=world.users[Role.SOCIAL_WORKER]
    )


def _initial_conference(world):
    from grip.cases import services

    enquiry, day = _enquiry(world, outcome="ICPC"), timezone.localdate()
    while day.weekday() >= 5:  # an initial conference is not held at a weekend (CIN census rule 8875)
        day -= timedelta(days=1)
    return lambda: services.initial_conference_hold(
        enquiry=enquiry,
        held_on=day,
        chair="Rita Chair",
        attended_by=["SOCIAL_CARE", "PARENT"],
        participation="VIEWS_WORKER",
        outcome="PLAN",
        category="NEG",
        by=world.users[Role.INDEPENDENT_REVIEWING_OFFICER],
    )


def _cp_plan(world):
    from tests.cases.factories import ChildProtectionPlanFactory

    return ChildProtectionPlanFactory(
        episode=_episode_of(world, "own"), started_on=timezone.localdate() - timedelta(days=20)
    )


def _review_conference(world):
    from grip.cases import services

    plan = _cp_plan(world)
    return lambda: services.review_conference_hold(
        plan=plan,
        held_on=timezone.localdate(),
        chair="Rita Chair",
        attended_by=["SOCIAL_CARE", "PARENT"],
        participation="VIEWS_WORKER",
        outcome="END",
        end_reason="NO_LONGER_AT_RISK",
        by=world.users[Role.INDEPENDENT_REVIEWING_OFFICER],
    )


def _core_group(world):
    from grip.cases import services

    plan = _cp_plan(world)
    return lambda: services.core_group_record(
        plan=plan, held_on=timezone.localdate(), attended_by=["SOCIAL_CARE"], by=world.users[Role.SOCIAL_WORKER]
    )


def _case_close(world):
    from grip.cases import services

    return lambda: services.case_close(
        episode=_episode_of(world, "own"),
        closed_on=timezone.localdate(),
        reason="RC7",
        by=world.users[Role.TEAM_MANAGER],
    )


def _visit(world):
    from grip.cases import services

    return lambda: services.visit_record(
        child=world.children["own"],
        visit_type="CIN",
        visited_on=timezone.localdate(),
        child_seen=True,
        seen_alone=True,
        place="At home",
        child_said="Said she likes her new school and misses her brother.",
        by=world.users[Role.SOCIAL_WORKER],
    )


def _case_note(world):
    from grip.cases import services

    return lambda: services.case_note_record(
        child=world.children["own"],
        note_type="PHON",
        noted_on=timezone.localdate(),
        text="Rang the school: attendance is up.",
        manager=False,
        by=world.users[Role.SOCIAL_WORKER],
    )


def _looked_after(world):
    """The social worker's own child, looked after for the last 60 days (a period of care to record on)."""
    from tests.cases.factories import LookedAfterEpisodeFactory

    child = world.children["own"]
    LookedAfterEpisodeFactory(child=child, started_on=timezone.localdate() - timedelta(days=60))
    return child


def _review_hold(world):
    from grip.cases import services
    from grip.cases.services.care import UNDER_FOUR

    child, today = _looked_after(world), timezone.localdate()
    under_four = child.age_on(today) < 4  # the factory's child is 1 to 16: PN0 is for the under-fours alone
    return lambda: services.looked_after_review_hold(
        child=child,
        held_on=today,
        participation=UNDER_FOUR if under_four else "PN1",
        by=world.users[Role.SOCIAL_WORKER],
    )


def _placement_change(world):
    from grip.cases import services

    child = _looked_after(world)
    return lambda: services.placement_change(
        child=child,
        changed_on=timezone.localdate(),
        placement_type="K2",
        provider="PR4",
        postcode="ZX9 9ZZ",
        reason="CREQB",
        same_carer=False,
        by=world.users[Role.SOCIAL_WORKER],
    )


def _health_assessment(world):
    from grip.cases import services

    child = _looked_after(world)
    return lambda: services.health_assessment_record(
        child=child, held_on=timezone.localdate(), assessment_type="IHA", by=world.users[Role.SOCIAL_WORKER]
    )


def _education_plan(world):
    from grip.cases import services

    child = _looked_after(world)
    return lambda: services.education_plan_record(
        child=child, held_on=timezone.localdate(), by=world.users[Role.SOCIAL_WORKER]
    )


def _iro_assign(world):
    from grip.cases import services
    from tests.cases.factories import WorkerFactory

    child, iro = _looked_after(world), WorkerFactory(role="IRO")
    return lambda: services.iro_assign(
        child=child, iro=iro, from_on=timezone.localdate(), by=world.users[Role.TEAM_MANAGER]
    )


def _looked_after_start(world):
    from grip.cases import services

    return lambda: services.looked_after_start(
        child=world.children["own"],
        started_on=timezone.localdate(),
        legal_status="V2",
        category_of_need="N1",
        placement_type="U3",
        provider="PR1",
        placement_postcode="ZX1 1ZZ",
        home_postcode="",
        by=world.users[Role.SOCIAL_WORKER],
    )


def _legal_status_change(world):
    from grip.cases import services

    child = _looked_after(world)  # the factory's legal status is C2
    return lambda: services.legal_status_change(
        child=child, changed_on=timezone.localdate(), legal_status="E1", by=world.users[Role.SOCIAL_WORKER]
    )


def _care_plan(world):
    from grip.cases import services

    child = _looked_after(world)
    return lambda: services.care_plan_record(
        child=child, made_on=timezone.localdate(), by=world.users[Role.SOCIAL_WORKER]
    )


def _placement_plan(world):
    from grip.cases import services

    child = _looked_after(world)
    placement = child.looked_after_episodes.get()
    return lambda: services.placement_plan_record(
        child=child, placement=placement, agreed_on=timezone.localdate(), by=world.users[Role.SOCIAL_WORKER]
    )


def _looked_after_cease(world):
    from grip.cases import services

    child = _looked_after(world)
    return lambda: services.looked_after_cease(
        child=child,
        ceased_on=timezone.localdate(),
        reason="E4A",
        becomes_care_leaver=False,
        by=world.users[Role.SOCIAL_WORKER],
    )


def _missing(world):
    from grip.cases import services

    child = _looked_after(world)
    return lambda: services.missing_record(
        child=child,
        missing_type="M",
        started_at=timezone.now() - timedelta(hours=5),
        by=world.users[Role.SOCIAL_WORKER],
    )


def _gone_missing(world, *, returned: bool):
    from grip.cases import services

    gone = timezone.now() - timedelta(hours=20)
    return services.missing_record(
        child=_looked_after(world),
        missing_type="M",
        started_at=gone,
        returned_at=gone + timedelta(hours=8) if returned else None,
        by=world.users[Role.SOCIAL_WORKER],
    )


def _missing_return(world):
    from grip.cases import services

    missing = _gone_missing(world, returned=False)
    return lambda: services.missing_return(
        missing=missing, returned_at=timezone.now() - timedelta(hours=2), by=world.users[Role.SOCIAL_WORKER]
    )


def _interview_offer(world):
    from grip.cases import services

    missing = _gone_missing(world, returned=True)
    return lambda: services.return_interview_offer(missing=missing, by=world.users[Role.SOCIAL_WORKER])


def _interview_record(world):
    from grip.cases import services

    missing = _gone_missing(world, returned=True)
    return lambda: services.return_interview_record(
        missing=missing, outcome="HELD", at=timezone.now() - timedelta(hours=1), by=world.users[Role.SOCIAL_WORKER]
    )


def _care_leaver(world, *, with_plan: bool = False):
    """The social worker's own child, a care leaver for the last 90 days (support to record on)."""
    from tests.cases.factories import CareLeaverEpisodeFactory, PathwayPlanReviewFactory

    child = world.children["own"]
    episode = CareLeaverEpisodeFactory(child=child, started_on=timezone.localdate() - timedelta(days=90))
    if with_plan:
        PathwayPlanReviewFactory(care_leaver=episode, held_on=episode.started_on, kind="PLAN")
    return child


def _care_leaver_contact(world):
    from grip.cases import services

    child = _care_leaver(world)
    return lambda: services.care_leaver_contact_record(
        child=child,
        contact_on=timezone.localdate(),
        in_touch="YES",
        activity="F5",
        accommodation="U1",
        provided_under="S24B",
        by=world.users[Role.SOCIAL_WORKER],
    )


def _needs_assessment(world):
    from grip.cases import services

    child = _looked_after(world)
    return lambda: services.pathway_needs_assessment_record(
        child=child, completed_on=timezone.localdate(), by=world.users[Role.SOCIAL_WORKER]
    )


def _pathway_plan(world):
    from grip.cases import services

    child = _care_leaver(world)
    return lambda: services.pathway_plan_record(
        child=child, made_on=timezone.localdate(), by=world.users[Role.SOCIAL_WORKER]
    )


def _pathway_review(world):
    from grip.cases import services

    child = _care_leaver(world, with_plan=True)
    return lambda: services.pathway_plan_review_record(
        child=child, held_on=timezone.localdate(), by=world.users[Role.SOCIAL_WORKER]
    )


def _support_end(world):
    from grip.cases import services

    child = _care_leaver(world)
    return lambda: services.care_leaver_support_end(
        child=child, ended_on=timezone.localdate(), reason="NREQ", by=world.users[Role.SOCIAL_WORKER]
    )


def _contacts_with(field: str):
    from grip.frontdoor.models import Contact

    return lambda: Contact.objects.exclude(**{f"{field}__isnull": True}).count()


# ---------------------------------------------------------------------- allocation and workforce


def _worker_of(world, role):
    return world.users[role].worker


def _lead_of(world, key):
    from grip.allocation.models import Allocation

    return Allocation.objects.get(child=world.children[key], role="lead", ended_on=None)


def _team(name):
    from grip.workforce.models import Team

    return Team.objects.get(name=name)


def _sent_to_the_team_queue(world, *children):
    """The front door sends new cases to the team manager's team: theirs to allocate (in scope)."""
    from grip.allocation.models import Transfer

    for child in children:
        Transfer.objects.create(
            child=child,
            to_team=_worker_of(world, Role.TEAM_MANAGER).team,
            handover_note="A new case for your team",
            requested_by=world.users[Role.FRONT_DOOR_MANAGER],
            requested_on=timezone.localdate(),
        )


def _allocate(world):
    from grip.allocation import services

    _sent_to_the_team_queue(world, world.children["unallocated"])
    return lambda: services.case_allocate(
        actor=world.users[Role.TEAM_MANAGER],
        child=world.children["unallocated"],
        worker=_worker_of(world, Role.SOCIAL_WORKER),
    )


def _reallocate(world):
    from grip.allocation import services
    from grip.workforce.models import Worker

    current = _lead_of(world, "team")
    other = Worker.objects.filter(team=current.team, role="SW").exclude(pk=current.worker_id).first()
    return lambda: services.case_reallocate(
        actor=world.users[Role.TEAM_MANAGER], child=world.children["team"], current=current, worker=other
    )


def _siblings(world):
    from grip.allocation import services
    from tests.cases.factories import CINEpisodeFactory
    from tests.people.factories import ChildFactory

    brother = ChildFactory(last_name="Scope")
    CINEpisodeFactory(child=brother, referral_date=timezone.localdate() - timedelta(days=3))
    _sent_to_the_team_queue(world, world.children["unallocated"], brother)
    return lambda: services.siblings_allocate(
        actor=world.users[Role.TEAM_MANAGER],
        children=[world.children["unallocated"], brother],
        worker=_worker_of(world, Role.SOCIAL_WORKER),
    )


def _transfer(world):
    from grip.allocation import services

    return lambda: services.case_transfer(
        actor=world.users[Role.TEAM_MANAGER],
        child=world.children["own"],
        to_team=_team("North B"),
        handover_note="Section 47 completed; plan agreed at conference, needs a CP worker.",
    )


def _waiting_transfer(world):
    from grip.allocation.models import Transfer

    return Transfer.objects.create(
        child=world.children["own"],
        from_team=_team("North A"),
        to_team=_team("North B"),
        handover_note="Moving to the child protection team after conference.",
        requested_by=world.users[Role.TEAM_MANAGER],
        requested_on=timezone.localdate(),
    )


def _accept(world):
    from grip.allocation import services
    from grip.workforce.models import Worker

    transfer = _waiting_transfer(world)
    receiver = Worker.objects.filter(team=transfer.to_team).first()
    return lambda: services.transfer_accept(actor=world.users[Role.SERVICE_MANAGER], transfer=transfer, worker=receiver)


def _decline(world):
    from grip.allocation import services

    transfer = _waiting_transfer(world)
    return lambda: services.transfer_decline(
        actor=world.users[Role.SERVICE_MANAGER], transfer=transfer, reason="Threshold for child protection not met yet."
    )


def _end(world):
    from grip.allocation import services

    return lambda: services.allocation_end(
        actor=world.users[Role.TEAM_MANAGER], allocation=_lead_of(world, "own"), reason="Case closed"
    )


def _close_and_end(world):
    from grip.allocation import services

    return lambda: services.case_close_and_end_allocation(
        actor=world.users[Role.TEAM_MANAGER],
        episode=_episode_of(world, "own"),
        closed_on=timezone.localdate(),
        reason="RC7",
    )


def _absence(world):
    from grip.workforce import services

    return lambda: services.absence_record(
        actor=world.users[Role.TEAM_MANAGER],
        worker=_worker_of(world, Role.SOCIAL_WORKER),
        absence_type="LONG_TERM_SICKNESS",
        started_on=timezone.localdate(),
    )


def _back(world):
    from grip.workforce import services

    worker = _worker_of(world, Role.SOCIAL_WORKER)
    started = timezone.localdate() - timedelta(days=10)
    absence = worker.absences.create(absence_type="SICKNESS", sickness_reason="S13", started_on=started)
    return lambda: services.absence_return_record(
        actor=world.users[Role.TEAM_MANAGER],
        absence=absence,
        ended_on=started + timedelta(days=5),
        return_to_work_on=started + timedelta(days=8),
    )


def _supervise(world):
    from grip.workforce import services

    return lambda: services.supervision_record(
        actor=world.users[Role.TEAM_MANAGER],
        worker=_worker_of(world, Role.SOCIAL_WORKER),
        held_on=timezone.localdate(),
        duration_minutes=90,
        supervision_type="INDIVIDUAL",
        decisions=[(world.children["own"], "Convene a strategy discussion this week.")],
        reflection="Talked through the family's response to the plan.",
    )


def _confirm(world):
    from grip.workforce import services
    from grip.workforce.models import Supervision

    worker = _worker_of(world, Role.SOCIAL_WORKER)
    session = Supervision.objects.create(
        worker=worker, supervisor=_worker_of(world, Role.TEAM_MANAGER), held_on=timezone.localdate()
    )
    return lambda: services.supervision_confirm(actor=world.users[Role.SOCIAL_WORKER], supervision=session)


def _leaving(world):
    from grip.workforce import services

    return lambda: services.worker_leaving_record(
        actor=world.users[Role.TEAM_MANAGER], worker=_worker_of(world, Role.SOCIAL_WORKER), left_on=timezone.localdate()
    )


def _team_of(world, role):
    return _worker_of(world, role).team


def _post(world, **kwargs):
    from decimal import Decimal

    from grip.workforce.models import Post

    fields = {"team": _team_of(world, Role.TEAM_MANAGER), "role": "SW", "fte": Decimal("1.00")}
    return Post.objects.create(**(fields | {"started_on": timezone.localdate() - timedelta(days=30)} | kwargs))


def _post_add(world):
    from decimal import Decimal

    from grip.workforce import services

    return lambda: services.post_add(
        team=_team_of(world, Role.TEAM_MANAGER),
        role="SW",
        fte=Decimal("0.80"),
        case_holding=True,
        started_on=timezone.localdate(),
        by=world.users[Role.TEAM_MANAGER],
    )


def _post_edit(world):
    from decimal import Decimal

    from grip.workforce import services

    post = _post(world)
    return lambda: services.post_edit(
        post=post, role="SSW", fte=Decimal("0.50"), case_holding=True, by=world.users[Role.TEAM_MANAGER]
    )


def _post_end(world):
    from grip.workforce import services

    post = _post(world)
    return lambda: services.post_end(post=post, ended_on=timezone.localdate(), by=world.users[Role.TEAM_MANAGER])


def _post_fill(world):
    from grip.workforce import services

    post = _post(world)
    worker = _worker_of(world, Role.SOCIAL_WORKER)
    return lambda: services.post_fill(
        post=post, worker=worker, basis="PERMANENT", started_on=timezone.localdate(), by=world.users[Role.TEAM_MANAGER]
    )


def _post_vacate(world):
    from grip.workforce import services

    post = _post(world)
    post.fillings.create(worker=_worker_of(world, Role.SOCIAL_WORKER), basis="PERMANENT", started_on=post.started_on)
    return lambda: services.post_vacate(post=post, ended_on=timezone.localdate(), by=world.users[Role.TEAM_MANAGER])


def _starter(world):
    from decimal import Decimal

    from grip.workforce import services

    return lambda: services.starter_record(
        first_name="Nia",
        last_name="Starter",
        team=_team_of(world, Role.TEAM_MANAGER),
        role="ASYE",
        fte=Decimal("1.00"),
        employment_type="PERMANENT",
        started_on=timezone.localdate(),
        start_origin="1",
        by=world.users[Role.TEAM_MANAGER],
    )


def _leaver(world):
    from grip.workforce import services

    return lambda: services.leaver_record(
        worker=_worker_of(world, Role.SOCIAL_WORKER),
        left_on=timezone.localdate(),
        reason="1",
        by=world.users[Role.TEAM_MANAGER],
    )


def _terms(world):
    from decimal import Decimal

    from grip.workforce import services

    worker = _worker_of(world, Role.SOCIAL_WORKER)
    return lambda: services.terms_change(
        worker=worker,
        effective_on=timezone.localdate(),
        role="SSW",
        team=worker.team,
        fte=Decimal("0.80"),
        employment_type="PERMANENT",
        manager=None,
        by=world.users[Role.TEAM_MANAGER],
    )


def _registration(world):
    from grip.workforce import services

    return lambda: services.registration_record(
        worker=_worker_of(world, Role.SOCIAL_WORKER),
        swe_number="SW123456",
        renewal_due_on=timezone.localdate() + timedelta(days=300),
        by=world.users[Role.TEAM_MANAGER],
    )


def _asye_start(world):
    from grip.workforce import services

    worker = _worker_of(world, Role.SOCIAL_WORKER)
    return lambda: services.asye_start(worker=worker, started_on=worker.started_on, by=world.users[Role.TEAM_MANAGER])


def _supervision_frequency_set(world):
    from grip.workforce import services

    worker = _worker_of(world, Role.SOCIAL_WORKER)
    return lambda: services.supervision_frequency_set(
        worker=worker,
        frequency="fortnightly",
        reason="More support while a complex case goes to court",
        from_on=timezone.localdate(),
        by=world.users[Role.TEAM_MANAGER],
    )


def _pulse_survey_answer(world):
    from grip.workforce import services
    from grip.workforce.pulse import pulse_survey

    answers = {q.key: 4 for q in pulse_survey().questions}
    return lambda: services.pulse_survey_answer(answers=answers, by=world.users[Role.SOCIAL_WORKER])


def _asye_complete(world):
    from grip.workforce import services
    from grip.workforce.models import Asye

    worker = _worker_of(world, Role.SOCIAL_WORKER)
    Asye.objects.create(worker=worker, started_on=worker.started_on)
    return lambda: services.asye_complete(
        worker=worker, completed_on=timezone.localdate(), by=world.users[Role.TEAM_MANAGER]
    )


def _count_where(label: str, **conditions):
    from django.apps import apps

    return lambda: apps.get_model(label).objects.filter(**conditions).count()


# --- Sign-in: the second factor and council accounts (grip.accounts) ---------------------------------


def _new_authenticator(user, *, confirmed: bool):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=confirmed)


def _set_up(world):
    from grip.accounts import services

    user = world.users[Role.SOCIAL_WORKER]
    device = _new_authenticator(user, confirmed=False)
    return lambda: services.authenticator_set_up(user=user, device=device)


def _regenerate(world):
    from grip.accounts import services

    user = world.users[Role.SOCIAL_WORKER]
    _new_authenticator(user, confirmed=True)
    return lambda: services.recovery_codes_regenerate(user=user)


def _use_code(world):
    from grip.accounts import services

    user = world.users[Role.SOCIAL_WORKER]
    code = services.recovery_codes_regenerate(user=user)[0]
    return lambda: services.recovery_code_use(user=user, code=code)


def _replace(world):
    from grip.accounts import services

    user = world.users[Role.SOCIAL_WORKER]
    _new_authenticator(user, confirmed=True)
    new = _new_authenticator(user, confirmed=False)
    return lambda: services.authenticator_replace(user=user, new_device=new, proved_with="authenticator app")


def _reset(world):
    from grip.accounts import services

    user = world.users[Role.SOCIAL_WORKER]
    _new_authenticator(user, confirmed=True)
    return lambda: services.second_factor_reset(
        user=user, reason="Lost phone, checked by call back", by=world.users[Role.SYSTEM_ADMINISTRATOR]
    )


def _link(world):
    from grip.accounts import services

    return lambda: services.council_account_link(user=world.users[Role.SOCIAL_WORKER], subject="s-1", claim="sub")


def _early_help_child(world):
    """A child with no case open in children's social care (so early help can step up), in early help
    for the last 30 days."""
    from grip.cases import services
    from tests.people.factories import ChildFactory

    child = ChildFactory(first_name="Early", last_name="Help")
    return services.early_help_start(
        child=child,
        started_on=timezone.localdate() - timedelta(days=30),
        lead_organisation="SCHOOL",
        reason="Family asked the school for help with routines.",
        by=world.users[Role.SOCIAL_WORKER],
    )


def _early_help_start(world):
    from grip.cases import services

    return lambda: services.early_help_start(
        child=world.children["own"],
        started_on=timezone.localdate(),
        lead_organisation="LA_EARLY_HELP",
        reason="Step down agreed at the child in need review.",
        stepped_down_from=_episode_of(world, "own"),
        by=world.users[Role.SOCIAL_WORKER],
    )


def _early_help_from_contact(world):
    from django.db import transaction

    from grip.cases import services
    from tests.people.factories import ChildFactory

    contact = world.contacts["police"]
    contact.child = ChildFactory(first_name="Front", last_name="Door")
    contact.decided_at = timezone.now()

    def call():
        with transaction.atomic():
            return services.early_help_from_contact(contact=contact, by=world.users[Role.FRONT_DOOR_PRACTITIONER])

    return call


def _early_help_assessment_start(world):
    from grip.cases import services

    episode = _early_help_child(world)
    return lambda: services.early_help_assessment_start(
        episode=episode, started_on=timezone.localdate(), organisation="SCHOOL", by=world.users[Role.SOCIAL_WORKER]
    )


def _early_help_assessment_complete(world):
    from grip.cases import services

    assessment = services.early_help_assessment_start(
        episode=_early_help_child(world),
        started_on=timezone.localdate() - timedelta(days=20),
        organisation="SCHOOL",
        by=world.users[Role.SOCIAL_WORKER],
    )
    return lambda: services.early_help_assessment_complete(
        assessment=assessment, completed_on=timezone.localdate(), by=world.users[Role.SOCIAL_WORKER]
    )


def _taf_meeting(world):
    from grip.cases import services

    episode = _early_help_child(world)
    return lambda: services.taf_meeting_record(
        episode=episode,
        held_on=timezone.localdate(),
        attended_by=["PARENT", "SCHOOL"],
        plan="AGREED",
        by=world.users[Role.SOCIAL_WORKER],
    )


def _early_help_close(world):
    from grip.cases import services

    episode = _early_help_child(world)
    return lambda: services.early_help_close(
        episode=episode, ended_on=timezone.localdate(), reason="NEEDS_MET", by=world.users[Role.TEAM_MANAGER]
    )


def _early_help_step_up(world):
    from grip.cases import services

    episode = _early_help_child(world)
    return lambda: services.early_help_step_up(
        episode=episode, stepped_up_on=timezone.localdate(), by=world.users[Role.FRONT_DOOR_MANAGER]
    )


def _code_hashes() -> tuple:
    from grip.accounts.models import RecoveryCode

    return tuple(sorted(RecoveryCode.objects.values_list("code_hash", flat=True)))


def _confirmed_authenticators() -> tuple:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return tuple(TOTPDevice.objects.filter(confirmed=True).order_by("pk").values_list("pk", flat=True))


# service → (how to call it in the test world, the audit verb it must write, a count of what it changes)
EXAMPLES = {
    "grip.access.services.role_grant": (_grant, "role_granted", lambda: _count("access.RoleGrant")),
    "grip.access.services.record_restrict": (_restrict, "restricted", lambda: _count("access.RestrictedRecord")),
    "grip.access.services.access_exception_grant": (
        _exception,
        "exception_granted",
        lambda: _count("access.AccessException"),
    ),
    "grip.access.services.role_revoke": (_revoke, "role_revoked", lambda: -_count("access.RoleGrant")),
    "grip.access.services.record_unrestrict": (
        _unrestrict,
        "unrestricted",
        lambda: -_count("access.RestrictedRecord"),
    ),
    "grip.access.services.access_exception_revoke": (
        _exception_revoke,
        "exception_revoked",
        _count_where("access.AccessException", revoked_at__isnull=False),
    ),
    "grip.frontdoor.services.contact_report_receive": (
        _report,
        "contact_received",
        lambda: _count("frontdoor.ContactReport"),
    ),
    "grip.frontdoor.services.contact_match": (_match, "contact_matched", lambda: _contacts_with("child")()),
    "grip.frontdoor.services.contact_claim": (_claim, "contact_claimed", lambda: _contacts_with("working_on_by")()),
    "grip.frontdoor.services.mash_check_request": (
        _mash_request,
        "mash_check_requested",
        lambda: _count("frontdoor.MashCheck"),
    ),
    "grip.frontdoor.services.mash_check_answer": (_mash_answer, "mash_check_answered", lambda: _count_answered()),
    "grip.frontdoor.services.contact_decide": (_decide, "contact_decided", lambda: _contacts_with("decided_at")()),
    "grip.frontdoor.services.contact_sign_off": (
        _sign_off,
        "contact_signed_off",
        lambda: _contacts_with("signed_off_at")(),
    ),
    "grip.frontdoor.services.notify_referrer": (_notify, "outcome_sent", lambda: _contacts_with("outcome_sent_at")()),
    "grip.cases.services.referral_open": (_referral, "referral_opened", lambda: _count("cases.CINEpisode")),
    "grip.cases.services.strategy_discussion_request": (
        _strategy_request,
        "strategy_discussion_requested",
        lambda: _count("cases.StrategyDiscussion"),
    ),
    "grip.cases.services.strategy_discussion_hold": (
        _strategy_hold,
        "strategy_discussion_held",
        lambda: _count("cases.Section47Enquiry") + _count_where("cases.StrategyDiscussion", held_at__isnull=False)(),
    ),
    "grip.cases.services.assessment_start": (
        _assessment_start,
        "assessment_started",
        lambda: _count("cases.Assessment"),
    ),
    "grip.cases.services.referral_close_nfa": (
        _close_nfa,
        "referral_closed_nfa",
        _count_where("cases.CINEpisode", referral_nfa=True),
    ),
    "grip.cases.services.assessment_submit": (
        _assessment_submit,
        "assessment_submitted",
        _count_where("cases.Assessment", submitted_at__isnull=False),
    ),
    "grip.cases.services.assessment_authorise": (
        _assessment_authorise,
        "assessment_authorised",
        _count_where("cases.Assessment", authorised_on__isnull=False),
    ),
    "grip.cases.services.cin_plan_start": (_cin_plan_start, "cin_plan_started", lambda: _count("cases.CINPlan")),
    "grip.cases.services.cin_plan_review_record": (
        _cin_plan_review,
        "cin_plan_reviewed",
        lambda: _count("cases.CINPlanReview"),
    ),
    "grip.cases.services.cin_plan_end": (
        _cin_plan_end,
        "cin_plan_ended",
        _count_where("cases.CINPlan", ended_on__isnull=False),
    ),
    "grip.cases.services.section47_outcome_record": (
        _section47_outcome,
        "section47_outcome_recorded",
        _count_where("cases.Section47Enquiry", completed_on__isnull=False),
    ),
    "grip.cases.services.initial_conference_hold": (
        _initial_conference,
        "initial_conference_held",
        lambda: _count("cases.ChildProtectionConference") + _count("cases.ChildProtectionPlan"),
    ),
    "grip.cases.services.review_conference_hold": (
        _review_conference,
        "review_conference_held",
        lambda: (
            _count("cases.ChildProtectionConference")
            + _count_where("cases.ChildProtectionPlan", ended_on__isnull=False)()
        ),
    ),
    "grip.cases.services.core_group_record": (
        _core_group,
        "core_group_recorded",
        lambda: _count("cases.CoreGroupMeeting"),
    ),
    "grip.cases.services.case_close": (
        _case_close,
        "case_closed",
        _count_where("cases.CINEpisode", closure_date__isnull=False),
    ),
    "grip.cases.services.visit_record": (_visit, "visit_recorded", lambda: _count("cases.Visit")),
    "grip.cases.services.case_note_record": (_case_note, "case_note_recorded", lambda: _count("cases.CaseNote")),
    "grip.cases.services.looked_after_review_hold": (
        _review_hold,
        "looked_after_review_held",
        lambda: _count("cases.LookedAfterReview"),
    ),
    "grip.cases.services.placement_change": (
        _placement_change,
        "placement_changed",
        lambda: _count("cases.LookedAfterEpisode") + _count_where("cases.LookedAfterEpisode", ended_on__isnull=False)(),
    ),
    "grip.cases.services.health_assessment_record": (
        _health_assessment,
        "health_assessment_recorded",
        lambda: _count("cases.HealthAssessment"),
    ),
    "grip.cases.services.education_plan_record": (
        _education_plan,
        "education_plan_recorded",
        lambda: _count("cases.PersonalEducationPlan"),
    ),
    "grip.cases.services.care_leaver_contact_record": (
        _care_leaver_contact,
        "care_leaver_contact_recorded",
        lambda: _count("cases.CareLeaverContact") + _count("cases.CareLeaverAccommodation"),
    ),
    "grip.cases.services.pathway_needs_assessment_record": (
        _needs_assessment,
        "pathway_needs_assessment_recorded",
        lambda: _count("cases.PathwayNeedsAssessment"),
    ),
    "grip.cases.services.pathway_plan_record": (
        _pathway_plan,
        "pathway_plan_made",
        lambda: _count("cases.PathwayPlanReview"),
    ),
    "grip.cases.services.pathway_plan_review_record": (
        _pathway_review,
        "pathway_plan_reviewed",
        lambda: _count("cases.PathwayPlanReview"),
    ),
    "grip.cases.services.care_leaver_support_end": (
        _support_end,
        "care_leaver_support_ended",
        _count_where("cases.CareLeaverEpisode", ended_on__isnull=False),
    ),
    "grip.cases.services.iro_assign": (_iro_assign, "iro_assigned", lambda: _count("cases.IROAssignment")),
    "grip.cases.services.looked_after_start": (
        _looked_after_start,
        "looked_after_started",
        lambda: _count("cases.LookedAfterEpisode"),
    ),
    "grip.cases.services.legal_status_change": (
        _legal_status_change,
        "legal_status_changed",
        lambda: _count("cases.LookedAfterEpisode") + _count_where("cases.LookedAfterEpisode", ended_on__isnull=False)(),
    ),
    "grip.cases.services.care_plan_record": (_care_plan, "care_plan_recorded", lambda: _count("cases.CarePlan")),
    "grip.cases.services.placement_plan_record": (
        _placement_plan,
        "placement_plan_recorded",
        lambda: _count("cases.PlacementPlan"),
    ),
    "grip.cases.services.looked_after_cease": (
        _looked_after_cease,
        "looked_after_ceased",
        _count_where("cases.LookedAfterEpisode", ended_on__isnull=False),
    ),
    "grip.cases.services.missing_record": (_missing, "missing_recorded", lambda: _count("cases.MissingEpisode")),
    "grip.cases.services.missing_return": (
        _missing_return,
        "missing_returned",
        _count_where("cases.MissingEpisode", ended_at__isnull=False),
    ),
    "grip.cases.services.return_interview_offer": (
        _interview_offer,
        "return_interview_offered",
        _count_where("cases.MissingEpisode", return_interview_offered=True),
    ),
    "grip.cases.services.return_interview_record": (
        _interview_record,
        "return_interview_recorded",
        _count_where("cases.MissingEpisode", return_interview_outcome__in=["HELD", "DECLINED"]),
    ),
    "grip.cases.services.early_help_start": (
        _early_help_start,
        "early_help_started",
        lambda: _count("cases.EarlyHelpEpisode"),
    ),
    "grip.cases.services.early_help_from_contact": (
        _early_help_from_contact,
        "early_help_started",
        lambda: _count("cases.EarlyHelpEpisode"),
    ),
    "grip.cases.services.early_help_assessment_start": (
        _early_help_assessment_start,
        "early_help_assessment_started",
        lambda: _count("cases.EarlyHelpAssessment"),
    ),
    "grip.cases.services.early_help_assessment_complete": (
        _early_help_assessment_complete,
        "early_help_assessment_completed",
        _count_where("cases.EarlyHelpAssessment", completed_on__isnull=False),
    ),
    "grip.cases.services.taf_meeting_record": (
        _taf_meeting,
        "taf_meeting_recorded",
        lambda: _count("cases.TeamAroundFamilyMeeting"),
    ),
    "grip.cases.services.early_help_close": (
        _early_help_close,
        "early_help_closed",
        _count_where("cases.EarlyHelpEpisode", ended_on__isnull=False),
    ),
    "grip.cases.services.early_help_step_up": (
        _early_help_step_up,
        "early_help_stepped_up",
        lambda: _count("cases.CINEpisode") + _count_where("cases.EarlyHelpEpisode", ended_on__isnull=False)(),
    ),
    "grip.allocation.services.case_allocate": (_allocate, "case_allocated", lambda: _count("allocation.Allocation")),
    "grip.allocation.services.case_reallocate": (
        _reallocate,
        "case_reallocated",
        lambda: _count("allocation.Allocation"),
    ),
    "grip.allocation.services.siblings_allocate": (
        _siblings,
        "case_allocated",
        lambda: _count("allocation.Allocation"),
    ),
    "grip.allocation.services.case_transfer": (
        _transfer,
        "case_transfer_requested",
        lambda: _count("allocation.Transfer"),
    ),
    "grip.allocation.services.transfer_accept": (
        _accept,
        "case_transfer_accepted",
        lambda: _count("allocation.Allocation"),
    ),
    "grip.allocation.services.transfer_decline": (
        _decline,
        "case_transfer_declined",
        _count_where("allocation.Transfer", outcome="declined"),
    ),
    "grip.allocation.services.allocation_end": (
        _end,
        "allocation_ended",
        _count_where("allocation.Allocation", ended_on__isnull=False),
    ),
    "grip.allocation.services.case_close_and_end_allocation": (
        _close_and_end,
        "case_closed",
        lambda: (
            _count_where("cases.CINEpisode", closure_date__isnull=False)()
            + _count_where("allocation.Allocation", ended_on__isnull=False)()
        ),
    ),
    "grip.workforce.services.absence_record": (_absence, "absence_recorded", lambda: _count("workforce.Absence")),
    "grip.workforce.services.absence_return_record": (
        _back,
        "absence_ended",
        _count_where("workforce.Absence", ended_on__isnull=False),
    ),
    "grip.workforce.services.supervision_record": (
        _supervise,
        "supervision_recorded",
        lambda: _count("workforce.Supervision"),
    ),
    "grip.workforce.services.supervision_confirm": (
        _confirm,
        "supervision_confirmed",
        _count_where("workforce.Supervision", confirmed_at__isnull=False),
    ),
    "grip.workforce.services.worker_leaving_record": (
        _leaving,
        "worker_leaving_recorded",
        _count_where("workforce.Worker", left_on__isnull=False),
    ),
    "grip.workforce.services.post_add": (_post_add, "post_added", lambda: _count("workforce.Post")),
    "grip.workforce.services.post_edit": (_post_edit, "post_edited", _count_where("workforce.Post", role="SSW")),
    "grip.workforce.services.post_end": (
        _post_end,
        "post_ended",
        _count_where("workforce.Post", ended_on__isnull=False),
    ),
    "grip.workforce.services.post_fill": (_post_fill, "post_filled", lambda: _count("workforce.PostFilling")),
    "grip.workforce.services.post_vacate": (
        _post_vacate,
        "post_vacated",
        _count_where("workforce.PostFilling", ended_on__isnull=False),
    ),
    "grip.workforce.services.starter_record": (_starter, "starter_recorded", lambda: _count("workforce.Worker")),
    "grip.workforce.services.leaver_record": (
        _leaver,
        "leaver_recorded",
        _count_where("workforce.Worker", left_on__isnull=False),
    ),
    "grip.workforce.services.terms_change": (_terms, "terms_changed", lambda: _count("workforce.WorkerTerms")),
    "grip.workforce.services.registration_record": (
        _registration,
        "registration_recorded",
        lambda: _count("workforce.Registration"),
    ),
    "grip.workforce.services.asye_start": (_asye_start, "asye_started", lambda: _count("workforce.Asye")),
    "grip.workforce.services.pulse_survey_answer": (
        _pulse_survey_answer,
        "pulse_survey_answered",
        lambda: _count("workforce.PulseAnswered"),
    ),
    "grip.workforce.services.supervision_frequency_set": (
        _supervision_frequency_set,
        "supervision_frequency_set",
        lambda: _count("workforce.SupervisionFrequency"),
    ),
    "grip.workforce.services.asye_complete": (
        _asye_complete,
        "asye_completed",
        _count_where("workforce.Asye", completed_on__isnull=False),
    ),
    "grip.accounts.services.authenticator_set_up": (_set_up, "second_factor_set_up", _confirmed_authenticators),
    "grip.accounts.services.recovery_codes_regenerate": (_regenerate, "recovery_codes_regenerated", _code_hashes),
    "grip.accounts.services.recovery_code_use": (
        _use_code,
        "recovery_code_used",
        _count_where("accounts.RecoveryCode", used_at__isnull=False),
    ),
    "grip.accounts.services.authenticator_replace": (_replace, "authenticator_replaced", _confirmed_authenticators),
    "grip.accounts.services.second_factor_reset": (
        _reset,
        "second_factor_reset",
        lambda: _count("otp_totp.TOTPDevice"),
    ),
    "grip.accounts.services.council_account_link": (
        _link,
        "council_account_linked",
        lambda: _count("accounts.CouncilAccount"),
    ),
}

# Services that write one entry per child they change (so each child's history shows it).
ENTRIES_PER_CALL = {"grip.allocation.services.siblings_allocate": 2}


def _count_answered() -> int:
    from grip.frontdoor.models import MashCheck

    return MashCheck.objects.exclude(responded_at=None).count()


def _count(label: str) -> int:
    from django.apps import apps

    return apps.get_model(label).objects.count()


def test_every_write_service_has_an_audit_example():
    missing = sorted(set(write_services()) - set(EXAMPLES))
    assert not missing, f"Write services with no audit test: {missing} (add them to EXAMPLES)"


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_service_writes_its_audit_entry(world, name):
    make_call, verb, _changed = EXAMPLES[name]
    call = make_call(world)
    before = AuditEntry.objects.filter(verb=verb).count()
    call()
    assert AuditEntry.objects.filter(verb=verb).count() == before + ENTRIES_PER_CALL.get(name, 1)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_if_the_audit_entry_cannot_be_written_nothing_changes(world, name, monkeypatch):
    from grip.audit import services as audit

    make_call, _verb, changed = EXAMPLES[name]
    call = make_call(world)
    before = changed()

    def broken(**_kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        call()
    assert changed() == before
