"""The ``world`` fixture of the invariant tests (``test_invariants_*.py``): a child with an open CIN
episode and a child protection plan, and a care leaver."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from grip.cases.models import CareLeaverEpisode, ChildProtectionPlan

from .invariants_support import make_child, open_cin


@pytest.fixture
def world() -> SimpleNamespace:
    child = make_child()
    episode = open_cin(child)
    plan = ChildProtectionPlan.objects.create(
        episode=episode, started_on=date(2024, 2, 1), initial_category="NEG", latest_category="NEG"
    )
    care_leaver = CareLeaverEpisode.objects.create(child=make_child(), started_on=date(2024, 1, 1))
    return SimpleNamespace(child=child, episode=episode, plan=plan, care_leaver=care_leaver)
