"""The service navigation offers each user the sections they may open, and marks the one they are in."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from grip.access.models import RoleGrant
from grip.access.roles import Role

pytestmark = pytest.mark.django_db

NAV_LINK = re.compile(
    r'<li class="govuk-service-navigation__item(?P<active>[^"]*)">\s*'
    r'<a class="govuk-service-navigation__link" href="(?P<href>[^"]+)"[^>]*>\s*(?:<strong[^>]*>)?(?P<text>[^<]+)'
)


def signed_in(client, *roles: Role, staff: bool = False):
    user = get_user_model().objects.create_user(username="u-" + "-".join(roles) or "none", is_staff=staff)
    for role in roles:
        RoleGrant.objects.create(user=user, role=role)
    client.force_login(user)
    return user


def sections(client, path: str = "/") -> dict[str, tuple[str, bool]]:
    """Text -> (href, active) of the navigation on the page at `path`."""
    html = client.get(path).content.decode()
    return {m["text"].strip(): (m["href"], "--active" in m["active"]) for m in NAV_LINK.finditer(html)}


EVERYONE = ["Home"]
STAFF = [*EVERYONE, "Children search", "My cases", "My week", "Due and overdue"]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.SOCIAL_WORKER, STAFF),
        (Role.TEAM_MANAGER, [*STAFF, "Unallocated", "Caseloads"]),
        (
            Role.FRONT_DOOR_PRACTITIONER,
            [*EVERYONE, "Children search", "Front door", "My cases", "My week", "Due and overdue"],
        ),
        (Role.PERFORMANCE_OFFICER, [*STAFF, "Unallocated", "Caseloads"]),
        (Role.PARTNER_AGENCY_USER, EVERYONE),  # a child search could never find a child for them
    ],
)
def test_each_role_is_offered_the_sections_it_may_open(client, role, expected):
    signed_in(client, role)

    found = sections(client)

    assert list(found) == expected
    for text, (href, _active) in found.items():
        assert client.get(href).status_code == 200, f"{role}: {text} ({href}) does not open"


def test_nobody_signed_out_is_offered_any_section(client):
    page = client.get(reverse("web:login"))

    assert page.status_code == 200 and "govuk-service-navigation" in page.content.decode()
    assert sections(client, reverse("web:login")) == {}


def test_the_section_you_are_in_is_marked(client):
    signed_in(client, Role.TEAM_MANAGER)

    assert [t for t, (_h, active) in sections(client, "/caseloads/mine/").items() if active] == ["My cases"]
    assert [t for t, (_h, active) in sections(client, "/caseloads/").items() if active] == ["Caseloads"]
    assert [t for t, (_h, active) in sections(client, "/chase/team/").items() if active] == ["Due and overdue"]
    assert [t for t, (_h, active) in sections(client, "/record/my-week/").items() if active] == ["My week"]
    assert [t for t, (_h, active) in sections(client, "/allocation/queue/").items() if active] == ["Unallocated"]
    assert [t for t, (_h, active) in sections(client, "/").items() if active] == ["Home"]


def test_administrators_also_get_the_admin_site(client):
    signed_in(client, Role.SYSTEM_ADMINISTRATOR, staff=True)

    assert "Admin" in sections(client)
