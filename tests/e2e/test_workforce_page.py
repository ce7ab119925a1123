"""The workforce page in a browser, as a director: the figures, a team's trend, the people behind
a figure, and a date with an error; axe finds no violations on any of them."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from tests.cases.factories import ServiceAreaFactory, TeamFactory, WorkerFactory

pytestmark = pytest.mark.e2e

from grip.access.models import RoleGrant  # noqa: E402
from grip.access.roles import Role  # noqa: E402
from grip.workforce.models import Post, PostFilling  # noqa: E402

PASSWORD = "correct horse battery staple"


@pytest.fixture
def director(transactional_db):
    user = get_user_model().objects.create_user(username="dcs", password=PASSWORD)
    RoleGrant.objects.create(user=user, role=Role.DIRECTOR)
    team = TeamFactory(name="Assessment East", service_area=ServiceAreaFactory(name="East"))
    ada = WorkerFactory(first_name="Ada", last_name="Shaw", team=team, role="SW", started_on=date(2020, 1, 6))
    post = Post.objects.create(team=team, role="SW", fte=Decimal("1.00"), started_on=date(2020, 1, 1))
    PostFilling.objects.create(post=post, worker=ada, basis="PERMANENT", started_on=date(2020, 1, 6))
    Post.objects.create(team=team, role="SW", fte=Decimal("1.00"), started_on=date(2020, 1, 1))  # vacant
    return team


def no_violations(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page)
    assert result.violations_count == 0, result.generate_report()


def test_the_workforce_page_its_trend_and_the_people_behind_a_figure(browser_page, director):
    page = browser_page
    page.goto("/login/")
    page.get_by_label("Username").fill("dcs")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    page.get_by_role("link", name="Workforce", exact=True).click()
    page.wait_for_url("**/workforce/")
    no_violations(page)
    vacancies = page.locator('[data-measure="vacancies"] [data-testid="value"]')
    assert vacancies.inner_text().startswith("1.00")  # one vacant 1.0 FTE post
    page.get_by_role("link", name="Assessment East", exact=True).click()
    page.wait_for_url("**team=*")
    no_violations(page)
    page.locator('[data-measure="headcount"] [data-testid="value"] a').click()
    page.wait_for_url("**/workforce/behind/**")
    assert page.locator('[data-testid="counted"]').count() == 1
    assert "Ada Shaw" in page.locator('[data-testid="behind"]').inner_text()
    no_violations(page)
    page.goto("/workforce/?on_day=31&on_month=2&on_year=2025")
    assert "Enter a real date" in page.content()
    no_violations(page)
