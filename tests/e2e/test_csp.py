"""The Content Security Policy in a real browser: no violations, and GOV.UK Frontend's scripts run."""

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery staple"


@pytest.fixture
def user(transactional_db):
    return get_user_model().objects.create_user(username="csp1", password=PASSWORD)


def watch_for_violations(page) -> list[str]:
    problems = []
    page.on("console", lambda message: "Content Security Policy" in message.text and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    # Violations are also reported as DOM events; collect them in the page to read afterwards.
    page.add_init_script(
        "window.__cspViolations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    return problems


def test_the_login_and_home_pages_load_with_no_policy_violations(browser_page, user):
    page = browser_page
    problems = watch_for_violations(page)

    response = page.goto("/login/")
    assert "script-src 'self' 'nonce-" in response.headers["content-security-policy"]
    page.get_by_label("Username").fill("csp1")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    page.wait_for_load_state("networkidle")

    # GOV.UK Frontend's inline snippet ran (it adds these classes) and initAll() ran.
    body_classes = page.locator("body").get_attribute("class")
    assert "js-enabled" in body_classes and "govuk-frontend-supported" in body_classes
    assert page.locator("[data-govuk-service-navigation-init]").count() == 1
    assert page.evaluate("window.__cspViolations") == []
    assert problems == []


def test_the_password_input_script_works_under_the_policy(browser_page, user):
    page = browser_page
    problems = watch_for_violations(page)

    page.goto("/login/")
    page.wait_for_load_state("networkidle")

    # GOV.UK's password input adds a "Show" button from JavaScript.
    assert page.get_by_role("button", name="Show password").is_visible()
    assert page.evaluate("window.__cspViolations") == []
    assert problems == []
