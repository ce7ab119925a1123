"""Early help recorded through the pages only (no factories for the recording): started, its
assessment started and completed, a team around the family meeting agreeing the plan, a plan review
deciding to step up, and the step up checked before it is recorded, which closes early help and
opens a referral from early help; the child's stage moves from early help to child in need. axe
finds no violations on any of the pages, blank or with errors."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.cases.factories import AllocationFactory, WorkerFactory
from tests.people.factories import ChildFactory

pytestmark = pytest.mark.e2e

from grip.access.models import RoleGrant  # noqa: E402
from grip.access.roles import Role  # noqa: E402
from grip.audit.models import AuditEntry  # noqa: E402
from grip.cases.models import CINEpisode, EarlyHelpEpisode  # noqa: E402
from grip.cases.selectors import child_stage  # noqa: E402

PASSWORD = "correct horse battery staple"


@pytest.fixture
def child(transactional_db):
    """A child with no case open, allocated to Ada (so in her scope)."""
    user = get_user_model().objects.create_user(username="sw1", password=PASSWORD, first_name="Ada", last_name="Shaw")
    RoleGrant.objects.create(user=user, role=Role.SOCIAL_WORKER)
    worker = WorkerFactory(first_name="Ada", last_name="Shaw", user=user)
    today = timezone.localdate()
    child = ChildFactory(first_name="Rio", last_name="Help", date_of_birth=today - timedelta(days=365 * 8))
    AllocationFactory(child=child, worker=worker, team=worker.team, started_on=today - timedelta(days=90))
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


def submit_blank_then_check(page, button: str) -> None:
    """Send the form empty: the error summary shows, and axe checks the page with its errors."""
    page.get_by_role("button", name=button).click()
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    no_violations(page)


def test_early_help_from_start_to_step_up(browser_page, child):
    page = browser_page
    today = timezone.localdate()
    page.goto("/login/")
    page.get_by_label("Username").fill("sw1")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    record = f"/children/{child.pk}/"

    page.goto(record)
    page.get_by_role("link", name="Start early help").click()
    no_violations(page)
    submit_blank_then_check(page, "Start early help")
    fill_date(page, "Date early help started", today - timedelta(days=50))
    page.get_by_label("Local authority early help service").check()
    page.get_by_label("Lead practitioner").fill("Sam Jones, family support worker")
    page.get_by_label("Why does the family need early help?").fill("Dad asked for help with routines and sleep.")
    page.get_by_role("button", name="Start early help").click()
    assert "Early help started." in page.content()
    no_violations(page)

    page.get_by_role("link", name="The early help assessment").click()
    no_violations(page)
    submit_blank_then_check(page, "Start the assessment")
    fill_date(page, "Date the assessment started", today - timedelta(days=48))
    page.get_by_label("Local authority early help service").check()
    page.get_by_role("button", name="Start the assessment").click()
    assert "Early help assessment started." in page.content()
    page.get_by_role("link", name="The early help assessment").click()
    no_violations(page)
    submit_blank_then_check(page, "Record it as completed")
    fill_date(page, "Date the assessment was completed", today - timedelta(days=35))
    page.get_by_role("button", name="Record it as completed").click()
    assert "Early help assessment completed." in page.content()

    page.get_by_role("link", name="A team around the family meeting").click()
    no_violations(page)
    submit_blank_then_check(page, "Record the meeting")
    fill_date(page, "Date of the meeting", today - timedelta(days=30))
    page.get_by_label("Parent or carer").check()
    page.get_by_label("School or college").check()
    page.get_by_label("What was agreed").fill("School to offer breakfast club; bedtime routine chart.")
    page.get_by_role("button", name="Record the meeting").click()
    assert "Team around the family meeting recorded." in page.content()

    page.get_by_role("link", name="A review of the plan").click()
    no_violations(page)
    submit_blank_then_check(page, "Record the review")
    fill_date(page, "Date of the meeting", today - timedelta(days=2))
    page.get_by_label("Parent or carer").check()
    page.get_by_label("Children's social care", exact=True).check()
    page.get_by_label("Step up to children's social care").check()
    page.get_by_role("button", name="Record the review").click()
    assert "Plan review recorded." in page.content()
    assert "The plan was reviewed: Step up to children's social care" in page.get_by_test_id("meetings").inner_text()
    assert child_stage(child=child) == "early_help"  # a decision to step up is not the step up

    page.get_by_role("link", name="Step up to children’s social care").click()
    no_violations(page)
    submit_blank_then_check(page, "Continue")
    fill_date(page, "Date of the step up", today - timedelta(days=1))
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", name="Check before stepping up").is_visible()
    no_violations(page)
    page.get_by_role("button", name="Step up to children’s social care").click()
    page.wait_for_url(f"**{record}")
    assert "the referral is open" in page.content()
    no_violations(page)

    # The record: the child is now a child in need, and the journey shows early help and the referral.
    text = page.content()
    assert "Child in need" in text and "Early help ended" in text and "Referral" in text
    referral = CINEpisode.objects.get(child=child, closure_date=None)
    assert (referral.referral_date, referral.referral_source) == (today - timedelta(days=1), "5D")
    episode = EarlyHelpEpisode.objects.get(child=child)
    assert (episode.ended_on, episode.closure_reason, episode.stepped_up_to) == (
        today - timedelta(days=1),
        "STEPPED_UP",
        referral,
    )
    assert child_stage(child=child) == "child_in_need"
    # The audit log: each step, in Ada's name, about this child.
    verbs = set(AuditEntry.objects.filter(actor__username="sw1", child=child).values_list("verb", flat=True))
    assert verbs >= {
        "early_help_started",
        "early_help_assessment_started",
        "early_help_assessment_completed",
        "taf_meeting_recorded",
        "early_help_stepped_up",
        "referral_opened",
    }
