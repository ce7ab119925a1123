"""GET /api/v1/contacts/<reference>/: what became of a report, for the organisation that sent it only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from grip.audit.models import AuditEntry
from grip.frontdoor.models import Contact, ContactReport

from .conftest import client_with, payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(api) -> ContactReport:
    response = api.post("/api/v1/contacts/", payload(), format="json")
    return ContactReport.objects.get(reference=response.json()["reference"])


def url(report) -> str:
    return f"/api/v1/contacts/{report.reference}/"


def decide(contact: Contact, outcome: str, *, signed_off: bool = False) -> None:
    decided = contact.received_at + timedelta(hours=2)
    Contact.objects.filter(pk=contact.pk).update(
        decided_at=decided, outcome=outcome, signed_off_at=decided + timedelta(hours=1) if signed_off else None
    )


def test_a_new_report_shows_each_child_received(api, report):
    body = api.get(url(report)).json()
    assert body["reference"] == report.reference and body["urgency"] == "SAME_DAY"
    assert [(c["contact_reference"], c["first_name"], c["status"], c["outcome"]) for c in body["children"]] == [
        (f"{report.reference}-1", "Amy", "received", None),
        (f"{report.reference}-2", "Ben", "received", None),
    ]


def test_a_decision_shows_once_it_stands(api, report):
    amy, ben = report.contacts.order_by("pk")
    decide(amy, "REF")  # a referral needs no sign-off
    decide(ben, "NFA")  # "no further action" is signed off by a manager first (decision_rules.toml)
    children = api.get(url(report)).json()["children"]
    assert (children[0]["status"], children[0]["outcome"]) == ("decided", "REF")
    assert children[0]["outcome_label"] == "Referral to children's social care" and children[0]["decided_at"]
    assert (children[1]["status"], children[1]["outcome"], children[1]["decided_at"]) == ("received", None, None)
    decide(ben, "NFA", signed_off=True)
    ben_now = api.get(url(report)).json()["children"][1]
    assert (ben_now["status"], ben_now["outcome_label"]) == ("decided", "No further action")


def test_each_read_is_in_the_audit_log(api, report, police):
    api.get(url(report))
    entry = AuditEntry.objects.filter(verb="api_read").get()
    assert entry.actor is None and entry.target_id == str(report.pk)
    assert entry.payload["organisation"] == police.pk


def test_another_organisations_report_is_not_found(report, school_key):
    before = AuditEntry.objects.count()
    response = client_with(school_key).get(url(report))
    assert response.status_code == 404
    assert report.reference.encode() not in response.content and b"Amy" not in response.content
    # Only the attempt is recorded (grip.access.opening.not_found_audit), nothing read of the report.
    assert list(AuditEntry.objects.filter(pk__gt=before).values_list("verb", flat=True)) == ["api_record_not_found"]


def test_an_unknown_reference_is_not_found(api):
    assert api.get("/api/v1/contacts/FD9999999/").status_code == 404


def test_no_key_no_status(report):
    assert client_with(None).get(url(report)).status_code == 401


def test_a_report_made_at_the_front_door_is_not_any_partners(api, police):
    from grip.frontdoor.named import NamedChild
    from grip.frontdoor.services import contact_report_receive

    phoned, _ = contact_report_receive(
        received_at=timezone.now(),
        route="PHONE",
        source="6",
        reporter_name="PC Reed",
        concerns="By phone",
        consent="YES",
        urgency="ROUTINE",
        children=[NamedChild("Dan", "Hale")],
    )
    assert api.get(url(phoned)).status_code == 404
