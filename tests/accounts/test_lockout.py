"""Brute force: django-axes locks sign-in after 5 failures for a username or from an address."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from config.settings import base

from .conftest import PASSWORD, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("axes_on")]

LONDON = ZoneInfo("Europe/London")


def sign_in(client, username, password, ip="10.0.0.1"):
    return client.post(reverse("web:login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def fail(client, times, username="sw1", ip="10.0.0.1"):
    for _ in range(times):
        response = sign_in(client, username, "not the password", ip=ip)
    return response


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_production_settings_lock_after_five_failures_for_fifteen_minutes():
    assert base.AXES_ENABLED is True
    assert base.AXES_FAILURE_LIMIT == 5
    assert base.AXES_COOLOFF_TIME == dt.timedelta(minutes=15)
    assert base.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]
    assert base.AUTHENTICATION_BACKENDS[:2] == [
        "axes.backends.AxesStandaloneBackend",
        "grip.accounts.backends.UserWithWorkerBackend",
    ]
    assert "rules.permissions.ObjectPermissionBackend" in base.AUTHENTICATION_BACKENDS
    assert base.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


def test_four_failures_do_not_lock(client, social_worker):
    assert fail(client, 4).status_code == 200

    response = sign_in(client, "sw1", PASSWORD)

    assert response.status_code == 302
    assert signed_in(client)


def test_five_wrong_passwords_from_two_addresses_then_the_right_one_is_refused(client, social_worker):
    fail(client, 3, ip="10.0.0.1")
    fifth = fail(client, 2, ip="10.0.0.2")
    assert fifth.status_code == 429

    response = sign_in(client, "sw1", PASSWORD, ip="10.0.0.3")

    assert response.status_code == 429
    assert not signed_in(client)
    assert "Signing in is locked for 15 minutes" in response.content.decode()


def test_five_failures_from_one_address_lock_that_address_for_every_username(client, social_worker):
    for n in range(5):
        sign_in(client, f"guess{n}", "password1", ip="10.0.0.9")

    assert sign_in(client, "sw1", PASSWORD, ip="10.0.0.9").status_code == 429
    assert not signed_in(client)
    # The account itself is not locked: only that address is.
    assert sign_in(client, "sw1", PASSWORD, ip="10.0.0.10").status_code == 302


def test_the_lock_ends_after_the_cool_off(client, social_worker, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 4, 14, 0, tzinfo=LONDON), tick=False)
    fail(client, 5)

    time_machine.shift(dt.timedelta(minutes=14, seconds=59))
    assert sign_in(client, "sw1", PASSWORD).status_code == 429

    time_machine.shift(dt.timedelta(seconds=2))
    assert sign_in(client, "sw1", PASSWORD).status_code == 302
    assert signed_in(client)


def test_attempts_while_locked_do_not_extend_the_lock(client, social_worker, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 4, 14, 0, tzinfo=LONDON), tick=False)
    fail(client, 5)
    time_machine.shift(dt.timedelta(minutes=10))
    fail(client, 3)

    time_machine.shift(dt.timedelta(minutes=5, seconds=1))

    assert sign_in(client, "sw1", PASSWORD).status_code == 302


def test_the_locked_out_page_says_what_happened_and_when_to_try_again(client, social_worker, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 4, 14, 0, tzinfo=LONDON), tick=False)

    response = fail(client, 5)

    html = response.content.decode()
    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/html")
    assert 'class="govuk-template' in html
    assert "<title>Signing in is locked – Grip" in html
    assert "There have been 5 unsuccessful attempts to sign in" in html
    assert "You can try again after 2:15pm." in html


def test_the_locked_out_page_gives_the_date_when_the_lock_ends_tomorrow(client, social_worker, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 4, 23, 50, tzinfo=LONDON), tick=False)

    response = fail(client, 5)

    assert "You can try again after 12:05am on 5 March 2026." in response.content.decode()


def test_a_locked_out_attempt_writes_nothing_sensitive_to_the_page(client, social_worker):
    fail(client, 5, username="sw1", ip="10.0.0.77")

    response = sign_in(client, "sw1", PASSWORD, ip="10.0.0.77")

    html = response.content.decode()
    assert response.status_code == 429
    for secret in ("sw1", PASSWORD, "not the password", "10.0.0.77", "Traceback", "axes", "AccessAttempt"):
        assert secret not in html
    assert 'name="password"' not in html and 'name="username"' not in html


def test_an_unknown_username_is_locked_the_same_way(client, db):
    fail(client, 5, username="nobody")
    make_user("nobody")

    assert sign_in(client, "nobody", PASSWORD, ip="10.0.0.5").status_code == 429


def test_a_successful_sign_in_clears_earlier_failures(client, social_worker):
    fail(client, 4)
    sign_in(client, "sw1", PASSWORD)
    client.logout()

    assert fail(client, 4).status_code == 200
    assert sign_in(client, "sw1", PASSWORD).status_code == 302


def test_x_forwarded_for_is_ignored_without_a_trusted_proxy(client, social_worker):
    for n in range(5):
        client.post(
            reverse("web:login"),
            {"username": f"guess{n}", "password": "x"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )

    assert sign_in(client, "sw1", PASSWORD, ip="10.0.0.1").status_code == 429


def test_behind_one_proxy_the_address_it_saw_is_the_one_locked(client, social_worker, settings):
    settings.GRIP_PROXY_COUNT = 1
    for n in range(5):
        # A client forging the left-hand part does not escape: the proxy appended 203.0.113.9.
        client.post(
            reverse("web:login"),
            {"username": f"guess{n}", "password": "x"},
            REMOTE_ADDR="10.0.0.254",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.9",
        )

    locked = client.post(
        reverse("web:login"),
        {"username": "sw1", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.254",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    elsewhere = client.post(
        reverse("web:login"),
        {"username": "sw1", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.254",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )

    assert locked.status_code == 429
    assert elsewhere.status_code == 302
