from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.cases.factories import (
    AllocationFactory,
    CINEpisodeFactory,
    ContactFactory,
    VisitFactory,
    WorkerFactory,
    at,
)
from tests.people.factories import ChildFactory, PersonFactory, RelationshipFactory

pytestmark = pytest.mark.e2e

from grip.access.models import RoleGrant  # noqa: E402
from grip.access.roles import Role  # noqa: E402

PASSWORD = "correct horse battery staple"
SCREENSHOT = "/tmp/grip-child-record.png"


@pytest.fixture
def child(transactional_db):
    user = get_user_model().objects.create_user(username="sw1", password=PASSWORD)
    RoleGrant.objects.create(user=user, role=Role.FRONT_DOOR_PRACTITIONER)
    child = ChildFactory(first_name="Mia", last_name="Okonkwo", la_child_id="LA000777")
    worker = WorkerFactory(first_name="Ada", last_name="Brennan", team__name="Assessment East")
    referred = timezone.localdate() - timedelta(days=12)
    ContactFactory(child=child, received_at=at(referred, 9, 20), decided_by=worker)
    CINEpisodeFactory(child=child, referral_date=referred)
    AllocationFactory(child=child, worker=worker, started_on=referred + timedelta(days=1))
    VisitFactory(child=child, worker=worker, visit_type="CIN", visited_on=referred + timedelta(days=6))
    RelationshipFactory(person=child, relative=PersonFactory(first_name="Grace", last_name="Okonkwo"))
    sibling = ChildFactory(first_name="Leo", last_name="Okonkwo")
    RelationshipFactory(person=child, relative=sibling, relationship_type="SIBLING")
    return child


def test_search_by_name_and_open_the_record_with_its_journey(browser_page, child):
    page = browser_page
    failed = []
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    page.goto("/login/")
    page.get_by_label("Username").fill("sw1")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")

    page.get_by_role("link", name="Children search").click()
    page.get_by_label("Search for a child").fill("mia oko")
    page.get_by_role("button", name="Search").click()
    results = page.get_by_test_id("child-search-results")
    assert "LA000777" in results.inner_text()
    assert "Child in need" in results.inner_text()
    results.get_by_role("link", name="Mia Okonkwo").click()

    page.wait_for_url(f"**/children/{child.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mia Okonkwo"
    summary = page.get_by_test_id("case-summary")
    assert "Ada Brennan, Assessment East" in summary.inner_text()
    assert page.get_by_test_id("family").get_by_role("link", name="Leo Okonkwo").is_visible()

    timeline = page.get_by_test_id("journey")
    # Key events first; the reader asks for every event.
    assert timeline.locator(".moj-timeline__title").all_inner_texts() == ["Referral", "Contact received"]
    page.get_by_label("Show").select_option("all")
    page.get_by_test_id("journey-filter").get_by_role("button", name="Show").click()
    page.wait_for_url("**show=all**")
    titles = timeline.locator(".moj-timeline__title").all_inner_texts()
    assert titles == [
        "Child in need visit",
        "Allocated to Ada Brennan (Assessment East)",
        "Referral",
        "Contact received",
    ]
    referral = timeline.locator('[data-kind="referral"]')
    assert "Source: Police" in referral.inner_text()
    # MOJ Frontend's timeline styles apply (the item has the line down its left edge).
    border = timeline.locator(".moj-timeline__item").first.evaluate(
        "el => getComputedStyle(el, '::before').backgroundColor"
    )
    assert border == "rgb(29, 112, 184)"
    assert failed == []

    page.screenshot(path=SCREENSHOT, full_page=True)
