"""Invariants of the child's journey records, at most one open: bad data is refused, with a clear message.

Each constraint is tested twice, in the database and by ``full_clean()``: see ``invariants_support``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.db import models

from grip.cases.models import (
    CareLeaverEpisode,
    ChildProtectionPlan,
    CINEpisode,
    EarlyHelpAssessment,
    EarlyHelpEpisode,
    LookedAfterEpisode,
)
from tests.invariants import clean_refuses, db_refuses, db_refuses_action

from .invariants_support import make_child, open_cin

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------- at most one open


@dataclass(frozen=True)
class OneOpen:
    model: type[models.Model]
    owner_field: str
    make_owner: Callable[[], Any]
    open_fields: Callable[[Any], dict]
    close: dict
    constraint: str
    sqlite_unique: str
    message: str

    def __str__(self) -> str:
        return self.model.__name__


ONE_OPEN = [
    OneOpen(
        CINEpisode,
        "child",
        make_child,
        lambda child: {"child": child, "referral_date": date(2024, 1, 10), "referral_source": "1A"},
        {"closure_date": date(2024, 3, 1), "closure_reason": "RC8"},
        "cases_one_open_cin_episode_per_child",
        "UNIQUE constraint failed: cases_cinepisode.child_id",
        "This child already has an open CIN episode.",
    ),
    OneOpen(
        ChildProtectionPlan,
        "episode",
        lambda: open_cin(make_child()),
        lambda episode: {
            "episode": episode,
            "started_on": date(2024, 2, 1),
            "initial_category": "PHY",
            "latest_category": "PHY",
        },
        {"ended_on": date(2024, 3, 1)},
        "cases_one_open_cp_plan_per_episode",
        "UNIQUE constraint failed: cases_childprotectionplan.episode_id",
        "This child already has an open child protection plan.",
    ),
    OneOpen(
        LookedAfterEpisode,
        "child",
        make_child,
        lambda child: {
            "child": child,
            "started_on": date(2024, 1, 10),
            "reason_new_episode": "S",
            "legal_status": "V2",
            "category_of_need": "N1",
            "placement_type": "U1",
        },
        {"ended_on": date(2024, 3, 1), "reason_ceased": "E13"},
        "cases_one_open_looked_after_episode_per_child",
        "UNIQUE constraint failed: cases_lookedafterepisode.child_id",
        "This child already has an open looked-after episode.",
    ),
    OneOpen(
        CareLeaverEpisode,
        "child",
        make_child,
        lambda child: {"child": child, "started_on": date(2024, 1, 10)},
        {"ended_on": date(2024, 3, 1)},
        "cases_one_open_care_leaver_episode_per_child",
        "UNIQUE constraint failed: cases_careleaverepisode.child_id",
        "This young person already has open care leaver support.",
    ),
    OneOpen(
        EarlyHelpEpisode,
        "child",
        make_child,
        lambda child: {"child": child, "started_on": date(2024, 1, 10)},
        {"ended_on": date(2024, 3, 1), "closure_reason": "NEEDS_MET"},
        "cases_one_open_early_help_per_child",
        "UNIQUE constraint failed: cases_earlyhelpepisode.child_id",
        "This child already has early help open.",
    ),
    OneOpen(
        EarlyHelpAssessment,
        "episode",
        lambda: EarlyHelpEpisode.objects.create(child=make_child(), started_on=date(2024, 1, 10)),
        lambda episode: {"episode": episode, "started_on": date(2024, 1, 12), "organisation": "SCHOOL"},
        {"completed_on": date(2024, 3, 1)},
        "cases_one_open_early_help_assessment",
        "UNIQUE constraint failed: cases_earlyhelpassessment.episode_id",
        "An early help assessment is already under way.",
    ),
]


@pytest.mark.parametrize("rule", ONE_OPEN, ids=str)
def test_second_open_one_is_refused(rule):
    owner = rule.make_owner()
    rule.model.objects.create(**rule.open_fields(owner))
    second = rule.open_fields(owner)
    db_refuses(rule.model, second, rule.constraint, rule.sqlite_unique)
    clean_refuses(rule.model(**second), rule.message)


@pytest.mark.parametrize("rule", ONE_OPEN, ids=str)
def test_two_open_ones_in_one_bulk_create_are_refused(rule):
    owner = rule.make_owner()
    db_refuses_action(
        lambda: rule.model.objects.bulk_create(
            [rule.model(**rule.open_fields(owner)), rule.model(**rule.open_fields(owner))]
        ),
        rule.constraint,
        rule.sqlite_unique,
    )
    assert not rule.model.objects.filter(**{rule.owner_field: owner}).exists()


@pytest.mark.parametrize("rule", ONE_OPEN, ids=str)
def test_a_new_one_after_the_first_closes_is_accepted(rule):
    owner = rule.make_owner()
    first = rule.model.objects.create(**rule.open_fields(owner))
    for name, value in rule.close.items():
        setattr(first, name, value)
    first.full_clean()
    first.save()
    second = rule.model(**rule.open_fields(owner))
    second.full_clean()
    second.save()
    closed_again = rule.model(**(rule.open_fields(owner) | rule.close))
    closed_again.full_clean()
    closed_again.save()
    assert rule.model.objects.filter(**{rule.owner_field: owner}).count() == 3


@pytest.mark.parametrize("rule", ONE_OPEN, ids=str)
def test_open_ones_of_different_owners_are_independent(rule):
    for owner in (rule.make_owner(), rule.make_owner()):
        row = rule.model(**rule.open_fields(owner))
        row.full_clean()
        row.save()


@pytest.mark.parametrize("rule", ONE_OPEN, ids=str)
def test_reopening_a_closed_one_while_another_is_open_is_refused(rule):
    owner = rule.make_owner()
    closed = rule.model.objects.create(**(rule.open_fields(owner) | rule.close))
    rule.model.objects.create(**rule.open_fields(owner))
    reopen = {name: (None if isinstance(value, date) else "") for name, value in rule.close.items()}
    db_refuses_action(
        lambda: rule.model.objects.filter(pk=closed.pk).update(**reopen), rule.constraint, rule.sqlite_unique
    )
    for name, value in reopen.items():
        setattr(closed, name, value)
    clean_refuses(closed, rule.message)
