"""Worked examples: pathway plan reviews (6 months) and supervision
(ASYE weekly / fortnightly / monthly; everyone else monthly, a local default)."""

from datetime import date

import pytest

from grip.workforce.models import Asye
from tests.cases.factories import (
    CareLeaverEpisodeFactory,
    PathwayPlanReviewFactory,
    SupervisionFactory,
    WorkerFactory,
)

from .support import listed, only, outstanding

pytestmark = pytest.mark.django_db


# --- Pathway plan reviews --------------------------------------------------------------------------
# Care Leavers (England) Regulations 2010, reg 7: reviewed at intervals of not more than 6 months.


def test_pathway_plan_reviews_every_6_months_from_31_august_to_leap_day():
    leaver = CareLeaverEpisodeFactory(started_on=date(2027, 8, 31))

    first = only("pathway_plan_review", date(2027, 9, 1))
    assert (first.due, first.record_id, first.clock_started_by) == (
        date(2028, 2, 29),
        leaver.pk,
        "Care leaver support started",
    )

    PathwayPlanReviewFactory(care_leaver=leaver, held_on=date(2028, 2, 28))
    assert outstanding("pathway_plan_review", date(2028, 2, 28)).due == date(2028, 8, 28)


# Contact with care leavers: rules care_leaver_visit and care_leaver_in_touch, in test_other_regimes.py
# (issue 11 split the reg 8 visit from keeping in touch).


# --- Supervision ----------------------------------------------------------------------------------------------
# LGA Standards for employers of social workers, Standard 5: ASYE supervision at least weekly for the
# first 6 weeks, at least fortnightly to 6 months, at least monthly after that.


def supervised(worker, *days: date) -> None:
    for day in days:
        SupervisionFactory(worker=worker, supervisor=None, held_on=day)


def test_a_newly_qualified_worker_is_supervised_weekly_then_fortnightly_then_monthly():
    worker = WorkerFactory(role="ASYE", started_on=date(2026, 1, 5))
    Asye.objects.create(worker=worker, started_on=date(2026, 1, 5))
    mine = {"workers": [worker.pk]}

    first = only("supervision_asye", date(2026, 1, 5), **mine)
    assert (first.due, first.worker_id, first.child_id) == (date(2026, 1, 12), worker.pk, None)
    assert first.clock_started_by == "Started the ASYE"

    supervised(worker, date(2026, 1, 9))
    assert outstanding("supervision_asye", date(2026, 1, 9), **mine).due == date(2026, 1, 16)
    supervised(worker, date(2026, 2, 13))  # still within the first 6 weeks (to Mon 16 Feb)
    assert outstanding("supervision_asye", date(2026, 2, 13), **mine).due == date(2026, 2, 20)
    supervised(worker, date(2026, 2, 17))  # after 6 weeks: fortnightly
    assert outstanding("supervision_asye", date(2026, 2, 17), **mine).due == date(2026, 3, 3)
    supervised(worker, date(2026, 7, 1))  # within 6 months (to Sun 5 July)
    assert outstanding("supervision_asye", date(2026, 7, 1), **mine).due == date(2026, 7, 15)
    supervised(worker, date(2026, 7, 6))  # after 6 months: monthly
    assert outstanding("supervision_asye", date(2026, 7, 6), **mine).due == date(2026, 8, 6)
    assert listed("supervision", date(2026, 7, 6), **mine) == []


def test_the_asye_clock_runs_from_the_asye_start_not_the_first_day_in_post():
    """In post from Mon 5 Jan 2026 as a social worker; the ASYE starts on Mon 2 Mar. Weekly from the
    ASYE start: first due Mon 9 Mar. Within 6 weeks of 2 Mar (to Mon 13 Apr) a session on Fri 10 Apr
    makes the next due a week later, Fri 17 Apr; from 5 Jan it would have been fortnightly (past
    Mon 16 Feb), due Fri 24 Apr. Before the ASYE the ordinary monthly clock ran, from 5 Jan: due 5 Feb."""
    worker = WorkerFactory(role="SW", started_on=date(2026, 1, 5))
    mine = {"workers": [worker.pk]}
    assert only("supervision", date(2026, 1, 6), **mine).due == date(2026, 2, 5)
    Asye.objects.create(worker=worker, started_on=date(2026, 3, 2))

    assert listed("supervision_asye", date(2026, 2, 27), **mine) == []  # not begun then
    assert only("supervision_asye", date(2026, 3, 2), **mine).due == date(2026, 3, 9)
    assert [o for o in listed("supervision", date(2026, 3, 2), **mine) if o.met_on is None] == []
    supervised(worker, date(2026, 4, 10))
    assert outstanding("supervision_asye", date(2026, 4, 10), **mine).due == date(2026, 4, 17)


def test_the_asye_clock_stops_at_completion_and_ordinary_supervision_runs_from_then():
    """ASYE from Mon 5 Jan 2026, completed Tue 5 Jan 2027 (the worker becomes a social worker).
    As at 4 Jan 2027 only the ASYE clock runs; from 5 Jan 2027 the ASYE clock has ended and the
    monthly clock starts: first due Fri 5 Feb 2027, then a month from each session."""
    worker = WorkerFactory(role="SW", started_on=date(2026, 1, 5))
    asye = Asye.objects.create(worker=worker, started_on=date(2026, 1, 5))
    mine = {"workers": [worker.pk]}
    supervised(worker, date(2026, 12, 21))
    assert outstanding("supervision_asye", date(2027, 1, 4), **mine).due == date(2027, 1, 21)
    assert [o for o in listed("supervision", date(2027, 1, 4), **mine) if o.met_on is None] == []

    asye.completed_on = date(2027, 1, 5)
    asye.save()
    assert [o for o in listed("supervision_asye", date(2027, 1, 5), **mine) if o.met_on is None] == []
    assert only("supervision", date(2027, 1, 5), **mine).due == date(2027, 2, 5)
    assert [o for o in listed("supervision_asye", date(2027, 1, 4), **mine) if o.met_on is None] != []  # as at then
    supervised(worker, date(2027, 2, 1))
    assert outstanding("supervision", date(2027, 2, 1), **mine).due == date(2027, 3, 1)


def test_other_workers_are_supervised_monthly_while_in_post():
    worker = WorkerFactory(role="SW", started_on=date(2026, 1, 31))
    mine = {"workers": [worker.pk]}

    assert only("supervision", date(2026, 2, 1), **mine).due == date(2026, 2, 28)
    supervised(worker, date(2026, 2, 27))
    assert outstanding("supervision", date(2026, 2, 27), **mine).due == date(2026, 3, 27)
    assert listed("supervision_asye", date(2026, 2, 27), **mine) == []

    worker.left_on = date(2026, 3, 20)
    worker.save()
    assert listed("supervision", date(2026, 3, 20), **mine) == []


def test_supervision_is_listed_for_workers_not_for_children():
    WorkerFactory(role="SW", started_on=date(2026, 1, 5))

    assert listed("supervision", date(2026, 1, 6), children=[1]) == []
    assert len(listed("supervision", date(2026, 1, 6))) == 1
