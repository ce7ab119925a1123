"""In a real browser: a team manager opens the unallocated register, allocates a case, and it
leaves the register and appears in the worker's caseload."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.cases.factories import AllocationFactory, CINEpisodeFactory, TeamFactory, WorkerFactory
from tests.people.factories import ChildFactory

pytestmark = pytest.mark.e2e

from grip.access.models import RoleGrant  # noqa: E402
from grip.access.roles import Role  # noqa: E402

PASSWORD = "correct horse battery staple"
SCREENSHOT = "/tmp/grip-allocation.png"


@pytest.fixture
def queue(transactional_db):
    today = timezone.localdate()
    team = TeamFactory(name="Assessment West")
    manager_user = get_user_model().objects.create_user(username="tm1", password=PASSWORD)
    RoleGrant.objects.create(user=manager_user, role=Role.TEAM_MANAGER)
    WorkerFactory(first_name="Tara", last_name="Obi", role="TM", team=team, user=manager_user)
    leaver = WorkerFactory(first_name="Lee", last_name="Gone", team=team)
    worker = WorkerFactory(first_name="Noor", last_name="Haddad", team=team)
    child = ChildFactory(first_name="Zara", last_name="Whitfield")
    CINEpisodeFactory(child=child, referral_date=today - timedelta(days=60))
    AllocationFactory(
        child=child,
        worker=leaver,
        team=team,
        started_on=today - timedelta(days=55),
        ended_on=today - timedelta(days=9),
    )
    return child, worker


def test_a_manager_allocates_from_the_register_and_the_case_moves_to_the_workers_caseload(browser_page, queue):
    child, worker = queue
    page = browser_page
    failed = []
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    page.goto("/login/")
    page.get_by_label("Username").fill("tm1")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="Unallocated cases").click()
    summary = page.get_by_test_id("register-summary")
    assert "1 open case with no lead worker" in " ".join(summary.inner_text().split())
    row = page.get_by_test_id("register-row").filter(has_text="Zara Whitfield")
    assert "9" in row.get_by_role("cell").nth(2).inner_text()  # days unallocated
    row.get_by_role("link", name="Zara Whitfield").click()

    page.get_by_label("Worker").select_option(label="Noor Haddad (Assessment West): 0 cases")
    page.get_by_role("button", name="Allocate").click()
    assert "Zara Whitfield is allocated to Noor Haddad" in page.locator(".govuk-notification-banner").inner_text()
    assert "Noor Haddad" in page.get_by_test_id("lead-worker").inner_text()

    page.goto("/allocation/unallocated/")
    assert page.get_by_test_id("register-row").count() == 0
    assert "Every open case you can see has a lead worker" in page.get_by_test_id("register-empty").inner_text()

    page.goto(f"/caseloads/worker/?worker={worker.pk}")
    assert page.get_by_role("link", name="Zara Whitfield").is_visible()
    page.screenshot(path=SCREENSHOT, full_page=True)
    assert not failed, failed
