"""The generated authority behaves as the law and ordinary practice do, in every year it covers.

Each test states the rule and its source; the expected answers come from the rule, not from the
generator's parameter file.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import pytest

from grip.core.calendar import england_calendar
from grip.seed.measures import measure
from grip.seed.simulate import SeedRequest, simulate_authority

END = date(2026, 3, 31)
SCALE = 0.08


def _rows(store, label: str, *names: str) -> list[tuple]:
    return list(zip(*(store.column(label, n) for n in names), strict=True))


@pytest.fixture(scope="module")
def authority():
    """Two years of an authority of about 1,300 referrals a year."""
    request = SeedRequest(seed=5, scale=SCALE, years=2, end=END)
    return request, simulate_authority(request)


# --- every year as realistic as the last -----------------------------------------------------------


def test_the_rereferral_rate_has_no_artefact_in_the_first_year(authority):
    """A 24-month trend (or 3 years of large-la) starts in history drawn before the window: its
    re-referral rate is what it is in the last year, within a few points (it was 0% before the
    window and 7.6% in large-la's first year, against ~22% later)."""
    request, store = authority
    before_window = measure(store, end=request.start - timedelta(days=1))["rereferral_rate"]
    first_year = measure(store, end=request.start + timedelta(days=364))["rereferral_rate"]
    last_year = measure(store, end=END)["rereferral_rate"]
    assert 0.17 < last_year < 0.28
    assert first_year == pytest.approx(last_year, abs=0.04)
    assert before_window == pytest.approx(last_year, abs=0.04)


# --- legal status: police protection and emergency protection orders -------------------------------


def _legal_spans(store, code: str) -> list[tuple[date, date | None]]:
    """Each unbroken run of episodes under legal status `code`, per child: (start, end)."""
    by_child = defaultdict(list)
    episodes = _rows(store, "cases.LookedAfterEpisode", "child_id", "started_on", "ended_on", "legal_status")
    for child, s, e, legal in episodes:
        by_child[child].append((s, e, legal))
    spans = []
    for episodes in by_child.values():
        run = None
        for s, e, legal in sorted(episodes, key=lambda x: x[0]):
            if legal == code and run is not None and run[1] == s:
                run = (run[0], e)
            elif legal == code:
                if run:
                    spans.append(run)
                run = (s, e)
            else:
                if run:
                    spans.append(run)
                run = None
        if run:
            spans.append(run)
    return spans


def test_police_protection_lasts_at_most_72_hours(authority):
    """Children Act 1989 s46(6): no child may be kept in police protection for more than 72 hours."""
    _request, store = authority
    spans = _legal_spans(store, "L1")
    assert spans
    for s, e in spans:
        assert (e or END) - s <= timedelta(days=3), (s, e)


def test_emergency_protection_orders_last_their_legal_length(authority):
    """Children Act 1989 s45: an EPO has effect for at most 8 days, extended once by up to 7."""
    _request, store = authority
    spans = _legal_spans(store, "L2")
    assert spans
    for s, e in spans:
        assert (e or END) - s <= timedelta(days=8 + 7), (s, e)


# --- the front door keeps office hours --------------------------------------------------------------


def test_contact_decisions_happen_mostly_in_office_hours(authority):
    """Front door teams decide in the working day; a few decisions come from the out-of-hours
    emergency duty team (an assumption of 5% in the parameter file), so not a quarter at night."""
    _request, store = authority
    cal = england_calendar()
    decided = [d for d in store.column("frontdoor.Contact", "decided_at") if d is not None]
    office = [d for d in decided if cal.is_working_day(d.date()) and 8 <= d.hour < 18]
    night = [d for d in decided if d.hour >= 20 or d.hour < 7]
    assert len(office) / len(decided) > 0.85
    assert len(night) / len(decided) < 0.06


# --- private fostering is rare ---------------------------------------------------------------------


def test_private_fostering_is_a_rare_factor_at_assessment(authority):
    """DfE C3 2025: 'privately fostered' is a factor in 0.4% of assessments in England (Birmingham
    20 of 7,118): at most 1%, not the 1 in 5 the generator drew."""
    _request, store = authority
    factors = [f for f in store.column("cases.Assessment", "factors") if f]
    private = [f for f in factors if any(code.startswith("8") for code in f)]
    assert len(factors) > 1000
    assert len(private) / len(factors) < 0.01


# --- care leavers span 17 to 21 -----------------------------------------------------------------------


def test_care_leavers_span_the_17_to_21_cohort(authority):
    """The DfE's care leaver cohort is 17 to 21 (SSDA903 OC3): relevant children who left care at
    16 or 17 are care leavers at 17, and some have a personal adviser past 21 (to 25 on request)."""
    _request, store = authority
    births = dict(_rows(store, "people.Person", "id", "date_of_birth"))
    ages = set()
    started_before_18 = 0
    for child, s, e in _rows(store, "cases.CareLeaverEpisode", "child_id", "started_on", "ended_on"):
        birth = births[child]
        started_before_18 += (s - birth).days < 18 * 365
        if s <= END and (e is None or e > END):
            ages.add(END.year - birth.year - ((END.month, END.day) < (birth.month, birth.day)))
    assert {17, 18, 19, 20, 21} <= ages
    assert started_before_18 > 0


# --- allocations and visits --------------------------------------------------------------------------


def _open_children(store) -> dict[int, date]:
    """Children with an open case at the end, and when the case they have open began."""
    opened: dict[int, date] = {}
    for label, child_field, start_field, end_field in (
        ("cases.CINEpisode", "child_id", "referral_date", "closure_date"),
        ("cases.LookedAfterEpisode", "child_id", "started_on", "ended_on"),
        ("cases.CareLeaverEpisode", "child_id", "started_on", "ended_on"),
        ("cases.EarlyHelpEpisode", "child_id", "started_on", "ended_on"),
    ):
        for child, s, e in _rows(store, label, child_field, start_field, end_field):
            if s <= END and (e is None or e > END):
                opened[child] = max(opened.get(child, s), s)
    return opened


def test_no_open_case_has_waited_years_for_a_worker(authority):
    """The unallocated register counts from when the case opened or its last worker's allocation
    ended: cases open since before the window had workers then, so none waits for thousands of
    days (there were 5,000-day waits for children long in care)."""
    _request, store = authority
    opened = _open_children(store)
    current, last_ended = set(), {}
    for child, role, s, e in _rows(store, "allocation.Allocation", "child_id", "role", "started_on", "ended_on"):
        if role != "lead":
            continue
        if s <= END and (e is None or e > END):
            current.add(child)
        elif e is not None and e <= END:
            last_ended[child] = max(last_ended.get(child, e), e)
    waiting = {child: max(o, last_ended.get(child, o)) for child, o in opened.items() if child not in current}
    assert waiting  # some open cases are unallocated, on purpose
    days = sorted((END - since).days for since in waiting.values())
    assert days[-1] <= 365, days[-5:]
    long_open = [c for c, o in opened.items() if (END - o).days > 730]
    assert long_open
    assert sum(c in current for c in long_open) / len(long_open) > 0.9


def test_every_visit_is_made_by_the_worker_who_held_the_case_that_day(authority):
    """A visit's worker held the child's case (lead allocation) on the day, was in post and was not
    off sick: there are no visits by nobody, by a worker who had left, or by one on sick leave."""
    _request, store = authority
    spans = defaultdict(list)
    for child, worker, role, s, e in _rows(
        store, "allocation.Allocation", "child_id", "worker_id", "role", "started_on", "ended_on"
    ):
        if role == "lead":
            spans[child].append((s, e, worker))
    left = dict(_rows(store, "workforce.Worker", "id", "left_on"))
    absences = defaultdict(list)
    for worker, s, e in _rows(store, "workforce.Absence", "worker_id", "started_on", "ended_on"):
        absences[worker].append((s, e))
    visits = _rows(store, "cases.Visit", "child_id", "worker_id", "visited_on")
    assert len(visits) > 1000
    for child, worker, on in visits:
        assert worker is not None
        assert any(w == worker and s <= on and (e is None or on < e) for s, e, w in spans[child]), (child, on)
        assert left[worker] is None or on < left[worker]
        assert not any(s <= on and (e is None or on <= e) for s, e in absences[worker])


def test_asye_workers_are_social_workers_after_their_first_year(authority):
    """The ASYE is a newly qualified social worker's first year in employment (Skills for Care):
    nobody in post has been 'ASYE' for more than a year, and those who were are social workers."""
    _request, store = authority
    workers = _rows(store, "workforce.Worker", "role", "started_on", "left_on")
    in_post = [(role, s) for role, s, left in workers if left is None]
    assert any(role == "ASYE" for role, _s in in_post)
    for role, s in in_post:
        if role == "ASYE":
            assert (END - s).days < 365
    assert any(role == "SW" and (END - s).days < 3 * 365 for role, s in in_post)


# --- what a referrer says ------------------------------------------------------------------------------


def test_contacts_carry_what_the_referrer_said(authority):
    """Each contact has the concerns in words, the reporter (name, role, organisation matching the
    source) and the child as named, so a contact page reads like real work."""
    _request, store = authority
    partners = dict(_rows(store, "frontdoor.PartnerOrganisation", "id", "name"))
    report_rows = {
        r[0]: r
        for r in _rows(
            store,
            "frontdoor.ContactReport",
            "id",
            "reporter_name",
            "reporter_role",
            "reporter_organisation",
            "concerns",
            "concern_categories",
            "source",
        )
    }
    contacts = _rows(
        store,
        "frontdoor.Contact",
        "report_id",
        "child_id",
        "source",
        "partner_organisation_id",
        "reporter_name",
        "reporter_organisation",
        "concerns",
        "named_first_name",
        "named_last_name",
        "named_date_of_birth",
    )
    first_names = dict(_rows(store, "people.Person", "id", "first_name"))
    assert len(contacts) > 1000
    texts = set()
    for report, child, source, partner, name, organisation, concerns, first, _last, _dob in contacts:
        r = report_rows[report]
        assert r[6] == source and r[1] and r[2] and r[5]
        assert concerns == r[4] and len(concerns) > 40
        texts.add(concerns)
        if source == "6":
            assert organisation == "Demo Borough Police" and name
        if source == "2A":
            assert "School" in organisation
        if partner is not None:
            assert organisation == partners[partner]  # the reporter works for the partner that sent it
        if first:
            assert first == first_names[child] and first in concerns
    assert len(texts) > len(contacts) / 3  # varied, not one sentence for all
    police = [r for r in report_rows.values() if r[6] == "6"]
    assert sum("DOMESTIC_ABUSE" in r[5] for r in police) / len(police) > 0.3
