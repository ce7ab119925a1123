"""A system administrator's reset of someone's second factor (/accounts/second-factor-reset/):
their app and recovery codes go, they set up a new app at their next sign-in; audited with the reason."""

from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from grip.access.roles import Role
from grip.accounts import services
from grip.accounts.models import RecoveryCodes
from grip.audit.models import AuditEntry

from .conftest import make_user
from .steps import TWO_FACTOR, set_up_with_the_pages

pytestmark = pytest.mark.django_db
RESET = "/accounts/second-factor-reset/"


@pytest.fixture
def otp_on(settings):
    settings.GRIP_REQUIRE_SECOND_FACTOR = True


@pytest.fixture
def administrator(db):
    return make_user("admin1", Role.SYSTEM_ADMINISTRATOR)


@pytest.fixture
def enrolled_worker(social_worker):
    client = Client()
    client.force_login(social_worker)
    set_up_with_the_pages(client, social_worker)
    return social_worker, client


def test_the_page_is_for_system_administrators_only(client, administrator, social_worker):
    assert reverse("web:second-factor-reset") == RESET
    client.force_login(social_worker)
    assert client.get(RESET).status_code == 404
    assert client.post(RESET, {"username": "admin1", "reason": "I would like to"}).status_code == 404
    client.force_login(administrator)
    page = client.get(RESET).content.decode()
    assert "Reset someone’s second factor" in page


def test_a_reset_removes_the_app_and_codes_and_they_set_up_again_at_next_sign_in(
    client, administrator, enrolled_worker, otp_on
):
    worker, workers_old_session = enrolled_worker
    assert workers_old_session.get(reverse("web:home")).status_code == 200
    client.force_login(administrator)
    client.session.save()
    admin_device = TOTPDevice.objects.create(user=administrator, name="Authenticator app")
    session = client.session
    session["otp_device_id"] = admin_device.persistent_id
    session.save()

    response = client.post(RESET, {"username": "sw1", "reason": "Lost phone; rang from her desk number"})

    html = response.content.decode()
    assert response.status_code == 200 and "Second factor reset" in html and "(sw1)" in html
    assert not TOTPDevice.objects.filter(user=worker).exists()
    assert not RecoveryCodes.objects.filter(user=worker).exists()
    entry = AuditEntry.objects.get(verb="second_factor_reset")
    assert entry.actor == administrator and entry.target_id == str(worker.pk)
    assert entry.payload == {
        "reason": "Lost phone; rang from her desk number",
        "had_authenticator": True,
        "recovery_codes_left": 10,
    }
    # A session verified with the old app must now set up a new one, as must the next sign-in.
    assert workers_old_session.get(reverse("web:home")).url.startswith(TWO_FACTOR)
    next_sign_in = Client()
    next_sign_in.force_login(worker)
    assert "Set up your authenticator app" in next_sign_in.get(TWO_FACTOR).content.decode()


@pytest.mark.parametrize(
    ("form", "field_error"),
    [
        ({"username": "sw1", "reason": ""}, "Say why you are resetting their second factor"),
        ({"username": "sw1", "reason": "lost it"}, "Say why you are resetting it, in at least 10 characters"),
        (
            {"username": "nobody", "reason": "Lost phone, checked by call back"},
            "There is no Grip user with the username nobody",
        ),
        ({"username": "", "reason": "Lost phone, checked by call back"}, "Enter the person's Grip username"),
        ({"username": "admin1", "reason": "Lost my own phone today"}, "You cannot reset your own second factor"),
    ],
)
def test_bad_input_is_explained_and_changes_nothing(client, administrator, enrolled_worker, form, field_error):
    worker, _ = enrolled_worker
    client.force_login(administrator)

    response = client.post(RESET, form)

    page = unescape(response.content.decode())
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert field_error in page
    assert TOTPDevice.objects.filter(user=worker, confirmed=True).exists()
    assert not AuditEntry.objects.filter(verb="second_factor_reset").exists()


def test_only_a_system_administrator_may_reset(enrolled_worker):
    worker, _ = enrolled_worker
    manager = make_user("tm1", Role.TEAM_MANAGER)

    with pytest.raises(ValidationError, match="Only a system administrator"):
        services.second_factor_reset(user=worker, reason="Lost phone, checked by call back", by=manager)

    assert TOTPDevice.objects.filter(user=worker, confirmed=True).exists()
