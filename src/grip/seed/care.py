"""The journeys of children in care: periods of care and their SSDA903 episodes, reviews, visits
and missing episodes; then leaving care and care leaver support; and early help.

`CareJourneys` is the part of `grip.seed.journeys.Journeys` that a referral hands on to when a
child comes into care or steps down to early help: it works on the same state (the row store, the
random stream, the parameter tables and the statutory records) as the rest of the journey.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from grip.core.calendar import add_months
from grip.seed.care_planning import Episode
from grip.seed.codes_of_their_year import of_its_year
from grip.seed.families import ChildState
from grip.seed.parameters import Shares
from grip.seed.rows import RowStore, as_datetime
from grip.seed.statutory import StatutoryRecords

LEAVING_AT_18 = {"E17": 0.4, "E5": 0.3, "E6": 0.3}
LONG_TERM_PLACEMENTS = {"U1", "U4", "A3", "A4", "A5", "A6"}
EMERGENCY_PROTECTION = {"L1", "L2"}  # police protection; emergency protection order


class CareJourneys:
    # What it shares with the rest of the journey (set up by Journeys.__init__).
    store: RowStore
    rng: random.Random
    records: StatutoryRecords
    end: date
    detail_from: date
    d: dict[str, Any]
    la: dict[str, Any]
    cl: dict[str, Any]
    legal: Shares
    placement: Shares
    ceased: Shares
    ceased_at_18: Shares
    change_reason: Shares
    in_touch: Shares
    after_protection: Shares
    activity: Shares
    recorded: Callable[[date], object]
    wd: Callable[[date, int], date]
    _open: Callable[[date | None], date | None]
    _visit: Callable[[int, str, date, ChildState], None]

    # --- looked after -----------------------------------------------------------------------------
    def looked_after(self, child: ChildState, *, start: date) -> tuple[date, str]:
        """Draw a period of care from `start`; returns its end date and the reason it ended."""
        rng, store = self.rng, self.store
        eighteenth = _birthday(child.birth, 18)
        end = min(start + timedelta(days=self.d["period_of_care_days"].draw(rng)), eighteenth)
        if child.age_on(start) >= 10 and rng.random() < self.la["stays_until_18_if_entering_aged_10_plus"]:
            end = eighteenth
        if end <= start:
            end = start + timedelta(days=1)
        reason = self.ceased_at_18.draw(rng) if end == eighteenth else self.ceased.draw(rng)
        # A "relevant child" (Children (Leaving Care) Act 2000): looked after 13 weeks or more and
        # leaving care at 16 or 17, into independent or supported living, becomes a care leaver.
        relevant = (
            end < eighteenth
            and child.age_on(end) >= 16
            and (end - start).days >= 91
            and rng.random() < self.la["leaving_care_at_16_17_as_care_leaver"]
        )
        if relevant:
            reason = "E5"
        legal = self.legal.draw(rng)
        protection_end, after_protection = None, None
        if legal in EMERGENCY_PROTECTION:
            # Police protection and emergency protection orders last no longer than the law allows;
            # then an interim care order, s20 accommodation, or home.
            protection_end = start + timedelta(days=self._protection_days(legal))
            after_protection = self.after_protection.draw(rng)
            if after_protection == "HOME" and end > protection_end:
                end, reason, relevant = protection_end, "E4A", False
        placement = self.placement.draw(rng)
        if child.age_on(start) < 16 and placement == "K3":
            placement = "U4"
        episode_start, rne = start, "S"
        first_episode = None
        episodes: list[Episode] = []
        # Placement moves gather in some children's care: those whose placements keep breaking down.
        placement_days = self.d[
            "unstable_placement_days" if rng.random() < self.la["unstable_placements_share"] else "placement_days"
        ]
        while True:
            next_change = episode_start + timedelta(days=placement_days.draw(rng))
            legal_change = legal == "C1" and rne != "L" and rng.random() < 0.5
            if legal_change:
                next_change = min(next_change, episode_start + timedelta(days=rng.randint(90, 300)))
            elif legal == "V2" and rne != "L" and rng.random() < self.la["voluntary_to_care_order_share"]:
                legal_change = True
                next_change = min(next_change, episode_start + timedelta(days=rng.randint(30, 300)))
            if protection_end is not None and legal in EMERGENCY_PROTECTION:
                legal_change, next_change = True, protection_end
            last = next_change >= end
            episode_end = end if last else next_change
            if episode_start > self.end:
                break
            provider = self.la["provider_for_placement"].get(placement, "PR1")
            episode = store.add(
                "cases.LookedAfterEpisode",
                child_id=child.pk,
                started_on=episode_start,
                reason_new_episode=rne,
                legal_status=legal,
                category_of_need=rng.choice(["N1"] * 6 + ["N2", "N4", "N5", "N8"]),
                placement_type=of_its_year("placement_type", placement, episode_start),
                placement_provider=provider,
                placement_postcode="ZX99 9ZZ" if provider == "PR4" else "",
                ended_on=self._open(episode_end),
                reason_ceased=(reason if last else "X1") if episode_end <= self.end else "",
                reason_place_change=""
                if last or legal_change or episode_end > self.end
                else self.change_reason.draw(rng),
                recorded_at=self.recorded(episode_start),
            )
            first_episode = first_episode or episode
            episodes.append(Episode(episode, episode_start, episode_end, placement, legal, rne))
            self._placement_visits(child, episode_start, episode_end, placement, new_placement=rne != "L")
            if last:
                break
            if legal_change:
                legal = after_protection if legal in EMERGENCY_PROTECTION else {"C1": "C2", "V2": "C1"}[legal]
                rne = "L"
            else:
                placement, rne = self.placement.draw(rng), "P"
                if child.age_on(next_change) < 16 and placement == "K3":
                    placement = "U6"
            episode_start = next_change
        if first_episode is not None:
            self.records.period_of_care(child, first_episode=first_episode, start=start, end=end, episodes=episodes)
        self._reviews(child, start, end)
        self._missing(child, start, end)
        if (end == eighteenth or relevant) and end <= self.end:
            self.care_leaver(child, start=end)
        return end, reason

    def _protection_days(self, legal: str) -> int:
        """Days from the start of police protection (L1) or an emergency protection order (L2) to
        the next legal status: within 72 hours, or the order's 8 days (15 if extended once)."""
        rng, la = self.rng, self.la
        if legal == "L1":
            return rng.randint(1, la["police_protection_max_hours"] // 24)
        days = la["emergency_protection_order_days"]
        if rng.random() < la["emergency_protection_extended_share"]:
            days += la["emergency_protection_extension_days"]
        return rng.randint(1, days)

    def _reviews(self, child: ChildState, start: date, end: date) -> None:
        rng = self.rng
        due = self.wd(start, 20)
        number = 0
        while due < end and due <= self.end:
            held = due - timedelta(days=rng.randint(0, 7))
            if rng.random() < self.la["review_late_share"]:
                held = due + timedelta(days=rng.randint(1, 25))
            held = max(held, start + timedelta(days=1))
            if held >= end or held > self.end:
                break
            if held >= self.detail_from:
                age = child.age_on(held)
                participation = (
                    "PN0" if age < 4 else rng.choice(["PN1", "PN1", "PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7"])
                )
                self.store.add(
                    "cases.LookedAfterReview",
                    child_id=child.pk,
                    held_on=held,
                    participation=participation,
                    recorded_at=self.recorded(held),
                )
            number += 1
            due = add_months(held, 3 if number == 1 else 6)

    def _placement_visits(
        self, child: ChildState, start: date, end: date, placement: str, *, new_placement: bool
    ) -> None:
        """Care Planning Regulations 2010 reg 28: within a week of placement, 6-weekly in the first
        year, then 3-monthly where the placement is long-term, 6-weekly otherwise."""
        rng = self.rng
        visit = (
            start + timedelta(days=rng.randint(1, 7)) if new_placement else start + timedelta(days=rng.randint(7, 42))
        )
        first_year_end = start + timedelta(days=365)
        while visit < end and visit <= self.end:
            self._visit(child.pk, "LAC", visit, child)
            interval = 42 if visit < first_year_end or placement not in LONG_TERM_PLACEMENTS else 91
            late = rng.random() < self.la["visit_late_share"]
            visit += timedelta(days=interval - rng.randint(0, 10) + (rng.randint(5, 30) if late else 0))

    def _missing(self, child: ChildState, start: date, end: date) -> None:
        rng, store = self.rng, self.store
        first = max(start, self.detail_from)
        last = min(end, self.end)
        years = (last - first).days / 365
        if years <= 0 or child.age_on(first) < 8:
            return
        n = 0
        for _ in range(max(1, round(years))):
            if rng.random() < self.la["missing_child_share"] * min(1.0, years):
                n += rng.randint(1, 2 * self.la["missing_episodes_per_missing_child"] - 1)
        for _ in range(n):
            day = first + timedelta(days=rng.randint(0, max(0, (last - first).days)))
            went = as_datetime(day, rng.randint(12 * 60, 23 * 60))
            back = went + timedelta(hours=rng.randint(2, 72))
            back_at = back if back.date() <= self.end else None
            interview = None
            if back_at is not None and rng.random() < 0.9:
                hours = (
                    rng.randint(4, 71)
                    if rng.random() < self.la["return_interview_within_72h"]
                    else rng.randint(73, 300)
                )
                interview = back_at + timedelta(hours=hours)
                if interview.date() > self.end:
                    interview = None
            store.add(
                "cases.MissingEpisode",
                child_id=child.pk,
                missing_type=rng.choice("MMMA"),
                started_at=went,
                ended_at=back_at,
                return_interview_offered=back_at is not None,
                return_interview_at=interview,
                return_interview_outcome=self.records.other.return_interview_outcome() if interview else "",
                recorded_at=went + timedelta(hours=rng.randint(1, 30)),
            )

    # --- care leavers and early help -----------------------------------------------------------------
    def care_leaver(self, child: ChildState, *, start: date) -> None:
        rng, store = self.rng, self.store
        end = _birthday(child.birth, self.cl["support_until_age"])
        if rng.random() < 0.08:
            end = start + timedelta(days=rng.randint(60, 700))
        elif rng.random() < self.cl["supported_to_25_share"]:
            end = _birthday(child.birth, 25)  # a personal adviser to 25, on request
        pk = store.add(
            "cases.CareLeaverEpisode",
            child_id=child.pk,
            started_on=start,
            ended_on=self._open(end),
            recorded_at=self.recorded(start),
        )
        child.segments.append(("care_leavers", start, end))
        self.records.other.care_leaver(child, care_leaver=pk, start=start, end=end)
        contact = start + timedelta(days=rng.randint(3, 20))
        while contact < end and contact <= self.end:
            if contact >= self.detail_from:
                in_touch = self.in_touch.draw(rng)
                suitable = "1" if rng.random() < self.cl["suitable_accommodation"] else "2"
                store.add(
                    "cases.CareLeaverContact",
                    care_leaver_id=pk,
                    contact_on=contact,
                    in_touch=in_touch,
                    activity=self.activity.draw(rng) if in_touch == "YES" else "",
                    accommodation=rng.choice(self.cl["accommodation_codes"]) + suitable if in_touch == "YES" else "",
                    recorded_at=self.recorded(contact),
                )
                if in_touch == "YES":
                    self._visit(child.pk, "CL", contact, child)
            contact += timedelta(
                days=self.cl["contact_interval_days"]
                - rng.randint(0, 14)
                + (rng.randint(5, 40) if rng.random() < 0.1 else 0)
            )
        review = start + timedelta(days=rng.randint(0, 30))
        while review < end and review <= self.end:
            if review >= self.detail_from:
                store.add(
                    "cases.PathwayPlanReview", care_leaver_id=pk, held_on=review, recorded_at=self.recorded(review)
                )
            review += timedelta(
                days=self.cl["pathway_review_interval_days"]
                - rng.randint(0, 20)
                + (rng.randint(5, 60) if rng.random() < 0.1 else 0)
            )

    def early_help(self, child: ChildState, *, start: date, contact: int | None) -> None:
        rng = self.rng
        if start > self.end or (child.early_help_until is not None and child.early_help_until > start):
            return
        if child.early_help_row and self.store.get("cases.EarlyHelpEpisode", child.early_help_row, "ended_on") is None:
            return  # one early help episode open at a time (a database constraint)
        end = start + timedelta(days=self.d["early_help_days"].draw(rng))
        child.early_help_until = end
        child.early_help_row = self.store.add(
            "cases.EarlyHelpEpisode",
            child_id=child.pk,
            contact_id=contact,
            started_on=start,
            ended_on=self._open(end),
            closure_reason=rng.choice(["NEEDS_MET"] * 6 + ["NOT_ENGAGED", "NO_CONSENT", "MOVED_AWAY", "OTHER"])
            if end <= self.end
            else "",
            recorded_at=self.recorded(start),
            **self.records.details.early_help(child=child.pk, started_on=start),
        )
        child.segments.append(("early_help", start, end))


def _birthday(birth: date, years: int) -> date:
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:  # 29 February
        return birth.replace(year=birth.year + years, day=28)
