"""A looked-after child's care recorded through the pages only (no factories for the recording): a
review, a change of placement checked before it is recorded, a health assessment, a PEP, and a
missing episode with its return and the return interview declined; axe finds no violations on any
of the pages, blank or with errors."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.cases.factories import AllocationFactory, LookedAfterEpisodeFactory, WorkerFactory
from tests.people.factories import ChildFactory

pytestmark = pytest.mark.e2e

from grip.access.models import RoleGrant  # noqa: E402
from grip.access.roles import Role  # noqa: E402
from grip.audit.models import AuditEntry  # noqa: E402
from grip.cases.models import LookedAfterEpisode, MissingEpisode  # noqa: E402

PASSWORD = "correct horse battery staple"


@pytest.fixture
def child(transactional_db):
    user = get_user_model().objects.create_user(username="sw1", password=PASSWORD, first_name="Ada", last_name="Shaw")
    RoleGrant.objects.create(user=user, role=Role.SOCIAL_WORKER)
    worker = WorkerFactory(first_name="Ada", last_name="Shaw", user=user)
    today = timezone.localdate()
    child = ChildFactory(first_name="Lia", last_name="Care", date_of_birth=today - timedelta(days=365 * 10))
    LookedAfterEpisodeFactory(child=child, started_on=today - timedelta(days=60), placement_type="U6")
    AllocationFactory(child=child, worker=worker, team=worker.team, started_on=today - timedelta(days=60))
    return child


def no_violations(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page)
    assert result.violations_count == 0, result.generate_report()


def fill_date(page, legend: str, day) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_recording_a_looked_after_childs_care(browser_page, child):
    page = browser_page
    today = timezone.localdate()
    page.goto("/login/")
    page.get_by_label("Username").fill("sw1")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    record = f"/children/{child.pk}/"

    page.goto(record)
    page.get_by_role("link", name="Record a looked-after review").click()
    no_violations(page)
    page.get_by_role("button", name="Record the review").click()
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    no_violations(page)
    fill_date(page, "Date of the review", today - timedelta(days=3))
    page.get_by_label("Child physically attends and speaks for themselves").check()
    page.get_by_role("button", name="Record the review").click()
    assert "Looked-after review recorded." in page.content()

    page.get_by_role("link", name="Record a change of placement").click()
    no_violations(page)
    fill_date(page, "Date of the move", today - timedelta(days=2))
    page.get_by_label("Type of the new placement").select_option("K2")
    page.get_by_label("Private provision").check()
    page.get_by_label("Reason for the change").select_option("CREQB")
    page.get_by_role("group", name="Does the child stay with the same carers?").get_by_label("No").check()
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", name="Check the change of placement").is_visible()
    no_violations(page)
    page.get_by_role("button", name="Record the change of placement").click()
    assert "Change of placement recorded." in page.content()

    page.get_by_role("link", name="Record a health assessment").click()
    no_violations(page)
    fill_date(page, "Date of the assessment", today - timedelta(days=1))
    page.get_by_label("Initial health assessment").check()
    page.get_by_role("button", name="Record the assessment").click()
    assert "Health assessment recorded." in page.content()

    page.get_by_role("link", name="Record a personal education plan").click()
    no_violations(page)
    fill_date(page, "Date of the plan", today - timedelta(days=1))
    page.get_by_role("button", name="Record the plan").click()
    assert "Personal education plan recorded." in page.content()

    gone = today - timedelta(days=2)
    page.get_by_role("link", name="Record a child missing or back").click()
    no_violations(page)
    page.get_by_label("Missing from care").check()
    fill_date(page, "Date missing from", gone)
    page.get_by_label("Time missing from").fill("22:00")
    page.get_by_role("button", name="Record").click()
    page.get_by_role("link", name="Record a child missing or back").click()
    no_violations(page)
    fill_date(page, "Date back", gone + timedelta(days=1))
    page.get_by_label("Time back").fill("08:00")
    page.get_by_role("button", name="Record the return").click()
    assert "Return recorded" in page.content()

    page.get_by_role("link", name="Record a return interview").click()
    no_violations(page)
    page.get_by_label("Offered and declined by the child").check()
    fill_date(page, "Date held or declined", gone + timedelta(days=1))
    page.get_by_label("Time held or declined").fill("15:00")
    page.get_by_role("button", name="Continue").click()
    assert "Offered and declined by the child" in page.get_by_test_id("answers").inner_text()
    no_violations(page)
    page.get_by_role("button", name="Record the interview").click()
    assert "Return interview recorded." in page.content()
    page.get_by_role("link", name="Record a return interview").click()
    assert "Return interview offered and declined by the child" in page.get_by_test_id("earlier-missing").inner_text()
    no_violations(page)

    assert LookedAfterEpisode.objects.get(child=child, ended_on__isnull=True).placement_type == "K2"
    assert MissingEpisode.objects.get(child=child).return_interview_outcome == "DECLINED"
    assert set(AuditEntry.objects.filter(actor__username="sw1").values_list("verb", flat=True)) >= {
        "looked_after_review_held",
        "placement_changed",
        "health_assessment_recorded",
        "education_plan_recorded",
        "missing_recorded",
        "missing_returned",
        "return_interview_recorded",
    }
