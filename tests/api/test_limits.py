"""The partner API's limits, answered in JSON (issue 12): requests per API key a minute (429 with
Retry-After) and the body's size (413), both from settings; nothing is saved past either."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core.cache import cache

from grip.frontdoor.models import ContactReport

from .conftest import client_with, payload

pytestmark = pytest.mark.django_db
URL = "/api/v1/contacts/"
FROZEN = datetime(2026, 3, 4, 10, 0, 50, tzinfo=UTC)  # time stands still: no window ends mid-test


def test_requests_past_the_per_key_limit_are_answered_429_in_json(api, school_key, settings):
    settings.GRIP_RATE_LIMITS = {"partner_api": "2/m"}
    cache.clear()
    with time_machine.travel(FROZEN, tick=False):
        answers = [api.get(f"{URL}FD0000001/") for _ in range(3)]
        other_key = client_with(school_key).get(f"{URL}FD0000001/")
    assert [a.status_code for a in answers] == [404, 404, 429]
    refused = answers[-1]
    assert refused["Content-Type"] == "application/json"
    assert "throttled" in refused.json()["detail"] and 1 <= int(refused["Retry-After"]) <= 60
    assert other_key.status_code == 404  # the limit is per key


def test_a_new_contact_past_the_limit_is_not_saved(api, settings):
    settings.GRIP_RATE_LIMITS = {"partner_api": "1/m"}
    cache.clear()
    with time_machine.travel(FROZEN, tick=False):
        first = api.post(URL, payload(), format="json")
        second = api.post(URL, payload(concerns="A second concern."), format="json")
    assert (first.status_code, second.status_code) == (201, 429)
    assert ContactReport.objects.count() == 1


def test_a_body_past_the_limit_is_answered_413_in_json_and_saves_nothing(api, settings):
    settings.GRIP_API_MAX_BODY_BYTES = 2000
    cache.clear()
    small = api.post(URL, payload(), format="json")
    large = api.post(URL, payload(concerns="x" * 3000), format="json")
    assert (small.status_code, large.status_code) == (201, 413)
    assert large["Content-Type"] == "application/json"
    assert large.json()["detail"].startswith("The request's body is larger than 2000 bytes")
    assert ContactReport.objects.count() == 1


def test_the_default_limits_are_explicit_settings():
    from django.conf import settings

    assert settings.GRIP_API_MAX_BODY_BYTES == 256 * 1024
    assert settings.GRIP_RATE_LIMITS == {"partner_api": "120/m", "child_search": "60/m", "record_not_found": "30/m"}
