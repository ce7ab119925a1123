"""The access matrix: every URL of Grip, every role, records in and out of scope.

The expectations are an independent, hand-written table (expected_access.csv: URL name x role),
never the views' own declarations. URL patterns are discovered from the URL configuration, so a
new page (or API endpoint) the table does not list fails here, as does one that declares no
access rule (grip.access.decorators.access_rule); every other page is checked against the table
for every role and every child (or contact) of the test authority.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from grip.access.roles import Role
from grip.audit.models import AuditEntry

from .conftest import CHILD_KEYS, CONTACT_KEYS, EXPECTED, EXPECTED_CONTACTS
from .discovery import grip_urls, rule_of, url_for

TABLE = Path(__file__).with_name("expected_access.csv")
COLUMNS = {
    "fdp": Role.FRONT_DOOR_PRACTITIONER,
    "fdm": Role.FRONT_DOOR_MANAGER,
    "sw": Role.SOCIAL_WORKER,
    "tm": Role.TEAM_MANAGER,
    "sm": Role.SERVICE_MANAGER,
    "dir": Role.DIRECTOR,
    "po": Role.PERFORMANCE_OFFICER,
    "qal": Role.QUALITY_ASSURANCE_LEAD,
    "iro": Role.INDEPENDENT_REVIEWING_OFFICER,
    "partner": Role.PARTNER_AGENCY_USER,
    "admin": Role.SYSTEM_ADMINISTRATOR,
}
ALLOWED, NOT_FOUND, PUBLIC_PAGE, TOKEN = "Y", "-", "public", "token"


@dataclass(frozen=True)
class Row:
    about: str  # "child", "contact" or "-": what the URL's pk is
    cells: dict[Role, str]

    @property
    def kind(self) -> str:
        """ "public" or "token" for a page the same for every role; "roles" for the rest."""
        same = set(self.cells.values())
        return same.pop() if same in ({PUBLIC_PAGE}, {TOKEN}) else "roles"


def _read_table() -> dict[str, Row]:
    lines = [line for line in TABLE.read_text().splitlines() if line.strip() and not line.startswith("#")]
    table = {}
    for row in csv.DictReader(lines):
        name = row.pop("url")
        assert name not in table, f"{name} is listed twice in {TABLE.name}"
        about = row.pop("about")
        assert about in ("child", "contact", "-"), f"{name}: about {about!r}"
        assert set(row) == set(COLUMNS), f"{TABLE.name}: the columns must be url, about and {list(COLUMNS)}"
        cells = {COLUMNS[column]: value for column, value in row.items()}
        table[name] = Row(about, cells)
        assert table[name].kind != "roles" or set(cells.values()) <= {ALLOWED, NOT_FOUND}, f"{name}: {cells}"
    return table


ACCESS = _read_table()


def test_the_table_lists_every_url_of_grip_and_no_other():
    urls = {name for name, _p, _v in grip_urls()}
    assert not urls - set(ACCESS), f"Say who may reach these URLs in {TABLE.name}: {sorted(urls - set(ACCESS))}"
    assert not set(ACCESS) - urls, f"{TABLE.name} lists URLs Grip no longer has: {sorted(set(ACCESS) - urls)}"


def test_every_page_declares_who_may_reach_it():
    missing = [f"{name or pattern.pattern}" for name, pattern, view in grip_urls() if rule_of(view) is None]
    assert not missing, f"These URLs declare no access rule (grip.access.decorators.access_rule): {missing}"


def test_every_page_has_a_name_so_it_can_be_checked():
    assert all(name for name, _p, _v in grip_urls())


def _fetch(client, rule, url):
    return client.post(url) if rule.method == "POST" else client.get(url)


def _pattern(name):
    return next(p for n, p, _v in grip_urls() if n == name)


@pytest.mark.django_db
@pytest.mark.parametrize("name", [n for n, row in ACCESS.items() if row.kind == "roles"])
def test_signed_out_visitors_are_sent_to_sign_in(client, world, name):
    pattern = _pattern(name)
    response = _fetch(client, rule_of(pattern.callback), url_for(name, pattern, world))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", [n for n, row in ACCESS.items() if row.kind == PUBLIC_PAGE])
def test_signed_out_visitors_reach_the_public_pages(client, world, name):
    pattern = _pattern(name)
    response = _fetch(client, rule_of(pattern.callback), url_for(name, pattern, world))
    assert response.status_code < 400, f"{name} answers {response.status_code} to a signed-out visitor"


def _cases():
    for name, row in ACCESS.items():
        if row.kind != "roles":
            continue
        for role in Role:
            keys = CHILD_KEYS if row.about == "child" else CONTACT_KEYS if row.about == "contact" else [None]
            for key in keys:
                yield pytest.param(name, role, key, id=f"{name}-{role.value}-{key or 'page'}")


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role", "child_key"), list(_cases()))
def test_each_role_reaches_exactly_what_its_scope_allows(client, world, name, role, child_key):
    pattern = _pattern(name)
    row = ACCESS[name]
    client.force_login(world.users[role])
    entries_before = AuditEntry.objects.count()
    response = _fetch(client, rule_of(pattern.callback), url_for(name, pattern, world, child_key))
    expected = row.cells[role] == ALLOWED
    if row.about == "child":
        expected = expected and child_key in EXPECTED[role]
    elif row.about == "contact":
        expected = expected and child_key in EXPECTED_CONTACTS[role]
    if expected:
        assert response.status_code == 200, f"{role} should reach {name} ({child_key}): {response.status_code}"
        if row.about == "child":  # every page about a child that opens writes its access entry
            written = AuditEntry.objects.filter(pk__gt=entries_before, child=world.children[child_key])
            assert written.filter(actor=world.users[role]).exists(), f"{name} wrote no audit entry"
    else:
        assert response.status_code == 404, f"{role} must get 'not found' at {name} ({child_key})"
        if row.about == "child":
            child = world.children[child_key]
            assert child.last_name.encode() not in response.content  # no hint of who it is
        if row.about == "contact":
            assert world.contacts[child_key].reference.encode() not in response.content


@pytest.mark.django_db
def test_django_admin_is_for_system_administrators_only(client, world):
    for role in set(Role) - {Role.SYSTEM_ADMINISTRATOR}:  # tests/access/test_django_admin.py has the rest
        client.force_login(world.users[role])
        assert client.get(reverse("admin:index")).status_code == 404, role
    client.force_login(world.users[Role.SYSTEM_ADMINISTRATOR])
    assert client.get(reverse("admin:index")).status_code == 200


# --- The partner API: an organisation's token, never a session ------------------------------------
PARTNER_URLS = [n for n, row in ACCESS.items() if row.kind == TOKEN]


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


def test_the_partner_api_has_endpoints_to_check():
    assert PARTNER_URLS, f"no URL is marked token in {TABLE.name}: is grip.api wired into config/urls.py?"


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
