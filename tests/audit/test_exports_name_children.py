"""Every download's audit entry names exactly the children in the file (issue 12): the unallocated
register (CSV and Excel), the chase lists, and the subject access export. Each test seeds its
children by hand and writes down which ones the file must hold."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from grip.access.models import RestrictedRecord
from grip.audit.models import AuditEntry
from tests.allocation import conftest as allocation
from tests.cases.factories import AllocationFactory
from tests.chasing.test_lists_and_digest import assessment_case

pytestmark = pytest.mark.django_db
service = allocation.service  # the allocation tests' small service area (a fixture)


def exported() -> AuditEntry:
    return AuditEntry.objects.get(verb="exported")


def csv_ids(response) -> set[str]:
    return {row["LA child ID"] for row in csv.DictReader(io.StringIO(response.content.decode())) if row["LA child ID"]}


@pytest.fixture
def register_children(service):
    """Two open cases nobody holds (on the register), one held by Ada (not on it), and one nobody
    holds that is restricted (left out for the director, who is not named on it)."""
    waiting = service.open_case("Waiting")
    new = service.open_case("New")
    held = service.open_case("Held")
    AllocationFactory(child=held, worker=service.workers["ada"], team=service.assessment)
    hidden = service.open_case("Hidden")
    RestrictedRecord.objects.create(child=hidden, reason="A relative works here", restricted_by=service.manager)
    return waiting, new


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_register_download_names_its_children(client, service, register_children, kind):
    waiting, new = register_children
    client.force_login(service.users["director"])
    response = client.get(reverse("allocation:register"), {"download": kind})
    if kind == "csv":
        in_file = csv_ids(response)
    else:
        in_file = {row[0] for row in list(load_workbook(io.BytesIO(response.content)).active.values)[1:]}
    assert in_file == {waiting.la_child_id, new.la_child_id}
    entry = exported()
    assert entry.payload["children"] == sorted([waiting.pk, new.pk])
    assert (entry.payload["what"], entry.payload["row_count"], entry.actor) == (
        "unallocated register",
        2,
        service.users["director"],
    )


def test_a_chase_list_download_names_its_children(client, service):
    late = assessment_case(service, "Late", days_ago=90)
    later = assessment_case(service, "Later", days_ago=100, worker_key="ben")
    assessment_case(service, "Fresh", days_ago=3)  # nothing overdue or due this week
    client.force_login(service.users["performance"])
    response = client.get(reverse("chase:authority"), {"rule": "assessment", "download": "csv"})
    assert csv_ids(response) == {late.la_child_id, later.la_child_id}
    entry = exported()
    assert entry.payload["children"] == sorted([late.pk, later.pk])
    assert entry.payload["what"] == "chase list: Overdue and due soon"


def test_a_workers_chase_list_download_names_only_their_children(client, service):
    late = assessment_case(service, "Late", days_ago=90)
    assessment_case(service, "Bens", days_ago=90, worker_key="ben")
    client.force_login(service.users["ada"])
    response = client.get(reverse("chase:mine"), {"download": "csv"})
    assert csv_ids(response) == {late.la_child_id}
    assert exported().payload["children"] == [late.pk]


def test_the_subject_access_export_names_its_child(client, service):
    child = service.open_case("Subject", days_ago=20)
    service.open_case("Other")
    client.force_login(service.users["director"])
    response = client.post(reverse("audit:subject-access", kwargs={"pk": child.pk}))
    people = zipfile.ZipFile(io.BytesIO(response.getvalue())).read("people.person.json").decode()
    assert child.la_child_id in people
    entry = exported()
    assert (entry.payload["children"], entry.child_id) == ([child.pk], child.pk)


def test_an_export_naming_no_child_says_so(client, service):
    client.force_login(service.users["director"])
    response = client.get(reverse("allocation:register"), {"download": "csv"})
    assert csv_ids(response) == set()
    assert exported().payload["children"] == []
