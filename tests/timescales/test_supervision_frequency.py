"""A worker's own supervision frequency, set by a manager, replaces the rule's interval while it
is in force (rules `supervision` and `supervision_asye`, `frequency_from`). Worked by hand from
calendar weeks and months: "a month from Fri 6 Feb 2026" is Fri 6 Mar; "a fortnight" is 14 days."""

from datetime import date

import pytest

from grip.workforce.models import Asye, SupervisionFrequency
from tests.cases.factories import SupervisionFactory, WorkerFactory

from .support import listed, only, outstanding

pytestmark = pytest.mark.django_db


def supervised(worker, *days: date) -> None:
    for day in days:
        SupervisionFactory(worker=worker, supervisor=None, held_on=day)


def own(worker, started_on: date, amount: int, unit: str, ended_on: date | None = None) -> SupervisionFrequency:
    return SupervisionFrequency.objects.create(
        worker=worker, amount=amount, unit=unit, reason="Extra support", started_on=started_on, ended_on=ended_on
    )


def test_a_fortnightly_frequency_brings_the_next_session_forward_from_the_day_it_is_set():
    """In post from Mon 5 Jan 2026, supervised monthly. A session on Fri 6 Feb makes the next due a
    month later, Fri 6 Mar. Set fortnightly from Mon 16 Feb: the next is due a fortnight after
    6 Feb, Fri 20 Feb; as at Fri 13 Feb (before it was set) it was still 6 Mar."""
    worker = WorkerFactory(role="SW", started_on=date(2026, 1, 5))
    mine = {"workers": [worker.pk]}
    supervised(worker, date(2026, 2, 6))
    own(worker, date(2026, 2, 16), 2, "weeks")

    assert outstanding("supervision", date(2026, 2, 13), **mine).due == date(2026, 3, 6)
    assert outstanding("supervision", date(2026, 2, 16), **mine).due == date(2026, 2, 20)

    supervised(worker, date(2026, 2, 20))  # on time by the fortnightly frequency
    found = listed("supervision", date(2026, 2, 20), **mine)
    met = [o for o in found if o.met_on == date(2026, 2, 20)]
    assert [(o.due, o.status) for o in met] == [(date(2026, 2, 20), "met_on_time")]
    assert outstanding("supervision", date(2026, 2, 20), **mine).due == date(2026, 3, 6)


def test_back_to_the_standard_the_rules_interval_applies_again():
    """Fortnightly from Mon 2 Feb 2026 to Mon 2 Mar (back to the standard from then). After a
    session on Fri 20 Feb the next is due Fri 6 Mar while fortnightly, and Fri 20 Mar (a month)
    once the standard applies again."""
    worker = WorkerFactory(role="SW", started_on=date(2026, 1, 5))
    mine = {"workers": [worker.pk]}
    own(worker, date(2026, 2, 2), 2, "weeks", ended_on=date(2026, 3, 2))
    supervised(worker, date(2026, 2, 20))
    assert outstanding("supervision", date(2026, 2, 27), **mine).due == date(2026, 3, 6)
    assert outstanding("supervision", date(2026, 3, 2), **mine).due == date(2026, 3, 20)


def test_a_frequency_set_from_the_first_day_sets_the_first_deadline():
    """Weekly from the first day in post, Mon 5 Jan 2026: the first session is due Mon 12 Jan."""
    worker = WorkerFactory(role="SW", started_on=date(2026, 1, 5))
    own(worker, date(2026, 1, 5), 1, "weeks")
    assert only("supervision", date(2026, 1, 5), workers=[worker.pk]).due == date(2026, 1, 12)


def test_an_asye_worker_kept_at_weekly_past_the_first_six_weeks():
    """ASYE from Mon 5 Jan 2026: fortnightly after 6 weeks (past Mon 16 Feb) by the standard. Kept
    weekly from Mon 16 Feb: a session on Tue 17 Feb makes the next due Tue 24 Feb, not Tue 3 Mar."""
    worker = WorkerFactory(role="ASYE", started_on=date(2026, 1, 5))
    Asye.objects.create(worker=worker, started_on=date(2026, 1, 5))
    mine = {"workers": [worker.pk]}
    supervised(worker, date(2026, 2, 17))
    assert outstanding("supervision_asye", date(2026, 2, 17), **mine).due == date(2026, 3, 3)
    own(worker, date(2026, 2, 16), 1, "weeks")
    assert outstanding("supervision_asye", date(2026, 2, 17), **mine).due == date(2026, 2, 24)


def test_one_workers_frequency_leaves_anothers_clock_alone():
    fortnightly = WorkerFactory(role="SW", started_on=date(2026, 1, 5))
    monthly = WorkerFactory(role="SW", started_on=date(2026, 1, 5))
    own(fortnightly, date(2026, 1, 5), 2, "weeks")
    dues = {o.worker_id: o.due for o in listed("supervision", date(2026, 1, 6))}
    assert dues == {fortnightly.pk: date(2026, 1, 19), monthly.pk: date(2026, 2, 5)}
