"""The second factor (TOTP) for everyone who signs in, when GRIP_REQUIRE_SECOND_FACTOR is on."""

import datetime as dt
from base64 import b32decode

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.http import urlencode
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.settings import base

from .conftest import make_user
from .settings_probe import settings_of
from .steps import code_for, recovery_codes_in

pytestmark = pytest.mark.django_db

TWO_FACTOR = "/account/two-factor/"


@pytest.fixture
def otp_on(settings):
    settings.GRIP_REQUIRE_SECOND_FACTOR = True


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def test_the_flag_is_off_except_in_production():
    assert base.GRIP_REQUIRE_SECOND_FACTOR is False
    env = {
        "GRIP_SECRET_KEY": "k3y-Q" * 13,
        "GRIP_ALLOWED_HOSTS": "grip.example.gov.uk",
        "DATABASE_URL": "postgres://u@h/d",
    }
    assert settings_of("config.settings.production", env, ["GRIP_REQUIRE_SECOND_FACTOR"]) == {
        "GRIP_REQUIRE_SECOND_FACTOR": True
    }
    middleware = base.MIDDLEWARE
    assert middleware.index("django_otp.middleware.OTPMiddleware") < middleware.index(
        "grip.accounts.middleware.TwoFactorRequiredMiddleware"
    )


def test_with_the_flag_off_staff_go_straight_in(client, social_worker):
    client.force_login(social_worker)

    assert client.get(reverse("web:home")).status_code == 200


def test_staff_without_a_second_factor_are_sent_to_set_one_up(client, social_worker, otp_on):
    client.force_login(social_worker)

    response = client.get(reverse("web:child-search") + "?q=Smith")

    assert response.status_code == 302
    assert response.url == TWO_FACTOR + "?next=%2Fchildren%2F%3Fq%3DSmith"


def test_the_set_up_page_shows_a_qr_code_and_the_secret(client, social_worker, otp_on):
    client.force_login(social_worker)

    response = client.get(TWO_FACTOR)

    html = response.content.decode()
    device = TOTPDevice.objects.get(user=social_worker)
    assert response.status_code == 200
    assert not device.confirmed
    assert "Set up your authenticator app" in html
    assert '<svg role="img" aria-label="QR code' in html and "<path" in html
    assert "style=" not in html.split('data-testid="qr-code"')[1].split("</svg>")[0]
    secret = html.split('data-testid="otp-secret"><code>')[1].split("</code>")[0]
    assert b32decode(secret.replace(" ", "")) == device.bin_key
    # The same device (and QR code) until it is confirmed.
    client.get(TWO_FACTOR)
    assert TOTPDevice.objects.filter(user=social_worker).count() == 1


def test_confirming_a_code_finishes_set_up_and_lets_them_in(client, social_worker, otp_on):
    client.force_login(social_worker)
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=social_worker)

    response = client.post(TWO_FACTOR, {"code": code_for(device), "next": "/children/"})

    # They are shown their recovery codes, once, and go on from there to where they were going.
    html = response.content.decode()
    assert response.status_code == 200 and "<title>Your recovery codes" in html
    assert len(recovery_codes_in(html)) == 10
    assert 'href="/children/"' in html
    assert response["Cache-Control"] == "no-store"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("web:home")).status_code == 200


def test_a_wrong_code_is_refused_with_a_govuk_error(client, social_worker, otp_on, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 4, 9, 0, 10, tzinfo=dt.UTC), tick=False)
    client.force_login(social_worker)
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=social_worker)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"

    response = client.post(TWO_FACTOR, {"code": wrong})

    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html and "That code is not right" in html
    assert "<title>Error: Set up your authenticator app" in html
    assert client.get(reverse("web:home")).status_code == 302
    # Straight after a wrong code the app asks them to wait a moment (django-otp's throttling)...
    assert "Wait 1 second before entering another code" in client.post(TWO_FACTOR, {"code": wrong}).content.decode()
    time_machine.shift(dt.timedelta(seconds=5))
    # ...and then a right code works.
    assert "Your recovery codes" in client.post(TWO_FACTOR, {"code": code_for(device)}).content.decode()


def test_a_code_that_is_not_six_digits_is_explained(client, social_worker, otp_on):
    client.force_login(social_worker)

    response = client.post(TWO_FACTOR, {"code": "12ab"})

    assert "Enter the code as 6 digits, like 123456" in response.content.decode()


def test_at_the_next_sign_in_they_enter_a_code_without_setting_up_again(social_worker, otp_on):
    device = enrolled(social_worker)
    client = Client()
    client.force_login(social_worker)

    page = client.get(TWO_FACTOR).content.decode()
    assert "Enter the code from your authenticator app" in page and "<svg role" not in page

    response = client.post(TWO_FACTOR, {"code": code_for(device), "next": "/"})
    assert response.status_code == 302
    assert client.get(reverse("web:home")).status_code == 200
    # A verified session is not asked again.
    assert client.get(TWO_FACTOR).status_code == 302


def test_a_code_cannot_be_used_twice(social_worker, otp_on):
    device = enrolled(social_worker)
    first, second = Client(), Client()
    first.force_login(social_worker)
    second.force_login(social_worker)
    code = code_for(device)

    assert first.post(TWO_FACTOR, {"code": code}).status_code == 302
    assert second.post(TWO_FACTOR, {"code": code}).status_code == 200


def test_signing_out_and_static_files_stay_reachable(client, social_worker, otp_on):
    client.force_login(social_worker)

    assert client.get("/static/grip.css").status_code != 302
    response = client.post(reverse("web:logout"))

    assert response.status_code == 302 and response.url == reverse("web:login")
    assert "_auth_user_id" not in client.session


def test_htmx_requests_are_told_to_load_the_two_factor_page(client, social_worker, otp_on):
    client.force_login(social_worker)

    response = client.get(reverse("web:child-search"), headers={"HX-Request": "true"})

    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(TWO_FACTOR)


@pytest.mark.parametrize("page", ["/", "/contacts/", "/contacts/report/"])
def test_partner_agency_users_are_sent_to_set_up_a_second_factor_first(client, partner, otp_on, page):
    client.force_login(partner)

    response = client.get(page)

    assert response.status_code == 302
    assert response.url == TWO_FACTOR + "?" + urlencode({"next": page})


def test_a_partner_cannot_send_a_report_before_entering_a_code(client, partner, otp_on):
    from grip.frontdoor.models import ContactReport

    client.force_login(partner)

    response = client.post("/contacts/report/", {"reporter_name": "PC Jones", "concerns": "Bruising"})

    assert response.status_code == 302 and response.url == TWO_FACTOR
    assert not ContactReport.objects.exists()


def test_people_with_no_role_yet_are_required_to(client, otp_on):
    client.force_login(make_user("newcomer"))

    assert client.get(reverse("web:home")).url.startswith(TWO_FACTOR)


def test_administrators_without_a_role_are_required_to(client, otp_on):
    admin = make_user("admin1")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)

    assert client.get("/admin/").url.startswith(TWO_FACTOR)


def test_signed_out_visitors_are_not_affected(client, otp_on):
    assert client.get(reverse("web:login")).status_code == 200


def test_next_may_not_leave_the_site(client, social_worker, otp_on):
    device = enrolled(social_worker)
    client.force_login(social_worker)

    response = client.post(TWO_FACTOR, {"code": code_for(device), "next": "https://evil.example/"})

    assert response.url == "/"
