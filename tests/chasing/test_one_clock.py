"""One clock, everywhere (issue 11; ADR 0014): the same contacts taken through the front door queue,
the front door dashboard, the timescale engine and the authority's chase list give the same due
time and the same status (in time / overdue) at every moment.

The convention (shared/reference/kpi-catalogue.md, "Clock conventions"; docs/working-days.md): the
local (Europe/London) date of receipt is day 0, or the next working day if it is not one; the
decision is due by the END of working day 1 (busday_offset(received, 1, roll="forward")) and is
overdue from midnight at the end of that day. Due days below are worked by hand:

* Fri 6 Jun 2025 16:59 (BST): day 0 Friday, day 1 Mon 9 Jun.
* Sat 7 Jun 2025 10:00: day 0 Mon 9 Jun, day 1 Tue 10 Jun.
* Wed 24 Dec 2025 15:30 (GMT), Christmas Eve: day 0 Wednesday; Thu 25 and Fri 26 Dec bank
  holidays, 27-28 a weekend: day 1 Mon 29 Dec.
* Mon 6 Apr 2026 09:30 (BST), Easter Monday: day 0 Tue 7 Apr, day 1 Wed 8 Apr.
* Mon 25 Aug 2025 14:00 (BST), summer bank holiday: day 0 Tue 26 Aug, day 1 Wed 27 Aug.

Under the old clocks these disagreed: the queue and the dashboard said "the same time on the
next working day" (Friday 16:59 -> Monday 16:59; Saturday 10:00 -> Monday 10:00) and the engine
"the end of the next working day" counting a Saturday as day 0 (Saturday -> Monday).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from grip.access.models import RoleGrant
from grip.access.roles import Role
from grip.chasing import lists
from grip.frontdoor.dashboard import Selection, contacts_behind, front_door_dashboard
from grip.frontdoor.selectors import front_door_queue
from grip.timescales.engine import obligations
from tests.cases.factories import ContactFactory, WorkerFactory
from tests.timescales.support import backdate

pytestmark = pytest.mark.django_db


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


# name: (received at, due day worked by hand)
CONTACTS = {
    "friday_1659": (at(date(2025, 6, 6), 16, 59), date(2025, 6, 9)),
    "saturday": (at(date(2025, 6, 7), 10), date(2025, 6, 10)),
    "christmas_eve": (at(date(2025, 12, 24), 15, 30), date(2025, 12, 29)),
    "easter_monday": (at(date(2026, 4, 6), 9, 30), date(2026, 4, 8)),
    "summer_bank_holiday": (at(date(2025, 8, 25), 14), date(2025, 8, 27)),
}

# (contact, now, status): chosen moments around each due time, and where the old clocks said otherwise.
MOMENTS = [
    ("friday_1659", at(date(2025, 6, 6), 17), "in time"),
    ("friday_1659", at(date(2025, 6, 9), 17), "in time"),  # old queue: overdue since Monday 16:59
    ("friday_1659", at(date(2025, 6, 9), 23, 59), "in time"),
    ("friday_1659", at(date(2025, 6, 10), 0), "overdue"),  # Monday has ended
    ("friday_1659", at(date(2025, 6, 10), 9), "overdue"),
    ("saturday", at(date(2025, 6, 9), 10, 30), "in time"),  # old queue: overdue since Monday 10:00
    ("saturday", at(date(2025, 6, 10), 23, 59), "in time"),  # old engine: due Monday, overdue
    ("saturday", at(date(2025, 6, 11), 0), "overdue"),
    ("christmas_eve", at(date(2025, 12, 26), 12), "in time"),
    ("christmas_eve", at(date(2025, 12, 29), 15, 31), "in time"),  # old queue: overdue since 15:30
    ("christmas_eve", at(date(2025, 12, 29), 23, 59), "in time"),
    ("christmas_eve", at(date(2025, 12, 30), 0), "overdue"),
    ("easter_monday", at(date(2026, 4, 7), 9, 31), "in time"),  # old queue: overdue since Tuesday 09:30
    ("easter_monday", at(date(2026, 4, 8), 23, 59), "in time"),  # old engine: due Tuesday, overdue
    ("easter_monday", at(date(2026, 4, 9), 0), "overdue"),
    ("summer_bank_holiday", at(date(2025, 8, 27), 23, 59), "in time"),
    ("summer_bank_holiday", at(date(2025, 8, 28), 0), "overdue"),
]


def make_user(username: str, role: Role):
    user = get_user_model().objects.create_user(username=username, password="x")
    RoleGrant.objects.create(user=user, role=role)
    return user


@pytest.fixture
def contacts(db):
    made = {
        name: ContactFactory(received_at=received, decided_at=None, decided_by=None, outcome="")
        for name, (received, _due) in CONTACTS.items()
    }
    backdate()  # recorded long ago, so that the engine counts them as at any date
    return made


def overdue_from(due_day: date) -> datetime:
    """Midnight at the end of the due day, worked without the code under test."""
    return timezone.make_aware(datetime.combine(date.fromordinal(due_day.toordinal() + 1), time(0)))


@pytest.mark.parametrize(("name", "now", "status"), MOMENTS, ids=[f"{m[0]}@{m[1]:%d%b%H%M}" for m in MOMENTS])
def test_every_place_gives_the_same_due_time_and_status(contacts, name, now, status):
    practitioner = make_user("fd", Role.FRONT_DOOR_PRACTITIONER)
    WorkerFactory(user=practitioner)
    director = make_user("dir", Role.DIRECTOR)
    contact = contacts[name]
    due_day = CONTACTS[name][1]
    assert (now >= overdue_from(due_day)) == (status == "overdue")  # the hand-worked table is consistent

    # The queue (and the contact page, which shows the same item's clock).
    item = next(i for i in front_door_queue(user=practitioner, now=now) if i.pk == contact.pk)
    assert (item.due_on, item.due_at) == (due_day, overdue_from(due_day))
    assert ("overdue" if item.overdue else "in time") == status
    if status == "overdue":
        assert item.rag == "red"

    # The dashboard: "overdue" is the contacts past the clock, and the number reconciles to the list.
    late = contacts_behind(user=director, selection=Selection("undecided", timeliness="late"), at=now)
    assert ("overdue" if contact in late else "in time") == status
    board = front_door_dashboard(user=director, now=now)
    received_by_now = [n for n, (received, _) in CONTACTS.items() if received <= now]
    expected_overdue = sum(now >= overdue_from(CONTACTS[n][1]) for n in received_by_now)
    assert board.overdue.value == len(late) == expected_overdue

    # The timescale engine, as at the local date of `now`.
    today = timezone.localdate(now)
    (found,) = [o for o in obligations(on=today, rule_keys=["contact_decision"]) if o.record_id == contact.pk]
    assert found.due == due_day
    assert ("overdue" if found.status == "overdue" else "in time") == status
    assert found.status in ("overdue", "due_soon")

    # The authority's chase list.
    (chased,) = [
        i
        for i in lists.for_authority(on=today)
        if i.obligation.rule == "contact_decision" and i.obligation.record_id == contact.pk
    ]
    assert chased.obligation.due == due_day
    assert ("overdue" if chased.obligation.status == "overdue" else "in time") == status


@pytest.mark.parametrize("name", list(CONTACTS))
@pytest.mark.parametrize(("minutes_after_due_day", "status"), [(-1, "in time"), (0, "late")])
def test_a_decision_is_in_time_or_late_alike_on_the_dashboard_and_in_the_engine(
    db, name, minutes_after_due_day, status
):
    # Decided at 23:59 on the due day: in time. At 00:00 the next day: late.
    director = make_user("dir", Role.DIRECTOR)
    received, due_day = CONTACTS[name]
    decided_at = overdue_from(due_day) + timedelta(minutes=minutes_after_due_day)
    contact = ContactFactory(received_at=received, decided_at=decided_at, outcome="NFA")
    backdate()
    moment = decided_at + timedelta(minutes=1)

    late = contacts_behind(user=director, selection=Selection("decided", period="recent", timeliness="late"), at=moment)
    in_time = contacts_behind(
        user=director, selection=Selection("decided", period="recent", timeliness="in"), at=moment
    )
    assert (contact in late, contact in in_time) == (status == "late", status == "in time")

    (found,) = obligations(on=timezone.localdate(decided_at), rule_keys=["contact_decision"])
    assert found.due == due_day
    assert found.status == ("met_late" if status == "late" else "met_on_time")
