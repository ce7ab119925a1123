"""A child in need's legal life in care, recorded through the pages only (factories make the people
and the open case, nothing the pages record): the child becomes looked after (checked first), the
care plan and placement plan leave the chase list, a manager assigns the IRO (shown on the record),
the legal status changes (checked first), the IRO chairs a review, and the child goes home (the end
of care checked first). The audit log holds each step; axe finds no violations on any page, blank,
with errors, or at the check step."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.cases.factories import AllocationFactory, CINEpisodeFactory, WorkerFactory
from tests.people.factories import ChildFactory

pytestmark = pytest.mark.e2e

from grip.access.models import RoleGrant  # noqa: E402
from grip.access.roles import Role  # noqa: E402
from grip.audit.models import AuditEntry  # noqa: E402
from grip.cases.models import CarePlan, IROAssignment, LookedAfterEpisode, LookedAfterReview, PlacementPlan  # noqa: E402

from .test_looked_after_care import fill_date, no_violations  # noqa: E402

PASSWORD = "correct horse battery staple"


def user(username: str, access: Role, first: str, last: str, **worker):
    person = get_user_model().objects.create_user(
        username=username, password=PASSWORD, first_name=first, last_name=last
    )
    RoleGrant.objects.create(user=person, role=access)
    return WorkerFactory(first_name=first, last_name=last, user=person, **worker)


@pytest.fixture
def child(transactional_db):
    social_worker = user("sw1", Role.SOCIAL_WORKER, "Ada", "Shaw")
    user("tm1", Role.TEAM_MANAGER, "Tam", "Lead", team=social_worker.team, role="TM")
    WorkerFactory(first_name="Iris", last_name="Reeve", role="IRO", team=social_worker.team)
    today = timezone.localdate()
    child = ChildFactory(first_name="Noor", last_name="Home", date_of_birth=today - timedelta(days=365 * 9))
    CINEpisodeFactory(child=child, referral_date=today - timedelta(days=90))
    AllocationFactory(child=child, worker=social_worker, team=social_worker.team, started_on=today - timedelta(days=90))
    return child


def sign_in(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def record_link(page, child, name: str) -> None:
    page.goto(f"/children/{child.pk}/")
    page.get_by_test_id("recordable").get_by_role("link", name=name).click()
    no_violations(page)


def test_a_child_in_need_comes_into_care_and_goes_home(browser_page, child):
    page = browser_page
    today = timezone.localdate()
    sign_in(page, "sw1")

    # Becoming looked after: errors first, then the answers checked, then recorded.
    record_link(page, child, "Record the child becoming looked after")
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    no_violations(page)
    fill_date(page, "The day care began", today - timedelta(days=20))
    page.get_by_label("Legal status").select_option("V2")
    page.get_by_label("Abuse or neglect").check()
    page.get_by_label("Type of placement").select_option("U3")
    page.get_by_label("Own provision (by the local authority)", exact=False).check()
    page.get_by_label("Postcode of the placement").fill("ZX1 1ZZ")
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", name="Check the start of care").is_visible()
    no_violations(page)
    page.get_by_role("button", name="Record the start of care").click()
    assert "Start of care recorded." in page.content()

    # The plans it starts are on the worker's chase list, each with its page.
    page.goto("/chase/mine/")
    listed = page.locator("main").inner_text()
    assert "Care plan" in listed and "Placement plan" in listed

    record_link(page, child, "Record a care plan")
    page.get_by_role("button", name="Record the care plan").click()
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    no_violations(page)
    fill_date(page, "Date the plan was made", today - timedelta(days=19))
    page.get_by_role("button", name="Record the care plan").click()
    assert "Care plan recorded." in page.content()

    record_link(page, child, "Record a placement plan")
    fill_date(page, "Date the plan was agreed", today - timedelta(days=18))
    page.get_by_role("button", name="Record the placement plan").click()
    assert "Placement plan recorded." in page.content()
    page.goto("/chase/mine/")
    listed = page.locator("main").inner_text()
    assert "Care plan" not in listed and "Placement plan" not in listed

    # A manager assigns the IRO; the record shows them.
    sign_in(page, "tm1")
    record_link(page, child, "Assign or change the IRO")
    page.get_by_role("button", name="Assign the IRO").click()
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    no_violations(page)
    page.get_by_label("Independent reviewing officer").select_option(label="Iris Reeve")
    fill_date(page, "The day they take over", today - timedelta(days=15))
    page.get_by_role("button", name="Assign the IRO").click()
    assert "Independent reviewing officer assigned." in page.content()
    assert "Iris Reeve, since" in page.get_by_test_id("case-summary").inner_text()

    # The legal status changes: an interim care order, checked first.
    sign_in(page, "sw1")
    record_link(page, child, "Record a change of legal status")
    fill_date(page, "Date of the change", today - timedelta(days=10))
    page.get_by_label("New legal status").select_option("C1")
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", name="Check the change of legal status").is_visible()
    no_violations(page)
    page.get_by_role("button", name="Record the change of legal status").click()
    assert "Change of legal status recorded." in page.content()

    # The review, chaired by the child's IRO (chosen already).
    record_link(page, child, "Record a looked-after review")
    assert page.get_by_label("Who chaired the review?").input_value() != ""
    fill_date(page, "Date of the review", today - timedelta(days=5))
    page.get_by_label("Child physically attends and speaks for themselves").check()
    page.get_by_role("button", name="Record the review").click()
    assert "Looked-after review recorded." in page.content()

    # Home: the end of care, checked first (an end before care began is refused).
    record_link(page, child, "Record the end of care")
    fill_date(page, "The day care ended", today - timedelta(days=30))
    page.get_by_label("Why did care end?").select_option("E4A")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Record the end of care").click()
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    no_violations(page)
    assert "Care cannot end before the current episode started" in page.content()  # the form, as typed
    fill_date(page, "The day care ended", today - timedelta(days=1))
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", name="Check the end of care").is_visible()
    no_violations(page)
    page.get_by_role("button", name="Record the end of care").click()
    assert "End of care recorded." in page.content()
    assert "Child in need" in page.get_by_test_id("case-summary").inner_text()

    episodes = list(
        LookedAfterEpisode.objects.filter(child=child)
        .order_by("started_on")
        .values_list("reason_new_episode", "legal_status", "reason_ceased")
    )
    assert episodes == [("S", "V2", "X1"), ("L", "C1", "E4A")]
    assert CarePlan.objects.filter(child=child).count() == PlacementPlan.objects.filter(child=child).count() == 1
    assert LookedAfterReview.objects.get(child=child).chaired_by.full_name == "Iris Reeve"
    assert IROAssignment.objects.get(child=child).ended_on == today - timedelta(days=1)
    verbs = set(AuditEntry.objects.filter(child=child).values_list("verb", flat=True))
    assert {
        "looked_after_started",
        "care_plan_recorded",
        "placement_plan_recorded",
        "iro_assigned",
        "legal_status_changed",
        "looked_after_review_held",
        "looked_after_ceased",
    } <= verbs
