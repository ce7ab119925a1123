"""The workforce census measures, each computed BY HAND on a small authority as at two days, so the
history of terms, posts and leavers matters: 31 March 2025 (the year from 1 April 2024) and the
census day 30 September 2025 (the year from 1 October 2024).

The authority (teams A and B; every worker qualified except Eve):

    worker  role  contract   FTE  team  started     left (leaving day)   change of terms
    Ann     SW    permanent  1.0  A     2020-01-06                       FTE 0.6 from 2025-04-01
    Bob     SSW   permanent  1.0  A     2019-05-01  2025-06-30 (1 Resignation)
    Cat     ASYE  permanent  0.8  B     2024-11-04
    Dan     SW    agency     1.0  A     2024-06-03
    Eve     FSW   permanent  1.0  B     2018-01-01  (not a social worker: never counted)
    Fay     SW    permanent  1.0  B     2018-03-01                       team A from 2025-07-01
    Gus     SW    permanent  0.5  B     2021-01-01  2024-12-02 (5 Retired)

    post  team role  FTE  funded from  filled by
    P1    A    SW    1.0  2020-01-01   Ann permanent from 2020-01-06
    P2    A    SSW   1.0  2020-01-01   Bob permanent 2020-01-01 to 2025-06-30
    P3    A    SW    1.0  2020-01-01   Dan AGENCY from 2024-06-03 (a vacancy covered by agency)
    P4    B    ASYE  0.8  2020-01-01   Cat permanent from 2024-11-04
    P5    B    SW    1.0  2020-01-01   Fay permanent 2020-01-01 to 2025-07-01
    P6    A    SW    1.0  2025-07-01   Fay permanent from 2025-07-01
    P7    B    SW    0.5  2020-01-01   Gus permanent 2021-01-01 to 2024-12-02
    P8    B    FSW   1.0  2020-01-01   Eve (not a social worker post: not in the vacancies)
    P9    A    SW    1.0  2025-04-01   nobody

Sickness (working days Monday to Friday, no bank holiday inside any spell):
    Ann  3-7 Mar 2025 (5 days x FTE 1.0 = 5.0), 1-2 Sep 2025 (2 days x FTE 0.6 = 1.2)
    Cat  long-term 6-31 Jan 2025 (20 days x 0.8 = 16.0)
    Gus  from 25 Nov 2024, never ended; left 2 Dec 2024 (25-29 Nov: 5 days x 0.5 = 2.5)
    Dan  3-4 Feb 2025: agency, not counted. Fay: annual leave 4-8 Aug 2025: not sickness.

Cases (lead allocations on open CIN episodes): Ann 2 children from 2024-06-01, Dan 1 from
2024-07-01, Fay 2 from 2025-07-01; Bob 1 from 2024-06-01 whose case closed on 2025-01-31 (a lead
on a closed case is no caseload).

Working days in the years (England bank holidays, as DfE counts):
    1 Apr 2024 - 31 Mar 2025: 365 days from a Monday to a Monday = 261 weekdays, less 1 Apr (Easter
    Monday), 6 May, 27 May, 26 Aug, 25 Dec, 26 Dec 2024, 1 Jan 2025 = 254.
    1 Oct 2024 - 30 Sep 2025: 365 days from a Tuesday to a Tuesday = 261 weekdays, less 25 Dec,
    26 Dec 2024, 1 Jan, 18 Apr, 21 Apr, 5 May, 26 May, 25 Aug 2025 = 253.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from grip.workforce.census import census_for_year, census_on
from grip.workforce.models import Absence, Post, PostFilling, Team, Worker, WorkerTerms
from tests.cases.factories import (
    AllocationFactory,
    CINEpisodeFactory,
    ServiceAreaFactory,
    TeamFactory,
    WorkerFactory,
)

pytestmark = pytest.mark.django_db

MARCH, SEPTEMBER = date(2025, 3, 31), date(2025, 9, 30)
D = Decimal


@dataclass
class Authority:
    a: Team
    b: Team
    w: dict[str, Worker]
    p: dict[str, Post]


def _change(worker: Worker, on: date, **changes) -> None:
    """A change of terms from `on`, as grip.workforce.services.terms_change records it."""
    current = WorkerTerms.objects.get(worker=worker, ended_on=None)
    current.ended_on = on
    current.save()
    fields = {f: getattr(current, f) for f in ("role", "team", "fte", "employment_type", "manager")}
    WorkerTerms.objects.create(worker=worker, started_on=on, **(fields | changes))
    Worker.objects.filter(pk=worker.pk).update(**changes)


def _holds(worker: Worker, n: int, since: date, closed_on: date | None = None) -> None:
    for _ in range(n):
        episode = CINEpisodeFactory(referral_date=date(2024, 1, 2))
        if closed_on:
            episode.closure_date, episode.closure_reason = closed_on, "RC8"
            episode.save()
        AllocationFactory(child=episode.child, worker=worker, team=worker.team, started_on=since)


@pytest.fixture
def authority() -> Authority:
    area = ServiceAreaFactory(name="Census area")
    a, b = TeamFactory(name="Team A", service_area=area), TeamFactory(name="Team B", service_area=area)

    def worker(name, role, team, started, fte="1.00", contract="PERMANENT", left=None, reason="", qualified=True):
        return WorkerFactory(
            first_name=name,
            last_name="Census",
            role=role,
            team=team,
            fte=D(fte),
            employment_type=contract,
            started_on=started,
            left_on=left,
            leaving_reason=reason,
            is_qualified_social_worker=qualified,
        )

    w = {
        "ann": worker("Ann", "SW", a, date(2020, 1, 6)),
        "bob": worker("Bob", "SSW", a, date(2019, 5, 1), left=date(2025, 6, 30), reason="1"),
        "cat": worker("Cat", "ASYE", b, date(2024, 11, 4), fte="0.80"),
        "dan": worker("Dan", "SW", a, date(2024, 6, 3), contract="AGENCY"),
        "eve": worker("Eve", "FSW", b, date(2018, 1, 1), qualified=False),
        "fay": worker("Fay", "SW", b, date(2018, 3, 1)),
        "gus": worker("Gus", "SW", b, date(2021, 1, 1), fte="0.50", left=date(2024, 12, 2), reason="5"),
    }
    _change(w["ann"], date(2025, 4, 1), fte=D("0.60"))
    _change(w["fay"], date(2025, 7, 1), team=a)

    def post(team, role, fte, funded, *fillings):
        made = Post.objects.create(team=team, role=role, fte=D(fte), started_on=funded)
        for who, basis, start, end in fillings:
            PostFilling.objects.create(post=made, worker=w[who], basis=basis, started_on=start, ended_on=end)
        return made

    start = date(2020, 1, 1)
    p = {
        "P1": post(a, "SW", "1.00", start, ("ann", "PERMANENT", date(2020, 1, 6), None)),
        "P2": post(a, "SSW", "1.00", start, ("bob", "PERMANENT", start, date(2025, 6, 30))),
        "P3": post(a, "SW", "1.00", start, ("dan", "AGENCY", date(2024, 6, 3), None)),
        "P4": post(b, "ASYE", "0.80", start, ("cat", "PERMANENT", date(2024, 11, 4), None)),
        "P5": post(b, "SW", "1.00", start, ("fay", "PERMANENT", start, date(2025, 7, 1))),
        "P6": post(a, "SW", "1.00", date(2025, 7, 1), ("fay", "PERMANENT", date(2025, 7, 1), None)),
        "P7": post(b, "SW", "0.50", start, ("gus", "PERMANENT", date(2021, 1, 1), date(2024, 12, 2))),
        "P8": post(b, "FSW", "1.00", start, ("eve", "PERMANENT", start, None)),
        "P9": post(a, "SW", "1.00", date(2025, 4, 1)),
    }
    for who, kind, first, last in [
        ("ann", "SICKNESS", date(2025, 3, 3), date(2025, 3, 7)),
        ("ann", "SICKNESS", date(2025, 9, 1), date(2025, 9, 2)),
        ("cat", "LONG_TERM_SICKNESS", date(2025, 1, 6), date(2025, 1, 31)),
        ("gus", "SICKNESS", date(2024, 11, 25), None),
        ("dan", "SICKNESS", date(2025, 2, 3), date(2025, 2, 4)),
        ("fay", "ANNUAL_LEAVE", date(2025, 8, 4), date(2025, 8, 8)),
    ]:
        Absence.objects.create(worker=w[who], absence_type=kind, started_on=first, ended_on=last)
    _holds(w["ann"], 2, date(2024, 6, 1))
    _holds(w["dan"], 1, date(2024, 7, 1))
    _holds(w["fay"], 2, date(2025, 7, 1))
    _holds(w["bob"], 1, date(2024, 6, 1), closed_on=date(2025, 1, 31))
    return Authority(a, b, w, p)


def _ids(authority: Authority, *names: str) -> list[int]:
    return sorted(authority.w[name].pk for name in names)


def _posts(authority: Authority, *names: str) -> list[int]:
    return sorted(authority.p[name].pk for name in names)


def test_social_workers_in_post_are_the_authoritys_own_qualified_staff_on_the_day(authority):
    """31 Mar: Ann 1.0 + Bob 1.0 + Cat 0.8 + Fay 1.0 = 3.8 FTE, 4 people (Dan is agency, Eve not a
    social worker, Gus gone). 30 Sep: Ann 0.6 (her new terms) + Cat 0.8 + Fay 1.0 = 2.4, 3 people."""
    march, september = census_on(MARCH), census_on(SEPTEMBER)
    assert march["fte_in_post"].value == D("3.8")
    assert march["headcount"].value == 4
    assert march["fte_in_post"].workers == _ids(authority, "ann", "bob", "cat", "fay")
    assert september["fte_in_post"].value == D("2.4")
    assert september["headcount"].value == 3
    assert september["fte_in_post"].workers == _ids(authority, "ann", "cat", "fay")


def test_agency_workers_and_rate(authority):
    """Dan 1.0 agency FTE both days: 1.0 / (1.0 + 3.8) = 20.83% -> 20.8; 1.0 / (1.0 + 2.4) = 29.41% -> 29.4."""
    march, september = census_on(MARCH), census_on(SEPTEMBER)
    assert march["agency_fte"].value == D("1.0") and march["agency_fte"].workers == _ids(authority, "dan")
    assert march["agency_rate"].value == D("20.8")
    assert september["agency_rate"].value == D("29.4")
    assert september["agency_rate"].workers == _ids(authority, "dan")


def test_vacancies_vacancy_rate_and_cover_by_agency(authority):
    """31 Mar: vacant P3 (1.0, Dan covers it) and P7 (0.5, since Gus left) = 1.5 FTE; P9 is not funded
    yet, P8 is not a social worker post. Rate 1.5 / (1.5 + 3.8) = 28.30% -> 28.3; covered 1.0 / 1.5 =
    66.7%. 30 Sep: P2 (Bob left), P3, P5 (Fay moved), P7, P9 = 4.5 FTE; rate 4.5 / 6.9 = 65.22% ->
    65.2; covered 1.0 / 4.5 = 22.2%."""
    march, september = census_on(MARCH), census_on(SEPTEMBER)
    assert march["vacancies"].value == D("1.5")
    assert march["vacancies"].posts == _posts(authority, "P3", "P7")
    assert march["vacancy_rate"].value == D("28.3")
    assert march["covered_by_agency"].value == D("66.7")
    assert march["covered_by_agency"].posts == _posts(authority, "P3")
    assert march["covered_by_agency"].workers == _ids(authority, "dan")
    assert september["vacancies"].value == D("4.5")
    assert september["vacancies"].posts == _posts(authority, "P2", "P3", "P5", "P7", "P9")
    assert september["vacancy_rate"].value == D("65.2")
    assert september["covered_by_agency"].value == D("22.2")


def test_starters_leavers_and_turnover_over_the_year_to_the_day(authority):
    """Year to 31 Mar: starter Cat 0.8 (Dan is agency); leaver Gus 0.5; turnover 0.5 / 3.8 = 13.16%
    -> 13.2. Year to 30 Sep: starter Cat; leavers Gus 0.5 and Bob 1.0 = 1.5; 1.5 / 2.4 = 62.5%."""
    march, september = census_on(MARCH), census_on(SEPTEMBER)
    assert march["starters"].value == D("0.8") and march["starters"].workers == _ids(authority, "cat")
    assert march["leavers"].value == D("0.5") and march["leavers"].workers == _ids(authority, "gus")
    assert march["turnover_rate"].value == D("13.2")
    assert september["starters"].workers == _ids(authority, "cat")
    assert september["leavers"].value == D("1.5")
    assert september["leavers"].workers == _ids(authority, "bob", "gus")
    assert september["turnover_rate"].value == D("62.5")


def test_sickness_absence_days_lost_and_rate(authority):
    """Year to 31 Mar: Ann 5.0 + Cat 16.0 + Gus 2.5 = 23.5 FTE days; per FTE 23.5 / 3.8 = 6.18 -> 6.2;
    rate 23.5 / (3.8 x 254 = 965.2) = 2.43% -> 2.4. Year to 30 Sep: Ann 5.0 + 1.2 (at her new FTE
    0.6), Cat 16.0, Gus 2.5 = 24.7; per FTE 24.7 / 2.4 = 10.29 -> 10.3; rate 24.7 / (2.4 x 253 =
    607.2) = 4.07% -> 4.1."""
    march, september = census_on(MARCH), census_on(SEPTEMBER)
    assert march["days_lost"].value == D("23.5")
    assert march["days_lost"].workers == _ids(authority, "ann", "cat", "gus")
    assert march["days_lost_per_fte"].value == D("6.2")
    assert march["absence_rate"].denominator == D("965.2")
    assert march["absence_rate"].value == D("2.4")
    assert september["days_lost"].value == D("24.7")
    assert {c.worker_id: c.amount for c in september["days_lost"].counted}[authority.w["ann"].pk] == D("6.2")
    assert september["days_lost_per_fte"].value == D("10.3")
    assert september["absence_rate"].denominator == D("607.2")
    assert september["absence_rate"].value == D("4.1")


def test_caseload_per_case_holding_fte(authority):
    """31 Mar: Ann 2 + Dan 1 (agency counts) = 3 children over 2.0 FTE = 1.5 (Bob's only case closed:
    no caseload). 30 Sep: Ann 2 + Dan 1 + Fay 2 = 5 over 0.6 + 1.0 + 1.0 = 2.6 FTE = 1.92 -> 1.9."""
    march, september = census_on(MARCH), census_on(SEPTEMBER)
    assert (march["caseload"].numerator, march["caseload"].denominator) == (D(3), D("2.0"))
    assert march["caseload"].value == D("1.5")
    assert march["caseload"].workers == _ids(authority, "ann", "dan")
    assert (september["caseload"].numerator, september["caseload"].denominator) == (D(5), D("2.6"))
    assert september["caseload"].value == D("1.9")
    assert september["caseload"].workers == _ids(authority, "ann", "dan", "fay")


def test_a_team_s_figures_follow_who_was_in_it_that_day(authority):
    """Fay moved from B to A on 1 Jul 2025. Team A, 31 Mar: Ann 1.0 + Bob 1.0 = 2.0; 30 Sep: Ann 0.6 +
    Fay 1.0 = 1.6. Team B, 31 Mar: Cat 0.8 + Fay 1.0 = 1.8; 30 Sep: Cat 0.8. Team A's vacancies on
    30 Sep: P2, P3, P9 = 3.0."""
    a, b = [authority.a.pk], [authority.b.pk]
    assert census_on(MARCH, teams=a)["fte_in_post"].workers == _ids(authority, "ann", "bob")
    assert census_on(MARCH, teams=a)["fte_in_post"].value == D("2.0")
    assert census_on(SEPTEMBER, teams=a)["fte_in_post"].value == D("1.6")
    assert census_on(SEPTEMBER, teams=a)["fte_in_post"].workers == _ids(authority, "ann", "fay")
    assert census_on(MARCH, teams=b)["fte_in_post"].value == D("1.8")
    assert census_on(SEPTEMBER, teams=b)["fte_in_post"].workers == _ids(authority, "cat")
    assert census_on(SEPTEMBER, teams=a)["vacancies"].value == D("3.0")


def test_a_collection_year_is_as_at_its_census_day(authority):
    """The 2025 collection is as at 30 September 2025, over the year from 1 October 2024."""
    census = census_for_year(2025)
    assert census.on == SEPTEMBER and census.year_from == date(2024, 10, 1)
    assert census["fte_in_post"].value == D("2.4")


def test_every_list_reconciles_to_its_figure(authority):
    for day in (MARCH, SEPTEMBER):
        census = census_on(day)
        for key in ("fte_in_post", "agency_fte", "vacancies", "starters", "leavers", "days_lost"):
            measure = census[key]
            assert sum((c.amount for c in measure.counted), D(0)) == measure.numerator, (day, key)
