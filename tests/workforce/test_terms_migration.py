"""Migration 0003's data step: every worker on record when the history began gets one terms row,
their current terms, from the day they started (so "as at" any day since gives today's values)."""

from __future__ import annotations

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps

from grip.workforce.history import terms_on
from grip.workforce.models import WorkerTerms
from tests.cases.factories import WorkerFactory

pytestmark = pytest.mark.django_db
MIGRATION = importlib.import_module("grip.workforce.migrations.0004_establishment")


def test_each_worker_gets_their_current_terms_from_their_start():
    manager = WorkerFactory(role="TM")
    worker = WorkerFactory(
        role="SSW", fte=Decimal("0.80"), employment_type="AGENCY", manager=manager, started_on=date(2021, 4, 6)
    )
    WorkerTerms.objects.all().delete()  # as before the migration: no history yet

    MIGRATION.one_terms_row_per_worker(apps, None)

    assert WorkerTerms.objects.count() == 2
    terms = terms_on(worker, date(2021, 4, 6))
    assert (terms.role, terms.team, terms.fte, terms.employment_type, terms.manager) == (
        "SSW",
        worker.team,
        Decimal("0.80"),
        "AGENCY",
        manager,
    )
    assert terms.ended_on is None and terms_on(worker, date(2021, 4, 5)) is None
