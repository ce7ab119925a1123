"""Invariants of the child's journey records, dates in order: bad data is refused, with a clear message.

Each constraint is tested twice, in the database and by ``full_clean()``: see ``invariants_support``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import models

from grip.cases.models import (
    Assessment,
    CareLeaverEpisode,
    ChildProtectionPlan,
    CINEpisode,
    CINPlan,
    EarlyHelpEpisode,
    LookedAfterEpisode,
    MissingEpisode,
    Section47Enquiry,
)
from tests.invariants import clean_refuses, db_refuses, db_refuses_action

from .invariants_support import (
    assessment,
    cin_plan,
    closed_care_leaver,
    closed_cin,
    closed_cp_plan,
    closed_early_help,
    closed_looked_after,
    missing,
    missing_still_away,
    section47,
)

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------- dates in order


@dataclass(frozen=True)
class Ordered:
    model: type[models.Model]
    base: Callable
    earlier: str
    later: str
    message: str

    def __str__(self) -> str:
        return f"{self.model.__name__}.{self.later}"


ORDERED = [
    Ordered(
        CINEpisode, closed_cin, "referral_date", "closure_date", "A CIN episode cannot close before its referral date."
    ),
    Ordered(EarlyHelpEpisode, closed_early_help, "started_on", "ended_on", "Early help cannot end before it starts."),
    Ordered(
        Assessment, assessment, "started_on", "authorised_on", "An assessment cannot be authorised before it starts."
    ),
    Ordered(CINPlan, cin_plan, "started_on", "ended_on", "A CIN plan cannot end before it starts."),
    Ordered(
        Section47Enquiry,
        section47,
        "started_on",
        "completed_on",
        "A section 47 enquiry cannot finish before it starts.",
    ),
    Ordered(
        ChildProtectionPlan,
        closed_cp_plan,
        "started_on",
        "ended_on",
        "A child protection plan cannot end before it starts.",
    ),
    Ordered(
        LookedAfterEpisode, closed_looked_after, "started_on", "ended_on", "An episode cannot end before it starts."
    ),
    Ordered(MissingEpisode, missing, "started_at", "ended_at", "A child cannot return before they went missing."),
    Ordered(MissingEpisode, missing, "ended_at", "return_interview_at", "A return interview follows the return."),
    Ordered(
        MissingEpisode,
        missing_still_away,
        "started_at",
        "return_interview_at",
        "A return interview follows the return.",
    ),
    Ordered(
        CareLeaverEpisode,
        closed_care_leaver,
        "started_on",
        "ended_on",
        "Care leaver support cannot end before it starts.",
    ),
]


def _step_back(value: date | datetime) -> date | datetime:
    return value - (timedelta(minutes=1) if isinstance(value, datetime) else timedelta(days=1))


@pytest.mark.parametrize("rule", ORDERED, ids=str)
def test_database_refuses_dates_out_of_order(world, rule):
    fields = rule.base(world)
    fields[rule.later] = _step_back(fields[rule.earlier])
    db_refuses(rule.model, fields, f"cases_{rule.model._meta.model_name}_{rule.later}_after_{rule.earlier}")


@pytest.mark.parametrize("rule", ORDERED, ids=str)
def test_full_clean_refuses_dates_out_of_order(world, rule):
    fields = rule.base(world)
    fields[rule.later] = _step_back(fields[rule.earlier])
    clean_refuses(rule.model(**fields), rule.message)


@pytest.mark.parametrize("rule", ORDERED, ids=str)
def test_same_day_and_open_ended_are_in_order(world, rule):
    fields = rule.base(world)
    fields[rule.later] = fields[rule.earlier]
    rule.model(**fields).full_clean()
    rule.model.objects.create(**fields)


def test_a_return_interview_cannot_precede_going_missing_even_before_the_return(world):
    """With ended_at empty the ended_at rule is vacuous; the started_at rule still applies."""
    fields = missing_still_away(world) | {"return_interview_at": datetime(2024, 2, 1, tzinfo=UTC)}
    db_refuses(MissingEpisode, fields, "cases_missingepisode_return_interview_at_after_started_at")
    clean_refuses(MissingEpisode(**fields), "A return interview follows the return.")


def test_database_refuses_dates_out_of_order_via_bulk_create_and_update(world):
    db_refuses_action(
        lambda: CINPlan.objects.bulk_create(
            [
                CINPlan(episode=world.episode, started_on=date(2024, 2, 1), ended_on=date(2024, 3, 1)),
                CINPlan(episode=world.episode, started_on=date(2024, 2, 1), ended_on=date(2024, 1, 31)),
            ]
        ),
        "cases_cinplan_ended_on_after_started_on",
    )
    assert not CINPlan.objects.exists()

    plan = CINPlan.objects.create(**cin_plan(world))
    db_refuses_action(
        lambda: CINPlan.objects.filter(pk=plan.pk).update(ended_on=date(2024, 1, 1)),
        "cases_cinplan_ended_on_after_started_on",
    )


def test_assessment_cannot_start_before_the_referral_in_full_clean(world):
    """A cross-table rule (assessment vs its episode), so full_clean() only: no CHECK can see it."""
    fields = assessment(world) | {"started_on": date(2024, 1, 9), "authorised_on": None}
    clean_refuses(Assessment(**fields), "An assessment cannot start before the referral date.", "started_on")
    Assessment(**(fields | {"started_on": date(2024, 1, 10)})).full_clean()
