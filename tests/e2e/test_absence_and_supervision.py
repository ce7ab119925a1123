"""Absence and supervision through the pages only: a team manager records a long-term absence for
one worker and a supervision session for another whose supervision was overdue (it leaves the
manager's chase list), the worker confirms the record, and the case decision shows on the child's
chronology; the audit log holds each step; axe finds no violations on any page, blank or with errors.

Hand-worked: Ada (social worker, in post since 6 January 2020, never supervised) has her monthly
supervision overdue since 6 February 2020; a session yesterday meets it and the next is a month on.
"""

import re
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
from grip.chasing import lists  # noqa: E402
from grip.workforce.models import Absence, Supervision  # noqa: E402

PASSWORD = "correct horse battery staple"


def _user(username, role, worker):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    RoleGrant.objects.create(user=user, role=role)
    worker.user = user
    worker.save(update_fields=["user"])
    return user


@pytest.fixture
def team(transactional_db):
    team = TeamFactory(name="Assessment East")
    tam = WorkerFactory(first_name="Tam", last_name="Lead", role="TM", team=team)
    ada = WorkerFactory(first_name="Ada", last_name="Shaw", team=team, manager=tam)
    ben = WorkerFactory(first_name="Ben", last_name="Ola", team=team, manager=tam)
    _user("tm1", Role.TEAM_MANAGER, tam)
    _user("sw1", Role.SOCIAL_WORKER, ada)
    child = ChildFactory(first_name="Lia", last_name="Case")
    CINEpisodeFactory(child=child, referral_date=timezone.localdate() - timedelta(days=30))
    AllocationFactory(child=child, worker=ada)
    return {"team": team, "ada": ada, "ben": ben, "child": child}


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
    page.context.clear_cookies()
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def supervision_chased(team, worker) -> bool:
    items = lists.for_teams(teams=[team.pk], on=timezone.localdate())
    return any(i.obligation.worker_id == worker.pk and i.obligation.rule == "supervision" for i in items)


def test_a_manager_records_an_absence_and_a_supervision_the_worker_confirms(browser_page, team):
    page, today = browser_page, timezone.localdate()
    ada, ben, child = team["ada"], team["ben"], team["child"]
    assert supervision_chased(team["team"], ada)

    sign_in(page, "tm1")
    page.get_by_role("link", name="Who is off").click()
    no_violations(page)
    page.get_by_role("link", name="Record an absence").click()
    no_violations(page)
    page.get_by_role("button", name="Record the absence").click()
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    no_violations(page)
    page.get_by_label("Worker", exact=True).select_option(str(ben.pk))
    page.get_by_label("Long-term sickness").check()
    page.get_by_label("Reason for the sickness").select_option("S11")
    fill_date(page, "First day away", today - timedelta(days=1))
    page.get_by_role("button", name="Record the absence").click()
    assert "Absence recorded for Ben Ola." in page.content()
    assert "Long-term" in page.get_by_test_id("who-is-off").inner_text()
    no_violations(page)
    page.get_by_role("link", name="Record a worker back").click()
    no_violations(page)
    page.get_by_test_id("absences").get_by_role("link", name=re.compile("Record back.*Ben Ola")).click()
    no_violations(page)
    page.get_by_role("button", name="Record the return").click()
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    no_violations(page)

    page.goto("/")
    page.get_by_role("link", name="Supervision", exact=True).click()
    no_violations(page)
    page.get_by_role("link", name="Record a supervision session").click()
    no_violations(page)
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    no_violations(page)
    page.get_by_label("Worker supervised").select_option(str(ada.pk))
    fill_date(page, "Date of the session", today - timedelta(days=1))
    page.get_by_label("Length of the session, in minutes").fill("90")
    page.get_by_label("Individual supervision").check()
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", name="Cases discussed and decisions").is_visible()
    no_violations(page)
    page.get_by_label("Decision: Lia Case").fill("Hold a child in need review within two weeks.")
    page.get_by_role("button", name="Continue").click()
    no_violations(page)
    page.get_by_label("What the worker and you reflected on").fill("Ada's confidence in court work.")
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", name="Check the supervision record").is_visible()
    no_violations(page)
    page.get_by_role("button", name="Record the supervision").click()
    assert "Supervision recorded. Ada Shaw is asked to confirm the record." in page.content()
    no_violations(page)
    assert not supervision_chased(team["team"], ada)

    sign_in(page, "sw1")
    page.get_by_role("link", name="My supervision").click()
    no_violations(page)
    page.get_by_role("link", name="Supervision on").click()
    assert "Hold a child in need review within two weeks." in page.get_by_test_id("decisions").inner_text()
    no_violations(page)
    page.get_by_role("button", name="Confirm the record").click()
    assert "agreed by both" in page.content()

    page.goto(f"/children/{child.pk}/?show=all")
    timeline = page.content()
    assert "Management oversight in supervision" in timeline
    assert "Hold a child in need review within two weeks." in timeline and "Agreed by both" in timeline

    session = Supervision.objects.get()
    assert (session.worker, session.confirmed_at is not None) == (ada, True)
    assert Absence.objects.get().worker == ben
    verbs = set(AuditEntry.objects.values_list("verb", flat=True))
    assert verbs >= {
        "absence_recorded",
        "who_is_off_viewed",
        "supervision_recorded",
        "supervision_decision_recorded",
        "supervision_confirmed",
    }
    assert AuditEntry.objects.get(verb="supervision_decision_recorded").child == child
