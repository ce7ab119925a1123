"""Recovery codes: given once when the authenticator app is set up, stored hashed, each usable
once instead of the app's code, renewed with a code from the app; every use and renewal audited."""

import datetime as dt

import pytest
from django.contrib.auth.hashers import check_password
from django.test import Client
from django.urls import reverse

from grip.accounts.models import RecoveryCode
from grip.audit.models import AuditEntry

from .steps import RECOVERY_CODES, RECOVERY_SIGN_IN, TWO_FACTOR, code_for, recovery_codes_in, set_up_with_the_pages

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


def test_setting_up_shows_ten_different_codes_and_keeps_only_their_hashes(client, social_worker, otp_on):
    client.force_login(social_worker)

    _device, codes = set_up_with_the_pages(client, social_worker)

    assert len(codes) == 10 and len(set(codes)) == 10
    stored = list(RecoveryCode.objects.filter(device__user=social_worker).values_list("code_hash", flat=True))
    assert len(stored) == 10
    assert not any(code.replace("-", "") in hash_ or code in hash_ for code in codes for hash_ in stored)
    assert all(hash_.startswith("md5$") for hash_ in stored)  # Django's hasher (Argon2 outside tests)
    assert check_password(codes[0].replace("-", ""), stored[0]) or any(
        check_password(codes[0].replace("-", ""), hash_) for hash_ in stored
    )
    entry = AuditEntry.objects.get(verb="second_factor_set_up")
    assert entry.actor == social_worker and entry.payload == {"recovery_codes": 10}


def test_the_codes_are_shown_once(client, social_worker, otp_on):
    client.force_login(social_worker)
    _device, codes = set_up_with_the_pages(client, social_worker)

    # Coming back (or resubmitting) does not show them again.
    again = client.get(TWO_FACTOR)
    assert again.status_code == 302
    page = client.get(RECOVERY_CODES).content.decode()
    assert not any(code in page for code in codes)
    assert "You have 10 recovery codes left" in page


def test_a_recovery_code_signs_in_instead_of_the_app_once(client, social_worker, otp_on):
    client.force_login(social_worker)
    _device, codes = set_up_with_the_pages(client, social_worker)
    later = signed_in(social_worker)
    assert later.get(reverse("web:home")).status_code == 302

    # Typed in capitals with spaces, as people do.
    response = later.post(RECOVERY_SIGN_IN, {"code": codes[3].upper().replace("-", " "), "next": "/children/"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "You have 9 recovery codes left" in html and 'href="/children/"' in html
    assert later.get(reverse("web:home")).status_code == 200
    entry = AuditEntry.objects.filter(verb="recovery_code_used").get()
    assert entry.actor == social_worker and entry.payload == {"codes_left": 9}
    # The same code does not work a second time.
    third = signed_in(social_worker)
    refused = third.post(RECOVERY_SIGN_IN, {"code": codes[3]})
    assert "That recovery code is not right, or it has already been used" in refused.content.decode()
    assert "<title>Error: Enter a recovery code" in refused.content.decode()
    assert third.get(reverse("web:home")).status_code == 302


def test_a_wrong_recovery_code_is_refused_and_then_must_wait(client, social_worker, otp_on, clock):
    client.force_login(social_worker)
    set_up_with_the_pages(client, social_worker)
    other = signed_in(social_worker)

    first = other.post(RECOVERY_SIGN_IN, {"code": "aaaaa-bbbbb"}).content.decode()
    second = other.post(RECOVERY_SIGN_IN, {"code": "aaaaa-ccccc"}).content.decode()

    assert "That recovery code is not right" in first
    assert "Wait 1 second before entering another code" in second
    assert not AuditEntry.objects.filter(verb="recovery_code_used").exists()


def test_a_recovery_code_of_the_wrong_shape_is_explained(client, social_worker):
    client.force_login(social_worker)

    html = client.post(RECOVERY_SIGN_IN, {"code": "123"}).content.decode()

    assert "Enter a recovery code as 10 letters and numbers, like abcde-23456" in html


def test_someone_elses_code_does_not_work(client, social_worker, otp_on):
    from .conftest import make_user

    client.force_login(social_worker)
    _device, codes = set_up_with_the_pages(client, social_worker)
    other_person = make_user("sw2")
    other = signed_in(other_person)
    set_up_with_the_pages(other, other_person)
    other_later = signed_in(other_person)

    response = other_later.post(RECOVERY_SIGN_IN, {"code": codes[0]})

    assert "That recovery code is not right" in response.content.decode()
    assert other_later.get(reverse("web:home")).status_code == 302


def test_new_codes_need_a_code_from_the_app_and_replace_the_old_ones(client, social_worker, otp_on, clock):
    client.force_login(social_worker)
    device, old_codes = set_up_with_the_pages(client, social_worker)
    clock.shift(dt.timedelta(seconds=60))

    refused = client.post(RECOVERY_CODES, {"code": f"{(int(code_for(device)) + 1) % 1_000_000:06d}"})
    assert "That code is not right" in refused.content.decode()
    assert not AuditEntry.objects.filter(verb="recovery_codes_regenerated").exists()
    clock.shift(dt.timedelta(seconds=60))

    response = client.post(RECOVERY_CODES, {"code": code_for(device)})

    new_codes = recovery_codes_in(response.content.decode())
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    assert "Your old codes no longer work" in response.content.decode()
    assert AuditEntry.objects.filter(verb="recovery_codes_regenerated", actor=social_worker).count() == 1
    later = signed_in(social_worker)
    assert "not right" in later.post(RECOVERY_SIGN_IN, {"code": old_codes[0]}).content.decode()
    clock.shift(dt.timedelta(seconds=5))  # the wait after a wrong code
    assert later.post(RECOVERY_SIGN_IN, {"code": new_codes[0]}).status_code == 200
    assert later.get(reverse("web:home")).status_code == 200


def test_new_codes_cannot_be_had_with_a_recovery_code_or_no_code(client, social_worker, otp_on):
    client.force_login(social_worker)
    _device, codes = set_up_with_the_pages(client, social_worker)

    with_recovery_code = client.post(RECOVERY_CODES, {"code": codes[0]})
    with_nothing = client.post(RECOVERY_CODES, {"code": ""})

    assert "Enter the code as 6 digits" in with_recovery_code.content.decode()
    assert "Enter the 6-digit code from your authenticator app" in with_nothing.content.decode()
    assert not AuditEntry.objects.filter(verb="recovery_codes_regenerated").exists()


def test_the_sign_in_page_offers_a_recovery_code_and_says_how_many_are_left(client, social_worker, otp_on):
    client.force_login(social_worker)
    set_up_with_the_pages(client, social_worker)

    page = signed_in(social_worker).get(TWO_FACTOR + "?next=/children/").content.decode()

    assert 'href="/account/two-factor/recovery/?next=%2Fchildren%2F"' in page
    assert "(you have 10 left)" in page
