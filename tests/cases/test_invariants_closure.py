"""Invariants of the child's journey records, closure reason iff closed: bad data is refused, with a clear message.

Each constraint is tested twice, in the database and by ``full_clean()``: see ``invariants_support``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import models

from grip.cases.models import CINEpisode, EarlyHelpEpisode, LookedAfterEpisode
from tests.invariants import clean_refuses, db_refuses

from .invariants_support import closed_cin, closed_early_help, closed_looked_after, make_child

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------- closure reason iff closed


@dataclass(frozen=True)
class Closure:
    model: type[models.Model]
    base: Callable
    date_field: str
    reason_field: str
    constraint: str
    message: str

    def __str__(self) -> str:
        return self.model.__name__


CLOSURES = [
    Closure(
        CINEpisode,
        closed_cin,
        "closure_date",
        "closure_reason",
        "cases_cinepisode_closure_has_reason",
        "A closed CIN episode needs a reason for closure, and an open one has none.",
    ),
    Closure(
        LookedAfterEpisode,
        closed_looked_after,
        "ended_on",
        "reason_ceased",
        "cases_lookedafterepisode_end_has_reason",
        "An ended episode needs a reason it ceased (REC), and an open one has none.",
    ),
    Closure(
        EarlyHelpEpisode,
        closed_early_help,
        "ended_on",
        "closure_reason",
        "cases_earlyhelp_closure_has_reason",
        "An ended early help episode needs a reason, and only an ended one has one.",
    ),
]


@pytest.mark.parametrize("rule", CLOSURES, ids=str)
@pytest.mark.parametrize("missing", ["reason", "closure"], ids=["closed-without-reason", "reason-without-closure"])
def test_a_closure_without_a_reason_or_a_reason_without_closure_is_refused(world, rule, missing):
    fields = rule.base(world) | ({rule.reason_field: ""} if missing == "reason" else {rule.date_field: None})
    db_refuses(rule.model, fields, rule.constraint)
    clean_refuses(rule.model(**fields), rule.message)


@pytest.mark.parametrize("rule", CLOSURES, ids=str)
def test_open_without_reason_and_closed_with_reason_are_accepted(world, rule):
    closed = rule.base(world)
    rule.model(**closed).full_clean()
    rule.model.objects.create(**closed)
    opened = closed | {rule.date_field: None, rule.reason_field: "", "child": make_child()}
    rule.model(**opened).full_clean()
    rule.model.objects.create(**opened)
