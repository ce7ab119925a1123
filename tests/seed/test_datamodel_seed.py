"""The generator records what the data model asks of a record (issue 11, "The data model"):
"no disability" as NONE rather than blank, and every visit saying whether the child was seen."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from grip.seed.simulate import SeedRequest, simulate_authority

END = date(2026, 3, 31)


@pytest.fixture(scope="module")
def store():
    return simulate_authority(SeedRequest(seed=5, scale=0.02, years=1, end=END))


def _rows(store, label):
    spec = next(spec for spec, _rows in store.tables() if spec.label == label)
    rows = next(rows for s, rows in store.tables() if s.label == label)
    return [dict(zip(spec.attnames, row, strict=True)) for row in rows]


def test_most_born_children_are_recorded_with_no_disability_not_blank(store):
    children = [p for p in _rows(store, "people.Person") if p["la_child_id"] and p["date_of_birth"]]
    kinds = Counter(
        "none" if p["disabilities"] == ["NONE"] else "blank" if p["disabilities"] == [] else "disabled"
        for p in children
    )
    assert len(children) > 500
    assert kinds["blank"] == 0
    assert kinds["none"] / len(children) > 0.8  # parameters.toml: 8% disabled
    assert 0 < kinds["disabled"] / len(children) < 0.15


def test_every_seeded_visit_says_whether_the_child_was_seen(store):
    visits = _rows(store, "cases.Visit")
    assert visits
    assert all(isinstance(v["child_seen"], bool) and isinstance(v["seen_alone"], bool) for v in visits)
    assert not [v for v in visits if v["seen_alone"] and not v["child_seen"]]


def test_every_seeded_placement_code_is_valid_in_the_year_its_episode_started(store):
    from grip.core.codelists import codelist, collection_year

    episodes = _rows(store, "cases.LookedAfterEpisode")
    places = codelist("placement_type")
    wrong = [(e["placement_type"], e["started_on"]) for e in episodes]
    wrong = [(code, day) for code, day in wrong if not places.valid_in(code, collection_year(day))]
    assert episodes and not wrong, wrong[:5]
    # Before K3 existed (2024-25), supported accommodation was recorded as H5.
    assert not [e for e in episodes if e["placement_type"] == "H5" and collection_year(e["started_on"]) >= "2024-25"]
