"""Schemathesis fuzzes the published OpenAPI schema in-process against the WSGI application
(issue 12): every request the schema allows is accepted, every one it forbids is refused with a
4xx, no answer is a server error, and every answer matches the schema. A bounded number of
examples per generation mode keeps it well under a minute."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from grip.api.authentication import partner_token_create
from grip.frontdoor.models import PartnerOrganisation

pytestmark = pytest.mark.django_db
EXAMPLES = 60  # per operation and generation mode

# OpenAPI 3.0 cannot state a bound relative to today, so the schema states those in x-not-before /
# x-not-after (grip/api/schema_rules.py) and in words; the fuzzer's date formats keep to them, and
# the NHS number's check digit (format "nhs-number") is computed as the NHS defines it.
NOT_BEFORE, NOT_AFTER = timedelta(days=30), timedelta(minutes=5)


def _recent_times():
    now = timezone.now()
    span = int((NOT_BEFORE - timedelta(minutes=1)).total_seconds())
    return st.integers(0, span).map(lambda s: (now - timedelta(seconds=s)).isoformat())


def _dates_up_to_today():
    return st.dates(date(2000, 1, 1), timezone.localdate()).map(date.isoformat)


def _nhs_number(digits: list[int]) -> str | None:
    check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
    check = 0 if check == 11 else check
    return None if check == 10 else "".join(map(str, digits)) + str(check)


NHS_NUMBERS = st.lists(st.integers(0, 9), min_size=9, max_size=9).map(_nhs_number).filter(bool)


@pytest.fixture
def published(db):
    police = PartnerOrganisation.objects.create(name="Fuzz Police", referral_source="6")
    key = partner_token_create(organisation=police, name="fuzz")[1]
    schemathesis.openapi.format("date-time", _recent_times())
    schemathesis.openapi.format("date", _dates_up_to_today())
    schemathesis.openapi.format("nhs-number", NHS_NUMBERS)
    # As Django's test client does: the test's transaction keeps its connection between requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with override_settings(GRIP_RATE_LIMITS={}):
            schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler())
            yield schema, {"Authorization": f"Bearer {key}"}
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


OPERATIONS = ["POST /api/v1/contacts/", "GET /api/v1/contacts/{reference}/"]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("label", OPERATIONS)
def test_the_schema_holds_every_rule_the_api_enforces(published, mode, label):
    schema, headers = published
    operations = {result.ok().label: result.ok() for result in schema.get_all_operations()}
    assert sorted(operations) == sorted(OPERATIONS)  # every operation is fuzzed: none skipped silently
    statuses = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operations[label].as_strategy(mode))
    def call(case):
        response = case.call_and_validate(
            headers=headers, additional_checks=[positive_data_acceptance, negative_data_rejection]
        )
        statuses.append(response.status_code)

    call()
    assert statuses, "no request was made"
