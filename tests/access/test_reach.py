"""Scope asks every app that owns work for the children its records bring within reach
(grip.access.reach). If an app stopped registering, its people would silently lose sight of their
children: this test names the reaches Grip must have, written from the scope policy
(docs/security.md, "Who sees what"), not read from the code."""

from __future__ import annotations

import pytest

from grip.access import reach

EXPECTED = {
    ("allocation", "allocated to them, their team or their service area", True),
    ("allocation", "waiting in their team's queue", False),
}


def test_every_reach_the_policy_names_is_registered_and_no_other():
    assert {(r.owner, r.name, r.first) for r in reach.registered()} == EXPECTED


def test_the_reach_asked_first_leads():
    assert reach.registered()[0].first


def test_a_second_reach_cannot_claim_to_be_asked_first():
    with pytest.raises(ValueError, match="Only one reach"):
        reach.register(name="another", owner="elsewhere", condition=lambda user, roles: None, first=True)
    assert "another" not in {r.name for r in reach.registered()}


def test_the_apps_above_cases_add_their_records_to_a_childs_journey_and_stage():
    """A child's journey shows contacts, allocations and the management decisions made on the case in
    supervision (grip.cases.journey), and a child known
    only through a contact is at stage "contact": both come from the apps that own those records."""
    from grip.cases import journey, selectors

    assert journey.registered_sources() == ("allocation", "contact", "supervision_decision")
    assert selectors._last_contact is not None
