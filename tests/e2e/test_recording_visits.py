"""In a real browser: a social worker records a visit to a child on a protection plan and writes a
case note, from the child's record, through the pages only; the child's words and the note show on
the journey, and axe finds no accessibility violations on either page (nor on their error states)."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.cases.factories import AllocationFactory, ChildProtectionPlanFactory, CINEpisodeFactory, WorkerFactory
from tests.people.factories import ChildFactory

pytestmark = pytest.mark.e2e

from grip.access.models import RoleGrant  # noqa: E402
from grip.access.roles import Role  # noqa: E402
from grip.audit.models import AuditEntry  # noqa: E402

PASSWORD = "correct horse battery staple"
WORDS = "Said the new bedroom is hers and she is not scared at night any more."


@pytest.fixture
def case(transactional_db):
    today = timezone.localdate()
    user = get_user_model().objects.create_user(username="sw1", password=PASSWORD)
    RoleGrant.objects.create(user=user, role=Role.SOCIAL_WORKER)
    worker = WorkerFactory(first_name="Ines", last_name="Marsh", user=user)
    child = ChildFactory(first_name="Mia", last_name="Fernley")
    episode = CINEpisodeFactory(child=child, referral_date=today - timedelta(days=60))
    ChildProtectionPlanFactory(episode=episode, started_on=today - timedelta(days=30))
    AllocationFactory(child=child, worker=worker, team=worker.team, started_on=today - timedelta(days=60))
    return child


def no_violations(page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_a_social_worker_records_a_visit_and_a_case_note_through_the_pages(browser_page, case):
    page = browser_page
    page.goto("/login/")
    page.get_by_label("Username").fill("sw1")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/children/{case.pk}/")

    page.get_by_test_id("recordable").get_by_role("link", name="Record a visit").click()
    no_violations(page)
    page.get_by_role("button", name="Record the visit").click()  # nothing answered
    assert page.locator(".govuk-error-summary").is_visible()
    no_violations(page)
    page.get_by_label("Child protection visit").check()
    page.get_by_role("group", name="Was the child seen?").get_by_label("Yes").check()
    page.get_by_role("group", name="Was the child seen alone?").get_by_label("Yes").check()
    page.get_by_label("Where was the child seen?").fill("At home, in her bedroom")
    page.get_by_label("What did the child say, and how did they feel?").fill(WORDS)
    page.get_by_role("button", name="Record the visit").click()
    assert "Child protection visit recorded." in page.content()
    # Visits are routine work, not key events: the reader asks the journey for them.
    page.get_by_label("Show").select_option("visits")
    page.get_by_test_id("journey-filter").get_by_role("button", name="Show").click()
    assert WORDS in page.get_by_test_id("journey").inner_text()

    page.get_by_test_id("recordable").get_by_role("link", name="Add a case note").click()
    no_violations(page)
    assert page.get_by_label("Management oversight").count() == 0
    page.get_by_label("Phone call").check()
    page.get_by_role("button", name="Add the note").click()  # no note written
    no_violations(page)
    page.get_by_label("Note", exact=True).fill("Rang the health visitor: next check booked for Friday.")
    page.get_by_role("button", name="Add the note").click()
    page.get_by_label("Show").select_option("all")
    page.get_by_test_id("journey-filter").get_by_role("button", name="Show").click()
    assert "Rang the health visitor: next check booked for Friday." in page.get_by_test_id("journey").inner_text()
    verbs = set(AuditEntry.objects.filter(child=case).values_list("verb", flat=True))
    assert {"visit_recorded", "case_note_recorded"} <= verbs
