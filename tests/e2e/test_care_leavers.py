"""A care leaver's support recorded through the pages only (no factories for the recording): a
contact in touch finding them in a flat the authority provides, the personal adviser's visit, the
pathway plan and its review, then a contact not in touch; the record's summary, the worker's chase
list and the audit log show it; axe finds no violations on any of the pages, blank or with errors.

Hand-worked: support began 70 days ago, so keeping in touch (every 8 weeks, 56 days) fell due 14
days ago and is overdue at the start; the contact in touch two days ago stops it (next due in 54
days). That contact opens the flat the authority provides two days ago, so the personal adviser's
visit (within 7 days) is due soon until the visit today. The first pathway plan review is due 6
months after support began (about 112 days away): never on the lists here.
"""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.cases.factories import AllocationFactory, CareLeaverEpisodeFactory, WorkerFactory
from tests.people.factories import ChildFactory

pytestmark = pytest.mark.e2e

from grip.access.models import RoleGrant  # noqa: E402
from grip.access.roles import Role  # noqa: E402
from grip.cases.models import CareLeaverAccommodation, CareLeaverContact, PathwayPlanReview  # noqa: E402
from grip.core.formatting import long_date  # noqa: E402

PASSWORD = "correct horse battery staple"
RELEVANT_CHILD = "Provided to a relevant child (Children Act 1989 section 23B)"


@pytest.fixture
def leaver(transactional_db):
    User = get_user_model()
    user = User.objects.create_user(username="sw1", password=PASSWORD, first_name="Ada", last_name="Shaw")
    RoleGrant.objects.create(user=user, role=Role.SOCIAL_WORKER)
    admin = User.objects.create_user(username="sysadmin", password=PASSWORD)
    RoleGrant.objects.create(user=admin, role=Role.SYSTEM_ADMINISTRATOR)
    worker = WorkerFactory(first_name="Ada", last_name="Shaw", user=user)
    today = timezone.localdate()
    child = ChildFactory(first_name="Kai", last_name="Leaver", date_of_birth=today - timedelta(days=365 * 17 + 30))
    started = today - timedelta(days=70)
    CareLeaverEpisodeFactory(child=child, started_on=started)
    AllocationFactory(child=child, worker=worker, team=worker.team, started_on=started)
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


def sign_in(page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def blank_then_errors(page, link: str, button: str) -> None:
    """Open the page from the record's list, axe it, send it blank, axe the errors."""
    page.get_by_test_id("recordable").get_by_role("link", name=link).click()
    no_violations(page)
    page.get_by_role("button", name=button).click()
    assert page.locator(".govuk-error-summary").is_visible()
    no_violations(page)


def chased(page, child) -> dict[str, str]:
    page.goto("/chase/mine/")
    rows = page.locator(f'[data-testid="chase-row"][data-child="{child.pk}"]')
    return {
        rows.nth(i).get_attribute("data-rule"): rows.nth(i).get_attribute("data-status") for i in range(rows.count())
    }


def test_a_care_leavers_support_recorded_through_the_pages(browser_page, leaver):
    page = browser_page
    today = timezone.localdate()
    record = f"/children/{leaver.pk}/"
    sign_in(page, "sw1")
    assert chased(page, leaver) == {"care_leaver_in_touch": "overdue"}

    page.goto(record)
    assert "Keeping in touch with a care leaver: overdue" in page.get_by_test_id("case-summary").inner_text()
    blank_then_errors(page, "Record a contact with a care leaver", "Record the contact")
    fill_date(page, "Date of the contact", today - timedelta(days=2))
    page.get_by_role("group", name="Were you in touch with the young person?").get_by_label("Yes").check()
    page.get_by_label("Main activity").select_option("F5")
    page.get_by_label("Accommodation", exact=True).select_option("U1")
    page.get_by_label(RELEVANT_CHILD).check()
    page.get_by_role("button", name="Record the contact").click()
    assert "Contact with the care leaver recorded." in page.content()
    assert chased(page, leaver) == {"care_leaver_visit": "due_soon"}

    page.goto(record)
    page.get_by_test_id("recordable").get_by_role("link", name="Record a visit").click()
    page.get_by_label("Care leaver contact visit").check()
    page.get_by_role("group", name="Was the child seen?").get_by_label("Yes").check()
    page.get_by_role("group", name="Was the child seen alone?").get_by_label("Yes").check()
    page.get_by_label("Where was the child seen?").fill("At the flat")
    page.get_by_label("What did the child say, and how did they feel?").fill("The flat is cold but it is mine.")
    page.get_by_role("button", name="Record the visit").click()
    assert "visit recorded" in page.content()

    blank_then_errors(page, "Pathway plan and reviews", "Record it")
    page.get_by_label("Pathway plan made").check()
    fill_date(page, "Date of the plan or review", today - timedelta(days=100))
    page.get_by_role("button", name="Record it").click()
    assert "Pathway plan recorded." in page.content()
    page.get_by_test_id("recordable").get_by_role("link", name="Pathway plan and reviews").click()
    page.get_by_label("Pathway plan review").check()
    fill_date(page, "Date of the plan or review", today - timedelta(days=101))
    page.get_by_role("button", name="Record it").click()
    assert "A review cannot be before the pathway plan" in page.locator(".govuk-error-summary").inner_text()
    no_violations(page)
    fill_date(page, "Date of the plan or review", today - timedelta(days=1))
    page.get_by_role("button", name="Record it").click()
    assert "Pathway plan review recorded." in page.content()

    page.get_by_test_id("recordable").get_by_role("link", name="Record a contact with a care leaver").click()
    fill_date(page, "Date of the contact", today)
    page.get_by_role("group", name="Were you in touch with the young person?").get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Record the contact").click()
    assert "Contact with the care leaver recorded." in page.content()

    blank_then_errors(page, "Record a needs assessment (pathway plan)", "Record the assessment")
    page.goto(record)
    blank_then_errors(page, "End care leaver support", "Continue")
    fill_date(page, "Date the support ended", today)
    page.get_by_label("The young person no longer wants support").check()
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", name="Check before ending care leaver support").is_visible()
    no_violations(page)
    page.get_by_role("button", name="Change the answers").click()  # not ended after all
    assert page.get_by_role("heading", name="End care leaver support").is_visible()

    assert chased(page, leaver) == {}
    page.goto(record)
    summary = page.get_by_test_id("case-summary").inner_text()
    assert "Nothing overdue or due soon" in summary
    assert f"Last seen\t{long_date(today)}" in summary
    page.get_by_label("Show").select_option("leaving-care")  # contacts and reviews are not key events
    page.get_by_test_id("journey-filter").get_by_role("button", name="Show").click()
    contacts = page.get_by_test_id("journey").inner_text()
    assert "Care leaver contact" in contacts and "Pathway plan review" in contacts

    assert list(CareLeaverContact.objects.order_by("contact_on").values_list("in_touch", flat=True)) == ["YES", "NO"]
    assert CareLeaverAccommodation.objects.get(care_leaver__child=leaver).accommodation == "U1"
    assert list(PathwayPlanReview.objects.order_by("held_on").values_list("kind", flat=True)) == ["PLAN", "REVIEW"]

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "sysadmin")
    page.goto(f"/audit/?child_id={leaver.pk}")
    log = page.get_by_test_id("audit-log-results").inner_text()
    for words in (
        "Recorded a contact with a care leaver",
        "Recorded a visit",
        "Recorded a pathway plan made",
        "Recorded a pathway plan review",
    ):
        assert words in log
    assert "Ended a care leaver’s support" not in log
