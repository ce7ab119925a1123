"""Shared by the invariant tests of the child's journey records (``test_invariants_*.py``).

``make_child`` and ``open_cin`` make the records a test needs; the builders below give valid rows,
closed where the model has a closed state, so several can exist side by side. The ``world`` fixture
they take is in ``conftest.py``.

Every constraint is tested twice:

1. the DATABASE refuses the row even when the ORM's validation is bypassed
   (``objects.create`` / ``bulk_create`` / ``QuerySet.update`` raise ``IntegrityError``), and the
   error names the constraint, so the test cannot pass on some unrelated failure;
2. ``full_clean()`` raises ``ValidationError`` carrying the constraint's plain-English
   ``violation_error_message``.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from typing import Any

from grip.cases.models import CINEpisode, LookedAfterEpisode
from grip.people.models import Person

# --------------------------------------------------------------------------- helpers


_child_numbers = itertools.count(1)


def make_child(**kwargs: Any) -> Person:
    n = next(_child_numbers)
    fields = {
        "la_child_id": f"INV{n:06d}",
        "first_name": "Test",
        "last_name": f"Child{n}",
        "date_of_birth": date(2015, 5, 1),
    }
    return Person.objects.create(**(fields | kwargs))


def open_cin(child: Person, **kwargs: Any) -> CINEpisode:
    fields = {"child": child, "referral_date": date(2024, 1, 10), "referral_source": "1A"}
    return CINEpisode.objects.create(**(fields | kwargs))


# Valid rows, closed where the model has a closed state, so several can exist side by side.


def closed_cin(w) -> dict:
    return {
        "child": w.child,
        "referral_date": date(2023, 1, 10),
        "referral_source": "1A",
        "primary_need": "N1",
        "closure_date": date(2023, 6, 1),
        "closure_reason": "RC1",
    }


def closed_early_help(w) -> dict:
    return {
        "child": w.child,
        "started_on": date(2023, 1, 1),
        "ended_on": date(2023, 3, 1),
        "closure_reason": "NEEDS_MET",
    }


def closed_looked_after(w) -> dict:
    return {
        "child": w.child,
        "started_on": date(2023, 1, 1),
        "reason_new_episode": "S",
        "legal_status": "C2",
        "category_of_need": "N1",
        "placement_type": "U1",
        "placement_provider": "PR1",
        "ended_on": date(2023, 9, 1),
        "reason_ceased": "E11",
        "reason_place_change": "",
    }


def closed_cp_plan(w) -> dict:
    return {
        "episode": w.episode,
        "started_on": date(2024, 2, 1),
        "ended_on": date(2024, 8, 1),
        "initial_category": "NEG",
        "latest_category": "EMO",
    }


def assessment(w) -> dict:
    return {"episode": w.episode, "started_on": date(2024, 1, 12), "authorised_on": date(2024, 2, 20)}


def cin_plan(w) -> dict:
    return {"episode": w.episode, "started_on": date(2024, 2, 1), "ended_on": date(2024, 5, 1)}


def strategy(w) -> dict:
    return {
        "episode": w.episode,
        "requested_at": datetime(2024, 1, 11, 9, 30, tzinfo=UTC),
        "held_at": datetime(2024, 1, 11, 14, 0, tzinfo=UTC),
        "attended_by": ["SOCIAL_CARE", "POLICE"],
        "outcome": "S47",
    }


def section47(w) -> dict:
    return {"episode": w.episode, "started_on": date(2024, 1, 11), "completed_on": date(2024, 1, 20), "outcome": "ICPC"}


def conference(w) -> dict:
    return {"episode": w.episode, "conference_type": "RCPC", "plan": w.plan, "held_on": date(2024, 5, 1)}


def looked_after_review(w) -> dict:
    return {"child": w.child, "held_on": date(2024, 3, 1), "participation": "PN1"}


def missing(w) -> dict:
    return {
        "child": w.child,
        "missing_type": "M",
        "started_at": datetime(2024, 3, 1, 22, 0, tzinfo=UTC),
        "ended_at": datetime(2024, 3, 2, 9, 30, tzinfo=UTC),
        "return_interview_offered": True,
        "return_interview_at": datetime(2024, 3, 4, 15, 0, tzinfo=UTC),
    }


def missing_still_away(w) -> dict:
    return missing(w) | {"ended_at": None}


def closed_care_leaver(w) -> dict:
    return {"child": w.child, "started_on": date(2022, 1, 1), "ended_on": date(2023, 1, 1)}


def care_leaver_contact(w) -> dict:
    return {
        "care_leaver": w.care_leaver,
        "contact_on": date(2024, 4, 1),
        "in_touch": "YES",
        "activity": "F1",
        "accommodation": "B1",
    }


def visit(w) -> dict:
    return {
        "child": w.child,
        "visit_type": "CIN",
        "visited_on": date(2024, 2, 3),
        "child_seen": True,
        "seen_alone": True,
    }


def health_assessment(w) -> dict:
    return {"child": w.child, "held_on": date(2024, 3, 1), "assessment_type": "IHA"}


def care_plan(w) -> dict:
    episode = LookedAfterEpisode.objects.create(**closed_looked_after(w))
    return {"child": w.child, "episode": episode, "made_on": date(2023, 1, 1)}


def core_group(w) -> dict:
    return {"plan": w.plan, "held_on": date(2024, 2, 12)}
