"""A child's journey after a referral: assessment, section 47, conference, plans, care, leaving care.

Each pathway is drawn whole when the referral arrives, from the rates and duration tables of the
parameter file; anything that would happen after the simulation's end date is left open, exactly
as a live record would be on that date. Statutory review and visit intervals come from
statutory-framework.md section 1 (and move to the timescale rule table with the timescales issue).
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from grip.core.calendar import WorkingDayCalendar, add_months
from grip.seed.care import LEAVING_AT_18, CareJourneys
from grip.seed.families import ChildState
from grip.seed.parameters import Parameters, QuantileTable, Shares
from grip.seed.rows import Pending, RowStore, as_datetime
from grip.seed.statutory import StatutoryRecords

ADOPTION_OR_ORDER_CLOSURE = {
    "E11": "RC1",
    "E12": "RC1",
    "E41": "RC3",
    "E45": "RC4",
    "E46": "RC4",
    "E47": "RC4",
    "E48": "RC4",
    "E3": "RC5",
}


# Who took part in a strategy discussion: social care and the police always (WT2023 ch.4), health
# and education as the child's circumstances ask (local assumption).
ATTENDANCE = (
    ("SOCIAL_CARE", "POLICE", "HEALTH"),
    ("SOCIAL_CARE", "POLICE", "HEALTH", "EDUCATION"),
    ("SOCIAL_CARE", "POLICE", "EDUCATION"),
    ("SOCIAL_CARE", "POLICE"),
    ("SOCIAL_CARE", "POLICE", "HEALTH", "OTHER"),
)
STRATEGY_REASON_FRONT_DOOR = "Reasonable cause to suspect significant harm (front door decision)"
STRATEGY_REASON_ON_CASE = "New information during the assessment suggests significant harm"


class Journeys(CareJourneys):
    """A referral's journey; the journeys of care, leaving care and early help are in `CareJourneys`."""

    def __init__(
        self,
        *,
        store: RowStore,
        params: Parameters,
        rng: random.Random,
        cal: WorkingDayCalendar,
        start: date,
        end: date,
        detail_from: date,
        records: StatutoryRecords,
    ):
        self.store, self.p, self.rng, self.cal = store, params, rng, cal
        self.records = records  # care plans, health assessments and core groups, drawn alongside
        self.start, self.end, self.detail_from = start, end, detail_from
        d = params.durations
        self.d = d
        r = params.section("referrals")
        self.nfa = r["referral_nfa"]
        self.s47 = r["section47_per_referral"]
        self.icpc = r["icpc_per_section47"]
        self.cp_from_icpc = r["cp_plan_per_icpc"]
        self.not_in_need = r["assessed_not_in_need"]
        self.to_early_help = r["stepped_down_to_early_help"]
        self.la_share = r["looked_after_per_referral"]
        self.need = Shares.from_mapping("referrals.primary_need_shares", r["primary_need_shares"])
        self.privately_fostered = params.rate("referrals", "privately_fostered_factor")
        cp = params.section("child_protection")
        self.cp = cp
        self.abuse = Shares.from_mapping("child_protection.category_shares", cp["category_shares"])
        self.la = params.section("looked_after")
        self.legal = Shares.from_mapping("looked_after.legal_status_at_start", self.la["legal_status_at_start"])
        self.after_protection = Shares.from_mapping(
            "looked_after.after_emergency_protection", self.la["after_emergency_protection"]
        )
        self.placement = Shares.from_mapping("looked_after.placement_type_shares", self.la["placement_type_shares"])
        self.ceased = Shares.from_mapping(
            "looked_after.reason_ceased_shares",
            {k: v for k, v in self.la["reason_ceased_shares"].items() if k not in LEAVING_AT_18},
            renormalise=True,
        )
        self.ceased_at_18 = Shares.from_mapping("leaving at 18", LEAVING_AT_18)
        self.change_reason = Shares.from_mapping(
            "looked_after.placement_change_reasons", self.la["placement_change_reasons"]
        )
        cl = params.section("care_leavers")
        self.cl = cl
        self.in_touch = Shares.from_mapping("care_leavers.in_touch_shares", cl["in_touch_shares"])
        self.activity = Shares.from_mapping("care_leavers.activity_shares", cl["activity_shares"])
        self.cin = params.section("child_in_need")
        self._strategy_parameters(params)
        self.visits: list[Pending] = []
        self.recent_referrals: list[tuple[date, int]] = []  # (referral date, child), in date order
        # A share of children already had a CP plan before the records begin (or in another authority):
        # tuned so that second-or-subsequent plans come out at the published rate.
        self.prior_plan_share = cp["prior_plan_before_records"]

    # --- helpers -------------------------------------------------------------------------------
    def recorded(self, on: date) -> object:
        """When an event was entered: often days after it, but never after the simulation ends."""
        delay = self.d["recording_delay_days"].draw(self.rng)
        entered = as_datetime(on + timedelta(days=delay), 9 * 60 + self.rng.randint(0, 540))
        return min(entered, as_datetime(self.end, 23 * 60 + 59))

    def wd(self, on: date, n: int) -> date:
        return self.cal.add_working_days(on, n)

    def _open(self, on: date | None) -> date | None:
        """A date only if it has happened by the end of the simulation."""
        return on if on is not None and on <= self.end else None

    # --- the referral ---------------------------------------------------------------------------
    def referral(
        self,
        child: ChildState,
        *,
        on: date,
        source: str,
        contact: int | None,
        strategy_now: bool,
        looked_after: bool = False,
        decided: datetime | None = None,
    ) -> None:
        """Draw the journey that follows a referral; `looked_after` forces an entry to care.

        `on` is the referral date (the day the contact was received: CINreferralDate); `decided`
        the moment of the front door's decision, from which a strategy discussion is requested and
        the assessment starts."""
        rng, store = self.rng, self.store
        decided = decided or as_datetime(on, 10 * 60)
        child.last_referral = on
        self.recent_referrals.append((on, child.pk))
        child.has_open_episode = True
        if child.early_help_until is not None and child.early_help_until > on and child.early_help_row:
            # Stepped up: early help gives way to social care, and its episode closes that day.
            started = store.get("cases.EarlyHelpEpisode", child.early_help_row, "started_on")
            if started <= on:
                store.update("cases.EarlyHelpEpisode", child.early_help_row, ended_on=on, closure_reason="STEPPED_UP")
        if child.early_help_until is None or child.early_help_until > on:
            child.early_help_until = on
        nfa = not strategy_now and not looked_after and rng.random() < self.nfa
        episode = store.add(
            "cases.CINEpisode",
            child_id=child.pk,
            contact_id=contact,
            referral_date=on,
            referral_source=source,
            referral_nfa=nfa,
            recorded_at=self.recorded(on),
        )
        self.records.other.referral(child, on=on)
        if nfa:
            self._close(child, episode, on + timedelta(days=rng.randint(0, 2)), "RC8", [])
            return
        a_start = self.wd(decided.date(), self.d["assessment_start_wd"].draw(rng))
        a_done = self.wd(a_start, max(1, self.d["assessment_wd"].draw(rng)))
        segments = [("assessment", on, a_done)]
        factors: list[str] = []
        plan_start = plan_end = None
        if strategy_now or rng.random() < self.discussion_share:
            plan_start = self._strategy_discussion(
                episode, decided=decided, strategy_now=strategy_now, contact=contact if strategy_now else None
            )
        factors = self._factors(plan_start is not None)
        if a_start <= self.end:
            store.add(
                "cases.Assessment",
                episode_id=episode,
                started_on=a_start,
                authorised_on=self._open(a_done),
                factors=factors if a_done <= self.end else [],
                recorded_at=self.recorded(a_start),
            )
        if a_done <= self.end:
            store.update("cases.CINEpisode", episode, primary_need=self.need.draw(rng))
        la_share = self.cp["becomes_looked_after_from_cp"] if plan_start else self.la_share / (1 - self.nfa)
        la_start = None
        if looked_after or rng.random() < la_share:
            la_start = on + timedelta(days=rng.randint(0, 5)) if rng.random() < 0.3 else a_done
        if plan_start is not None:
            plan_end = plan_start + timedelta(days=self.d["cp_plan_days"].draw(rng))
            if la_start is not None:
                la_start = max(la_start, plan_start + timedelta(days=rng.randint(10, 200)))
                plan_end = min(plan_end, la_start)
            self._cp_plan(child, episode, start=plan_start, end=plan_end)
            segments.append(("child_protection", a_done, plan_end))
            after = plan_end
        else:
            after = a_done
        if la_start is not None:
            la_end, reason = self.looked_after(child, start=la_start)
            segments = [(f, s, min(e, la_start)) for f, s, e in segments if s < la_start]
            segments.append(("children_in_care", la_start, la_end))
            child.segments.extend(segments)
            closure = ADOPTION_OR_ORDER_CLOSURE.get(reason, "RC7")
            self._close(child, episode, la_end, closure, [])
            return
        if plan_start is None:
            u = rng.random() * (1 - self.nfa)
            if u < self.not_in_need:
                child.segments.extend(segments)
                self._close(
                    child,
                    episode,
                    a_done + timedelta(days=self.d["closure_after_assessment_days"].draw(rng)),
                    "RC8",
                    [],
                )
                return
            if u < self.not_in_need + self.to_early_help:
                child.segments.extend(segments)
                close_on = a_done + timedelta(days=rng.randint(0, 10))
                self._close(child, episode, close_on, "RC9", [])
                self.early_help(child, start=close_on + timedelta(days=1), contact=None)
                return
        if plan_start is not None and rng.random() >= self.cp["cin_plan_after_cp_plan"]:
            child.segments.extend(segments)
            self._close(child, episode, after, "RC7", [])
            return
        cin_end = after + timedelta(days=self.d["cin_plan_days"].draw(rng))
        if after <= self.end:
            cin_plan = store.add(
                "cases.CINPlan",
                episode_id=episode,
                started_on=after,
                ended_on=self._open(cin_end),
                recorded_at=self.recorded(after),
            )
            self.records.other.cin_plan(plan=cin_plan, start=after, end=cin_end)
            self._visits(child, "CIN", after, cin_end, self.cin["visit_interval_wd"], self.cin["visit_late_share"])
        segments.append(("child_in_need", after, cin_end))
        child.segments.extend(segments)
        self._close(child, episode, cin_end, rng.choice(["RC7"] * 17 + ["RC3", "RC4", "RC5", "RC6"]), [])

    def _close(self, child: ChildState, episode: int, on: date, reason: str, _: list) -> None:
        child.busy_until = on
        if on <= self.end:
            self.store.update("cases.CINEpisode", episode, closure_date=on, closure_reason=reason)

    def _factors(self, protection: bool) -> list[str]:
        rng = self.rng
        pool = (
            ["3A", "3B", "4A", "4B", "1B", "2B", "16A", "17A", "10A", "14A", "21"]
            if not protection
            else ["3B", "4B", "16A", "17A", "18C", "19C", "2B", "1B", "11A", "24A", "13A"]
        )
        n = 1 + int(rng.random() * 3)
        chosen = set(rng.choice(pool[:-1] if not protection else pool) for _ in range(n))
        if rng.random() < self.privately_fostered:  # rare: a factor in 0.4% of assessments [C3]
            chosen.add("8F")
        return sorted(chosen)

    # --- section 47 and child protection -----------------------------------------------------------
    def _strategy_parameters(self, params: Parameters) -> None:
        """Strategy discussions: requested, held some hours later, and only some start a section 47.
        Referrals decided "strategy discussion" always have one; other referrals have one often
        enough that section 47s per referral stay as they were (one enquiry for every discussion
        before issue 11): strategy share f, NFA share n, s47 per referral s, s47 per discussion r:
        f + (1 - f) s = f r + (1 - f)(1 - n) q r."""
        sd = params.section("strategy_discussions")
        self.s47_per_discussion = params.rate("strategy_discussions", "section47_per_discussion")
        self.held_hours = QuantileTable.from_points("strategy_discussions.held_hours", sd["held_hours"])
        self.no_s47 = Shares.from_mapping(
            "strategy_discussions.outcome_shares_without_section47", sd["outcome_shares_without_section47"]
        )
        f, r = params.rate("front_door", "referral_as_strategy_share"), self.s47_per_discussion
        self.discussion_share = min(1.0, (f + (1 - f) * self.s47 - f * r) / ((1 - f) * (1 - self.nfa) * r))

    def _strategy_discussion(
        self, episode: int, *, decided: datetime, strategy_now: bool, contact: int | None
    ) -> date | None:
        """A strategy discussion requested (at the front door's decision, or later on the case), then
        held with a time and an outcome; an outcome of "section 47" starts the enquiry, dated from the
        discussion. Returns the start of a CP plan, if one follows."""
        rng, store = self.rng, self.store
        if strategy_now:
            requested = decided
        else:
            day = self.wd(decided.date(), rng.randint(0, 8))
            requested = as_datetime(day, rng.randint(9 * 60, 17 * 60))
        if requested.date() > self.end:
            return None
        held = requested + timedelta(minutes=round(self.held_hours.value_at(rng.random()) * 60))
        end_of_window = as_datetime(self.end, 23 * 60 + 59)
        outcome = "S47" if rng.random() < self.s47_per_discussion else self.no_s47.draw(rng)
        is_held = held <= end_of_window
        discussion = store.add(
            "cases.StrategyDiscussion",
            episode_id=episode,
            contact_id=contact,
            requested_at=requested,
            requested_by_id=None,
            reason=STRATEGY_REASON_FRONT_DOOR if strategy_now else STRATEGY_REASON_ON_CASE,
            held_at=held if is_held else None,
            attended_by=list(rng.choice(ATTENDANCE)) if is_held else [],
            outcome=outcome if is_held else "",
            notes="",
            recorded_at=self.recorded(requested.date()),
        )
        if not is_held or outcome != "S47":
            return None
        return self._section47(episode, discussion=discussion, held=held.date())

    def _section47(self, episode: int, *, discussion: int, held: date) -> date | None:
        rng, store = self.rng, self.store
        if rng.random() < self.icpc:
            conference = self.wd(held, max(1, self.d["icpc_wd"].draw(rng)))
            completed = min(conference, self.wd(held, rng.randint(5, 12)))
            s47 = store.add(
                "cases.Section47Enquiry",
                episode_id=episode,
                strategy_discussion_id=discussion,
                started_on=held,
                completed_on=self._open(completed),
                outcome="ICPC" if completed <= self.end else "",
                recorded_at=self.recorded(held),
            )
            if conference > self.end:
                return None
            plan = None
            if rng.random() < self.cp_from_icpc:
                plan = conference
            store.add(
                "cases.ChildProtectionConference",
                episode_id=episode,
                conference_type="ICPC",
                section47_id=s47,
                held_on=conference,
                recorded_at=self.recorded(conference),
                # No plan unless _cp_plan starts one from it next.
                **self.records.details.conference(episode=episode, held_on=conference, outcome="NO_PLAN"),
            )
            return plan
        completed = self.wd(held, rng.randint(3, 15))
        store.add(
            "cases.Section47Enquiry",
            episode_id=episode,
            strategy_discussion_id=discussion,
            started_on=held,
            completed_on=self._open(completed),
            outcome=rng.choice(["CIN", "CIN", "NFA"]) if completed <= self.end else "",
            recorded_at=self.recorded(held),
        )
        return None

    def _cp_plan(self, child: ChildState, episode: int, *, start: date, end: date) -> None:
        rng, store = self.rng, self.store
        if child.cp_plans == 0 and rng.random() < self.prior_plan_share:
            self._earlier_plan(child, before=start)
        child.cp_plans += 1
        initial = self.abuse.draw(rng)
        latest = initial if rng.random() < 0.85 else self.abuse.draw(rng)
        plan = store.add(
            "cases.ChildProtectionPlan",
            episode_id=episode,
            started_on=start,
            ended_on=self._open(end),
            initial_category=initial,
            latest_category=latest,
            recorded_at=self.recorded(start),
        )
        icpc_rows = self.store.rows["cases.ChildProtectionConference"]
        if icpc_rows:  # the ICPC just added started this plan
            self.store.update(
                "cases.ChildProtectionConference", len(icpc_rows), plan_id=plan, outcome="PLAN", category=initial
            )
        self.records.core_groups(plan=plan, start=start, end=end)
        due = add_months(start, 3)
        while due < end and due <= self.end:
            held = due - timedelta(days=rng.randint(0, 10))
            if rng.random() < self.cp["review_conference_late_share"]:
                held = due + timedelta(days=rng.randint(1, 30))
            if held >= end or held > self.end:
                break
            store.add(
                "cases.ChildProtectionConference",
                episode_id=episode,
                conference_type="RCPC",
                plan_id=plan,
                held_on=self.cal.next_working_day(held) if not self.cal.is_working_day(held) else held,
                recorded_at=self.recorded(held),
                category=latest,
                **self.records.details.conference(episode=episode, held_on=held, outcome="CONTINUE"),
            )
            due = add_months(held, 6)
        self._visits(child, "CP", start, end, self.cp["visit_interval_wd"], self.cp["visit_late_share"])

    def _earlier_plan(self, child: ChildState, *, before: date) -> None:
        """A closed episode with a CP plan from before this authority's records of the child began."""
        rng, store = self.rng, self.store
        born = child.birth
        latest_end = before - timedelta(days=400)
        if (latest_end - born).days < 400:
            return
        plan_end = born + timedelta(days=rng.randint(300, (latest_end - born).days))
        plan_start = plan_end - timedelta(days=rng.randint(90, 400))
        referral = plan_start - timedelta(days=rng.randint(20, 60))
        if referral <= born:
            return
        episode = store.add(
            "cases.CINEpisode",
            child_id=child.pk,
            referral_date=referral,
            referral_source="10",
            primary_need="N1",
            closure_date=plan_end,
            closure_reason="RC7",
            recorded_at=as_datetime(referral, 10 * 60),
        )
        category = self.abuse.draw(rng)
        store.add(
            "cases.ChildProtectionPlan",
            episode_id=episode,
            started_on=plan_start,
            ended_on=plan_end,
            initial_category=category,
            latest_category=category,
            recorded_at=as_datetime(plan_start, 10 * 60),
        )
        child.cp_plans += 1

    # --- visits ------------------------------------------------------------------------------------
    def _visits(
        self, child: ChildState, kind: str, start: date, end: date, interval_wd: int, late_share: float
    ) -> None:
        rng = self.rng
        visit = self.wd(start, rng.randint(1, interval_wd))
        while visit < end and visit <= self.end:
            self._visit(child.pk, kind, visit, child)
            gap = interval_wd - rng.randint(0, interval_wd // 3)
            if rng.random() < late_share:
                gap += rng.randint(1, interval_wd)
            visit = self.wd(visit, gap)

    def _visit(self, child_pk: int, kind: str, on: date, child: ChildState) -> None:
        if on < self.detail_from:
            return
        rng = self.rng
        seen = rng.random() < 0.95
        alone = seen and child.age_on(on) >= 5 and rng.random() < 0.6
        self.visits.append(Pending(child_pk, kind, on, seen, alone))
