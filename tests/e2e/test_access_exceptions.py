"""The system administrator grants an exception to a restricted record in the browser; the person
can then open the record giving a reason; the administrator revokes it; the record is "not found"
for them again."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model

from grip.access.models import RestrictedRecord, RoleGrant
from grip.access.roles import Role
from tests.cases.factories import CINEpisodeFactory
from tests.people.factories import ChildFactory

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery staple"


@pytest.fixture
def restricted_child(transactional_db):
    User = get_user_model()
    admin = User.objects.create_user(username="sysadmin", password=PASSWORD)
    RoleGrant.objects.create(user=admin, role=Role.SYSTEM_ADMINISTRATOR)
    director = User.objects.create_user(username="director1", password=PASSWORD)
    RoleGrant.objects.create(user=director, role=Role.DIRECTOR)
    manager = User.objects.create_user(username="manager1", password=PASSWORD)
    RoleGrant.objects.create(user=manager, role=Role.TEAM_MANAGER)
    child = ChildFactory(first_name="Noor", last_name="Haddad", la_child_id="LA000888")
    CINEpisodeFactory(child=child, referral_date=date.today() - timedelta(days=20))
    restriction = RestrictedRecord.objects.create(
        child=child, reason="A relative works in the team", restricted_by=manager
    )
    restriction.named_users.add(manager)
    return child


def _sign_in(page, username):
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def test_an_exception_granted_and_revoked_in_the_browser(browser_page, chromium_browser, live_server, restricted_child):
    admin = browser_page
    _sign_in(admin, "sysadmin")
    admin.get_by_role("link", name="Manage access").click()
    admin.get_by_role("link", name="Restricted records").click()
    records = admin.get_by_test_id("restricted-records")
    assert str(restricted_child.pk) in records.inner_text() and "Haddad" not in admin.content()
    records.get_by_role("link", name=f"Grant an exception to record {restricted_child.pk}").click()

    last_day = date.today() + timedelta(days=7)
    admin.get_by_label("Username of the person who needs to open it").fill("director1")
    assert admin.get_by_label("Child’s record number").input_value() == str(restricted_child.pk)
    admin.get_by_label("Day").fill(str(last_day.day))
    admin.get_by_label("Month").fill(str(last_day.month))
    admin.get_by_label("Year").fill(str(last_day.year))
    admin.get_by_label("Why is it needed?").fill("Serious case review in progress")
    admin.get_by_role("button", name="Grant the exception").click()
    admin.wait_for_url("**/access/exceptions/")
    assert (
        "director1 may open record"
        in admin.get_by_role("alert").or_(admin.locator(".govuk-notification-banner")).first.inner_text()
    )

    context = chromium_browser.new_context(base_url=live_server.url)
    director = context.new_page()
    director.set_default_timeout(10_000)
    _sign_in(director, "director1")
    record_url = f"/children/{restricted_child.pk}/"
    director.goto(record_url)
    director.get_by_label("Why do you need to open this record now?").fill(
        "Preparing the serious case review chronology"
    )
    director.get_by_role("button", name="Open the record").click()
    assert director.get_by_role("heading", level=1).inner_text() == "Noor Haddad"

    admin.get_by_role("link", name="Revoke director1’s exception").click()
    assert admin.get_by_label("Username").input_value() == "director1"
    admin.get_by_role("button", name="Revoke the exception").click()
    admin.wait_for_url("**/access/exceptions/")
    assert "Revoked by sysadmin" in admin.get_by_test_id("exceptions").inner_text()

    response = director.goto(record_url)
    assert response.status == 404
    assert "Haddad" not in director.content()
    context.close()
