"""My week and closing a case, through the pages only: a social worker opens My week, follows
"Record it" beside a visit due today, records the visit, and sees it leave My week; her manager
closes another of her cases through the check-your-answers step (changing an answer on the way);
axe finds no violations on any of the pages, blank, with errors or checking.

Hand-worked: Dot's child in need plan started 42 days ago, so her 6-weekly visit (local rule
cin_visit) is due today; Cal's started 100 days ago, so his visit and his plan's review are overdue.
"""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.cases.factories import (
    AllocationFactory,
    AssessmentFactory,
    CINEpisodeFactory,
    CINPlanFactory,
    TeamFactory,
    WorkerFactory,
)
from tests.people.factories import ChildFactory

pytestmark = pytest.mark.e2e

from grip.access.models import RoleGrant  # noqa: E402
from grip.access.roles import Role  # noqa: E402
from grip.allocation.models import Allocation  # noqa: E402
from grip.audit.models import AuditEntry  # noqa: E402
from grip.cases.models import CINEpisode, Visit  # noqa: E402

from .test_looked_after_care import fill_date, no_violations  # noqa: E402

PASSWORD = "correct horse battery staple"


def person(username: str, role: Role, first: str, last: str, team, worker_role: str):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, first_name=first, last_name=last)
    RoleGrant.objects.create(user=user, role=role)
    return WorkerFactory(first_name=first, last_name=last, user=user, team=team, role=worker_role)


def on_a_plan(worker, first: str, *, plan_days_ago: int):
    today = timezone.localdate()
    child = ChildFactory(first_name=first, last_name="Week")
    episode = CINEpisodeFactory(child=child, referral_date=today - timedelta(days=plan_days_ago + 10))
    AssessmentFactory(episode=episode, authorised_on=today - timedelta(days=plan_days_ago + 1))
    CINPlanFactory(episode=episode, started_on=today - timedelta(days=plan_days_ago))
    AllocationFactory(child=child, worker=worker, team=worker.team, started_on=episode.referral_date)
    return child


@pytest.fixture
def cases(transactional_db):
    team = TeamFactory(name="Children in Need East")
    ada = person("sw1", Role.SOCIAL_WORKER, "Ada", "Shaw", team, "SW")
    person("tm1", Role.TEAM_MANAGER, "Tam", "Lead", team, "TM")
    return {"dot": on_a_plan(ada, "Dot", plan_days_ago=42), "cal": on_a_plan(ada, "Cal", plan_days_ago=100)}


def sign_in(page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def row(page, child, rule: str):
    return page.locator(f'[data-testid="week-row"][data-child="{child.pk}"][data-rule="{rule}"]')


def test_my_week_then_a_case_closed_through_check_your_answers(browser_page, cases):
    page, today = browser_page, timezone.localdate()
    dot, cal = cases["dot"], cases["cal"]

    sign_in(page, "sw1")
    page.get_by_role("link", name="My week").first.click()
    assert page.get_by_role("heading", name="My week").is_visible()
    no_violations(page)
    assert row(page, dot, "cin_visit").get_attribute("data-status") == "due_soon"
    assert row(page, cal, "cin_visit").get_attribute("data-status") == "overdue"
    row(page, dot, "cin_visit").get_by_test_id("record-link").click()

    assert page.get_by_role("heading", name="Record a visit").is_visible()
    fill_date(page, "Date of the visit", today)
    page.get_by_role("group", name="Kind of visit").get_by_label("Child in need", exact=False).first.check()
    page.get_by_role("group", name="Was the child seen?").get_by_label("Yes").check()
    page.get_by_role("group", name="Was the child seen alone?").get_by_label("Yes").check()
    page.get_by_label("What did the child say, and how did they feel?").fill("Said she likes her new school.")
    page.get_by_role("button", name="Record the visit").click()
    assert "visit recorded" in page.content().lower()
    page.goto("/record/my-week/")
    assert row(page, dot, "cin_visit").count() == 0  # left My week the moment it was recorded
    assert row(page, cal, "cin_visit").count() == 1
    assert Visit.objects.filter(child=dot).count() == 1

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "tm1")
    page.goto(f"/children/{cal.pk}/")
    page.get_by_role("link", name="Close the case").click()
    no_violations(page)
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    no_violations(page)
    fill_date(page, "Date the case closed", today)
    page.get_by_label("Adopted").check()
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", name="Check the case closure").is_visible()
    no_violations(page)
    page.get_by_role("button", name="Change reason for closing").click()
    assert page.get_by_label("Adopted").is_checked()  # the form as it was left
    assert page.get_by_role("group", name="Date the case closed").get_by_label("Day").input_value() == str(today.day)
    page.get_by_label("Services ceased for any other reason").check()
    page.get_by_role("button", name="Continue").click()
    assert "RC7" in page.get_by_test_id("answers").inner_text()
    page.get_by_role("button", name="Close the case").click()
    assert "Case closed" in page.content()

    episode = CINEpisode.objects.get(child=cal)
    assert (episode.closure_date, episode.closure_reason) == (today, "RC7")
    assert Allocation.objects.get(child=cal).ended_on == today
    verbs = set(AuditEntry.objects.filter(child=cal, actor__username="tm1").values_list("verb", flat=True))
    assert {"case_closed", "cin_plan_ended", "allocation_ended"} <= verbs
    page.goto("/record/my-week/?worker=" + str(Allocation.objects.get(child=cal).worker_id))
    assert row(page, cal, "cin_visit").count() == 0  # nothing of the closed case is left in Ada's week
    no_violations(page)
