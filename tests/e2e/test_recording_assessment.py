"""In a real browser, with no factories for the recording itself: a social worker starts an
assessment, completes it and checks the answers before submitting it; the team manager finds it in
the queue, checks and authorises it, and the child in need plan is started and reviewed. axe finds
no accessibility violations on any of these pages."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.cases.factories import AllocationFactory, CINEpisodeFactory, TeamFactory, WorkerFactory
from tests.people.factories import ChildFactory

pytestmark = pytest.mark.e2e

from grip.access.models import RoleGrant  # noqa: E402
from grip.access.roles import Role  # noqa: E402
from grip.audit.models import AuditEntry  # noqa: E402
from grip.cases.models import Assessment, CINPlanReview  # noqa: E402

PASSWORD = "correct horse battery staple"


@pytest.fixture
def case(transactional_db):
    today = timezone.localdate()
    team = TeamFactory(name="Assessment West")
    users = {}
    for username, role, first, worker_role in (
        ("sw1", Role.SOCIAL_WORKER, "Noor", "SW"),
        ("tm1", Role.TEAM_MANAGER, "Tara", "TM"),
    ):
        users[username] = get_user_model().objects.create_user(username=username, password=PASSWORD)
        RoleGrant.objects.create(user=users[username], role=role)
        users[username].worker = WorkerFactory(
            first_name=first, last_name="Obi", role=worker_role, team=team, user=users[username]
        )
    child = ChildFactory(first_name="Zara", last_name="Whitfield")
    CINEpisodeFactory(child=child, referral_date=today - timedelta(days=20))
    AllocationFactory(child=child, worker=users["sw1"].worker, team=team, started_on=today - timedelta(days=19))
    return child


def sign_in(page, username):
    page.context.clear_cookies()
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def no_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_an_assessment_completed_authorised_and_a_plan_reviewed_through_the_pages(browser_page, case):
    page = browser_page
    today = timezone.localdate()
    sign_in(page, "sw1")
    page.goto(f"/children/{case.pk}/")
    page.get_by_role("link", name="Start the assessment").click()
    page.get_by_role("button", name="Start the assessment").click()

    page.get_by_role("link", name="Complete the assessment").click()
    no_violations(page)
    page.get_by_role("button", name="Continue").click()  # nothing chosen: the errors, accessibly
    assert page.get_by_text("There is a problem").is_visible()
    no_violations(page)
    page.get_by_label("Mental health: concerns about the mental health of the parent(s)/carer(s)").check()
    page.get_by_label("Child in need: a child in need plan (section 17)").check()
    page.get_by_role("button", name="Continue").click()
    assert "Check your answers" in page.get_by_role("heading", level=1).inner_text()
    no_violations(page)
    page.get_by_role("button", name="Submit for authorisation").click()
    assert Assessment.objects.get().submitted_at is not None

    sign_in(page, "tm1")
    page.get_by_role("link", name="Assessments to authorise").click()
    no_violations(page)
    page.get_by_role("link", name="Authorise the assessment for Zara Whitfield").click()
    no_violations(page)
    page.get_by_role("button", name="Continue").click()
    no_violations(page)
    page.get_by_role("button", name="Authorise the assessment").click()
    assert page.get_by_test_id("queue-empty").is_visible()
    assert Assessment.objects.get().authorised_on == today

    page.goto(f"/children/{case.pk}/")
    page.get_by_role("link", name="Child in need plan and reviews").click()
    no_violations(page)
    page.get_by_role("button", name="Start the plan").click()
    page.get_by_role("link", name="Child in need plan and reviews").click()
    no_violations(page)
    page.get_by_role("button", name="Record the review").click()
    assert CINPlanReview.objects.get().held_on == today
    verbs = set(AuditEntry.objects.filter(child=case).values_list("verb", flat=True))
    assert {"assessment_started", "assessment_submitted", "assessment_authorised", "cin_plan_reviewed"} <= verbs
