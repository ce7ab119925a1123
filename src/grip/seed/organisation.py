"""The synthetic workforce: service areas, teams, social workers, their comings, goings and absences.

Sized from the workforce census figures in the parameter file: social worker FTE in post, the
agency rate (agency / (agency + employed)), the vacancy rate (vacant / (vacant + in post)),
turnover and sickness absence.

The establishment (issue 15): each worker's place in a team is a funded post, filled in turn by the
workers who follow one another in it (permanently, or by an agency worker covering the vacancy);
the FTE the vacancy rate leaves unfilled is vacant posts. A team's establishment_fte is the sum of
its posts. Each worker has their terms from the day they started (a newly qualified worker's
second terms, as a social worker, from the end of their ASYE), a Social Work England registration
if registered, and an ASYE if they started newly qualified.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from grip.seed.names import NamePools
from grip.seed.parameters import Parameters
from grip.seed.rows import RowStore, as_datetime

# Share of social worker establishment in each function, and the service areas they sit in.
FUNCTIONS = {
    "front_door": (0.08, ["Front Door and MASH"]),
    "assessment": (0.24, ["Assessment"]),
    "child_protection": (0.22, ["Children in Need and Protection North", "Children in Need and Protection South"]),
    "child_in_need": (0.14, ["Children in Need and Protection North", "Children in Need and Protection South"]),
    "children_in_care": (0.20, ["Children in Care"]),
    "care_leavers": (0.07, ["Care Leavers"]),
    "early_help": (0.05, ["Early Help"]),
}
CASE_ROLES = {"early_help": "FSW", "care_leavers": "PA"}
AGENCY_ANNUAL_TURNOVER = 0.40  # agency workers move on faster than employed staff (local experience)
ASYE_DAYS = 365  # the Assessed and Supported Year in Employment: a newly qualified worker's first year
# Teams whose social workers hold children's cases (the front door decides contacts; it holds none).
CASE_HOLDING_FUNCTIONS = {"assessment", "child_protection", "child_in_need", "children_in_care"}
UNREGISTERED_ROLES = {"FSW", "PA"}  # not registered with Social Work England
# Social Work England registrations are renewed each year by 30 November (a local reminder date here).
RENEWAL_MONTH_DAY = (11, 30)


@dataclass
class TeamWorkers:
    team_id: int
    function: str
    workers: list[tuple[int, date, date | None]] = field(default_factory=list)
    without_cases: set[int] = field(default_factory=set)  # in post, but holding no cases

    def pick(self, rng: random.Random, on: date) -> int | None:
        """A worker in post on `on`, or None if the team has nobody then."""
        candidates = [w for w, start, left in self.workers if start <= on and (left is None or left > on)]
        return rng.choice(candidates) if candidates else None

    def pick_case_holder(self, rng: random.Random, on: date) -> int | None:
        """A case-holding worker in post on `on`, or None if the team has nobody then."""
        candidates = [
            w
            for w, start, left in self.workers
            if start <= on and (left is None or left > on) and w not in self.without_cases
        ]
        return rng.choice(candidates) if candidates else None

    def first_case_holder_after(self, rng: random.Random, on: date, before: date | None) -> tuple[int, date] | None:
        """For a case opened before anyone now on record joined the team: one of the first
        case-holding workers to join after `on` (and before `before`), with their start date."""
        later = sorted(
            (start, w)
            for w, start, _left in self.workers
            if start > on and (before is None or start < before) and w not in self.without_cases
        )
        if not later:
            return None
        first = [(start, w) for start, w in later if start <= later[0][0] + timedelta(days=180)]
        start, worker = rng.choice(first)
        return worker, start

    def leaving_date(self, worker_id: int) -> date | None:
        for w, _start, left in self.workers:
            if w == worker_id:
                return left
        return None


@dataclass
class Organisation:
    teams_by_function: dict[str, list[TeamWorkers]]
    worker_left: dict[int, date | None]
    absences: dict[int, list[tuple[date, date | None]]]
    asye_started: set[int] = field(default_factory=set)  # began as ASYE (newly qualified) workers

    def pick_team(self, rng: random.Random, function: str) -> TeamWorkers:
        return rng.choice(self.teams_by_function[function])


def build_organisation(
    *,
    store: RowStore,
    params: Parameters,
    rng: random.Random,
    names: NamePools,
    scale: float,
    start: date,
    end: date,
) -> Organisation:
    wf = params.section("workforce")
    in_post_fte = params.section("volumes")["social_worker_fte"] * scale
    establishment = in_post_fte / (1 - wf["vacancy_rate"])
    agency_per_employed = wf["agency_rate"] / (1 - wf["agency_rate"])

    areas: dict[str, int] = {}
    teams_by_function: dict[str, list[TeamWorkers]] = {}
    worker_left: dict[int, date | None] = {}
    absences: dict[int, list[tuple[date, date | None]]] = {}
    service_managers: dict[str, int] = {}
    asye_started: set[int] = set()
    function_of: dict[int, str] = {}
    recorded = as_datetime(start - timedelta(days=3650), 9 * 60)

    def new_worker(
        *,
        team_id: int,
        role: str,
        employment: str,
        started: date,
        manager: int | None,
        fte: Decimal,
        team: TeamWorkers | None,
        post: int,
    ) -> None:
        sex = rng.choice("FFFM")  # the social work workforce is mostly women (CSWW 2025: 87%)
        annual_leaving = AGENCY_ANNUAL_TURNOVER if employment == "AGENCY" else wf["turnover_rate"]
        left = started + timedelta(days=int(rng.expovariate(annual_leaving) * 365) + 1)
        left_on = left if left <= end else None
        # The ASYE is the first year in practice: a worker still in post a year after starting as
        # one is a social worker by the end date (or by the day they left).
        last_day = left_on or end
        current_role = "SW" if role == "ASYE" and (last_day - started).days >= ASYE_DAYS else role
        pk = store.add(
            "workforce.Worker",
            first_name=names.first_name(rng, sex),
            last_name=names.last_name(rng),
            role=current_role,
            is_qualified_social_worker=role not in ("FSW", "PA"),
            employment_type=employment,
            fte=fte,
            team_id=team_id,
            manager_id=manager,
            started_on=started,
            left_on=left_on,
            recorded_at=as_datetime(started, 9 * 60),
        )
        worker_left[pk] = left_on
        history(
            pk,
            role=role,
            current_role=current_role,
            team_id=team_id,
            fte=fte,
            employment=employment,
            manager=manager,
            started=started,
            left_on=left_on,
        )
        store.add(
            "workforce.PostFilling",
            post_id=post,
            worker_id=pk,
            basis=employment,
            started_on=started,
            ended_on=left_on,
            recorded_at=as_datetime(started, 9 * 60),
        )
        if role == "ASYE":
            asye_started.add(pk)
        absences[pk] = _absences(
            store=store, rng=rng, wf=wf, worker=pk, started=started, left=left_on, start=start, end=end
        )
        if team is not None:
            team.workers.append((pk, started, left_on))
            if role in ("SW", "SSW") and function_of[team_id] in CASE_HOLDING_FUNCTIONS:
                if rng.random() < wf["not_case_holding_share"]:
                    team.without_cases.add(pk)
            if left_on is not None:  # the post is filled again after a gap, by the same kind of worker
                restart = left_on + timedelta(days=rng.randint(20, 120))
                if restart <= end:
                    new_worker(
                        team_id=team_id,
                        role=role,
                        employment=employment,
                        started=restart,
                        manager=manager,
                        fte=fte,
                        team=team,
                        post=post,
                    )

    def history(
        pk: int,
        *,
        role: str,
        current_role: str,
        team_id: int,
        fte: Decimal,
        employment: str,
        manager: int | None,
        started: date,
        left_on: date | None,
    ) -> None:
        """The worker's terms (two for a newly qualified worker who finished the ASYE), their
        registration and their ASYE."""
        terms = {"team_id": team_id, "fte": fte, "employment_type": employment, "manager_id": manager}
        qualified_on = started + timedelta(days=ASYE_DAYS) if current_role != role else None
        store.add(
            "workforce.WorkerTerms",
            worker_id=pk,
            role=role,
            started_on=started,
            ended_on=qualified_on,
            recorded_at=as_datetime(started, 9 * 60),
            **terms,
        )
        if qualified_on is not None:
            store.add(
                "workforce.WorkerTerms",
                worker_id=pk,
                role=current_role,
                started_on=qualified_on,
                recorded_at=as_datetime(qualified_on, 9 * 60),
                **terms,
            )
        if role == "ASYE":
            store.add(
                "workforce.Asye",
                worker_id=pk,
                started_on=started,
                completed_on=qualified_on,
                recorded_at=as_datetime(started, 9 * 60),
            )
        if role not in UNREGISTERED_ROLES:
            last_day = left_on or end
            renewal = date(last_day.year, *RENEWAL_MONTH_DAY)
            store.add(
                "workforce.Registration",
                worker_id=pk,
                swe_number=f"SW{100000 + pk}",
                renewal_due_on=renewal if renewal >= last_day else date(last_day.year + 1, *RENEWAL_MONTH_DAY),
                recorded_at=as_datetime(started, 9 * 60),
            )

    def post_for(team_id: int, role: str, fte: Decimal, funded: date, case_holding: bool) -> int:
        return store.add(
            "workforce.Post",
            team_id=team_id,
            role="SW" if role == "ASYE" else role,
            fte=fte,
            case_holding=case_holding,
            started_on=funded,
            recorded_at=as_datetime(funded, 9 * 60),
        )

    team_number = 0
    social_work_share = sum(share for f, (share, _a) in FUNCTIONS.items() if f not in CASE_ROLES)
    for function, (share, area_names) in FUNCTIONS.items():
        # Social work teams share the census FTE; family support and personal adviser teams come on top.
        function_establishment = establishment * share / (1 if function in CASE_ROLES else social_work_share)
        n_teams = max(1, round(function_establishment / wf["team_size"]))
        teams_by_function[function] = []
        for i in range(n_teams):
            area_name = area_names[i % len(area_names)]
            if area_name not in areas:
                areas[area_name] = store.add("workforce.ServiceArea", name=area_name)
            team_number += 1
            team_establishment = function_establishment / n_teams
            team_id = store.add(
                "workforce.Team",
                name=f"{_function_title(function)} team {team_number}",
                service_area_id=areas[area_name],
                function=function,
                establishment_fte=Decimal(f"{team_establishment:.2f}"),
            )
            function_of[team_id] = function
            if area_name not in service_managers:  # the service manager sits in the area's first team
                service_managers[area_name] = _manager(
                    store, rng, names, team_id=team_id, role="SM", start=start, recorded=recorded
                )
            manager = _manager(
                store,
                rng,
                names,
                team_id=team_id,
                role="TM",
                start=start,
                recorded=recorded,
                manager=service_managers[area_name],
            )
            worker_left[manager] = None
            holds_cases = function != "front_door"
            funded_fte = Decimal(0)
            absences[manager] = _absences(
                store=store,
                rng=rng,
                wf=wf,
                worker=manager,
                started=start - timedelta(days=1500),
                left=None,
                start=start,
                end=end,
            )
            team = TeamWorkers(team_id, function)
            teams_by_function[function].append(team)
            employed_fte = team_establishment * (1 - wf["vacancy_rate"])
            agency_fte = employed_fte * agency_per_employed
            for employment, fte_total in (("PERMANENT", employed_fte), ("AGENCY", agency_fte)):
                for fte in _split_fte(fte_total, rng, wf["part_time_share"]):
                    role = CASE_ROLES.get(function) or (
                        "ASYE" if rng.random() < wf["asye_share"] else rng.choice(["SW", "SW", "SSW"])
                    )
                    started = start - timedelta(days=int(rng.expovariate(0.2) * 365))
                    # An agency worker covers a vacant post: the census counts it as a vacancy.
                    post = post_for(team_id, role, fte, started, holds_cases)
                    funded_fte += fte
                    new_worker(
                        team_id=team_id,
                        role=role,
                        employment=employment,
                        started=started,
                        manager=manager,
                        fte=fte,
                        team=team,
                        post=post,
                    )
            # What the vacancy rate leaves beyond the workers and their agency cover: vacant posts.
            uncovered = Decimal(f"{team_establishment:.2f}") - funded_fte
            for fte in _split_fte(float(uncovered), rng, wf["part_time_share"]):
                post_for(team_id, CASE_ROLES.get(function) or "SW", fte, start, holds_cases)
                funded_fte += fte
            store.update("workforce.Team", team_id, establishment_fte=funded_fte)
    return Organisation(teams_by_function, worker_left, absences, asye_started)


def _manager(
    store: RowStore,
    rng: random.Random,
    names: NamePools,
    *,
    team_id: int,
    role: str,
    start: date,
    recorded,
    manager: int | None = None,
) -> int:
    # Managers have terms and a registration; the seed gives them no post (the establishment it
    # calibrates is the social workers': grip.seed.measures).
    started = start - timedelta(days=1500 if role == "TM" else 2000)
    pk = store.add(
        "workforce.Worker",
        first_name=names.first_name(rng, rng.choice("FM")),
        last_name=names.last_name(rng),
        role=role,
        employment_type="PERMANENT",
        fte=Decimal("1.00"),
        team_id=team_id,
        manager_id=manager,
        started_on=started,
        recorded_at=recorded,
    )
    one = Decimal("1.00")
    store.add(
        "workforce.WorkerTerms",
        worker_id=pk,
        role=role,
        team_id=team_id,
        fte=one,
        employment_type="PERMANENT",
        manager_id=manager,
        started_on=started,
        recorded_at=recorded,
    )
    store.add(
        "workforce.Registration",
        worker_id=pk,
        swe_number=f"SW{100000 + pk}",
        renewal_due_on=date(start.year + 1, *RENEWAL_MONTH_DAY),
        recorded_at=recorded,
    )
    return pk


def _function_title(function: str) -> str:
    return function.replace("_", " ").capitalize()


def _split_fte(total: float, rng: random.Random, part_time_share: float) -> list[Decimal]:
    """Split a team's FTE into people: mostly full-time, some part-time, summing to about `total`."""
    ftes: list[Decimal] = []
    remaining = total
    while remaining > 0.25:
        fte = 1.0 if rng.random() >= part_time_share else rng.choice([0.5, 0.6, 0.8])
        fte = min(fte, math.ceil(remaining * 10) / 10)
        ftes.append(Decimal(f"{fte:.2f}"))
        remaining -= fte
    return ftes


def _absences(
    *,
    store: RowStore,
    rng: random.Random,
    wf: dict,
    worker: int,
    started: date,
    left: date | None,
    start: date,
    end: date,
) -> list[tuple[date, date | None]]:
    """Sickness spells between `start` and `end`: long-term spells and short ones, sized so that the
    share of working days lost matches the parameter file."""
    spells: list[tuple[date, date | None]] = []
    first, last = max(started, start), min(left or end, end)
    if first >= last:
        return spells
    years = (last - first).days / 365
    long_mean_days = 90
    long_per_year = wf["long_term_sickness_share"] * 365 / long_mean_days
    # Spells are drawn in calendar days; roughly 5 in 7 of them are working days.
    short_days_per_year = max(0.0, wf["sickness_absence_rate"] - wf["long_term_sickness_share"]) * 253 * 7 / 5
    short_per_year = short_days_per_year / 2.5
    for kind, rate, mean_len in (
        ("LONG_TERM_SICKNESS", long_per_year, long_mean_days),
        ("SICKNESS", short_per_year, 2.5),
    ):
        n = _poisson(rng, rate * years)
        for _ in range(n):
            day = first + timedelta(days=rng.randint(0, max(0, (last - first).days)))
            length = max(1, round(rng.expovariate(1 / mean_len)))
            if kind == "LONG_TERM_SICKNESS":
                length = max(28, length)
            ended = day + timedelta(days=length - 1)
            ended_on = ended if ended <= end else None
            store.add(
                "workforce.Absence",
                worker_id=worker,
                absence_type=kind,
                started_on=day,
                ended_on=ended_on,
                recorded_at=as_datetime(day, 8 * 60 + 30),
            )
            spells.append((day, ended_on))
    return spells


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method is fine for the small means used here.
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1
