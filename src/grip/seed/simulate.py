"""Simulate a synthetic authority: its workforce, and children's journeys from the front door on.

`simulate_authority` is deterministic: the same parameters, seed, scale and dates give the same
rows, in the same order, with the same keys. Before the requested window it runs a warm-up (two
years of referrals and many years of entries to care) so that the window opens on a realistic
stock of open cases; only episode-level history is kept from the warm-up, not its visits.
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from grip.core.calendar import england_calendar
from grip.frontdoor.clock import decision_rules
from grip.seed.allocations import add_visits, draw_allocations
from grip.seed.care_planning import CarePlanningRecords
from grip.seed.details import RecordDetails
from grip.seed.families import ChildState, Families
from grip.seed.journeys import Journeys
from grip.seed.names import NamePools
from grip.seed.organisation import build_organisation
from grip.seed.parameters import Parameters, Shares, load_parameters
from grip.seed.referrers import Referrers
from grip.seed.rows import RowStore, as_datetime
from grip.seed.statutory import StatutoryRecords
from grip.seed.supervision import add_supervisions

Progress = Callable[[str, float], None]
WARM_UP_YEARS = 2
CARE_WARM_UP_YEARS = 16
WEEKEND_CONTACT_FACTOR = 0.25  # police and out-of-hours contacts still arrive at weekends


@dataclass(frozen=True)
class SeedRequest:
    seed: int
    scale: float
    years: int
    end: date

    @property
    def start(self) -> date:
        return self.end - timedelta(days=round(365.25 * self.years)) + timedelta(days=1)


def simulate_authority(
    request: SeedRequest, *, params: Parameters | None = None, progress: Progress | None = None
) -> RowStore:
    params = params or load_parameters()
    report = progress or (lambda stage, fraction: None)
    rng = random.Random(request.seed)
    store = RowStore()
    names = NamePools(request.seed)
    cal = england_calendar()
    start, end = request.start, request.end
    report("workforce", 0.0)
    org = build_organisation(
        store=store, params=params, rng=rng, names=names, scale=request.scale, start=start, end=end
    )
    families = Families(store=store, params=params, rng=rng, names=names, end=end)
    detail_from = start - timedelta(days=365)
    # Care plans, health assessments, core groups and supervision draw from a stream of their own,
    # so that adding them (or more records like them) leaves the rest of the authority unchanged.
    records_rng = random.Random(f"{request.seed}:statutory records")
    other_rng = random.Random(f"{request.seed}:other regimes")  # issue 11's records: grip.seed.other_regimes
    records = StatutoryRecords(
        store=store, params=params, rng=records_rng, cal=cal, end=end, detail_from=detail_from, other_rng=other_rng
    )
    # Placement plans, PEPs, care proceedings and the visits of their regimes: a stream of their own too.
    care_planning = CarePlanningRecords(
        store=store,
        params=params,
        rng=random.Random(f"{request.seed}:care planning records"),
        cal=cal,
        end=end,
        detail_from=detail_from,
    )
    records.care_planning = care_planning
    # What the recording pages ask (chair, attendance, lead organisation...): a stream of its own too.
    details = RecordDetails(store=store, rng=random.Random(f"{request.seed}:record details"), names=names)
    records.details = records.other.details = details
    journeys = Journeys(
        store=store,
        params=params,
        rng=rng,
        cal=cal,
        start=start,
        end=end,
        detail_from=detail_from,
        records=records,
    )
    volumes = params.section("volumes")
    report("history before the window", 0.05)
    _warm_up(request, params, rng, families, journeys, volumes)
    report("front door", 0.15)
    FrontDoor(
        request=request, params=params, rng=rng, families=families, journeys=journeys, store=store, org=org, names=names
    ).run(lambda f: report("front door", 0.15 + 0.65 * f))
    report("allocations", 0.8)
    held = draw_allocations(
        store=store,
        params=params,
        rng=rng,
        org=org,
        children=families.children,
        end=end,
        keep_from=detail_from,
    )
    report("visits", 0.9)
    add_visits(
        store=store,
        pending=journeys.visits,
        held=held,
        rng=rng,
        recording_delay=params.durations["recording_delay_days"],
        end=end,
        org=org,
    )
    add_visits(
        store=store,
        pending=records.other.visits,
        held=held,
        rng=other_rng,
        recording_delay=params.durations["recording_delay_days"],
        end=end,
        org=org,
    )
    # The visits of the care-planning regimes last: the rest of the authority is then the same with or without them.
    add_visits(
        store=store,
        pending=care_planning.visits,
        held=held,
        rng=care_planning.rng,
        recording_delay=params.durations["recording_delay_days"],
        end=end,
        org=org,
    )
    report("supervision", 0.95)
    add_supervisions(store=store, params=params, rng=records_rng, cal=cal, org=org, keep_from=detail_from, end=end)
    report("done", 1.0)
    return store


def _warm_up(
    request: SeedRequest, params: Parameters, rng: random.Random, families: Families, journeys: Journeys, volumes: dict
) -> None:
    """Entries to care over many years, then two years of referrals, all before the window opens."""
    start = request.start
    # Before the referral warm-up, entries to care are the only flow simulated, at their full rate.
    care_starts = volumes["looked_after_starts_per_year"] * request.scale
    day = start - timedelta(days=365 * CARE_WARM_UP_YEARS)
    care_end = start - timedelta(days=365 * WARM_UP_YEARS)
    while day < care_end:
        for _ in range(_poisson(rng, care_starts / 365)):
            child = families.new_child(day)
            if child.birth > day:
                continue
            journeys.referral(
                child, on=day, source="10", contact=None, strategy_now=rng.random() < 0.3, looked_after=True
            )
        day += timedelta(days=1)
    referrals_per_day = volumes["referrals_per_year"] * request.scale / 365
    source = params.shares("front_door", "referral_source_shares")
    rereferral = params.rate("referrals", "rereferral_within_12_months")
    warm_up_start = day
    while day < start:
        for _ in range(
            _poisson(
                rng,
                referrals_per_day
                * (1 if day.weekday() < 5 else WEEKEND_CONTACT_FACTOR)
                * 7
                / (5 + 2 * WEEKEND_CONTACT_FACTOR),
            )
        ):
            child = None
            # Re-referrals at the published rate, as in the window, so that no year of the history
            # shows an artefact: from the referrals already drawn, and while fewer than 12 months of
            # them exist, from an earlier referral drawn for the purpose.
            if rng.random() < rereferral:
                if rng.random() < min(1.0, (day - warm_up_start).days / 365):
                    child = recent_child(journeys.recent_referrals, families, rng, day, must_be_free=True)
                else:
                    child = families.new_child(day)
                    if not _earlier_referral(journeys, rng, child, before=day, source=source.draw(rng)):
                        child = None
            child = child or families.new_child(day)
            if child.birth > day or not child.free_on(day):
                continue
            journeys.referral(child, on=day, source=source.draw(rng), contact=None, strategy_now=rng.random() < 0.1)
        day += timedelta(days=1)


def _earlier_referral(journeys: Journeys, rng: random.Random, child: ChildState, *, before: date, source: str) -> bool:
    """A referral within the 12 months before `before`, closed with no further action: the history
    a re-referral early in the warm-up points back to. False if the child was not yet born."""
    on = before - timedelta(days=rng.randint(14, 364))
    if child.birth > on:
        return False
    closed = on + timedelta(days=rng.randint(0, 2))
    journeys.store.add(
        "cases.CINEpisode",
        child_id=child.pk,
        referral_date=on,
        referral_source=source,
        referral_nfa=True,
        closure_date=closed,
        closure_reason="RC8",
        recorded_at=as_datetime(on, 9 * 60 + rng.randint(0, 480)),
    )
    bisect.insort(journeys.recent_referrals, (on, child.pk))  # the pool is kept in date order
    child.last_referral = on
    return True


def recent_child(
    pool: list[tuple[date, int]], families: Families, rng: random.Random, day: date, *, must_be_free: bool
) -> ChildState | None:
    """A child seen within the last 12 months (and, for a re-referral, with no open episode)."""
    cutoff = day - timedelta(days=364)
    while pool and pool[0][0] < cutoff - timedelta(days=30):
        del pool[: max(1, len(pool) // 10)]  # drop the oldest in chunks; order is by date
    if not pool:
        return None
    for _ in range(200):
        seen_on, pk = pool[rng.randrange(len(pool))]
        if seen_on < cutoff or seen_on > day:
            continue
        child = families.children[pk]
        if not must_be_free or child.free_on(day):
            return child
    return None


class FrontDoor:
    """Contacts arriving day by day, decided, and (for some) opening a referral."""

    def __init__(
        self,
        *,
        request: SeedRequest,
        params: Parameters,
        rng: random.Random,
        families: Families,
        journeys: Journeys,
        store: RowStore,
        org,
        names: NamePools,
    ):
        self.request, self.rng, self.families, self.journeys, self.store = request, rng, families, journeys, store
        fd = params.section("front_door")
        volumes = params.section("volumes")
        self.fd = fd
        self.contacts_per_day = volumes["contacts_per_year"] * request.scale / 365
        self.referral_share = volumes["referrals_per_year"] / volumes["contacts_per_year"]
        self.rereferral = params.rate("referrals", "rereferral_within_12_months")
        self.other = Shares.from_mapping("front_door.outcome_shares_non_referral", fd["outcome_shares_non_referral"])
        self.routes = Shares.from_mapping("front_door.route_shares", fd["route_shares"])
        self.sources = params.shares("front_door", "referral_source_shares")
        self.cal = journeys.cal
        self.front_door_workers = org.teams_by_function["front_door"]
        self.recent_referrals = journeys.recent_referrals
        self.recent_contacts: list[tuple[date, int]] = []
        self.number = 0
        self.sign_off_outcomes = decision_rules().sign_off_outcomes
        # Partner agencies submit their contacts through the web form or the API.
        self.partners = {
            source: store.add("frontdoor.PartnerOrganisation", name=name, referral_source=source)
            for source, name in ORGANISATIONS.items()
        }
        # What referrers say comes from a random stream of its own: adding the words changed nothing else.
        self.referrers = Referrers(store=store, rng=random.Random(f"{request.seed}:referrers"), names=names)

    def run(self, progress: Callable[[float], None]) -> None:
        rng = self.rng
        day, end = self.request.start, self.request.end
        total_days = (end - day).days + 1
        weekday_mean = self.contacts_per_day * 7 / (5 + 2 * WEEKEND_CONTACT_FACTOR)
        n_day = 0
        while day <= end:
            mean = weekday_mean if day.weekday() < 5 else weekday_mean * WEEKEND_CONTACT_FACTOR
            minutes = sorted(self._minute(day) for _ in range(_poisson(rng, mean)))
            for minute in minutes:
                self.contact(day, minute)
            day += timedelta(days=1)
            n_day += 1
            if n_day % 30 == 0:
                progress(n_day / total_days)

    def _minute(self, day: date) -> int:
        rng = self.rng
        if day.weekday() >= 5 or rng.random() < 0.08:
            return rng.randint(0, 1439)
        return rng.randint(8 * 60, 18 * 60 - 1)

    def contact(self, day: date, minute: int) -> None:
        rng = self.rng
        referral = rng.random() < self.referral_share
        child = self._child_for(day, referral)
        if child.birth > day and child.birth - day > timedelta(days=250):
            return
        if referral and not child.free_on(day):
            referral = False
        outcome = (
            ("STRAT" if rng.random() < self.fd["referral_as_strategy_share"] else "REF")
            if referral
            else self.other.draw(rng)
        )
        if not referral and not child.free_on(day):
            outcome = "IA"  # passed to the allocated worker of the open case
        received = as_datetime(day, minute)
        decided = self._decision_time(day, minute, outcome)
        self.number += 1
        source = self.sources.draw(rng)
        is_decided = decided.date() <= self.request.end
        team = rng.choice(self.front_door_workers)
        decided_by = team.pick(rng, decided.date()) if is_decided else None
        route = self.routes.draw(rng)
        partner = self.partners.get(source) if route in ("WEB", "API") else None
        said = self.referrers.say(child=child.pk, source=source, day=day, urgent=outcome == "STRAT")
        entered = received + timedelta(minutes=rng.randint(1, 90))
        report = self.store.add(
            "frontdoor.ContactReport",
            reference=f"FD{self.store.next_ids['frontdoor.ContactReport']:07d}",  # as the intake service numbers
            received_at=received,
            route=route,
            source=source,
            partner_organisation_id=partner,
            reporter_name=said.reporter_name or "Anonymous",
            reporter_role=said.reporter_role,
            reporter_organisation=said.reporter_organisation,
            reporter_phone=said.reporter_phone,
            concerns=said.concerns,
            concern_categories=said.concern_categories,
            consent=said.consent,
            urgency=said.urgency,
            recorded_at=entered,
        )
        contact = self.store.add(
            "frontdoor.Contact",
            reference=f"CT{self.number:08d}",
            report_id=report,
            child_id=child.pk,
            named_first_name=said.named_first_name,
            named_last_name=said.named_last_name,
            named_date_of_birth=said.named_date_of_birth,
            named_details=said.named_details,
            received_at=received,
            route=route,
            source=source,
            partner_organisation_id=partner,
            reporter_name=said.reporter_name,
            reporter_organisation=said.reporter_organisation,
            concerns=said.concerns,
            decided_at=decided if is_decided else None,
            decided_by_id=decided_by,
            outcome=outcome if is_decided else "",
            # History before Grip: decisions were signed off where policy asks, and referrers told.
            signed_off_at=self._later(decided, 1, 8) if is_decided and outcome in self.sign_off_outcomes else None,
            outcome_sent_at=self._later(decided, 1, 30) if is_decided else None,
            recorded_at=entered,
        )
        self.recent_contacts.append((day, child.pk))
        if not is_decided:
            return
        if referral:
            self.journeys.referral(  # CINreferralDate: the day the contact was received
                child, on=day, source=source, contact=contact, strategy_now=outcome == "STRAT", decided=decided
            )
        elif outcome == "EH":
            self.journeys.early_help(child, start=decided.date(), contact=contact)

    def _office_time(self, received, deadline, share: float):
        """The moment `share` of the way through the office hours between `received` and `deadline`
        (the front door's working hours on working days), or `received` if there are none."""
        opens, closes = (round(h * 60) for h in self.fd["office_hours"])
        spans = []
        day = received.date()
        while day <= deadline.date():
            if self.cal.is_working_day(day):
                first, last = max(received, as_datetime(day, opens)), min(deadline, as_datetime(day, closes))
                if first < last:
                    spans.append((first, last))
            day += timedelta(days=1)
        total = sum(((last - first) for first, last in spans), timedelta())
        if not spans:
            return received
        left = total * share
        for first, last in spans:
            if left <= last - first:
                return first + left
            left -= last - first
        return spans[-1][1]

    def _later(self, moment, low_hours: int, high_hours: int):
        """A moment a few hours after `moment`, but not after the end of the simulation."""
        later = moment + timedelta(hours=self.rng.randint(low_hours, high_hours))
        end_of_window = as_datetime(self.request.end, 23 * 60 + 59)
        return min(later, end_of_window)

    def _child_for(self, day: date, referral: bool) -> ChildState:
        rng = self.rng
        if referral and rng.random() < self.rereferral:
            child = self._recent(self.recent_referrals, day, must_be_free=True)
            if child:
                return child
        if not referral and rng.random() < self.fd["repeat_contact_share"]:
            child = self._recent(self.recent_contacts, day, must_be_free=False)
            if child:
                return child
        return self.families.new_child(day)

    def _recent(self, pool: list[tuple[date, int]], day: date, *, must_be_free: bool) -> ChildState | None:
        return recent_child(pool, self.families, self.rng, day, must_be_free=must_be_free)

    def _decision_time(self, day: date, minute: int, outcome: str):
        rng = self.rng
        received = as_datetime(day, minute)
        if outcome == "STRAT":
            return received + timedelta(minutes=rng.randint(20, 240))
        if rng.random() < self.fd["decided_within_one_working_day"]:
            deadline = as_datetime(self.cal.add_working_days(day, 1), minute)
            share = rng.random() ** 2  # most decisions early in the time allowed
            if rng.random() < self.fd["decided_out_of_hours_share"]:
                return received + (deadline - received) * share  # the emergency duty team, any hour
            return self._office_time(received, deadline, share)
        late_by = rng.randint(2, self.fd["late_decision_max_working_days"])
        return as_datetime(self.cal.add_working_days(day, late_by), rng.randint(9 * 60, 17 * 60))


ORGANISATIONS = {
    "6": "Demo Borough Police",
    "2A": "Demo Borough Primary School",
    "3A": "Demo Borough GP Practice",
    "3E": "Demo Borough Hospital A&E",
    "3B": "Health Visiting Service",
    "5D": "Demo Borough Early Help",
}


def _poisson(rng: random.Random, mean: float) -> int:
    if mean > 30:  # normal approximation keeps large means fast
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1
