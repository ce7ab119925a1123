"""Front door services: receiving reports (and their duplicates), matching, claiming, MASH checks,
deciding (a referral opens the episode, a strategy decision requests the discussion, a contact on
an open case goes to it), sign-off and telling the referrer."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from grip.access.models import RoleGrant
from grip.access.roles import Role
from grip.cases.models import Assessment, CINEpisode, Section47Enquiry, StrategyDiscussion
from grip.frontdoor import services
from grip.frontdoor.models import Contact, ContactReport
from grip.frontdoor.named import NamedChild
from tests.people.factories import ChildFactory

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(datetime(2026, 3, 4, 10, 0))


def user_with(role: Role, name: str):
    user = get_user_model().objects.create_user(username=name)
    RoleGrant.objects.create(user=user, role=role)
    return user


@pytest.fixture
def practitioner():
    return user_with(Role.FRONT_DOOR_PRACTITIONER, "fd1")


def receive(practitioner, *, children=None, **overrides):
    values = dict(
        received_at=NOW,
        route="PHONE",
        source="2A",
        reporter_name="Jo Head",
        concerns="Bruises on arm",
        consent="YES",
        urgency="SAME_DAY",
        reporter_email="head@school.example.test",
        children=children
        if children is not None
        else [NamedChild("Amy", "Stone", date(2016, 5, 1)), NamedChild("Ben", "Stone")],
        by=practitioner,
    )
    values.update(overrides)
    return services.contact_report_receive(**values)


def test_a_report_naming_siblings_is_one_report_with_a_contact_per_child(practitioner):
    report, created = receive(practitioner)
    assert created and report.reference.startswith("FD")
    assert [c.named_first_name for c in report.contacts.order_by("reference")] == ["Amy", "Ben"]
    assert all(c.child is None and c.decided_at is None for c in report.contacts.all())


def test_the_same_idempotency_key_gives_back_the_first_report(practitioner):
    first, _ = receive(practitioner, idempotency_key="abc-1")
    again, created = receive(practitioner, idempotency_key="abc-1", concerns="Different text")
    assert not created and again == first and ContactReport.objects.count() == 1


def test_the_same_reporter_about_the_same_child_within_minutes_is_a_possible_repeat_not_one_report(practitioner):
    # Issue 12: this used to return the first report and drop the second concern unread.
    first, _ = receive(practitioner)
    again, created = receive(
        practitioner, received_at=NOW + timedelta(minutes=4), children=[NamedChild("amy", "STONE", date(2016, 5, 1))]
    )
    assert created and again != first and again.possible_repeat_of == first
    later, created_later = receive(practitioner, received_at=NOW + timedelta(hours=2))
    assert created_later and later != first and later.possible_repeat_of is None


def test_a_report_with_no_child_or_a_bad_code_is_refused_and_saves_nothing(practitioner):
    with pytest.raises(ValidationError, match="at least one child"):
        receive(practitioner, children=[])
    with pytest.raises(ValidationError):
        receive(practitioner, consent="MAYBE")
    with pytest.raises(ValidationError):
        receive(practitioner, concern_categories=["NOT_A_CATEGORY"])
    assert not ContactReport.objects.exists() and not Contact.objects.exists()


def test_matching_links_an_existing_child_or_creates_a_record(practitioner):
    report, _ = receive(practitioner)
    amy, ben = report.contacts.order_by("reference")
    known = ChildFactory(first_name="Amy", last_name="Stone")
    assert services.contact_match(contact=amy, child=known, by=practitioner) == known
    created = services.contact_match(contact=ben, create=NamedChild("Ben", "Stone", date(2019, 2, 2)), by=practitioner)
    assert created.la_child_id.startswith("GR") and created.date_of_birth == date(2019, 2, 2)
    with pytest.raises(ValidationError, match="not both"):
        services.contact_match(contact=amy, child=known, create=NamedChild("X", "Y"), by=practitioner)


def matched_contact(practitioner, **kwargs):
    report, _ = receive(practitioner, children=[NamedChild("Cal", "Reed", date(2015, 1, 1))], **kwargs)
    contact = report.contacts.get()
    services.contact_match(contact=contact, child=ChildFactory(first_name="Cal", last_name="Reed"), by=practitioner)
    return Contact.objects.get(pk=contact.pk)


def test_a_referral_opens_the_cin_episode_dated_the_day_received_and_no_assessment_yet(practitioner):
    # Received Friday 6 March 2026 at 16:50, decided Monday 9 March at 10:00: CINreferralDate is
    # the day children's social care received it (docs/front-door-record.md), not the decision day.
    received = timezone.make_aware(datetime(2026, 3, 6, 16, 50))
    contact = matched_contact(practitioner, received_at=received)
    with time_machine.travel(timezone.make_aware(datetime(2026, 3, 9, 10, 0)), tick=False):
        services.contact_decide(
            contact=contact, outcome="REF", rationale="Needs a child and family assessment", by=practitioner
        )
    episode = CINEpisode.objects.get(child=contact.child)
    assert episode.contact_id == contact.pk and episode.closure_date is None
    assert episode.referral_date == date(2026, 3, 6)
    contact.refresh_from_db()
    assert timezone.localtime(contact.received_at) == received  # both times kept on the record
    assert timezone.localtime(contact.decided_at) == timezone.make_aware(datetime(2026, 3, 9, 10, 0))
    assert not Assessment.objects.filter(episode=episode).exists()  # started only when it starts


def test_a_strategy_decision_requests_the_discussion_and_starts_no_section_47(practitioner):
    contact = matched_contact(practitioner)
    decided_at = NOW + timedelta(minutes=40)
    services.contact_decide(
        contact=contact,
        outcome="STRAT",
        rationale="Child at immediate risk of harm",
        by=practitioner,
        decided_at=decided_at,
    )
    discussion = StrategyDiscussion.objects.get(episode__child=contact.child)
    assert (discussion.requested_at, discussion.requested_by, discussion.reason) == (
        decided_at,
        practitioner,
        "Child at immediate risk of harm",
    )
    assert discussion.contact_id == contact.pk
    assert (discussion.held_at, discussion.outcome) == (None, "")  # deciding one is needed is not holding it
    assert not Section47Enquiry.objects.filter(episode__child=contact.child).exists()


def test_a_contact_about_a_child_whose_case_is_open_is_passed_to_the_allocated_worker(practitioner):
    contact = matched_contact(practitioner)
    open_case = CINEpisode.objects.create(child=contact.child, referral_date=date(2026, 1, 5), referral_source="2A")
    services.contact_decide(
        contact=contact,
        outcome="PASSED",
        rationale="Allocated worker to follow up the school's concern",
        by=practitioner,
    )
    contact.refresh_from_db()
    assert (contact.outcome, contact.episode) == ("PASSED", open_case)
    assert list(CINEpisode.objects.filter(child=contact.child)) == [open_case]  # no second referral


def test_a_strategy_decision_on_an_open_case_is_no_longer_refused_and_makes_no_second_episode(practitioner):
    contact = matched_contact(practitioner)
    open_case = CINEpisode.objects.create(child=contact.child, referral_date=date(2026, 1, 5), referral_source="2A")
    services.contact_decide(
        contact=contact, outcome="STRAT", rationale="New injury reported on an open case", by=practitioner
    )
    assert list(CINEpisode.objects.filter(child=contact.child)) == [open_case]
    assert open_case.strategy_discussions.get().contact_id == contact.pk


def test_a_referral_or_passing_on_that_does_not_fit_the_case_is_refused_and_changes_nothing(practitioner):
    contact = matched_contact(practitioner)
    with pytest.raises(ValidationError, match="no open case"):
        services.contact_decide(
            contact=contact, outcome="PASSED", rationale="For the allocated worker", by=practitioner
        )
    CINEpisode.objects.create(child=contact.child, referral_date=date(2026, 1, 5), referral_source="2A")
    with pytest.raises(ValidationError, match="passed to the allocated worker"):
        services.contact_decide(
            contact=contact, outcome="REF", rationale="Needs a child and family assessment", by=practitioner
        )
    contact.refresh_from_db()
    assert contact.decided_at is None and CINEpisode.objects.filter(child=contact.child).count() == 1


def test_a_decision_needs_a_matched_child_and_a_rationale(practitioner):
    report, _ = receive(practitioner)
    with pytest.raises(ValidationError, match="Match the contact"):
        services.contact_decide(
            contact=report.contacts.first(), outcome="IA", rationale="Advice given", by=practitioner
        )
    contact = matched_contact(practitioner, received_at=NOW + timedelta(days=1))
    with pytest.raises(ValidationError):
        services.contact_decide(contact=contact, outcome="IA", rationale="ok", by=practitioner)


def test_a_contact_claimed_by_one_practitioner_cannot_be_decided_by_another(practitioner):
    other = user_with(Role.FRONT_DOOR_PRACTITIONER, "fd2")
    contact = matched_contact(practitioner)
    services.contact_claim(contact=contact, by=practitioner)
    with pytest.raises(ValidationError, match="working on"):
        services.contact_claim(contact=contact, by=other)
    with pytest.raises(ValidationError, match="Someone else"):
        services.contact_decide(contact=contact, outcome="IA", rationale="Advice given to school", by=other)
    services.contact_decide(contact=contact, outcome="IA", rationale="Advice given to school", by=practitioner)
    with pytest.raises(ValidationError, match="already been decided"):
        services.contact_decide(contact=contact, outcome="NFA", rationale="Second go at it", by=practitioner)


def test_decisions_needing_sign_off_reach_the_referrer_only_once_signed_off(
    practitioner, django_capture_on_commit_callbacks
):
    manager = user_with(Role.FRONT_DOOR_MANAGER, "fdm")
    contact = matched_contact(practitioner)
    with django_capture_on_commit_callbacks(execute=True):
        services.contact_decide(contact=contact, outcome="NFA", rationale="No concerns after checks", by=practitioner)
    assert not mail.outbox and Contact.objects.get(pk=contact.pk).outcome_sent_at is None
    with pytest.raises(ValidationError, match="Only a manager"):
        services.contact_sign_off(contact=contact, by=practitioner)
    with django_capture_on_commit_callbacks(execute=True):
        services.contact_sign_off(contact=contact, by=manager)
    assert len(mail.outbox) == 1 and contact.reference in mail.outbox[0].subject
    assert Contact.objects.get(pk=contact.pk).outcome_sent_at is not None


def test_a_referral_is_fed_back_at_once(practitioner, django_capture_on_commit_callbacks):
    contact = matched_contact(practitioner)
    with django_capture_on_commit_callbacks(execute=True):
        services.contact_decide(contact=contact, outcome="REF", rationale="Needs assessment now", by=practitioner)
    assert len(mail.outbox) == 1 and "Referral" in mail.outbox[0].body


def test_mash_checks_record_the_question_and_the_answer(practitioner):
    contact = matched_contact(practitioner)
    check = services.mash_check_request(
        contact=contact, agency="POLICE", question="Any domestic incidents?", by=practitioner
    )
    services.mash_check_answer(check=check, response="Two callouts this year", by=practitioner)
    check.refresh_from_db()
    assert check.responded_at and check.response == "Two callouts this year"
    with pytest.raises(ValidationError, match="already been answered"):
        services.mash_check_answer(check=check, response="Again", by=practitioner)


@pytest.mark.django_db(transaction=True)
def test_two_practitioners_deciding_at_the_same_moment_end_with_one_decision():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter; SQLite serialises writers")
    first, second = user_with(Role.FRONT_DOOR_PRACTITIONER, "a"), user_with(Role.FRONT_DOOR_PRACTITIONER, "b")
    contact = matched_contact(first)
    barrier, errors = threading.Barrier(2), []

    def decide(user, outcome):
        barrier.wait()
        try:
            services.contact_decide(contact=contact, outcome=outcome, rationale="Decided at the same time", by=user)
        except ValidationError as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(u, o)) for u, o in ((first, "IA"), (second, "NFA"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(errors) == 1
    assert Contact.objects.get(pk=contact.pk).outcome in ("IA", "NFA")


def test_a_manager_cannot_sign_off_their_own_decision():
    from tests.cases.factories import WorkerFactory

    manager = user_with(Role.FRONT_DOOR_MANAGER, "fdm-self")
    WorkerFactory(user=manager, role="TM")
    contact = matched_contact(manager)
    services.contact_decide(contact=contact, outcome="NFA", rationale="No concerns after checks", by=manager)
    with pytest.raises(ValidationError, match="other than the person who made it"):
        services.contact_sign_off(contact=contact, by=manager)


def test_a_manager_with_no_worker_row_cannot_sign_off_their_own_decision():
    # Issue 12: the four-eyes check compared Worker rows, so a manager with none passed it.
    manager = user_with(Role.FRONT_DOOR_MANAGER, "fdm-no-worker")
    contact = matched_contact(manager)
    services.contact_decide(contact=contact, outcome="NFA", rationale="No concerns after checks", by=manager)
    with pytest.raises(ValidationError, match="other than the person who made it"):
        services.contact_sign_off(contact=contact, by=manager)
    assert Contact.objects.get(pk=contact.pk).signed_off_at is None
    other = user_with(Role.FRONT_DOOR_MANAGER, "fdm-other")
    services.contact_sign_off(contact=contact, by=other)
    assert Contact.objects.get(pk=contact.pk).signed_off_by == other
