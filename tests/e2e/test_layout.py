import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from grip.access.models import RoleGrant
from grip.access.roles import Role

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery staple"
SCREENSHOT = "/tmp/grip-home.png"


@pytest.fixture
def user(transactional_db):
    user = get_user_model().objects.create_user(username="sw1", password=PASSWORD, first_name="Sam", last_name="Worker")
    RoleGrant.objects.create(user=user, role=Role.SOCIAL_WORKER)  # a role offered the child search
    return user


def sign_in(page, username, password):
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_sign_in_shows_the_home_page_styled_by_govuk_frontend(browser_page, user):
    page = browser_page
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))

    sign_in(page, "sw1", PASSWORD)

    page.wait_for_url("**/")
    page.wait_for_load_state("networkidle")
    assert page.title().startswith("Home – Grip")
    header = page.locator(".govuk-generic-header")
    assert settings.GRIP_AUTHORITY_NAME in header.inner_text()
    assert page.locator(".govuk-service-navigation__service-name").inner_text().strip() == "Grip"
    assert page.get_by_test_id("signed-in-user").inner_text() == "Sam Worker"
    assert page.get_by_role("link", name="Children search").is_visible()

    # The stylesheets and fonts came from our own static files, not a CDN.
    body_font = page.locator(".govuk-body").first.evaluate("el => getComputedStyle(el).fontFamily")
    assert "GDS Transport" in body_font
    header_background = header.evaluate("el => getComputedStyle(el).backgroundColor")
    assert header_background == "rgb(11, 12, 12)"
    assert page.evaluate("document.fonts.check('19px \"GDS Transport\"')")
    assert page.evaluate("[...document.fonts].some(f => f.status === 'loaded')")
    # initAll() ran for GOV.UK Frontend (it marks initialised components).
    assert page.locator("[data-govuk-service-navigation-init]").count() == 1
    assert failed == []

    page.screenshot(path=SCREENSHOT, full_page=True)


def test_wrong_password_stays_on_login_with_error_summary(browser_page, user):
    page = browser_page

    sign_in(page, "sw1", "wrong")

    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    assert page.url.endswith("/login/")


def test_sign_out(browser_page, user):
    page = browser_page
    sign_in(page, "sw1", PASSWORD)
    page.wait_for_url("**/")

    page.get_by_role("button", name="Sign out").click()

    page.wait_for_url("**/login/")
    assert page.get_by_role("heading", name="Sign in").is_visible()
