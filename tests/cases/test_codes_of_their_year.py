"""A looked-after episode keeps the placement code of the year it started in (issue 11): a retired
code is accepted for an old episode and refused for a new one, by the model; the database allows
every code ever valid, so historic episodes load unchanged, and still refuses a code never valid."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from grip.cases.models import LookedAfterEpisode
from tests.invariants import db_refuses

from .invariants_support import closed_looked_after

pytestmark = pytest.mark.django_db


def episode(world, code: str, started: date) -> dict:
    return closed_looked_after(world) | {
        "placement_type": code,
        "started_on": started,
        "ended_on": date(started.year + 1, started.month, 1),
    }


@pytest.mark.parametrize(
    ("code", "started"),
    [("Z1", date(2024, 6, 1)), ("H5", date(2023, 9, 1)), ("P2", date(2025, 3, 31)), ("Z11", date(2025, 4, 1))],
)
def test_a_code_valid_in_the_episodes_year_is_accepted_and_stored(world, code, started):
    fields = episode(world, code, started)
    LookedAfterEpisode(**fields).full_clean()
    saved = LookedAfterEpisode.objects.create(**fields)
    assert LookedAfterEpisode.objects.get(pk=saved.pk).placement_type == code


@pytest.mark.parametrize(
    ("code", "started", "year"),
    [("Z1", date(2025, 4, 1), "2025-26"), ("H5", date(2026, 1, 5), "2025-26"), ("Z12", date(2024, 6, 1), "2024-25")],
)
def test_a_code_not_valid_in_the_episodes_year_is_refused(world, code, started, year):
    with pytest.raises(ValidationError) as caught:
        LookedAfterEpisode(**episode(world, code, started)).full_clean()
    (message,) = caught.value.message_dict["placement_type"]
    assert message.startswith(f"{code} (") and f"not in {year}" in message


def test_the_database_allows_a_retired_code_but_not_one_never_valid(world):
    LookedAfterEpisode.objects.create(**episode(world, "Z1", date(2025, 6, 1)))  # bypassing the model: allowed
    db_refuses(
        LookedAfterEpisode, episode(world, "Z9", date(2024, 6, 1)), "cases_lookedafterepisode_placement_type_code"
    )
