"""The audit pages: only the right roles see them (everyone else gets "not found"), and using
them is itself recorded."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from grip.access.roles import Role
from grip.audit.models import AuditEntry
from grip.audit.services import record, record_view, verify_chain
from tests.cases.factories import AllocationFactory, WorkerFactory
from tests.people.factories import ChildFactory, PersonFactory

from .conftest import make_user

pytestmark = pytest.mark.django_db

ADMIN_ONLY = {Role.SYSTEM_ADMINISTRATOR}
SUBJECT_ACCESS = {Role.DIRECTOR, Role.QUALITY_ASSURANCE_LEAD}


def signed_in_as(client, role: Role):
    user = make_user(f"user-{role.value}", role)
    client.force_login(user)
    return user


def allocated_child(user):
    """A child allocated to `user` (so in the scope of any role that sees its own or team's children)."""
    child = ChildFactory()
    AllocationFactory(child=child, worker=WorkerFactory(user=user))
    return child


@pytest.mark.parametrize("role", list(Role))
def test_only_system_administrators_see_the_audit_log(client, role):
    signed_in_as(client, role)

    response = client.get(reverse("audit:log"))

    assert response.status_code == (200 if role in ADMIN_ONLY else 404)


@pytest.mark.parametrize("role", list(Role))
def test_only_managers_see_who_has_viewed_a_child(client, role):
    child = allocated_child(signed_in_as(client, role))

    response = client.get(reverse("audit:child-viewers", args=[child.pk]))

    managers = {Role.FRONT_DOOR_MANAGER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.DIRECTOR}
    assert response.status_code == (200 if role in managers else 404)


@pytest.mark.parametrize("role", list(Role))
def test_only_directors_and_qa_leads_export_a_child(client, role):
    child = allocated_child(signed_in_as(client, role))
    url = reverse("audit:subject-access", args=[child.pk])

    expected = 200 if role in SUBJECT_ACCESS else 404
    assert client.get(url).status_code == expected
    assert client.post(url).status_code == expected
    if expected == 404:
        assert not AuditEntry.objects.filter(verb="exported").exists()


@pytest.mark.parametrize("name", ["audit:log", "audit:child-viewers", "audit:subject-access"])
def test_signed_out_people_are_sent_to_sign_in(client, name):
    args = [ChildFactory().pk] if name != "audit:log" else []

    response = client.get(reverse(name, args=args))

    assert response.status_code == 302 and response.url.startswith(reverse("web:login"))


def test_the_audit_log_lists_entries_and_records_being_read(client):
    admin = signed_in_as(client, Role.SYSTEM_ADMINISTRATOR)
    child = ChildFactory()
    viewer = make_user("sw9", Role.SOCIAL_WORKER)
    record_view(user=viewer, child=child, request=None)

    response = client.get(reverse("audit:log"), {"username": "sw9", "child_id": child.pk})

    html = response.content.decode()
    assert 'data-testid="audit-log-results"' in html and "govuk-table" in html
    assert "sw9" in html and "Viewed a child’s record" in html
    searched = AuditEntry.objects.filter(actor=admin, verb="searched").get()
    assert searched.payload == {"audit_log": {"actor_username": "sw9", "child_id": child.pk, "page": 1}}


def test_the_audit_log_pages(client):
    signed_in_as(client, Role.SYSTEM_ADMINISTRATOR)
    for n in range(55):
        record(actor=None, verb="contact_decided", payload={"n": n})

    first = client.get(reverse("audit:log"), {"verb": "contact_decided"}).content.decode()
    second = client.get(reverse("audit:log"), {"verb": "contact_decided", "page": 2}).content.decode()

    assert "govuk-pagination__next" in first and "page=2" in first and "verb=contact_decided" in first
    assert "govuk-pagination__prev" in second and "govuk-pagination__next" not in second


def test_a_bad_date_is_explained_and_nothing_is_searched(client):
    signed_in_as(client, Role.SYSTEM_ADMINISTRATOR)

    response = client.get(reverse("audit:log"), {"from_day": "31", "from_month": "2", "from_year": "2025"})

    html = response.content.decode()
    assert "govuk-error-summary" in html and "must be a real date" in html
    assert 'href="#from_day"' in html
    assert "<title>Error: Audit log" in html
    assert 'data-testid="audit-log-results"' not in html


def test_who_has_viewed_lists_the_others_then_records_this_view(client):
    manager = signed_in_as(client, Role.TEAM_MANAGER)
    child = allocated_child(manager)
    record_view(
        user=make_user("sw9", Role.SOCIAL_WORKER, first_name="Ann", last_name="Other"), child=child, request=None
    )

    html = client.get(reverse("audit:child-viewers", args=[child.pk])).content.decode()

    table = html.split('data-testid="child-viewers"')[1].split("</table>")[0]
    assert "Ann Other" in table and "1 view," in html
    assert manager.username not in table
    assert AuditEntry.objects.filter(actor=manager, verb="viewed", child=child).exists()


def test_a_child_outside_the_managers_scope_is_not_found(client):
    signed_in_as(client, Role.TEAM_MANAGER)
    elsewhere = ChildFactory()
    AllocationFactory(child=elsewhere)  # another team's child

    assert client.get(reverse("audit:child-viewers", args=[elsewhere.pk])).status_code == 404
    assert not AuditEntry.objects.filter(verb="viewed").exists()


def test_an_adult_or_missing_record_is_not_found(client):
    signed_in_as(client, Role.DIRECTOR)

    for pk in (PersonFactory().pk, 999_999):
        assert client.get(reverse("audit:child-viewers", args=[pk])).status_code == 404
        assert client.post(reverse("audit:subject-access", args=[pk])).status_code == 404


def test_the_subject_access_export_downloads_and_is_recorded(client):
    child = ChildFactory(la_child_id="LA123")
    director = signed_in_as(client, Role.DIRECTOR)

    response = client.post(reverse("audit:subject-access", args=[child.pk]))

    assert response["Content-Type"] == "application/zip"
    assert 'attachment; filename="subject-access-LA123-' in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert "README.txt" in archive.namelist() and "people.person.json" in archive.namelist()
    exported = AuditEntry.objects.get(verb="exported")
    assert (exported.actor, exported.child) == (director, child)
    # The child's own row and its history row (the record's creation).
    assert exported.payload == {
        "what": "subject access request",
        "row_count": 2,
        "children": [child.pk],
        "child_count": 1,
    }
    assert "people.historicalperson.json" in archive.namelist()
    assert verify_chain().ok


def test_the_subject_access_page_asks_before_exporting(client):
    child = ChildFactory()
    signed_in_as(client, Role.QUALITY_ASSURANCE_LEAD)

    html = client.get(reverse("audit:subject-access", args=[child.pk])).content.decode()

    assert 'method="post"' in html and "csrfmiddlewaretoken" in html
    assert not AuditEntry.objects.filter(verb="exported").exists()


@pytest.mark.parametrize(
    ("verb", "label"),
    [
        ("restricted_opened", "Opened a restricted record (with a reason)"),
        ("record_not_found", "Asked for a record not theirs to see, or none"),
        ("api_record_not_found", "Partner API asked for a report not its own, or none"),
        ("exported", "Exported (children named)"),
    ],
)
def test_the_audit_log_filters_the_access_verbs_by_their_labels(client, verb, label):
    signed_in_as(client, Role.SYSTEM_ADMINISTRATOR)
    record(actor=None, verb=verb, payload={"marker": f"this-{verb}"})
    record(actor=None, verb="contact_decided", payload={"marker": "something-else"})

    page = client.get(reverse("audit:log"), {"verb": verb})

    html = page.content.decode()
    assert page.status_code == 200 and "govuk-error-summary" not in html
    assert f'<option value="{verb}" selected>{label}</option>' in html
    results = html.split('data-testid="audit-log-results"')[1]
    assert f"this-{verb}" in results and "something-else" not in results
