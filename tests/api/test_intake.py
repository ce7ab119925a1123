"""POST /api/v1/contacts/: a reference at once, duplicates answered with the first report, and bad
input answered field by field with nothing saved."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from grip.audit.models import AuditEntry
from grip.frontdoor.models import Contact, ContactReport

from .conftest import VALID, client_with, payload

pytestmark = pytest.mark.django_db
URL = "/api/v1/contacts/"


def test_a_report_gets_its_reference_and_one_contact_per_child_at_once(api, police):
    response = api.post(URL, payload(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    report = ContactReport.objects.get()
    assert body["reference"] == report.reference
    assert [c["contact_reference"] for c in body["children"]] == [f"{report.reference}-1", f"{report.reference}-2"]
    assert body["status_url"] == f"http://testserver/api/v1/contacts/{report.reference}/"
    assert response["Location"] == body["status_url"]
    assert abs(parse_datetime(body["received_at"]) - timezone.now()) < timedelta(minutes=1)
    assert report.route == "API" and report.partner_organisation == police and report.submitted_by is None
    assert report.source == "6"  # the organisation's own referral source by default
    assert report.concern_categories == ["DOMESTIC_ABUSE", "PHYSICAL"]
    assert (report.consent, report.urgency, report.reporter_name) == ("NOT_SOUGHT_RISK", "SAME_DAY", "PC Jo Reed")
    amy, ben = Contact.objects.filter(report=report).order_by("pk")
    assert (amy.named_first_name, amy.named_date_of_birth) == ("Amy", date(2016, 5, 1))
    assert amy.named_details["nhs_number"] == "9434765919" and amy.named_details["sex"] == "F"
    assert ben.named_details["postcode"] == "B1 1AA"  # tidied
    assert AuditEntry.objects.filter(verb="contact_received", target_id=str(report.pk)).count() == 1


def test_the_referral_source_and_time_received_can_be_given(api):
    at = (timezone.now() - timedelta(hours=3)).replace(microsecond=0)
    response = api.post(URL, payload(referral_source="3E", received_at=at.isoformat()), format="json")
    assert response.status_code == 201
    report = ContactReport.objects.get()
    assert report.source == "3E" and report.received_at == at


def test_an_unborn_child_is_named_with_an_expected_date(api):
    expected = (timezone.localdate() + timedelta(days=60)).isoformat()
    unborn = {"first_name": "Unborn", "last_name": "Stone", "expected_date_of_birth": expected}
    assert api.post(URL, payload(children=[unborn]), format="json").status_code == 201
    assert Contact.objects.get().named_details["expected_date_of_birth"] == expected


def test_the_same_idempotency_key_returns_the_first_report(api):
    first = api.post(URL, payload(), format="json", HTTP_IDEMPOTENCY_KEY="police-incident-4471")
    again = api.post(
        URL, payload(concerns="Sent twice by a retry"), format="json", HTTP_IDEMPOTENCY_KEY="police-incident-4471"
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["already_received"] is False and again.json()["already_received"] is True
    assert {**again.json(), "already_received": False} == first.json()
    assert ContactReport.objects.count() == 1 and Contact.objects.count() == 2


def test_an_idempotency_key_belongs_to_its_organisation(api, school_key):
    first = api.post(URL, payload(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    other = client_with(school_key).post(URL, payload(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, other.status_code) == (201, 201)
    assert first.json()["reference"] != other.json()["reference"]


def test_a_new_concern_about_the_same_child_within_minutes_is_received_and_linked(api):
    # Issue 12: this used to answer 200 with the first report and drop the new concern.
    first = api.post(URL, payload(), format="json")
    only_amy = payload(children=[payload()["children"][0]], concerns="Also: the front door was broken.")
    again = api.post(URL, only_amy, format="json")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["reference"] != first.json()["reference"] and again.json()["already_received"] is False
    second = ContactReport.objects.get(reference=again.json()["reference"])
    assert second.possible_repeat_of.reference == first.json()["reference"]
    assert second.concerns == "Also: the front door was broken."


def test_the_same_reporter_sending_the_same_concerns_again_is_the_same_report(api):
    first = api.post(URL, payload(), format="json")
    body = payload(concerns="  " + VALID["concerns"].upper().replace(" ", "  ") + "\n")
    body["reporter"] = {**VALID["reporter"], "name": "pc jo  reed"}
    again = api.post(URL, body, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["reference"] == first.json()["reference"] and again.json()["already_received"] is True
    assert ContactReport.objects.count() == 1


def test_another_child_from_the_same_reporter_is_a_new_report(api):
    api.post(URL, payload(), format="json")
    other = payload(children=[{"first_name": "Cal", "last_name": "Moss", "date_of_birth": "2012-02-02"}])
    assert api.post(URL, other, format="json").status_code == 201
    assert ContactReport.objects.count() == 2


def test_a_bad_idempotency_key_is_refused(api):
    response = api.post(URL, payload(), format="json", HTTP_IDEMPOTENCY_KEY="x" * 101)
    assert response.status_code == 400 and "Idempotency-Key" in response.json()
    assert ContactReport.objects.count() == 0


def child(**overrides) -> list[dict]:
    base = {"first_name": "Amy", "last_name": "Stone", "date_of_birth": "2016-05-01"}
    base.update(overrides)
    return [base]


TOMORROW = (date.today() + timedelta(days=2)).isoformat()

# (payload, where the error is, words the message must contain)
BAD = {
    "unknown-concern-category": (
        payload(concern_categories=["BURGLARY"]),
        ["concern_categories", "0"],
        "concern_category",
    ),
    "unknown-consent": (payload(consent="MAYBE"), ["consent"], "“consent”"),
    "unknown-urgency": (payload(urgency="ASAP"), ["urgency"], "“urgency”"),
    "unknown-referral-source": (payload(referral_source="99"), ["referral_source"], "“referral_source”"),
    "unknown-sex": (payload(children=child(sex="X")), ["children", "0", "sex"], "“sex”"),
    "no-children-field": (payload(children=...), ["children"], "required"),
    "no-children": (payload(children=[]), ["children"], "at least one child"),
    "eleven-children": (payload(children=child() * 11), ["children"], "At most 10"),
    "date-not-iso": (
        payload(children=child(date_of_birth="01/05/2016")),
        ["children", "0", "date_of_birth"],
        "YYYY-MM-DD",
    ),
    "impossible-date": (
        payload(children=child(date_of_birth="2016-02-30")),
        ["children", "0", "date_of_birth"],
        "format",
    ),
    "future-birth": (
        payload(children=child(date_of_birth=TOMORROW)),
        ["children", "0", "date_of_birth"],
        "expected_date_of_birth",
    ),
    "both-birth-dates": (
        payload(children=child(expected_date_of_birth=TOMORROW)),
        ["children", "0", "expected_date_of_birth"],
        "not both",
    ),
    "bad-nhs-check-digit": (
        payload(children=child(nhs_number="9434765918")),
        ["children", "0", "nhs_number"],
        "check digit",
    ),
    "nhs-number-as-number": (payload(children=child(nhs_number=9434765919)), ["children", "0", "nhs_number"], "text"),
    "bad-upn": (payload(children=child(upn="12345")), ["children", "0", "upn"], "UPN"),
    "bad-postcode": (payload(children=child(postcode="NOT A CODE")), ["children", "0", "postcode"], "postcode"),
    "no-last-name": (payload(children=[{"first_name": "Amy"}]), ["children", "0", "last_name"], "required"),
    "empty-concerns": (payload(concerns="   "), ["concerns"], "blank"),
    "concerns-a-list": (payload(concerns=["bruise"]), ["concerns"], "text"),
    "children-an-object": (payload(children={"first_name": "Amy"}), ["children"], "list"),
    "reporter-a-string": (payload(reporter="PC Reed"), ["reporter", "non_field_errors"], "dictionary"),
    "no-way-to-reach-reporter": (payload(reporter={"name": "PC Reed"}), ["reporter", "phone"], "phone number"),
    "bad-email": (
        payload(reporter={"name": "PC Reed", "email": "not-an-address"}),
        ["reporter", "email"],
        "email address",
    ),
    "categories-twice": (payload(concern_categories=["CSE", "CSE"]), ["concern_categories"], "twice"),
    "future-received-at": (
        payload(received_at=(timezone.now() + timedelta(days=1)).isoformat()),
        ["received_at"],
        "future",
    ),
    "misspelt-field": (
        payload(children=[{"first_name": "A", "last_name": "B", "dob": "2016-05-01"}]),
        ["children", "0", "dob"],
        "Not a field",
    ),
}


@pytest.mark.parametrize(("body", "where", "words"), list(BAD.values()), ids=list(BAD))
def test_bad_input_is_answered_field_by_field_and_saves_nothing(api, body, where, words):
    counts = ContactReport.objects.count(), Contact.objects.count(), AuditEntry.objects.count()
    response = api.post(URL, body, format="json")
    assert response.status_code == 400, response.content
    errors = response.json()
    for step in where:
        errors = errors[step]
    message = " ".join(errors) if isinstance(errors, list) else str(errors)
    assert words.lower() in message.lower(), message
    assert (ContactReport.objects.count(), Contact.objects.count(), AuditEntry.objects.count()) == counts


def test_errors_in_several_children_are_reported_by_position(api):
    body = payload(children=[child()[0], child(nhs_number="123")[0], child(date_of_birth="soon")[0]])
    errors = api.post(URL, body, format="json").json()["children"]
    assert set(errors) == {"1", "2"} and "nhs_number" in errors["1"] and "date_of_birth" in errors["2"]


def test_a_body_that_is_not_json_is_refused(api):
    response = api.post(URL, "reporter=PC Reed", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    response = api.post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400 and "JSON" in response.json()["detail"]
    assert ContactReport.objects.count() == 0


def test_an_organisation_without_a_referral_source_must_give_one(db):
    from grip.api.authentication import partner_token_create
    from grip.frontdoor.models import PartnerOrganisation

    charity = PartnerOrganisation.objects.create(name="A charity")
    client = client_with(partner_token_create(organisation=charity, name="web")[1])
    response = client.post(URL, payload(), format="json")
    assert response.status_code == 400 and "referral_source" in response.json()
    assert client.post(URL, payload(referral_source="8"), format="json").status_code == 201
