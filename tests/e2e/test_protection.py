"""A child's protection recorded through the pages only (no factories for the recording; the
strategy discussion asked for, the child, the worker and the allocation are set up by factory): the
strategy discussion held, the section 47 enquiry's outcome (a conference needed, checked before it
is recorded), the initial conference making a plan, the first core group, a child protection
visit, and a review conference continuing the plan with a new latest category. Then the child's
record shows the conferences and the plan, the worker's chase list no longer has the conference,
the core group or the visit, and the audit log has an entry for each; axe finds no violations on
any page, blank, with errors, or at its check-your-answers step."""

from datetime import datetime, time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.cases.factories import AllocationFactory, CINEpisodeFactory, StrategyDiscussionFactory, WorkerFactory
from tests.people.factories import ChildFactory

pytestmark = pytest.mark.e2e

from grip.access.models import RoleGrant  # noqa: E402
from grip.access.roles import Role  # noqa: E402
from grip.audit.models import AuditEntry  # noqa: E402
from grip.cases.models import ChildProtectionPlan  # noqa: E402

PASSWORD = "correct horse battery staple"
SATURDAY = 5


def weekday_on_or_before(day):
    while day.weekday() >= SATURDAY:
        day -= timedelta(days=1)
    return day


@pytest.fixture
def child(transactional_db):
    today = timezone.localdate()
    user = get_user_model().objects.create_user(username="sw1", password=PASSWORD, first_name="Ada", last_name="Shaw")
    RoleGrant.objects.create(user=user, role=Role.SOCIAL_WORKER)
    worker = WorkerFactory(first_name="Ada", last_name="Shaw", user=user)
    child = ChildFactory(first_name="Pia", last_name="Guard", date_of_birth=today - timedelta(days=365 * 6))
    episode = CINEpisodeFactory(child=child, referral_date=today - timedelta(days=30))
    AllocationFactory(child=child, worker=worker, team=worker.team, started_on=today - timedelta(days=30))
    asked = timezone.make_aware(datetime.combine(today - timedelta(days=21), time(9, 0)))
    StrategyDiscussionFactory(episode=episode, requested_at=asked, held_at=None, attended_by=[], outcome="")
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


def blank_then_errors(page, link: str, button: str) -> None:
    """Open the page from the record, check it blank, send it blank, check the errors."""
    page.get_by_test_id("recordable").get_by_role("link", name=link).click()
    no_violations(page)
    page.get_by_role("button", name=button).click()
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    no_violations(page)


def fill_conference(page, day, participation: str) -> None:
    fill_date(page, "Date of the conference", day)
    page.get_by_label("Who chaired the conference?").fill("Rita Chairwoman")
    attended = page.get_by_role("group", name="Who attended?")
    for who in ("Children's social care", "Parents or carers", "Police"):
        attended.get_by_label(who).check()
    page.get_by_role("group", name="How did the child take part?").get_by_label(participation).check()


def chased(page, child) -> set[str]:
    page.goto("/chase/mine/")
    rows = page.locator(f'[data-testid="chase-row"][data-child="{child.pk}"]')
    return {rows.nth(i).get_attribute("data-rule") for i in range(rows.count())}


def test_recording_a_childs_protection_through_the_pages(browser_page, child):
    page = browser_page
    today = timezone.localdate()
    held = today - timedelta(days=20)
    conference_day = weekday_on_or_before(today - timedelta(days=8))
    page.goto("/login/")
    page.get_by_label("Username").fill("sw1")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    record = f"/children/{child.pk}/"

    # The strategy discussion asked for is held: a section 47 enquiry starts from it.
    page.goto(record)
    page.get_by_role("link", name="Record the strategy discussion held").click()
    no_violations(page)
    page.get_by_role("button", name="Record the discussion").click()
    no_violations(page)
    fill_date(page, "Date held", held)
    page.get_by_label("Time held").fill("11:00")
    agencies = page.get_by_role("group", name="Agencies that took part")
    for agency in ("Children's social care", "Police", "Health"):
        agencies.get_by_label(agency).check()
    page.get_by_label("Section 47 enquiry to start").check()
    page.get_by_role("button", name="Record the discussion").click()
    assert "A section 47 enquiry has started from it." in page.content()

    # The enquiry's outcome: a conference is needed, which holds none (the ICPC is still chased).
    blank_then_errors(page, "Record a section 47 enquiry’s outcome", "Continue")
    fill_date(page, "Date the enquiry was completed", conference_day - timedelta(days=2))
    page.get_by_label("Initial child protection conference required").check()
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", name="Check the section 47 enquiry’s outcome").is_visible()
    no_violations(page)
    page.get_by_role("button", name="Record the outcome").click()
    assert "Section 47 enquiry outcome recorded." in page.content()
    assert "icpc" in chased(page, child)

    # The initial conference makes a plan (neglect).
    page.goto(record)
    blank_then_errors(page, "Record an initial child protection conference", "Continue")
    fill_conference(page, conference_day, "Too young to take part (an unborn child or a baby)")
    decided = page.get_by_role("group", name="What did the conference decide?")
    decided.get_by_label("Child protection plan", exact=True).check()
    page.get_by_role("button", name="Continue").click()  # no category: asked for it
    assert "Select the category of abuse of the plan" in page.content()
    no_violations(page)
    page.get_by_role("group", name="Category of abuse").get_by_label("Neglect").check()
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", name="Check the initial child protection conference").is_visible()
    no_violations(page)
    page.get_by_role("button", name="Record the conference").click()
    assert "Initial child protection conference recorded." in page.content()
    assert "icpc" not in chased(page, child)

    # The first core group, a child protection visit, then the review conference.
    page.goto(record)
    blank_then_errors(page, "Record a core group meeting", "Record the meeting")
    fill_date(page, "Date of the meeting", conference_day + timedelta(days=2))
    meeting = page.get_by_role("group", name="Who attended?")
    for who in ("Children's social care", "Parents or carers", "Education (school, nursery or early years setting)"):
        meeting.get_by_label(who).check()
    page.get_by_role("button", name="Record the meeting").click()
    assert "Core group meeting recorded." in page.content()

    page.get_by_test_id("recordable").get_by_role("link", name="Record a visit").click()
    page.get_by_label("Child protection visit").check()
    fill_date(page, "Date of the visit", today - timedelta(days=2))
    page.get_by_role("group", name="Was the child seen?").get_by_label("Yes").check()
    page.get_by_role("group", name="Was the child seen alone?").get_by_label("Yes").check()
    page.get_by_label("Where was the child seen?").fill("At home, in her bedroom")
    page.get_by_label("What did the child say, and how did they feel?").fill(
        "Pia said there is food in the cupboard now and her mum walks her to school."
    )
    page.get_by_role("button", name="Record the visit").click()
    assert "Child protection visit recorded." in page.content()

    blank_then_errors(page, "Record a review child protection conference", "Continue")
    fill_conference(page, today - timedelta(days=1), "Did not attend and their social worker gave their views")
    page.get_by_role("group", name="What did the conference decide?").get_by_label(
        "The child protection plan continues"
    ).check()
    page.get_by_role("group", name="New latest category of abuse (optional)").get_by_label("Emotional abuse").check()
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", name="Check the review child protection conference").is_visible()
    no_violations(page)
    page.get_by_role("button", name="Record the review").click()
    assert "Review child protection conference recorded." in page.content()

    # The record shows it; the chase list no longer has it; the audit log holds each step.
    page.get_by_label("Show").select_option("all")
    page.get_by_test_id("journey-filter").get_by_role("button", name="Show").click()
    journey = page.get_by_test_id("journey").inner_text()
    assert "Initial child protection conference" in journey and "Review child protection conference" in journey
    assert "Child protection plan started" in journey
    assert not chased(page, child) & {"icpc", "core_group_first", "cp_visit", "cp_review", "strategy_discussion_held"}
    plan = ChildProtectionPlan.objects.get(episode__child=child)
    assert (plan.started_on, plan.initial_category, plan.latest_category, plan.ended_on) == (
        conference_day,
        "NEG",
        "EMO",
        None,
    )
    verbs = set(AuditEntry.objects.filter(child=child, actor__username="sw1").values_list("verb", flat=True))
    assert verbs >= {
        "strategy_discussion_held",
        "section47_outcome_recorded",
        "initial_conference_held",
        "core_group_recorded",
        "visit_recorded",
        "review_conference_held",
    }
