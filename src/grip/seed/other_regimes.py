"""The records of the regimes beside looked after (issue 11): CIN plan reviews, the needs
assessment of an eligible child, accommodation provided to 16-17 year old care leavers (with the
personal adviser's first visit), private fostering arrangements and their visits, and return
interviews offered and declined.

Drawn from a random stream of their own (`other_rng` in simulate.py), like the statutory records,
so that adding them leaves every other table of a seeded authority as it was. Their visits wait
in `visits` for the worker who held the case, and are written by a second `add_visits` with this
stream. Rates and distributions are in the `[other_regimes]` section of the parameter file, each
with its basis.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from grip.core.calendar import WorkingDayCalendar, add_months
from grip.seed.families import ChildState
from grip.seed.parameters import Parameters, QuantileTable
from grip.seed.rows import Pending, RowStore, as_datetime

if TYPE_CHECKING:
    from grip.seed.details import RecordDetails

NEEDS_ASSESSMENT_AGE, ADULT = 16, 18  # Children Act 1989 Sch 2 para 19B: eligible children are 16 or 17
PRESCRIBED_DAYS = 13 * 7  # CPPCR 2010 reg 40(1): looked after 13 weeks (since 14)
PRIVATE_FOSTERING_UNDER = 16  # Children Act 1989 s66(3): a privately fostered child is under 16 (not disabled)


class OtherRegimes:
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
    ):
        self.pending = Pending  # the visit waiting for its worker
        self.store, self.rng, self.cal = store, rng, cal
        self.end, self.detail_from = end, detail_from
        p = params.section("other_regimes")
        self.p = p
        self.table = {
            name: QuantileTable.from_points(f"other_regimes.{name}", p[name])
            for name in (
                "needs_assessment_days",
                "private_fostering_days",
                "private_fostering_first_visit_wd",
                "care_leaver_first_visit_days",
            )
        }
        self.delay = params.durations["recording_delay_days"]
        self.last_moment = as_datetime(end, 23 * 60 + 59)
        self.visits: list = []  # Pending visits: written with this stream after allocations are drawn

    def recorded(self, on: date) -> datetime:
        delay = self.delay.draw(self.rng)
        return min(as_datetime(on + timedelta(days=delay), 9 * 60 + self.rng.randint(0, 540)), self.last_moment)

    def _rate(self, key: str) -> bool:
        return self.rng.random() < float(self.p[key])

    def _visit(self, child: ChildState, kind: str, on: date) -> None:
        if self.detail_from <= on <= self.end:
            seen = self.rng.random() < 0.95
            alone = seen and child.age_on(on) >= 5 and self.rng.random() < 0.6
            self.visits.append(self.pending(child.pk, kind, on, seen, alone))

    # --- child in need ------------------------------------------------------------------------------
    def cin_plan(self, *, plan: int, start: date, end: date) -> None:
        """Reviews of a CIN plan at the local interval (3 months), some late, while it lasts."""
        months = int(self.p["cin_plan_review_months"])
        held = add_months(start, months)
        while held < end and held <= self.end:
            if self._rate("cin_plan_review_late_share"):
                held += timedelta(days=self.rng.randint(1, 30))
            else:
                held -= timedelta(days=self.rng.randint(0, 14))
            held = held if self.cal.is_working_day(held) else self.cal.next_working_day(held)
            if held >= end or held > self.end:
                return
            if held >= self.detail_from:
                self.store.add("cases.CINPlanReview", plan_id=plan, held_on=held, recorded_at=self.recorded(held))
            held = add_months(held, months)

    # --- leaving care -------------------------------------------------------------------------------
    def period_of_care(self, child: ChildState, *, start: date, end: date) -> None:
        """The needs assessment of a child who becomes eligible in this period of care (the later of
        the 16th birthday and 13 weeks looked after; earlier periods are not added up here)."""
        sixteen, adult = _birthday(child.birth, NEEDS_ASSESSMENT_AGE), _birthday(child.birth, ADULT)
        eligible = max(sixteen, start + timedelta(days=PRESCRIBED_DAYS))
        if eligible >= end or eligible >= adult or eligible > self.end:
            return
        if self._rate("needs_assessment_missing"):
            return
        done = eligible + timedelta(days=self.table["needs_assessment_days"].draw(self.rng))
        if done < end and done <= self.end:
            self.store.add(
                "cases.PathwayNeedsAssessment", child_id=child.pk, completed_on=done, recorded_at=self.recorded(done)
            )

    def care_leaver(self, child: ChildState, *, care_leaver: int, start: date, end: date) -> None:
        """Accommodation the authority provides, with the personal adviser's first visit (Care
        Leavers (England) Regulations 2010, reg 8(2)); the later visits come with the care leaver
        contacts. A relevant child (16 or 17) is often accommodated under s23B; a former relevant
        child rarely, under s24B (vacation accommodation while in higher or residential further
        education)."""
        adult = _birthday(child.birth, ADULT)
        if start > self.end:
            return
        if start < adult:
            if not self._rate("relevant_child_accommodated_share"):
                return
            duty, first, until = "S23B", start, min(end, adult - timedelta(days=1))
        else:
            if not self._rate("former_relevant_vacation_accommodation_share"):
                return
            first = start + timedelta(days=self.rng.randint(0, max(0, (min(end, self.end) - start).days)))
            duty, until = "S24B", min(end, first + timedelta(days=self.rng.randint(20, 110)))
        self.store.add(
            "cases.CareLeaverAccommodation",
            care_leaver_id=care_leaver,
            provided_under=duty,
            provided_from=first,
            provided_to=until if until <= self.end else None,
            recorded_at=self.recorded(first),
            accommodation=self.details.provided_accommodation(duty),
        )
        self._visit(child, "CL", first + timedelta(days=self.table["care_leaver_first_visit_days"].draw(self.rng)))

    # --- missing ------------------------------------------------------------------------------------
    def return_interview_outcome(self) -> str:
        """HELD, or DECLINED: offered and declined by the child."""
        return "DECLINED" if self._rate("return_interview_declined_share") else "HELD"

    # --- private fostering -------------------------------------------------------------------------
    def referral(self, child: ChildState, *, on: date) -> None:
        """A few referrals are of a child being fostered privately: the notification, the
        arrangement and the visits of the Children (Private Arrangements for Fostering) Regulations
        2005 (within 7 working days, then 6-weekly in the first year, 12-weekly after)."""
        age = child.age_on(on)
        if not 0 <= age < PRIVATE_FOSTERING_UNDER or on > self.end:
            return
        if not self._rate("private_fostering_per_referral"):
            return
        ended = on + timedelta(days=self.table["private_fostering_days"].draw(self.rng))
        ended = min(ended, _birthday(child.birth, PRIVATE_FOSTERING_UNDER))
        self.store.add(
            "cases.PrivateFosteringArrangement",
            child_id=child.pk,
            notified_on=on,
            ended_on=ended if ended <= self.end else None,
            recorded_at=self.recorded(on),
        )
        visit = self.cal.add_working_days(on, max(1, self.table["private_fostering_first_visit_wd"].draw(self.rng)))
        year_on = add_months(on, 12)
        while visit < ended and visit <= self.end:
            self._visit(child, "PF", visit)
            days = 42 if visit < year_on else 84
            if self._rate("private_fostering_visit_late_share"):
                days += self.rng.randint(1, 21)
            else:
                days -= self.rng.randint(0, 10)
            visit += timedelta(days=days)


def _birthday(birth: date, years: int) -> date:
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:  # 29 February
        return birth.replace(year=birth.year + years, day=28)
