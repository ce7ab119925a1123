"""The access matrix: every URL of Grip, every role, records in and out of scope.

URL patterns are discovered from the URL configuration, so a new page (or API endpoint) that
does not declare an access rule (grip.access.decorators.access_rule) fails here, and a page that
declares one is checked against it for every role and every child of the test authority.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from grip.access.decorators import CHILD, CONTACT, PARTNER_TOKEN, PUBLIC, ROLES, SIGNED_IN
from grip.access.roles import Role
from grip.audit.models import AuditEntry

from .conftest import CHILD_KEYS, CONTACT_KEYS, EXPECTED, EXPECTED_CONTACTS
from .discovery import grip_urls, rule_of, url_for


def test_every_page_declares_who_may_reach_it():
    missing = [f"{name or pattern.pattern}" for name, pattern, view in grip_urls() if rule_of(view) is None]
    assert not missing, f"These URLs declare no access rule (grip.access.decorators.access_rule): {missing}"


def test_every_page_has_a_name_so_it_can_be_checked():
    assert all(name for name, _p, _v in grip_urls())


def _fetch(client, rule, url):
    return client.post(url) if rule.method == "POST" else client.get(url)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", [n for n, _p, v in grip_urls() if rule_of(v) and rule_of(v).kind not in (PUBLIC, PARTNER_TOKEN)]
)
def test_signed_out_visitors_are_sent_to_sign_in(client, world, name):
    pattern, view = next((p, v) for n, p, v in grip_urls() if n == name)
    response = _fetch(client, rule_of(view), url_for(name, pattern, world))
    assert response.status_code == 302 and "/login/" in response["Location"]


def _cases():
    for name, _pattern, view in grip_urls():
        rule = rule_of(view)
        if rule is None or rule.kind in (PUBLIC, PARTNER_TOKEN):
            continue
        for role in Role:
            keys = CHILD_KEYS if rule.kind == CHILD else CONTACT_KEYS if rule.kind == CONTACT else [None]
            for key in keys:
                yield pytest.param(name, role, key, id=f"{name}-{role.value}-{key or 'page'}")


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role", "child_key"), list(_cases()))
def test_each_role_reaches_exactly_what_its_scope_allows(client, world, name, role, child_key):
    pattern, view = next((p, v) for n, p, v in grip_urls() if n == name)
    rule = rule_of(view)
    client.force_login(world.users[role])
    entries_before = AuditEntry.objects.count()
    response = _fetch(client, rule, url_for(name, pattern, world, child_key))
    allowed_by_role = not rule.roles or role in rule.roles
    if rule.kind == CHILD:
        expected = allowed_by_role and child_key in EXPECTED[role]
    elif rule.kind == CONTACT:
        expected = allowed_by_role and child_key in EXPECTED_CONTACTS[role]
    else:
        assert rule.kind in (SIGNED_IN, ROLES)
        expected = allowed_by_role
    if expected:
        assert response.status_code == 200, f"{role} should reach {name} ({child_key}): {response.status_code}"
        if rule.kind == CHILD:  # every page about a child that opens writes its access entry
            written = AuditEntry.objects.filter(pk__gt=entries_before, child=world.children[child_key])
            assert written.filter(actor=world.users[role]).exists(), f"{name} wrote no audit entry"
    else:
        assert response.status_code == 404, f"{role} must get 'not found' at {name} ({child_key})"
        if rule.kind == CHILD:
            child = world.children[child_key]
            assert child.last_name.encode() not in response.content  # no hint of who it is
        if rule.kind == CONTACT:
            assert world.contacts[child_key].reference.encode() not in response.content


@pytest.mark.django_db
def test_django_admin_is_for_system_administrators_only(client, world):
    for role in set(Role) - {Role.SYSTEM_ADMINISTRATOR}:  # tests/access/test_django_admin.py has the rest
        client.force_login(world.users[role])
        assert client.get(reverse("admin:index")).status_code == 404, role
    client.force_login(world.users[Role.SYSTEM_ADMINISTRATOR])
    assert client.get(reverse("admin:index")).status_code == 200


# --- The partner API: an organisation's token, never a session ------------------------------------
PARTNER_URLS = [n for n, _p, v in grip_urls() if rule_of(v) and rule_of(v).kind == PARTNER_TOKEN]


@pytest.fixture
def partners(world):
    """A report and an API key for each of the world's two organisations (police, school)."""
    from grip.api.authentication import partner_token_create, partner_token_revoke
    from grip.frontdoor.named import NamedChild
    from grip.frontdoor.services import contact_report_receive

    world.reports, world.keys = {}, {}
    for key, organisation in world.organisations.items():
        world.reports[key], _ = contact_report_receive(
            received_at=timezone.now(),
            route="API",
            source=organisation.referral_source,
            reporter_name=f"Reporter for {organisation.name}",
            concerns="A concern",
            consent="YES",
            urgency="ROUTINE",
            children=[NamedChild("Kim", f"Partner{key.title()}")],
            partner_organisation=organisation,
        )
        world.keys[key] = partner_token_create(organisation=organisation, name="matrix")[1]
    revoked, world.keys["revoked"] = partner_token_create(organisation=world.organisations["police"], name="old")
    partner_token_revoke(token=revoked)
    return world


def _call(client, name, pattern, world, *, key=None, report=None):
    if key:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    rule = rule_of(pattern.callback)
    url = url_for(name, pattern, world, report)
    return client.post(url, {}, format="json") if rule.method == "POST" else client.get(url)


def _pattern(name):
    return next(p for n, p, _v in grip_urls() if n == name)


def test_the_partner_api_has_endpoints_to_check():
    assert PARTNER_URLS, "no URL declares PARTNER_TOKEN: is grip.api wired into config/urls.py?"


@pytest.mark.django_db
@pytest.mark.parametrize("name", PARTNER_URLS)
@pytest.mark.parametrize("key", [None, "not-a-key", "revoked"])
def test_the_partner_api_refuses_a_missing_unknown_or_revoked_token(partners, name, key):
    from rest_framework.test import APIClient

    response = _call(APIClient(), name, _pattern(name), partners, key=partners.keys.get(key, key))
    assert response.status_code == 401 and response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
@pytest.mark.parametrize("name", PARTNER_URLS)
@pytest.mark.parametrize("role", list(Role))
def test_the_partner_api_accepts_no_session(partners, name, role):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(partners.users[role])
    assert _call(client, name, _pattern(name), partners).status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize("name", PARTNER_URLS)
@pytest.mark.parametrize("organisation", ["police", "school"])
def test_a_partner_token_reaches_only_its_own_organisations_records(partners, name, organisation):
    from rest_framework.test import APIClient

    pattern = _pattern(name)
    has_record = bool(pattern.pattern.converters)
    for report in partners.reports if has_record else [None]:
        response = _call(APIClient(), name, pattern, partners, key=partners.keys[organisation], report=report)
        if not has_record:
            assert response.status_code not in (401, 403, 404), f"{organisation} should reach {name}"
        elif report == organisation:
            assert response.status_code == 200, f"{organisation} should reach its own report at {name}"
        else:
            assert response.status_code == 404, f"{organisation} must get 'not found' for another's report at {name}"
            assert partners.reports[report].reference.encode() not in response.content
