"""Setting up the second factor in a real browser: the QR code page, the recovery codes shown once,
and signing in again with a recovery code, under the Content Security Policy."""

from base64 import b32decode

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import totp

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery staple"


@pytest.fixture
def partner(transactional_db, settings):
    from grip.access.models import RoleGrant
    from grip.access.roles import Role

    settings.GRIP_REQUIRE_SECOND_FACTOR = True
    user = get_user_model().objects.create_user(username="police2", password=PASSWORD)
    RoleGrant.objects.create(user=user, role=Role.PARTNER_AGENCY_USER)
    return user


def watch_for_violations(page) -> list[str]:
    """As in test_csp.py: Content Security Policy violations and script errors, collected."""
    problems = []
    page.on("console", lambda message: "Content Security Policy" in message.text and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.add_init_script(
        "window.__cspViolations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    return problems


def sign_in(page):
    page.goto("/login/")
    page.get_by_label("Username").fill("police2")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_partner_sets_up_the_app_keeps_recovery_codes_and_signs_in_with_one(browser_page, partner):
    page = browser_page
    problems = watch_for_violations(page)

    sign_in(page)
    page.wait_for_url("**/account/two-factor/**")
    assert page.get_by_role("heading", name="Set up your authenticator app").is_visible()
    secret = page.get_by_test_id("otp-secret").inner_text().replace(" ", "")
    code = f"{totp(b32decode(secret)):06d}"
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Confirm and continue").click()

    assert page.get_by_role("heading", name="Your recovery codes").is_visible()
    codes = page.get_by_test_id("recovery-codes").locator("code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("button", name="I have kept my recovery codes: continue").click()
    page.wait_for_url("**/")

    page.context.clear_cookies()
    sign_in(page)
    page.get_by_role("link", name="Use a recovery code").click()
    page.get_by_label("Recovery code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_test_id("codes-left").inner_text().startswith("You have 9 recovery codes left")
    assert page.evaluate("window.__cspViolations") == []
    assert problems == []
