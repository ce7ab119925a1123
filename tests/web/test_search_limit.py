"""Child search is rate limited per user (issue 12): past GRIP_RATE_LIMITS["child_search"] a
search is answered 429 with a GOV.UK page and a Retry-After, and no search is run or audited."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse

from grip.access.models import RoleGrant
from grip.access.roles import Role
from grip.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
# Time stands still, so a minute's window cannot end part-way through a test.
FROZEN = datetime(2026, 3, 4, 10, 0, 20, tzinfo=UTC)


def signed_in(client, username):
    user = get_user_model().objects.create_user(username=username, password="x")
    RoleGrant.objects.create(user=user, role=Role.SOCIAL_WORKER)  # a role that may search
    client.force_login(user)
    return client


def test_searches_past_the_limit_get_a_govuk_429_page(client, settings):
    settings.GRIP_RATE_LIMITS = {"child_search": "3/m"}
    cache.clear()
    signed_in(client, "searcher")
    with time_machine.travel(FROZEN, tick=False):
        answers = [client.get(reverse("web:child-search"), {"q": f"Smith{n}"}) for n in range(4)]
        empty_form = client.get(reverse("web:child-search"))

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert "Too many searches" in refused.text and "govuk-heading-l" in refused.text
    wait = int(refused["Retry-After"])  # the window's end: django-ratelimit staggers windows by key
    assert 1 <= wait <= 60 and f"Try again in {wait} second" in refused.text
    assert AuditEntry.objects.filter(verb="searched").count() == 3
    assert empty_form.status_code == 200  # the page itself, with no search, is not counted


def test_the_limit_is_per_user(client, settings):
    settings.GRIP_RATE_LIMITS = {"child_search": "1/m"}
    cache.clear()
    with time_machine.travel(FROZEN, tick=False):
        assert signed_in(client, "first").get(reverse("web:child-search"), {"q": "a"}).status_code == 200
        assert client.get(reverse("web:child-search"), {"q": "b"}).status_code == 429
        assert signed_in(client, "second").get(reverse("web:child-search"), {"q": "a"}).status_code == 200


def test_an_empty_rate_turns_the_limit_off(client, settings):
    settings.GRIP_RATE_LIMITS = {"child_search": ""}
    cache.clear()
    signed_in(client, "unlimited")
    with time_machine.travel(FROZEN, tick=False):
        assert {client.get(reverse("web:child-search"), {"q": "x"}).status_code for _ in range(5)} == {200}
