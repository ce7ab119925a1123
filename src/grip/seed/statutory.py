"""The records statutory timescales are measured on: care plans, health assessments, core groups.

Drawn as each period of care or child protection plan is drawn, with the timeliness of the
parameter file: most on time, some late, a few initial health assessments never recorded. They
come from a random stream of their own (see `records_rng` in simulate.py), so that adding them
leaves every other table of a seeded authority exactly as it was.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from grip.core.calendar import WorkingDayCalendar, add_months
from grip.seed.families import ChildState
from grip.seed.other_regimes import OtherRegimes
from grip.seed.parameters import Parameters
from grip.seed.rows import RowStore, as_datetime

if TYPE_CHECKING:
    from grip.seed.care_planning import CarePlanningRecords, Episode
    from grip.seed.details import RecordDetails


class StatutoryRecords:
    care_planning: CarePlanningRecords | None = None  # set by simulate.py
    details: RecordDetails  # set by simulate.py

    def __init__(
        self,
        *,
        store: RowStore,
        params: Parameters,
        rng: random.Random,
        cal: WorkingDayCalendar,
        end: date,
        detail_from: date,
        other_rng: random.Random | None = None,
    ):
        self.store, self.rng, self.cal = store, rng, cal
        # The regimes beside looked after (issue 11), from a stream of their own.
        self.other = OtherRegimes(
            store=store,
            params=params,
            rng=other_rng or random.Random(0),
            cal=cal,
            end=end,
            detail_from=detail_from,
        )
        self.end, self.detail_from = end, detail_from
        d = params.durations
        self.iha_wd, self.care_plan_wd = d["initial_health_assessment_wd"], d["care_plan_wd"]
        self.first_core_group_wd, self.delay = d["first_core_group_wd"], d["recording_delay_days"]
        la, cp = params.section("looked_after"), params.section("child_protection")
        self.iha_missing = params.rate("looked_after", "initial_health_assessment_missing")
        self.rha_late = params.rate("looked_after", "review_health_assessment_late_share")
        self.rha_missed = params.rate("looked_after", "review_health_assessment_missed_share")
        self.rha_months = (la["health_assessment_months_under_5"], la["health_assessment_months_from_5"])
        self.core_group_days = cp["core_group_interval_days"]
        self.core_group_late = params.rate("child_protection", "core_group_late_share")
        self.last_moment = as_datetime(end, 23 * 60 + 59)

    def recorded(self, on: date) -> datetime:
        """When an event was entered: often days after it, but never after the simulation ends."""
        delay = self.delay.draw(self.rng)
        return min(as_datetime(on + timedelta(days=delay), 9 * 60 + self.rng.randint(0, 540)), self.last_moment)

    def _working_day(self, d: date) -> date:
        return d if self.cal.is_working_day(d) else self.cal.next_working_day(d)

    # --- looked after -----------------------------------------------------------------------------
    def period_of_care(
        self, child: ChildState, *, first_episode: int, start: date, end: date, episodes: Sequence[Episode] = ()
    ) -> None:
        """The care plan and health assessments of a period of care (`end` may be after the simulation's),
        and the care planning records of its episodes (grip.seed.care_planning: a stream of their own)."""
        if self.care_planning is not None:
            self.care_planning.period_of_care(child, list(episodes), start=start, end=end)
        if end < self.detail_from or start > self.end:
            return
        self._care_plan(child, first_episode, start, end)
        self._health_assessments(child, start, end)
        self.other.period_of_care(child, start=start, end=end)

    def _care_plan(self, child: ChildState, episode: int, start: date, end: date) -> None:
        """CPPCR 2010 reg 4: before the first placement, or within 10 working days of its start."""
        made = self.cal.add_working_days(start, self.care_plan_wd.draw(self.rng))
        # A child gone home within days may never have had one. A period of care still running in
        # the kept window keeps its care plan however long ago it was made: the record holds it,
        # and without it every long-standing child in care would look years overdue.
        if made < end and made <= self.end:
            self.store.add(
                "cases.CarePlan", child_id=child.pk, episode_id=episode, made_on=made, recorded_at=self.recorded(made)
            )

    def _health_assessments(self, child: ChildState, start: date, end: date) -> None:
        """CPPCR 2010 reg 7 and Sch 1: an initial assessment before the first review, then reviews
        every 6 months before the fifth birthday and every 12 months from it."""
        rng = self.rng
        held = self.cal.add_working_days(max(start, child.birth), max(1, self.iha_wd.draw(rng)))
        if held >= end or held > self.end:
            return  # left care (or the simulation ends) before the assessment
        if rng.random() >= self.iha_missing:
            self._health_assessment(child, held, "IHA")
        while True:
            under_5, from_5 = self.rha_months
            due = add_months(held, under_5 if child.age_on(held) < 5 else from_5)
            if rng.random() < self.rha_late:
                held = due + timedelta(days=rng.randint(1, 60))
            else:
                held = due - timedelta(days=rng.randint(0, 28))  # booked ahead of the due date
            held = self._working_day(held)
            if held >= end or held > self.end:
                return
            if rng.random() < self.rha_missed:
                held = due  # refused or never done: the next one is due a full interval later
                continue
            self._health_assessment(child, held, "RHA")

    def _health_assessment(self, child: ChildState, held: date, kind: str) -> None:
        if held >= self.detail_from:
            self.store.add(
                "cases.HealthAssessment",
                child_id=child.pk,
                held_on=held,
                assessment_type=kind,
                recorded_at=self.recorded(held),
            )

    # --- child protection ---------------------------------------------------------------------------
    def core_groups(self, *, plan: int, start: date, end: date) -> None:
        """WT2023: the first core group within 10 working days of the ICPC (the plan's start), then
        every few weeks while the plan lasts (`end` may be after the simulation's)."""
        if end < self.detail_from:
            return
        rng = self.rng
        held = self.cal.add_working_days(start, max(1, self.first_core_group_wd.draw(rng)))
        while held < end and held <= self.end:
            if held >= self.detail_from:
                self.store.add(
                    "cases.CoreGroupMeeting",
                    plan_id=plan,
                    held_on=held,
                    recorded_at=self.recorded(held),
                    **self.details.core_group(plan=plan, held_on=held),
                )
            due = held + timedelta(days=self.core_group_days)
            if rng.random() < self.core_group_late:
                held = due + timedelta(days=rng.randint(1, 21))
            else:
                held = due - timedelta(days=rng.randint(0, 7))
            held = self._working_day(held)
