"""The generator follows the front door's path (issue 11): a strategy discussion is requested,
then held with a time and an outcome; only an outcome of "section 47" starts an enquiry, dated
from that discussion; a referral closed with no further action carries no assessment (CIN census
rule 8831); the referral date is the day the contact was received."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from grip.seed.parameters import load_parameters
from grip.seed.simulate import SeedRequest, simulate_authority

END = date(2026, 3, 31)


@pytest.fixture(scope="module")
def store():
    return simulate_authority(SeedRequest(seed=5, scale=0.05, years=1, end=END))


def rows(store, label, *names):
    return list(zip(*(store.column(label, n) for n in names), strict=True))


def test_discussions_are_requested_then_held_with_a_time_and_an_outcome(store):
    discussions = rows(store, "cases.StrategyDiscussion", "requested_at", "held_at", "outcome", "attended_by")
    assert len(discussions) > 100
    for requested, held, outcome, attended in discussions:
        assert requested is not None
        if held is None:  # asked for near the end of the window, not yet held
            assert outcome == "" and attended == []
        else:
            assert held >= requested and outcome and {"SOCIAL_CARE", "POLICE"} <= set(attended)
    assert len({held.time() for _r, held, _o, _a in discussions if held}) > 50  # times, not midnights


def test_not_every_discussion_starts_a_section_47_and_each_enquiry_dates_from_its_discussion(store):
    discussions = {
        pk: (held, outcome) for pk, held, outcome in rows(store, "cases.StrategyDiscussion", "id", "held_at", "outcome")
    }
    outcomes = Counter(outcome for held, outcome in discussions.values() if held)
    share = outcomes["S47"] / sum(outcomes.values())
    assert share == pytest.approx(load_parameters().rate("strategy_discussions", "section47_per_discussion"), abs=0.06)
    assert {"NO_S47_CIN", "NO_S47_NFA"} <= set(outcomes)
    for discussion, started in rows(store, "cases.Section47Enquiry", "strategy_discussion_id", "started_on"):
        held, outcome = discussions[discussion]
        assert outcome == "S47" and started == held.date()
    started_by = Counter(d for (d,) in rows(store, "cases.Section47Enquiry", "strategy_discussion_id"))
    assert max(started_by.values()) == 1


def test_a_referral_closed_with_no_further_action_carries_no_assessment(store):
    nfa = {pk for pk, flag in rows(store, "cases.CINEpisode", "id", "referral_nfa") if flag}
    assert nfa
    assert not nfa & set(store.column("cases.Assessment", "episode_id"))
    assert not nfa & set(store.column("cases.Section47Enquiry", "episode_id"))


def test_the_referral_date_is_the_day_the_contact_was_received(store):
    received = dict(rows(store, "frontdoor.Contact", "id", "received_at"))
    referred = [(c, r) for c, r in rows(store, "cases.CINEpisode", "contact_id", "referral_date") if c is not None]
    assert referred and all(received[c].date() == r for c, r in referred)
