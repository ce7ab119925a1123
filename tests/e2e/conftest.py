"""Browser tests: Playwright's sync API drives Debian's chromium against pytest-django's
live_server.

Run with ``pytest -m e2e``. Needs /usr/bin/chromium (``apt-get install chromium``); Playwright's own
browser download (``playwright install``) is never used.
"""

import os

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM would otherwise refuse
# to run synchronous queries from it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--headless=new",
]


@pytest.fixture(scope="session")
def chromium_browser():
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} is missing: apt-get install -y chromium"
        if os.environ.get("GRIP_REQUIRE_BROWSER"):  # the README's test command installs it; never skip there
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium_browser, live_server, transactional_db):
    """A fresh page whose relative URLs resolve against the live server."""
    context = chromium_browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
