"""Idle timeout: a session ends GRIP_IDLE_TIMEOUT_MINUTES after its last request."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from config.settings import base

from .settings_probe import settings_of

START = dt.datetime(2026, 3, 4, 9, 0, tzinfo=ZoneInfo("Europe/London"))


def test_sessions_slide_for_thirty_minutes_and_end_with_the_browser():
    assert base.SESSION_COOKIE_AGE == 30 * 60
    assert base.SESSION_SAVE_EVERY_REQUEST is True
    assert base.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert base.SESSION_COOKIE_HTTPONLY is True


def test_the_timeout_comes_from_the_environment():
    probed = settings_of("config.settings.dev", {"GRIP_IDLE_TIMEOUT_MINUTES": "10"}, ["SESSION_COOKIE_AGE"])

    assert probed == {"SESSION_COOKIE_AGE": 600}


@pytest.mark.django_db
def test_a_session_idle_past_the_limit_is_signed_out(client, social_worker, time_machine):
    time_machine.move_to(START, tick=False)
    client.force_login(social_worker)
    assert client.get(reverse("web:home")).status_code == 200

    time_machine.shift(dt.timedelta(minutes=30, seconds=1))
    response = client.get(reverse("web:home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("web:login"))


@pytest.mark.django_db
def test_an_active_session_is_not(client, social_worker, time_machine):
    time_machine.move_to(START, tick=False)
    client.force_login(social_worker)

    for _ in range(8):  # two hours, a page every quarter of an hour
        time_machine.shift(dt.timedelta(minutes=15))
        assert client.get(reverse("web:home")).status_code == 200


@pytest.mark.django_db
def test_the_session_cookie_is_not_kept_after_the_browser_closes(client, social_worker):
    client.force_login(social_worker)

    cookie = client.get(reverse("web:home")).cookies["sessionid"]

    assert cookie["max-age"] == "" and cookie["expires"] == ""
    assert cookie["httponly"] is True
