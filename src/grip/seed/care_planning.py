"""The care planning records of issue 11: placement plans, personal education plans, care proceedings,
connected persons under temporary approval, and the weekly visits of the regimes that ask for them
(temporary approval, placement for adoption).

Drawn for each period of care from the episodes care.py has drawn, with the timeliness of the
parameter file's [care_planning] table: most on time, some late, a few never recorded. They come
from a random stream of their own (see simulate.py), so that adding them leaves every other table of
a seeded authority exactly as it was, the statutory records of grip.seed.statutory included. The
visits they add are made by whoever held the case that day, after the journeys' own visits
(`visits`, handed to grip.seed.allocations.add_visits with this stream).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from grip.core.calendar import WorkingDayCalendar
from grip.seed.families import ChildState
from grip.seed.parameters import Parameters, QuantileTable
from grip.seed.rows import Pending, RowStore, as_datetime

CONNECTED_PERSONS = {"U1", "U2", "U3"}  # SSDA903 PLACE: foster placement with relative(s) or friend(s)
PLACED_FOR_ADOPTION = {"A3", "A4", "A5", "A6"}
PLACED_WITH_PARENT = "P1"
INTERIM_CARE_ORDER, CARE_ORDER = "C1", "C2"
TEMPORARY_APPROVAL = "R24"  # reference/codelists/carer_approval.csv


@dataclass(frozen=True)
class Episode:
    """An SSDA903 episode as care.py drew it (`end` may be after the simulation's)."""

    pk: int
    start: date
    end: date
    placement: str
    legal: str
    rne: str


class CarePlanningRecords:
    def __init__(
        self,
        *,
        store: RowStore,
        params: Parameters,
        rng: random.Random,
        cal: WorkingDayCalendar,
        end: date,
        detail_from: date,
    ):
        self.store, self.rng, self.cal = store, rng, cal
        self.end, self.detail_from = end, detail_from
        cp = params.section("care_planning")
        table = QuantileTable.from_points
        self.plan_wd = table("placement_plan_wd", cp["placement_plan_wd"])
        self.plan_missing = params.rate("care_planning", "placement_plan_missing")
        self.pep_wd = table("pep_wd", cp["pep_wd"])
        self.pep_from_age = cp["pep_from_age"]
        self.pep_review_days = table("pep_review_days", cp["pep_review_days"])
        self.issued_before = table("proceedings_issued_days_before_order", cp["proceedings_issued_days_before_order"])
        self.proceedings_weeks = table("proceedings_weeks", cp["proceedings_weeks"])
        self.approval_share = params.rate("care_planning", "temporary_approval_share")
        self.approval_max_days = cp["temporary_approval_max_days"]
        self.weekly_late = params.rate("care_planning", "weekly_visit_late_share")
        self.adoption_weeks = cp["adoption_weekly_visits_weeks"]
        self.delay = params.durations["recording_delay_days"]
        self.last_moment = as_datetime(end, 23 * 60 + 59)
        self.visits: list[Pending] = []

    def recorded(self, on: date) -> datetime:
        delay = self.delay.draw(self.rng)
        return min(as_datetime(on + timedelta(days=delay), 9 * 60 + self.rng.randint(0, 540)), self.last_moment)

    def period_of_care(self, child: ChildState, episodes: list[Episode], *, start: date, end: date) -> None:
        """The records of one period of care (`end` may be after the simulation's)."""
        if end < self.detail_from or start > self.end or not episodes:
            return
        previous: Episode | None = None
        for episode in episodes:
            if _starts_placement(episode, previous):
                self._placement(child, episode)
            previous = episode
        self._peps(child, start, end)
        if episodes[0].legal == INTERIM_CARE_ORDER:
            self._proceedings(child, episodes, start, end)

    # --- placements -------------------------------------------------------------------------------
    def _placement(self, child: ChildState, episode: Episode) -> None:
        rng = self.rng
        if episode.placement not in PLACED_FOR_ADOPTION and rng.random() >= self.plan_missing:
            # CPPCR reg 9: a placement plan before the placement, or within 5 working days.
            agreed = self.cal.add_working_days(episode.start, self.plan_wd.draw(rng))
            if agreed < episode.end and agreed <= self.end and episode.end >= self.detail_from:
                self.store.add(
                    "cases.PlacementPlan",
                    child_id=child.pk,
                    episode_id=episode.pk,
                    agreed_on=agreed,
                    recorded_at=self.recorded(agreed),
                )
        lasts = (episode.end - episode.start).days
        if (
            episode.placement in CONNECTED_PERSONS
            and lasts <= self.approval_max_days
            and episode.start >= self.detail_from
            and rng.random() < self.approval_share
        ):
            # Temporary approval (reg 24) for the whole of a placement shorter than its 16 weeks:
            # weekly visits (reg 28(4); weekly also meets the 4-weekly interval after the first review).
            self.store.update("cases.LookedAfterEpisode", episode.pk, carer_approval=TEMPORARY_APPROVAL)
            self._weekly_visits(child, episode.start, episode.end)
        if episode.placement in PLACED_FOR_ADOPTION:
            # AAR 2005 reg 36(4): weekly until the first review, within 4 weeks of the placement.
            first_review_due = episode.start + timedelta(weeks=self.adoption_weeks)
            self._weekly_visits(child, episode.start, min(episode.end, first_review_due))

    def _weekly_visits(self, child: ChildState, start: date, end: date) -> None:
        rng = self.rng
        visit = start + timedelta(days=rng.randint(1, 6))
        while visit < end and visit <= self.end:
            if visit >= self.detail_from:
                seen = rng.random() < 0.95
                alone = seen and child.age_on(visit) >= 5 and rng.random() < 0.6
                self.visits.append(Pending(child.pk, "LAC", visit, seen, alone))
            visit += timedelta(days=rng.randint(5, 7) + (rng.randint(1, 4) if rng.random() < self.weekly_late else 0))

    # --- personal education plans ------------------------------------------------------------------
    def _peps(self, child: ChildState, start: date, end: date) -> None:
        if child.age_on(start) < self.pep_from_age:
            return
        rng = self.rng
        held = self.cal.add_working_days(start, self.pep_wd.draw(rng))
        first = True
        while held < end and held <= self.end:
            # The first PEP of a period still running is kept however old, as its care plan is
            # (grip.seed.statutory): without it the child would look years overdue for one.
            if first or held >= self.detail_from:
                self.store.add(
                    "cases.PersonalEducationPlan", child_id=child.pk, held_on=held, recorded_at=self.recorded(held)
                )
            first = False
            held = held + timedelta(days=self.pep_review_days.draw(rng))
            if not self.cal.is_working_day(held):
                held = self.cal.next_working_day(held)

    # --- care proceedings --------------------------------------------------------------------------
    def _proceedings(self, child: ChildState, episodes: list[Episode], start: date, end: date) -> None:
        """An interim care order (C1) at the start of care: proceedings issued a few days before it,
        concluded by the care order (the episode that changes C1 to C2), or otherwise after the drawn
        time (or when care ends, if sooner)."""
        rng = self.rng
        issued = start - timedelta(days=self.issued_before.draw(rng))
        order = next((e.start for e in episodes if e.legal == CARE_ORDER), None)
        concluded = order or issued + timedelta(weeks=self.proceedings_weeks.draw(rng))
        concluded = min(concluded, end)
        if concluded < self.detail_from or issued > self.end:
            return
        self.store.add(
            "cases.CareProceedings",
            child_id=child.pk,
            issued_on=issued,
            concluded_on=concluded if concluded <= self.end else None,
            recorded_at=self.recorded(issued),
        )


def _starts_placement(episode: Episode, previous: Episode | None) -> bool:
    """As grip.timescales.loading reads SSDA903 episodes: a new placement at each episode that is not a
    change of legal status only, and for a child placed with a parent at a change of legal status."""
    if previous is None or episode.rne != "L":
        return True
    return episode.placement == PLACED_WITH_PARENT and episode.legal != previous.legal
