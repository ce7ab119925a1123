"""Replacing the authenticator app needs the second factor (a code from the current app, or a
recovery code), never the password alone; only an administrator's reset opens set-up to the password.

How someone with only the password could get a working authenticator before this change: every
session setting up was shown the same unconfirmed key, so whoever opened the set-up page while its
owner was setting up (the first time, or after their app was deleted in the Django admin, the old
lost-phone route) held a copy of the owner's key; and once an app was deleted, anyone signing in
with the password was offered set-up.
"""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from grip.audit.models import AuditEntry

from .steps import NEW_APP, TWO_FACTOR, code_for, set_up_with_the_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def otp_on(settings):
    settings.GRIP_REQUIRE_SECOND_FACTOR = True


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 4, 9, 0, 0, tzinfo=dt.UTC), tick=False)
    return time_machine


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def secret_on(html: str) -> str:
    return html.split('data-testid="otp-secret"><code>')[1].split("</code>")[0]


def new_app_key(client) -> TOTPDevice:
    """Open the new-app page; the (unconfirmed) app it shows."""
    client.get(NEW_APP)
    return TOTPDevice.objects.get(pk=client.session["grip_pending_authenticator"])


def test_another_session_setting_up_is_shown_another_key_and_loses_when_the_first_confirms(social_worker, otp_on):
    owner, intruder = signed_in(social_worker), signed_in(social_worker)

    owner_secret = secret_on(owner.get(TWO_FACTOR).content.decode())
    intruder_secret = secret_on(intruder.get(TWO_FACTOR).content.decode())
    assert owner_secret != intruder_secret
    intruders_app = TOTPDevice.objects.get(pk=intruder.session["grip_pending_authenticator"])
    owners_app = TOTPDevice.objects.get(pk=owner.session["grip_pending_authenticator"])
    assert "Your recovery codes" in owner.post(TWO_FACTOR, {"code": code_for(owners_app)}).content.decode()

    # The intruder's half-finished app is gone and their session is asked for the owner's app's code.
    response = intruder.post(TWO_FACTOR, {"code": code_for(intruders_app)})

    assert not TOTPDevice.objects.filter(pk=intruders_app.pk).exists()
    assert "Set up your authenticator app" not in response.content.decode()
    assert intruder.get(reverse("web:home")).status_code == 302
    assert list(TOTPDevice.objects.filter(user=social_worker)) == [owners_app]


def test_an_app_removed_without_a_reset_cannot_be_set_up_again_with_the_password(client, social_worker, otp_on):
    client.force_login(social_worker)
    set_up_with_the_pages(client, social_worker)
    TOTPDevice.objects.filter(user=social_worker).delete()  # e.g. deleted in the Django admin
    intruder = signed_in(social_worker)

    page = intruder.get(TWO_FACTOR + "?next=/children/")

    assert page.status_code == 302 and page.url == NEW_APP + "?next=%2Fchildren%2F"
    html = intruder.get(page.url).content.decode()
    assert "Your authenticator app has been removed. To set up a new one, enter one of your recovery codes" in html
    pending = TOTPDevice.objects.get(pk=intruder.session["grip_pending_authenticator"])
    refused = intruder.post(NEW_APP, {"proof": "", "code": code_for(pending)})
    assert "Enter a code from your current authenticator app, or one of your recovery codes" in refused.content.decode()
    assert not TOTPDevice.objects.filter(user=social_worker, confirmed=True).exists()
    assert intruder.get(reverse("web:home")).status_code == 302


def test_a_new_app_with_a_code_from_the_old_one(client, social_worker, otp_on, clock):
    client.force_login(social_worker)
    old, _codes = set_up_with_the_pages(client, social_worker)
    clock.shift(dt.timedelta(seconds=60))
    new = new_app_key(client)

    response = client.post(NEW_APP, {"proof": code_for(old), "code": code_for(new), "next": "/children/"})

    html = response.content.decode()
    assert response.status_code == 200 and "New authenticator app set up" in html
    assert "You have 10 recovery codes left" in html and 'href="/children/"' in html
    assert list(TOTPDevice.objects.filter(user=social_worker)) == [new]
    new.refresh_from_db()
    assert new.confirmed
    entry = AuditEntry.objects.get(verb="authenticator_replaced")
    assert entry.actor == social_worker and entry.payload == {"proved_with": "authenticator app"}


def test_a_lost_phone_a_recovery_code_signs_in_and_sets_up_a_new_app(client, social_worker, otp_on):
    client.force_login(social_worker)
    old, codes = set_up_with_the_pages(client, social_worker)
    later = signed_in(social_worker)
    assert 'href="/account/two-factor/new-app/?next=' in later.get(TWO_FACTOR).content.decode()
    new = new_app_key(later)

    response = later.post(NEW_APP, {"proof": codes[0], "code": code_for(new)})

    assert "New authenticator app set up" in response.content.decode()
    assert "You have 9 recovery codes left" in response.content.decode()
    assert later.get(reverse("web:home")).status_code == 200
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert [e.verb for e in AuditEntry.objects.filter(actor=social_worker).order_by("id")][-2:] == [
        "recovery_code_used",
        "authenticator_replaced",
    ]


def test_a_wrong_proof_changes_nothing(client, social_worker, otp_on, clock):
    client.force_login(social_worker)
    old, _codes = set_up_with_the_pages(client, social_worker)
    clock.shift(dt.timedelta(seconds=60))
    later = signed_in(social_worker)
    new = new_app_key(later)

    wrong_app_code = f"{(int(code_for(old)) + 1) % 1_000_000:06d}"
    by_app = later.post(NEW_APP, {"proof": wrong_app_code, "code": code_for(new)}).content.decode()
    clock.shift(dt.timedelta(seconds=60))
    by_recovery_code = later.post(NEW_APP, {"proof": "zzzzz-zzzzz", "code": code_for(new)}).content.decode()

    assert "That code is not right. Enter the code your current authenticator app shows now" in by_app
    assert "That recovery code is not right, or it has already been used" in by_recovery_code
    assert "<title>Error: Set up a new authenticator app" in by_app
    assert list(TOTPDevice.objects.filter(user=social_worker, confirmed=True)) == [old]
    assert not AuditEntry.objects.filter(verb="authenticator_replaced").exists()
    assert later.get(reverse("web:home")).status_code == 302


def test_without_an_app_there_is_nothing_to_replace(client, social_worker):
    client.force_login(social_worker)

    html = client.get(NEW_APP).content.decode()

    assert "You have no authenticator app to replace" in html
    assert not TOTPDevice.objects.filter(user=social_worker).exists()
