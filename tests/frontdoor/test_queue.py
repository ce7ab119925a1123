"""The live queue: undecided contacts, soonest deadline first, with time left, RAG, urgency, who is
working on each and the MASH checks still waiting; scoped, and in a fixed number of queries."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from grip.access.models import RestrictedRecord, RoleGrant
from grip.access.roles import Role
from grip.frontdoor import services
from grip.frontdoor.named import NamedChild
from grip.frontdoor.selectors import front_door_queue
from tests.cases.factories import AllocationFactory, WorkerFactory
from tests.people.factories import ChildFactory

pytestmark = pytest.mark.django_db

# Friday 13 June 2025 to Monday 16 June 2025 (no bank holidays).
FRIDAY, SATURDAY, MONDAY = date(2025, 6, 13), date(2025, 6, 14), date(2025, 6, 16)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour, minute=minute))


def make_user(username: str, role: Role, **names):
    user = get_user_model().objects.create_user(username=username, password="x", **names)
    RoleGrant.objects.create(user=user, role=role)
    return user


@pytest.fixture
def practitioner(db):
    user = make_user("fd1", Role.FRONT_DOOR_PRACTITIONER, first_name="Priya", last_name="Shah")
    WorkerFactory(user=user)
    return user


def receive(received_at: datetime, *, first="Amara", last="Nwosu", urgency="ROUTINE", child=None, by=None):
    report, _ = services.contact_report_receive(
        received_at=received_at,
        route="PHONE",
        source="2A",
        reporter_name=f"Reporter {first}",
        concerns="Worried.",
        consent="YES",
        urgency=urgency,
        children=[NamedChild(first, last)],
    )
    contact = report.contacts.get()
    if child is not None:
        services.contact_match(contact=contact, child=child, by=by)
        contact.refresh_from_db()
    return contact


def test_the_queue_is_ordered_by_deadline_not_by_arrival(practitioner):
    # Changed by ADR 0014: each is due by the END of working day 1 (day 0 = the day of receipt, or
    # the next working day), no longer at the same time on the next working day.
    late_friday = receive(at(FRIDAY, 15), first="Fri")  # due by the end of Monday
    saturday = receive(at(SATURDAY, 9), first="Sat")  # Monday is day 0: due by the end of Tuesday
    overdue = receive(at(FRIDAY - timedelta(days=1), 10), first="Thu")  # due by the end of Friday
    monday = receive(at(MONDAY, 7), first="Mon")  # due by the end of Tuesday too: arrived later
    tuesday, wednesday = MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)

    items = front_door_queue(user=practitioner, now=at(MONDAY, 8))

    assert [i.reference for i in items] == [c.reference for c in (overdue, late_friday, saturday, monday)]
    assert [i.due_on for i in items] == [FRIDAY, MONDAY, tuesday, tuesday]
    assert [i.due_at for i in items] == [at(SATURDAY, 0), at(tuesday, 0), at(wednesday, 0), at(wednesday, 0)]
    assert items[0].overdue and items[0].time_left == -timedelta(days=2, hours=8)
    assert not items[1].overdue and items[1].time_left == timedelta(hours=16)


def test_rag_follows_the_sub_targets_and_breaches_are_red(practitioner):
    immediate = receive(at(MONDAY, 9), first="Imm", urgency="IMMEDIATE")  # amber after 1 working hour, red after 4
    routine = receive(at(MONDAY, 9), first="Rou", urgency="ROUTINE")  # amber after 6, red after 8
    breached = receive(at(FRIDAY, 9), first="Old", urgency="ROUTINE")

    rag = {i.reference: (i.rag, i.urgency) for i in front_door_queue(user=practitioner, now=at(MONDAY, 10, 30))}

    assert rag[immediate.reference] == ("amber", "IMMEDIATE")
    assert rag[routine.reference] == ("green", "ROUTINE")
    assert rag[breached.reference] == ("red", "ROUTINE")
    later = {i.reference: i.rag for i in front_door_queue(user=practitioner, now=at(MONDAY, 13, 30))}
    assert later[immediate.reference] == "red"


def test_each_item_says_who_the_child_is_who_is_working_on_it_and_checks_waiting(practitioner):
    child = ChildFactory(first_name="Leo", last_name="Hart")
    matched = receive(at(MONDAY, 9), child=child, by=practitioner)
    unmatched = receive(at(MONDAY, 9, 5), first="Nia", last="Bello")
    decided = receive(at(MONDAY, 9, 10), first="Ivy", child=ChildFactory(), by=practitioner)
    services.contact_decide(
        contact=decided,
        outcome="EH",
        rationale="Early help is the right response.",
        by=practitioner,
        decided_at=at(MONDAY, 9, 30),
    )
    with time_machine.travel(at(MONDAY, 9, 40), tick=False):
        services.contact_claim(contact=matched, by=practitioner)
        first = services.mash_check_request(contact=matched, agency="POLICE", by=practitioner)
        services.mash_check_request(contact=matched, agency="HEALTH", by=practitioner)
        services.mash_check_answer(check=first, response="Nothing known.", by=practitioner)

    items = {i.reference: i for i in front_door_queue(user=practitioner, now=at(MONDAY, 10))}

    assert set(items) == {matched.reference, unmatched.reference}
    assert items[matched.reference].child_name == "Leo Hart" and items[matched.reference].matched
    assert items[unmatched.reference].child_name == "Not matched: Nia Bello" and not items[unmatched.reference].matched
    assert items[matched.reference].working_on == "Priya Shah" and items[unmatched.reference].working_on == ""
    assert items[matched.reference].checks_outstanding == 1 and items[unmatched.reference].checks_outstanding == 0
    # A claim lapses after 30 minutes idle: the queue stops showing it.
    assert front_door_queue(user=practitioner, now=at(MONDAY, 10, 30))[0].working_on == ""


def test_the_queue_shows_only_what_the_user_may_see(practitioner):
    social_worker = make_user("sw1", Role.SOCIAL_WORKER)
    worker = WorkerFactory(user=social_worker)
    mine, other, hidden = ChildFactory(), ChildFactory(), ChildFactory()
    for child in (mine, hidden):
        AllocationFactory(child=child, worker=worker, team=worker.team, started_on=FRIDAY - timedelta(days=30))
    restriction = RestrictedRecord.objects.create(
        child=hidden, reason="A relative works here", restricted_by=social_worker
    )
    restriction.named_users.add(social_worker)
    about_mine = receive(at(MONDAY, 9), child=mine, by=practitioner)
    about_other = receive(at(MONDAY, 9), first="Other", child=other, by=practitioner)
    about_hidden = receive(at(MONDAY, 9), first="Hidden", child=hidden, by=practitioner)
    unmatched = receive(at(MONDAY, 9), first="Nobody")

    seen_by_front_door = {i.reference for i in front_door_queue(user=practitioner, now=at(MONDAY, 10))}
    seen_by_social_worker = {i.reference for i in front_door_queue(user=social_worker, now=at(MONDAY, 10))}

    assert seen_by_front_door == {about_mine.reference, about_other.reference, unmatched.reference}
    assert seen_by_social_worker == {about_mine.reference, about_hidden.reference}


def test_the_queue_takes_the_same_few_queries_however_long_it_is(practitioner):
    def add(n_contacts: int, batch: str) -> None:
        for i in range(n_contacts):
            contact = receive(
                at(MONDAY, 8) + timedelta(minutes=i), first=f"Child{batch}{i}", child=ChildFactory(), by=practitioner
            )
            services.mash_check_request(contact=contact, agency="POLICE", by=practitioner)
            services.contact_claim(contact=contact, by=practitioner)

    def queries(expected: int) -> int:
        practitioner._grip_roles = None  # roles are cached on the user: count loading them too
        with CaptureQueriesContext(connection) as captured:
            items = front_door_queue(user=practitioner, now=timezone.now())
        assert len(items) == expected and all(item.checks_outstanding == 1 and item.working_on for item in items)
        return len(captured)

    add(2, "a")
    few = queries(2)
    add(10, "b")
    many = queries(12)

    assert few == many <= 3


def test_the_queue_page_shows_each_contact_with_its_clock(client, practitioner):
    overdue = receive(at(FRIDAY - timedelta(days=1), 9), first="Old")  # Thursday: due by the end of Friday
    fresh = receive(at(MONDAY, 9, 30), first="New", urgency="IMMEDIATE")  # due by the end of Tuesday
    client.force_login(practitioner)

    with time_machine.travel(at(MONDAY, 10), tick=False):
        page = client.get(reverse("frontdoor:queue"))

    assert page.status_code == 200
    rows = re.findall(r'data-reference="([^"]+)" data-rag="([a-z]+)"', page.text)
    assert rows == [(overdue.reference, "red"), (fresh.reference, "green")]
    assert "Overdue by 2 days 10 hours" in page.text  # overdue since Saturday 00:00, now Monday 10:00
    assert "1 day 14 hours left" in page.text  # until Wednesday 00:00
    assert "Not matched: Old Nwosu" in page.text and "Child at immediate risk" in page.text
    assert "1 past the one working day timescale" in page.text


def test_the_queue_is_for_the_front_door(client):
    director = make_user("dir", Role.DIRECTOR)
    client.force_login(director)

    assert client.get(reverse("frontdoor:queue")).status_code == 404


def test_decisions_waiting_to_be_told_to_the_referrer_are_listed_with_their_due_day():
    from django.contrib.auth import get_user_model

    from grip.access.models import RoleGrant
    from grip.access.roles import Role
    from grip.frontdoor import services
    from grip.frontdoor.named import NamedChild
    from grip.frontdoor.selectors import feedback_waiting
    from tests.people.factories import ChildFactory

    user = get_user_model().objects.create_user(username="fd-feedback")
    RoleGrant.objects.create(user=user, role=Role.FRONT_DOOR_PRACTITIONER)
    decided = timezone.make_aware(datetime(2025, 12, 19, 15, 0))  # a Friday before Christmas
    report, _ = services.contact_report_receive(
        received_at=decided - timedelta(hours=3),
        route="PHONE",
        source="2A",
        reporter_name="A Head",
        concerns="Worried",
        consent="YES",
        urgency="ROUTINE",
        children=[NamedChild("Ella", "Moss")],
        by=user,
    )
    contact = report.contacts.get()
    services.contact_match(contact=contact, child=ChildFactory(), by=user)
    services.contact_decide(
        contact=contact, outcome="NFA", rationale="No concerns once checked", by=user, decided_at=decided
    )
    (item,) = feedback_waiting(user=user, now=decided + timedelta(days=1))
    # 3 working days after Friday 19 December 2025, over Christmas: Wednesday 24th
    assert item.contact == contact and item.feedback_due == date(2025, 12, 24) and not item.late
    assert feedback_waiting(user=user, now=timezone.make_aware(datetime(2025, 12, 29, 9)))[0].late
