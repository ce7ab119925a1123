"""What a generated authority looks like, measured the way the DfE measures it.

Used to calibrate the parameter file and, in the test suite, to check the generator's output
against it. These are measured on the generated rows, for the last full year of the window.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from grip.core.calendar import england_calendar
from grip.seed.rows import RowStore


def _rows(store: RowStore, label: str, *names: str):
    columns = [store.column(label, n) for n in names]
    return list(zip(*columns, strict=True))


def measure(store: RowStore, *, end: date) -> dict[str, float]:
    cal = england_calendar()
    year_start = end - timedelta(days=364)

    def in_year(d: date | None) -> bool:
        return d is not None and year_start <= d <= end

    def open_at(start: date, stop: date | None) -> bool:
        return start <= end and (stop is None or stop > end)

    out: dict[str, float] = {}
    contacts = _rows(store, "frontdoor.Contact", "received_at", "decided_at", "outcome")
    year_contacts = [c for c in contacts if in_year(c[0].date())]
    out["contacts_in_year"] = len(year_contacts)
    decided = [c for c in year_contacts if c[1] is not None]
    out["contacts_decided_within_1_wd"] = sum(
        cal.working_days_between(c[0].date(), c[1].date()) <= 1 for c in decided
    ) / max(1, len(decided))

    episodes = _rows(store, "cases.CINEpisode", "id", "child_id", "referral_date", "closure_date")
    by_child: dict[int, list[date]] = defaultdict(list)
    for _pk, child, referral, _closure in episodes:
        by_child[child].append(referral)
    referrals = [e for e in episodes if in_year(e[2])]
    out["referrals_in_year"] = len(referrals)
    rereferrals = sum(
        any(r - timedelta(days=365) <= other < r for other in by_child[child]) for _pk, child, r, _c in referrals
    )
    out["rereferral_rate"] = rereferrals / max(1, len(referrals))
    out["cin_open_at_end"] = sum(open_at(r, c) for _pk, _child, r, c in episodes)

    assessments = [a for a in _rows(store, "cases.Assessment", "started_on", "authorised_on") if in_year(a[1])]
    out["assessments_within_45_wd"] = sum(cal.working_days_between(s, a) <= 45 for s, a in assessments) / max(
        1, len(assessments)
    )

    s47_start = dict(_rows(store, "cases.Section47Enquiry", "id", "started_on"))
    icpcs = [
        c
        for c in _rows(store, "cases.ChildProtectionConference", "conference_type", "section47_id", "held_on")
        if c[0] == "ICPC" and in_year(c[2]) and c[1] is not None
    ]
    out["icpc_within_15_wd"] = sum(cal.working_days_between(s47_start[s], held) <= 15 for _t, s, held in icpcs) / max(
        1, len(icpcs)
    )

    episode_child = {pk: child for pk, child, _r, _c in episodes}
    plans = _rows(store, "cases.ChildProtectionPlan", "episode_id", "started_on", "ended_on")
    plans_by_child: dict[int, list[date]] = defaultdict(list)
    for ep, started, _ended in plans:
        plans_by_child[episode_child[ep]].append(started)
    starting = [(episode_child[ep], s) for ep, s, _e in plans if in_year(s)]
    out["cp_plans_starting_in_year"] = len(starting)
    out["second_or_subsequent_cp_plan"] = sum(
        any(other < s for other in plans_by_child[child]) for child, s in starting
    ) / max(1, len(starting))
    open_plans = [(s, e) for _ep, s, e in plans if open_at(s, e)]
    out["cp_open_at_end"] = len(open_plans)
    out["cp_open_2_years_plus"] = sum((end - s).days >= 730 for s, _e in open_plans) / max(1, len(open_plans))

    la = _rows(store, "cases.LookedAfterEpisode", "child_id", "started_on", "ended_on", "reason_new_episode")
    out["looked_after_at_end"] = len({child for child, s, e, _r in la if open_at(s, e)})
    out["looked_after_starts_in_year"] = sum(r == "S" and in_year(s) for _c, s, _e, r in la)
    leavers = _rows(store, "cases.CareLeaverEpisode", "started_on", "ended_on")
    out["care_leavers_open_at_end"] = sum(open_at(s, e) for s, e in leavers)

    workers = _rows(store, "workforce.Worker", "id", "role", "employment_type", "fte", "started_on", "left_on")
    social_workers = [w for w in workers if w[1] in ("SW", "SSW", "ASYE", "AP")]
    in_post = [w for w in social_workers if w[4] <= end and (w[5] is None or w[5] > end)]
    agency = sum(float(w[3]) for w in in_post if w[2] == "AGENCY")
    employed = sum(float(w[3]) for w in in_post if w[2] == "PERMANENT")
    out["social_worker_fte_in_post"] = employed
    out["agency_rate"] = agency / max(1e-9, agency + employed)
    establishment = sum(
        float(fte)
        for function, fte in _rows(store, "workforce.Team", "function", "establishment_fte")
        if function not in ("early_help", "care_leavers")
    )
    vacancy = max(0.0, establishment - employed)
    out["vacancy_rate"] = vacancy / max(1e-9, vacancy + employed)
    out["sickness_absence_rate"] = _sickness_rate(store, cal, year_start, end, workers)
    out.update(_defects(store, end, open_at, episodes, la, leavers))
    out.update(_timescales(store, cal, year_start, end))
    return out


def _periods_of_care(store: RowStore) -> list[tuple[int, int, date, date | None]]:
    """(first episode, child, start, end) of each period of care: an episode starting one (RNE "S")
    and the episodes that follow it on the day the last one ended."""
    by_child: dict[int, list] = defaultdict(list)
    for pk, child, started, ended, rne in _rows(
        store, "cases.LookedAfterEpisode", "id", "child_id", "started_on", "ended_on", "reason_new_episode"
    ):
        by_child[child].append((started, pk, ended, rne))
    periods: list[list] = []
    for child, episodes in by_child.items():
        for started, pk, ended, rne in sorted(episodes):
            if rne == "S" or not periods or periods[-1][1] != child:
                periods.append([pk, child, started, ended])
            else:
                periods[-1][3] = ended
    return [tuple(p) for p in periods]


def _timescales(store: RowStore, cal, year_start: date, end: date) -> dict[str, float]:
    """Timeliness of care plans, health assessments, core groups and supervision, measured as the
    KPI catalogue defines them (shared/reference/kpi-catalogue.csv), over the last year."""

    def share(flags: list[bool]) -> float:
        return sum(flags) / max(1, len(flags))

    def lasted(start: date, stop: date | None, wd: int) -> bool:
        """Started `wd` working days before the end, and did not stop within them."""
        due = cal.add_working_days(start, wd)
        return due <= end and (stop is None or stop >= due)

    out: dict[str, float] = {}
    periods = _periods_of_care(store)
    starting = [p for p in periods if year_start <= p[2] <= end]
    assessments: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for child, held, kind in _rows(store, "cases.HealthAssessment", "child_id", "held_on", "assessment_type"):
        assessments[child].append((held, kind))
    out["initial_health_assessments_within_20_wd"] = share(
        [
            any(kind == "IHA" and s <= held <= cal.add_working_days(s, 20) for held, kind in assessments[child])
            for _ep, child, s, e in starting
            if lasted(s, e, 20)
        ]
    )
    twelve_months = [child for _ep, child, s, e in periods if s <= end - timedelta(days=365) and (e is None or e > end)]
    out["looked_after_12_months_with_health_assessment"] = share(
        [any(end - timedelta(days=365) < held <= end for held, _k in assessments[child]) for child in twelve_months]
    )
    plans_made = defaultdict(list)
    for episode, made in _rows(store, "cases.CarePlan", "episode_id", "made_on"):
        plans_made[episode].append(made)
    out["care_plans_within_10_wd"] = share(
        [
            any(made <= cal.add_working_days(s, 10) for made in plans_made[ep])
            for ep, _child, s, e in starting
            if lasted(s, e, 10)
        ]
    )
    first_core_group: dict[int, date] = {}
    for plan, held in _rows(store, "cases.CoreGroupMeeting", "plan_id", "held_on"):
        first_core_group[plan] = min(held, first_core_group.get(plan, held))
    out["first_core_groups_within_10_wd"] = share(
        [
            plan in first_core_group and first_core_group[plan] <= cal.add_working_days(s, 10)
            for plan, s, e in _rows(store, "cases.ChildProtectionPlan", "id", "started_on", "ended_on")
            if year_start <= s <= end and lasted(s, e, 10)
        ]
    )
    supervised = {
        pk: (s, left)
        for pk, role, s, left in _rows(store, "workforce.Worker", "id", "role", "started_on", "left_on")
        if role in ("SW", "SSW", "ASYE", "AP")
    }
    in_post_years = sum(max(0, (min(left or end, end) - max(s, year_start)).days) for s, left in supervised.values())
    sessions = sum(year_start <= held <= end for held in store.column("workforce.Supervision", "held_on"))
    out["supervisions_per_social_worker_year"] = sessions / max(1e-9, in_post_years / 365)
    return out


def _defects(store: RowStore, end: date, open_at, episodes, la, leavers) -> dict[str, float]:
    """The real-data defects the generator draws in on purpose, as at the end date."""
    open_children = {child for _pk, child, r, c in episodes if open_at(r, c)}
    open_children |= {child for child, s, e, _r in la if open_at(s, e)}
    leaver_children = dict(_rows(store, "cases.CareLeaverEpisode", "id", "child_id"))
    open_children |= {
        leaver_children[pk]
        for pk, (s, e) in zip(store.column("cases.CareLeaverEpisode", "id"), leavers, strict=True)
        if open_at(s, e)
    }
    open_children |= {
        child
        for child, s, e in _rows(store, "cases.EarlyHelpEpisode", "child_id", "started_on", "ended_on")
        if open_at(s, e)
    }
    current = {
        child: worker
        for child, worker, role, s, e in _rows(
            store, "allocation.Allocation", "child_id", "worker_id", "role", "started_on", "ended_on"
        )
        if role == "lead" and open_at(s, e)
    }
    left = {pk: left_on for pk, left_on in _rows(store, "workforce.Worker", "id", "left_on")}
    off_sick = {
        worker
        for worker, kind, s, e in _rows(
            store, "workforce.Absence", "worker_id", "absence_type", "started_on", "ended_on"
        )
        if kind == "LONG_TERM_SICKNESS" and s <= end and (e is None or e >= end)
    }
    held = [current[c] for c in open_children if c in current]
    late = total = 0
    for label in ("cases.Assessment", "cases.Visit", "cases.CINEpisode"):
        date_field = {
            "cases.Assessment": "started_on",
            "cases.Visit": "visited_on",
            "cases.CINEpisode": "referral_date",
        }[label]
        for happened, recorded in _rows(store, label, date_field, "recorded_at"):
            total += 1
            late += (recorded.date() - happened).days > 2
    return {
        "open_cases": len(open_children),
        "open_cases_unallocated": sum(c not in current for c in open_children),
        "open_cases_held_by_worker_on_long_term_sickness": sum(w in off_sick for w in held),
        "open_cases_held_by_worker_who_has_left": sum(left.get(w) is not None and left[w] <= end for w in held),
        "records_entered_more_than_2_days_late": late / max(1, total),
    }


def _sickness_rate(store: RowStore, cal, year_start: date, end: date, workers) -> float:
    """Working days lost to sickness in the year / (FTE x working days in the year), as the CSWW does."""
    fte = {w[0]: float(w[3]) for w in workers}
    # working_days_between counts [start, end): one day past `last` to include it.
    days_in_year = cal.working_days_between(year_start, end + timedelta(days=1))
    available = 0.0
    for w in workers:
        first, last = max(w[4], year_start), min(w[5] or end, end)
        if first <= last:
            available += fte[w[0]] * cal.working_days_between(first, last + timedelta(days=1))
    lost = 0.0
    for worker, kind, s, e in _rows(store, "workforce.Absence", "worker_id", "absence_type", "started_on", "ended_on"):
        if kind not in ("SICKNESS", "LONG_TERM_SICKNESS"):
            continue
        first, last = max(s, year_start), min(e or end, end)
        if first <= last:
            lost += fte[worker] * cal.working_days_between(first, last + timedelta(days=1))
    return lost / max(1e-9, available) if days_in_year else 0.0
