"""Argon2 hashing, and changing a password signs the user out of every other session."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.test import Client
from django.urls import reverse

from config.settings import base

from .conftest import PASSWORD
from .settings_probe import settings_of

ARGON2 = "django.contrib.auth.hashers.Argon2PasswordHasher"
NEW_PASSWORD = "a much longer passphrase 2026"


def test_base_and_production_settings_put_argon2_first():
    assert base.PASSWORD_HASHERS[0] == ARGON2
    production = settings_of(
        "config.settings.production",
        {
            "GRIP_SECRET_KEY": "k3y-Q" * 13,
            "GRIP_ALLOWED_HOSTS": "grip.example.gov.uk",
            "DATABASE_URL": "postgres://u@h/db",
        },
        ["PASSWORD_HASHERS"],
    )
    assert production["PASSWORD_HASHERS"][0] == ARGON2


@pytest.mark.django_db
def test_a_new_password_is_stored_as_argon2(settings):
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS

    user = get_user_model().objects.create_user(username="sw1", password=PASSWORD)

    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert check_password(PASSWORD, user.password)


@pytest.mark.django_db
def test_an_older_hash_is_upgraded_to_argon2_at_sign_in(client, settings, social_worker):
    assert social_worker.password.startswith("md5$")  # the test settings' fast hasher
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS + ["django.contrib.auth.hashers.MD5PasswordHasher"]

    client.post(reverse("web:login"), {"username": "sw1", "password": PASSWORD})

    social_worker.refresh_from_db()
    assert social_worker.password.startswith("argon2$")


@pytest.mark.django_db
def test_the_password_page_is_a_govuk_form(client, social_worker):
    client.force_login(social_worker)

    response = client.get(reverse("web:password-change"))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l">Change your password</h1>' in html
    for name in ("old_password", "new_password1", "new_password2"):
        assert f'name="{name}"' in html
    assert 'autocomplete="current-password"' in html and 'autocomplete="new-password"' in html
    assert "govuk-password-input" in html


@pytest.mark.django_db
def test_the_password_page_needs_a_sign_in(client):
    response = client.get(reverse("web:password-change"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("web:login"))


@pytest.mark.django_db
def test_a_wrong_current_password_is_an_error_and_changes_nothing(client, social_worker):
    client.force_login(social_worker)

    response = client.post(
        reverse("web:password-change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html and "<title>Error: Change your password" in html
    assert 'href="#id_old_password"' in html
    social_worker.refresh_from_db()
    assert social_worker.check_password(PASSWORD)


@pytest.mark.django_db
def test_changing_the_password_signs_out_other_sessions_and_keeps_this_one(client, social_worker, audit_entries):
    other_browser = Client()
    other_browser.force_login(social_worker)
    client.force_login(social_worker)
    assert other_browser.get(reverse("web:home")).status_code == 200

    response = client.post(
        reverse("web:password-change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response.url == reverse("web:password-changed")
    assert client.get(reverse("web:home")).status_code == 200
    assert "Password changed" in client.get(reverse("web:password-changed")).content.decode()
    elsewhere = other_browser.get(reverse("web:home"))
    assert elsewhere.status_code == 302 and elsewhere.url.startswith(reverse("web:login"))
    social_worker.refresh_from_db()
    assert social_worker.check_password(NEW_PASSWORD)
    (changed,) = [e for e in audit_entries if e["verb"] == "password_changed"]
    assert changed["actor"] == social_worker and changed["target"] == social_worker
    assert changed["request"] is not None


@pytest.mark.django_db
def test_the_navigation_links_to_the_password_page(client, social_worker):
    client.force_login(social_worker)

    html = client.get(reverse("web:home")).content.decode()

    assert f'href="{reverse("web:password-change")}"' in html
