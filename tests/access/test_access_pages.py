"""The system administrator's access pages (/access/): lists, and forms whose bad input gets a
specific GOV.UK error summary and changes nothing. Who may reach them is in the access matrix."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from grip.access.models import AccessException, RestrictedRecord, RoleGrant
from grip.access.roles import Role

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.users[Role.SYSTEM_ADMINISTRATOR])
    return client


def _summary(response) -> str:
    html = response.content.decode()
    assert "govuk-error-summary" in html, "no error summary"
    return html[html.index("govuk-error-summary") : html.index("</div>", html.index("govuk-error-summary__list"))]


def test_the_home_page_links_system_administrators_to_manage_access(client, world):
    client.force_login(world.users[Role.SYSTEM_ADMINISTRATOR])
    assert reverse("access:index").encode() in client.get(reverse("web:home")).content
    client.force_login(world.users[Role.DIRECTOR])
    assert reverse("access:index").encode() not in client.get(reverse("web:home")).content


def test_manage_access_leads_to_the_second_factor_reset(admin_client):
    """A lost authenticator app is an administrator's everyday task: reachable without knowing a URL."""
    page = admin_client.get(reverse("access:index")).content.decode()
    assert f'href="{reverse("web:second-factor-reset")}"' in page


def test_the_users_page_lists_everyone_with_their_roles(admin_client, world):
    page = admin_client.get(reverse("access:users")).content.decode()
    assert "quality_assurance_lead" in page and "Quality assurance lead" in page
    assert '<a class="govuk-link" href="/access/users/grant/?username=director">' in page
    assert '<a class="govuk-link" href="/access/users/revoke/?username=director&amp;role=director">' in page


def test_granting_a_role_on_the_page_and_then_again(admin_client, world):
    url = reverse("access:role-grant")
    granted = admin_client.post(url, {"username": "social_worker", "role": "director"})
    assert granted.status_code == 302 and granted.url == reverse("access:users")
    assert "social_worker now holds the role Director." in admin_client.get(granted.url).content.decode()

    again = admin_client.post(url, {"username": "social_worker", "role": "director"})
    assert again.status_code == 400
    assert "social_worker already holds the role Director." in _summary(again)
    assert RoleGrant.objects.filter(user=world.users[Role.SOCIAL_WORKER]).count() == 2


def test_a_role_form_with_nothing_filled_in_says_what_is_missing(admin_client):
    response = admin_client.post(reverse("access:role-grant"), {})
    summary = _summary(response)
    assert "Enter the person’s username" in summary and "Choose the role" in summary


def test_revoking_a_role_on_the_page(admin_client, world):
    prefilled = admin_client.get(reverse("access:role-revoke") + "?username=director&role=director")
    assert 'value="director"' in prefilled.content.decode()
    done = admin_client.post(reverse("access:role-revoke"), {"username": "director", "role": "director"})
    assert done.status_code == 302
    assert not RoleGrant.objects.filter(user=world.users[Role.DIRECTOR]).exists()
    missing = admin_client.post(reverse("access:role-revoke"), {"username": "nobody-here", "role": "director"})
    assert missing.status_code == 400 and "No one has the username nobody-here" in _summary(missing)


def test_the_restricted_records_page_shows_record_numbers_and_never_a_childs_name(admin_client, world):
    page = admin_client.get(reverse("access:restricted")).content.decode()
    assert f">{world.children['restricted'].pk}<" in page and "A relative works in the team" in page
    assert "Scope" not in page  # every test child's surname


def test_restricting_on_the_page_and_restricting_again(admin_client, world):
    child = world.children["own"]
    data = {
        "child": str(child.pk),
        "reason": "High-profile case in the press",
        "named_users": "social_worker, team_manager",
    }
    done = admin_client.post(reverse("access:restrict"), data)
    assert done.status_code == 302
    restriction = RestrictedRecord.objects.get(child=child)
    assert sorted(restriction.named_users.values_list("username", flat=True)) == ["social_worker", "team_manager"]

    again = admin_client.post(reverse("access:restrict"), data | {"named_users": "director"})
    assert again.status_code == 400 and f"Record {child.pk} is already restricted." in _summary(again)
    assert sorted(restriction.named_users.values_list("username", flat=True)) == ["social_worker", "team_manager"]


def test_restricting_names_the_usernames_it_does_not_know(admin_client, world):
    data = {"child": str(world.children["own"].pk), "reason": "High-profile case", "named_users": "social_worker ghost"}
    response = admin_client.post(reverse("access:restrict"), data)
    assert response.status_code == 400 and "No one has the username ghost" in _summary(response)
    assert not RestrictedRecord.objects.filter(child=world.children["own"]).exists()


def test_lifting_a_restriction_on_the_page_and_one_that_is_not_there(admin_client, world):
    restricted, own = world.children["restricted"], world.children["own"]
    assert admin_client.post(reverse("access:unrestrict"), {"child": str(restricted.pk)}).status_code == 302
    assert not RestrictedRecord.objects.exists()
    response = admin_client.post(reverse("access:unrestrict"), {"child": str(own.pk)})
    assert response.status_code == 400 and f"Record {own.pk} is not restricted." in _summary(response)


def _exception(world, **overrides):
    data = {
        "username": "director",
        "child": str(world.children["restricted"].pk),
        "expires_day": "11",
        "expires_month": "3",
        "expires_year": "2026",
        "reason": "Serious case review in progress",
    }
    return data | overrides


def test_granting_an_exception_on_the_page(admin_client, world, time_machine):
    time_machine.move_to(NOW, tick=False)
    done = admin_client.post(reverse("access:exception-grant"), _exception(world))
    assert done.status_code == 302 and done.url == reverse("access:exceptions")
    exception = AccessException.objects.get()
    assert exception.expires_at == dt.datetime(2026, 3, 12, 0, 0, tzinfo=LONDON)  # to the end of 11 March
    listing = admin_client.get(done.url).content.decode()
    assert "director may open record" in listing and "Current" in listing


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"expires_day": "3"}, "An exception must end in the future."),
        (
            {"expires_month": "6", "expires_day": "3"},
            "An exception can last at most 90 days: choose 2 June 2026 or earlier.",
        ),
        ({"expires_day": "31", "expires_month": "2"}, "The last day of the exception must be a real date"),
        ({"expires_year": ""}, "The last day of the exception must include a year"),
        ({"reason": "curious"}, "Say why the exception is needed, in at least 10 characters."),
        ({"username": "team_manager"}, "team_manager is named on this record: they need no exception."),
        ({"child": "999999"}, "No child has the record number 999999"),
    ],
)
def test_a_bad_exception_gets_a_specific_error_and_changes_nothing(
    admin_client, world, time_machine, overrides, message
):
    time_machine.move_to(NOW, tick=False)
    response = admin_client.post(reverse("access:exception-grant"), _exception(world, **overrides))
    assert response.status_code == 400 and message in _summary(response)
    assert not AccessException.objects.exists()


def test_an_exception_on_a_record_that_is_not_restricted_is_refused(admin_client, world, time_machine):
    time_machine.move_to(NOW, tick=False)
    own = world.children["own"]
    response = admin_client.post(reverse("access:exception-grant"), _exception(world, child=str(own.pk)))
    assert response.status_code == 400 and f"Record {own.pk} is not restricted: it needs no exception" in _summary(
        response
    )


def test_revoking_an_exception_on_the_page_and_again(admin_client, world, time_machine):
    time_machine.move_to(NOW, tick=False)
    admin_client.post(reverse("access:exception-grant"), _exception(world))
    data = {"username": "director", "child": str(world.children["restricted"].pk)}
    time_machine.shift(dt.timedelta(minutes=5))
    assert admin_client.post(reverse("access:exception-revoke"), data).status_code == 302
    assert AccessException.objects.get().revoked_at == NOW + dt.timedelta(minutes=5)
    again = admin_client.post(reverse("access:exception-revoke"), data)
    assert again.status_code == 400
    assert f"director has no current exception for record {world.children['restricted'].pk}" in _summary(again)
