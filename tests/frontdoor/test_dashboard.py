"""Seeing the front door: each number is right, and the list behind it reconciles to it."""

from __future__ import annotations

import html
import re
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from grip.access.models import RoleGrant
from grip.access.roles import Role
from grip.frontdoor import views
from grip.frontdoor.clock import decision_due
from grip.frontdoor.dashboard import Selection, contacts_behind, front_door_dashboard
from grip.frontdoor.models import Contact
from tests.cases.factories import AllocationFactory, ContactFactory, WorkerFactory
from tests.people.factories import ChildFactory

pytestmark = pytest.mark.django_db

WEDNESDAY = date(2025, 6, 18)  # the moment of the page: Wednesday 18 June 2025, 15:00
MONDAY, TUESDAY, FRIDAY = date(2025, 6, 16), date(2025, 6, 17), date(2025, 6, 13)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


NOW = at(WEDNESDAY, 15)


def make_user(username: str, role: Role):
    user = get_user_model().objects.create_user(username=username, password="x")
    RoleGrant.objects.create(user=user, role=role)
    return user


def undecided(received_at, **kwargs):
    return ContactFactory(received_at=received_at, decided_at=None, decided_by=None, outcome="", **kwargs)


def decided(received_at, decided_at, outcome, by, **kwargs):
    return ContactFactory(received_at=received_at, decided_at=decided_at, outcome=outcome, decided_by=by, **kwargs)


@pytest.fixture
def front_door(db):
    """A front door with contacts in every box of the page, as at NOW."""
    priya = WorkerFactory(first_name="Priya", last_name="Shah")
    tom = WorkerFactory(first_name="Tom", last_name="Reid")
    twice = ChildFactory()  # contacted on 3 June and again on 17 June: the second is a repeat
    long_ago = ChildFactory()  # contacted in 2024 and again in May 2025: not a repeat (over 12 months)
    ContactFactory(child=long_ago, received_at=at(date(2024, 1, 10), 10), decided_by=tom, source="6")
    c = {
        "new": undecided(at(WEDNESDAY, 14), source="6"),  # 1 hour old
        "morning": undecided(at(WEDNESDAY, 9), source="6"),  # 6 hours old
        "monday": undecided(at(MONDAY, 10), source="2A"),  # 53 hours old; due by the end of Tuesday: overdue
        "friday": undecided(at(FRIDAY, 10), source="3A"),  # over 3 days; overdue
        # decided: in time / late, and in which period
        "ref_in_time": decided(at(TUESDAY, 10), at(WEDNESDAY, 9), "REF", priya, child=twice, source="2A"),
        "nfa_late": decided(at(MONDAY, 10), at(WEDNESDAY, 11), "NFA", priya, source="6"),
        # due by the end of Monday: in time (ADR 0014; it was late when due at Monday 16:00)
        "strat_monday": decided(at(FRIDAY, 16), at(MONDAY, 16, 30), "STRAT", tom, source="6"),
        "eh_month": decided(at(date(2025, 6, 3), 10), at(date(2025, 6, 3), 12), "EH", priya, child=twice, source="2A"),
        "ia_may": decided(at(date(2025, 5, 25), 10), at(date(2025, 5, 26), 9), "IA", tom, child=long_ago, source="6"),
        # decided after NOW: undecided as at NOW
        "decided_later": decided(at(WEDNESDAY, 13), at(WEDNESDAY, 16), "NFA", tom, source="3A"),
    }
    return c


def test_the_numbers(front_door):
    director = make_user("dir", Role.DIRECTOR)

    board = front_door_dashboard(user=director, now=NOW)

    assert board.undecided.value == 5  # new, morning, monday, friday, decided_later
    assert board.overdue.value == 2  # monday, friday
    assert [(text, n.value) for text, n in board.ages] == [
        ("Under 4 hours", 2),
        ("4 to 24 hours", 1),
        ("1 to 3 days", 1),
        ("Over 3 days", 1),
    ]
    timeliness = {text: (share.part.value, share.whole.value) for text, share in board.timeliness}
    # In time: ref_in_time, strat_monday, eh_month, ia_may (Sunday 25 May, Monday 26 May a bank
    # holiday: due by the end of Wednesday 28 May); late: nfa_late (due by the end of Tuesday).
    assert timeliness == {"Today": (1, 2), "This week": (2, 3), "This month": (3, 4), "Last 30 days": (4, 5)}
    assert board.received.value == 10
    assert {text: n.value for text, n in board.sources} == {
        "Police": 5,
        "Schools": 3,
        "Health services – general practitioner (GP)": 2,
    }
    assert (board.conversion.part.value, board.conversion.whole.value, board.conversion.percent) == (2, 5, 40)
    assert (board.repeats.part.value, board.repeats.whole.value) == (1, 10)
    deciders = {
        d.name: (d.total.value, {o: n.value for o, n in d.by_outcome.items() if n.value}) for d in board.deciders
    }
    assert deciders == {"Priya Shah": (3, {"REF": 1, "NFA": 1, "EH": 1}), "Tom Reid": (2, {"STRAT": 1, "IA": 1})}


def test_in_timescale_follows_the_decision_clock_to_the_minute(db):
    # Changed by ADR 0014: due by the end of working day 1 (day 0 = the day of receipt, or the
    # next working day), no longer at the same time on the next working day.
    director = make_user("dir", Role.DIRECTOR)
    worker = WorkerFactory()
    thursday = at(date(2025, 6, 19), 12)
    last_minute = decided(at(MONDAY, 10), at(TUESDAY, 23, 59), "NFA", worker)  # due by the end of Tuesday
    at_midnight = decided(at(MONDAY, 10), at(WEDNESDAY, 0, 0), "NFA", worker)  # Tuesday has ended: late
    friday = decided(at(FRIDAY, 16, 59), at(MONDAY, 20), "NFA", worker)  # due by the end of Monday
    weekend = decided(at(date(2025, 6, 14), 11), at(TUESDAY, 16), "NFA", worker)  # Saturday: Monday is day 0
    weekend_late = decided(at(date(2025, 6, 14), 11), at(WEDNESDAY, 0, 0), "NFA", worker)

    in_time = Selection("decided", period="week", timeliness="in")
    late = Selection("decided", period="week", timeliness="late")

    assert set(contacts_behind(user=director, selection=in_time, at=thursday)) == {last_minute, friday, weekend}
    assert set(contacts_behind(user=director, selection=late, at=thursday)) == {at_midnight, weekend_late}


@pytest.mark.parametrize(
    "until",
    [
        at(date(2025, 4, 23), 12),  # Easter: Good Friday 18 April and Easter Monday 21 April
        at(date(2025, 4, 2), 12),  # the clocks went forward on Sunday 30 March
        at(date(2025, 10, 29), 12),  # the clocks went back on Sunday 26 October
    ],
)
def test_late_is_exactly_past_the_decision_clock(db, until):
    """Contacts received every 97 minutes over the 12 days before `until`, decided 0 to 150 hours
    later (or not by `until`): the page's "late" is clock.decision_due's, to the second."""
    director, worker, child = make_user("dir", Role.DIRECTOR), WorkerFactory(), ChildFactory()
    received, step, n = until - timedelta(days=12), timedelta(minutes=97), 0
    while received < until:
        n += 1
        decided_at = received + timedelta(minutes=(n * 7919) % (150 * 60))
        if decided_at <= until:
            decided(received, decided_at, "NFA", worker, child=child)
        else:
            undecided(received, child=child)
        received += step

    late_decisions = contacts_behind(
        user=director, selection=Selection("decided", period="recent", timeliness="late"), at=until
    )
    overdue = contacts_behind(user=director, selection=Selection("undecided", timeliness="late"), at=until)
    recent = Contact.objects.filter(decided_at__gte=until - timedelta(days=30), decided_at__lte=until)

    assert set(late_decisions) == {c for c in recent if c.decided_at >= decision_due(c.received_at)}
    waiting = Contact.objects.filter(decided_at__isnull=True)
    assert set(overdue) == {c for c in waiting if until >= decision_due(c.received_at)}
    assert 0 < len(late_decisions) < recent.count() and 0 < overdue.count() < waiting.count()


def _numbers(page: str) -> list[tuple[str, int]]:
    links = re.findall(r'<a class="govuk-link" href="([^"]+)"(?: data-testid="[^"]+")? data-metric>([\d,]+)</a>', page)
    return [(html.unescape(href), int(value.replace(",", ""))) for href, value in links]


def _listed(client, url: str) -> tuple[int, list[str]]:
    """The count a list shows, and the references on all its pages."""
    first = client.get(url)
    assert first.status_code == 200, url
    count = int(re.search(r'data-testid="count">([\d,]+)<', first.text)[1].replace(",", ""))
    references, page, response = [], 1, first
    while True:
        references += re.findall(r'data-testid="contact-row" data-reference="([^"]+)"', response.text)
        if 'rel="next"' not in response.text:
            return count, references
        page += 1
        response = client.get(f"{url}&page={page}")


def test_every_number_opens_a_list_that_reconciles_to_it(client, front_door, monkeypatch):
    monkeypatch.setattr(views, "LIST_PAGE_SIZE", 2)  # so the longer lists run to several pages
    director = make_user("dir", Role.DIRECTOR)

    with time_machine.travel(NOW, tick=False):
        client.force_login(director)
        page = client.get(reverse("frontdoor:front-door"))
    numbers = _numbers(page.text)

    assert page.status_code == 200
    assert len(numbers) == 1 + 1 + 4 + 8 + 1 + 3 + 2 + 2 + 2 * 7  # undecided, overdue, ages, timeliness, ...
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):  # later: each list is as at the page
        client.force_login(director)
        for url, value in numbers:
            assert url.startswith(reverse("frontdoor:front-door-contacts") + "?metric=")
            count, references = _listed(client, url)
            assert count == value == len(references) == len(set(references)), url


def test_the_list_names_the_contacts_behind_the_number(client, front_door):
    client.force_login(make_user("dir", Role.DIRECTOR))
    overdue = Selection("undecided", timeliness="late")

    with time_machine.travel(NOW, tick=False):
        count, references = _listed(client, overdue.url(NOW))

    assert count == 2 and set(references) == {front_door["monday"].reference, front_door["friday"].reference}


def test_the_numbers_are_scoped_to_the_user(front_door):
    manager = make_user("tm", Role.TEAM_MANAGER)
    worker = WorkerFactory(user=manager, role="TM")
    AllocationFactory(
        child=front_door["monday"].child,
        worker=WorkerFactory(team=worker.team),
        team=worker.team,
        started_on=date(2025, 1, 6),
    )

    board = front_door_dashboard(user=manager, now=NOW)

    assert board.undecided.value == 1 and board.overdue.value == 1 and board.received.value == 1
    assert board.timeliness[-1][1].whole.value == 0 and board.deciders == []


def test_the_front_door_page_is_for_the_front_door_and_those_who_oversee_it(client):
    for role, status in (
        (Role.FRONT_DOOR_PRACTITIONER, 200),
        (Role.PERFORMANCE_OFFICER, 200),
        (Role.TEAM_MANAGER, 200),
        (Role.SOCIAL_WORKER, 404),
        (Role.PARTNER_AGENCY_USER, 404),
    ):
        client.force_login(make_user(role.value, role))
        assert client.get(reverse("frontdoor:front-door")).status_code == status, role


def test_the_list_without_a_number_says_where_to_start(client):
    client.force_login(make_user("dir", Role.DIRECTOR))

    response = client.get(reverse("frontdoor:front-door-contacts"))

    assert response.status_code == 200 and "Choose a number on the front door page" in response.text


@pytest.mark.parametrize(
    "query",
    [
        "metric=everything",
        "metric=decided",
        "metric=decided&period=year",
        "metric=undecided&age=old",
        "metric=received&source=ZZ",
        "metric=received&at=yesterday",
        "metric=undecided&period=week",
        "metric=decided&period=week&decided_by=x",
    ],
)
def test_a_link_that_names_no_contacts_is_refused(client, query):
    client.force_login(make_user("dir", Role.DIRECTOR))

    response = client.get(f"{reverse('frontdoor:front-door-contacts')}?{query}")

    assert response.status_code == 400 and 'data-testid="problem"' in response.text
