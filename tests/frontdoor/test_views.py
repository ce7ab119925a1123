"""The front door's pages: recording a contact (staff and partner), one contact's page (match,
claim, MASH checks, decide, sign off) and what the partner sees afterwards."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from grip.access.models import PartnerMembership, RoleGrant
from grip.access.roles import Role
from grip.audit.models import AuditEntry
from grip.cases.models import CINEpisode
from grip.frontdoor import services
from grip.frontdoor.models import Contact, ContactReport, MashCheck, PartnerOrganisation
from grip.frontdoor.named import NamedChild
from grip.people.models import Person
from tests.cases.factories import WorkerFactory
from tests.people.factories import ChildFactory

pytestmark = pytest.mark.django_db


def make_user(username: str, role: Role, *, worker: bool = True, **names):
    user = get_user_model().objects.create_user(username=username, password="x", **names)
    RoleGrant.objects.create(user=user, role=role)
    if worker:
        WorkerFactory(
            user=user, first_name=names.get("first_name", username), last_name=names.get("last_name", "Worker")
        )
    return user


@pytest.fixture
def practitioner(db):
    return make_user("fd1", Role.FRONT_DOOR_PRACTITIONER, first_name="Priya", last_name="Shah")


@pytest.fixture
def colleague(db):
    return make_user("fd2", Role.FRONT_DOOR_PRACTITIONER, first_name="Tom", last_name="Reid")


@pytest.fixture
def manager(db):
    return make_user("fdm", Role.FRONT_DOOR_MANAGER, first_name="Maya", last_name="Cole")


@pytest.fixture
def police(db):
    return PartnerOrganisation.objects.create(name="West Midlands Police", referral_source="6")


@pytest.fixture
def partner(police):
    user = make_user("pc1", Role.PARTNER_AGENCY_USER, worker=False, first_name="Sam", last_name="Ode")
    PartnerMembership.objects.create(user=user, organisation=police)
    return user


def as_user(client, user):
    client.force_login(user)
    return client


def staff_form(**overrides) -> dict:
    now = timezone.localtime() - timedelta(hours=1)
    data = {
        "received_day": str(now.day),
        "received_month": str(now.month),
        "received_year": str(now.year),
        "received_time": now.strftime("%H:%M"),
        "route": "PHONE",
        "source": "2A",
        "reporter_name": "Jo Bloggs",
        "reporter_role": "Designated safeguarding lead",
        "reporter_organisation": "Hillside Primary",
        "reporter_phone": "0121 496 0000",
        "reporter_email": "jo@hillside.example",
        "concerns": "Came to school with bruises on both arms.",
        "concern_categories": ["PHYSICAL", "CCE"],
        "consent": "YES",
        "urgency": "SAME_DAY",
        "child0-first_name": "Amara",
        "child0-last_name": "Nwosu",
        "child0-born_day": "4",
        "child0-born_month": "9",
        "child0-born_year": "2016",
        "child0-sex": "F",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def partner_form(**overrides) -> dict:
    data = staff_form(**overrides)
    for key in ("received_day", "received_month", "received_year", "received_time", "route", "source"):
        data.pop(key, None)
    return data


def receive(*, children=None, received_at=None, **kwargs) -> Contact:
    """A report received a while ago, naming `children` (NamedChild); returns its first contact."""
    arguments = dict(
        received_at=received_at or timezone.now() - timedelta(minutes=30),
        route="PHONE",
        source="2A",
        reporter_name="Jo Bloggs",
        concerns="Bruises on both arms.",
        consent="YES",
        urgency="ROUTINE",
        children=children or [NamedChild("Amara", "Nwosu", date_of_birth=date(2016, 9, 4))],
    )
    arguments.update(kwargs)
    report, _ = services.contact_report_receive(**arguments)
    return report.contacts.order_by("reference").first()


def contact_url(contact) -> str:
    return reverse("frontdoor:front-door-contact", args=[contact.pk])


# ---------------------------------------------------------------------- staff intake


def test_staff_record_a_contact_about_siblings_and_see_its_reference(client, practitioner):
    data = staff_form(
        **{
            "child1-first_name": "Kofi",
            "child1-last_name": "Nwosu",
            "child1-born_year": "2019",
            "child1-born_month": "2",
            "child1-born_day": "11",
            "child1-nhs_number": "943 476 5919",
        }
    )

    response = as_user(client, practitioner).post(reverse("frontdoor:contact-new"), data)

    report = ContactReport.objects.get()
    assert response.status_code == 302
    assert report.route == "PHONE" and report.source == "2A" and report.urgency == "SAME_DAY"
    assert report.concern_categories == ["PHYSICAL", "CCE"]
    assert report.submitted_by == practitioner
    contacts = list(report.contacts.order_by("reference"))
    assert [(c.named_first_name, c.named_date_of_birth) for c in contacts] == [
        ("Amara", date(2016, 9, 4)),
        ("Kofi", date(2019, 2, 11)),
    ]
    assert contacts[1].named_details["nhs_number"] == "9434765919"
    page = client.get(response.url)
    assert page.status_code == 200
    assert "govuk-panel" in page.text and report.reference in page.text
    assert contact_url(contacts[1]) in page.text


def test_staff_form_with_errors_keeps_what_was_typed_and_saves_nothing(client, practitioner):
    data = staff_form(
        route="",
        received_month="13",
        reporter_email="not-an-email",
        **{"child0-last_name": "", "child0-born_year": "2099"},
    )

    response = as_user(client, practitioner).post(reverse("frontdoor:contact-new"), data)

    assert response.status_code == 400
    assert ContactReport.objects.count() == 0 and Contact.objects.count() == 0
    page = response.text
    assert "There is a problem" in page
    for message in (
        "Date received must be a real date",
        "Select how the contact was made",
        "Enter an email address in the correct format",
        "Enter the child’s last name",
        "Date of birth must be today or in the past",
    ):
        assert message in page, message
    assert 'href="#received_day"' in page and 'href="#child0-last_name"' in page and 'href="#route"' in page
    # What was typed is still there.
    assert 'value="Jo Bloggs"' in page and "Came to school with bruises on both arms." in page
    assert 'value="Amara"' in page and 'value="13"' in page and 'value="not-an-email"' in page
    assert 'value="CCE" checked' in page or 'value="CCE"\n      checked' in page or _checked(page, "CCE")


def _checked(page: str, value: str) -> bool:
    start = page.index(f'value="{value}"')
    return "checked" in page[start : start + 40]


def test_blank_child_fieldsets_are_ignored_but_one_child_is_needed(client, practitioner):
    as_user(client, practitioner)
    no_child = staff_form(
        **{
            "child0-first_name": "",
            "child0-last_name": "",
            "child0-born_day": "",
            "child0-born_month": "",
            "child0-born_year": "",
            "child0-sex": "",
        }
    )

    response = client.post(reverse("frontdoor:contact-new"), no_child)

    assert response.status_code == 400 and "Name at least one child" in response.text
    assert client.post(reverse("frontdoor:contact-new"), staff_form(**{"child3-sex": "M"})).status_code == 302
    assert Contact.objects.count() == 1


def test_a_time_in_the_future_is_refused(client, practitioner):
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = staff_form(
        received_day=str(tomorrow.day), received_month=str(tomorrow.month), received_year=str(tomorrow.year)
    )

    response = as_user(client, practitioner).post(reverse("frontdoor:contact-new"), data)

    assert response.status_code == 400 and "must be now or in the past" in response.text


def test_intake_pages_are_for_their_own_users(client, practitioner, partner):
    assert as_user(client, partner).get(reverse("frontdoor:contact-new")).status_code == 404
    assert as_user(client, practitioner).get(reverse("frontdoor:contact-report")).status_code == 404


# ---------------------------------------------------------------------- partner web form


def test_partner_sends_a_contact_and_gets_a_reference_at_once(client, partner, police):
    as_user(client, partner)
    form = client.get(reverse("frontdoor:contact-report"))
    assert form.status_code == 200 and 'value="Sam Ode"' in form.text and "West Midlands Police" in form.text
    assert 'name="route"' not in form.text and 'name="source"' not in form.text

    response = client.post(reverse("frontdoor:contact-report"), partner_form())

    report = ContactReport.objects.get()
    assert (report.route, report.source, report.partner_organisation, report.submitted_by) == (
        "WEB",
        "6",
        police,
        partner,
    )
    assert abs(report.received_at - timezone.now()) < timedelta(minutes=1)
    page = client.get(response.url)
    assert report.reference in page.text and "Contact received" in page.text


def test_partner_form_errors_keep_input_and_save_nothing(client, partner):
    response = as_user(client, partner).post(reverse("frontdoor:contact-report"), partner_form(consent="", concerns=""))

    assert response.status_code == 400 and ContactReport.objects.count() == 0
    assert "Select whether the family consents to the contact" in response.text
    assert "Enter what you are worried about" in response.text
    assert 'value="Amara"' in response.text


def test_a_partner_sending_the_same_contact_twice_gets_the_first_reference(client, partner):
    as_user(client, partner)
    first = client.post(reverse("frontdoor:contact-report"), partner_form())
    second = client.post(reverse("frontdoor:contact-report"), partner_form())

    assert ContactReport.objects.count() == 1 and first.url == second.url
    assert "already been received" in client.get(second.url).text


def test_partner_sees_the_outcome_once_decided_and_signed_off(client, partner, police, practitioner, manager):
    child = ChildFactory(first_name="Amara", last_name="Nwosu", date_of_birth=date(2016, 9, 4))
    contact = receive(partner_organisation=police, route="WEB", source="6")
    services.contact_match(contact=contact, child=child, by=practitioner)
    as_user(client, partner)
    listing = client.get(reverse("frontdoor:contact-list"))
    assert contact.reference in listing.text and "Not yet decided" in listing.text

    services.contact_decide(
        contact=contact, outcome="NFA", rationale="Parent already took the child to the GP.", by=practitioner
    )
    listing = client.get(reverse("frontdoor:contact-list"))
    assert "Being confirmed" in listing.text and "No further action" not in listing.text

    services.contact_sign_off(contact=contact, by=manager)
    listing = client.get(reverse("frontdoor:contact-list"))
    assert "No further action" in listing.text
    detail = client.get(reverse("frontdoor:contact-detail", args=[contact.pk]))
    assert "No further action" in detail.text and child.la_child_id not in detail.text


# ---------------------------------------------------------------------- one contact


@pytest.fixture
def known_child(db):
    return ChildFactory(first_name="Amara", last_name="Nwosu", date_of_birth=date(2016, 9, 4), postcode="B11 1AA")


def test_the_contact_page_shows_the_report_and_the_children_who_may_be_named(client, practitioner, known_child):
    contact = receive(reporter_organisation="Hillside Primary", concern_categories=["CSE"])

    page = as_user(client, practitioner).get(contact_url(contact))

    assert page.status_code == 200
    assert "Bruises on both arms." in page.text and "Child sexual exploitation (extra-familial)" in page.text
    assert f'data-child="{known_child.pk}"' in page.text and "This is the child" in page.text
    assert "Create a new record" in page.text
    searched = AuditEntry.objects.filter(verb="searched", actor=practitioner).get()
    assert known_child.pk in searched.payload["result_child_ids"]


def test_match_to_the_existing_child_then_decide_referral_opens_the_episode(client, practitioner, known_child):
    contact = receive()
    as_user(client, practitioner)

    matched = client.post(contact_url(contact), {"action": "match", "child": known_child.pk})
    assert matched.status_code == 302
    contact.refresh_from_db()
    assert contact.child == known_child
    page = client.get(contact_url(contact))
    assert "Matched to" in page.text and "Contact matched to Amara Nwosu" in page.text
    assert AuditEntry.objects.filter(verb="viewed", child=known_child, actor=practitioner).exists()

    decided = client.post(
        contact_url(contact),
        {"action": "decide", "outcome": "REF", "rationale": "Unexplained bruising: needs an assessment."},
    )
    assert decided.status_code == 302
    contact.refresh_from_db()
    assert contact.outcome == "REF" and contact.decided_by == practitioner.worker
    assert CINEpisode.objects.filter(child=known_child, contact=contact).exists()
    page = client.get(contact_url(contact))
    assert reverse("web:child-record", args=[known_child.pk]) in page.text and "See the new episode" in page.text


def test_the_decision_form_offers_passing_a_contact_on_to_the_open_case(client, practitioner, known_child):
    open_case = CINEpisode.objects.create(child=known_child, referral_date=date(2026, 1, 5), referral_source="2A")
    contact = receive()
    as_user(client, practitioner)
    client.post(contact_url(contact), {"action": "match", "child": known_child.pk})
    assert 'value="PASSED"' in client.get(contact_url(contact)).text

    decided = client.post(
        contact_url(contact),
        {"action": "decide", "outcome": "PASSED", "rationale": "School's new concern, for the allocated worker."},
    )

    assert decided.status_code == 302
    contact.refresh_from_db()
    assert contact.episode == open_case and CINEpisode.objects.filter(child=known_child).count() == 1
    assert "Passed to the open case" in client.get(contact_url(contact)).text
    record = client.get(reverse("web:child-record", args=[known_child.pk])).text
    assert "Passed to the open case (referral of 5 January 2026)" in record


def test_a_strategy_decision_links_to_recording_the_discussion_held(client, practitioner, known_child):
    contact = receive()
    as_user(client, practitioner)
    client.post(contact_url(contact), {"action": "match", "child": known_child.pk})
    client.post(
        contact_url(contact),
        {"action": "decide", "outcome": "STRAT", "rationale": "Disclosure of a serious injury this morning."},
    )

    page = client.get(contact_url(contact)).text
    assert reverse("web:strategy-discussion", args=[known_child.pk]) in page


def test_create_a_new_record_from_what_was_named(client, practitioner):
    contact = receive(children=[NamedChild("Zebedee", "Quartermaine", date_of_birth=date(2018, 1, 2), sex="M")])

    response = as_user(client, practitioner).post(contact_url(contact), {"action": "create"})

    assert response.status_code == 302
    contact.refresh_from_db()
    child = Person.objects.get(last_name="Quartermaine")
    assert contact.child == child and child.la_child_id and child.date_of_birth == date(2018, 1, 2)


def test_a_child_out_of_scope_cannot_be_matched(client, practitioner, known_child):
    contact = receive()

    response = as_user(client, practitioner).post(contact_url(contact), {"action": "match", "child": 999_999})

    assert response.status_code == 400 and "Choose one of the children shown" in response.text
    contact.refresh_from_db()
    assert contact.child is None


def test_a_second_practitioner_cannot_decide_a_contact_the_first_is_working_on(
    client, practitioner, colleague, known_child
):
    contact = receive()
    services.contact_match(contact=contact, child=known_child, by=practitioner)
    assert as_user(client, practitioner).post(contact_url(contact), {"action": "claim"}).status_code == 302

    as_user(client, colleague)
    page = client.get(contact_url(contact))
    assert "Priya Shah</strong> is working on this contact" in page.text and "Record decision" not in page.text
    refused = client.post(
        contact_url(contact), {"action": "decide", "outcome": "NFA", "rationale": "Nothing to worry about here."}
    )
    claim = client.post(contact_url(contact), {"action": "claim"})

    assert refused.status_code == 400 and "Someone else is working on this contact" in refused.text
    assert claim.status_code == 400 and "Priya Shah is working on this contact" in claim.text
    contact.refresh_from_db()
    assert contact.decided_at is None and contact.working_on_by == practitioner


def test_decision_form_errors_are_shown_and_nothing_is_decided(client, practitioner, known_child):
    contact = receive()
    services.contact_match(contact=contact, child=known_child, by=practitioner)

    response = as_user(client, practitioner).post(contact_url(contact), {"action": "decide", "rationale": "short"})

    assert response.status_code == 400
    assert "Select the decision" in response.text and 'href="#outcome"' in response.text
    assert ">short</textarea>" in response.text
    short = client.post(contact_url(contact), {"action": "decide", "outcome": "IA", "rationale": "short"})
    assert (
        short.status_code == 400
        and "Give the reasons for the decision" in short.text
        and 'href="#rationale"' in short.text
    )
    contact.refresh_from_db()
    assert contact.decided_at is None


def test_an_unmatched_contact_cannot_be_decided(client, practitioner):
    contact = receive()

    response = as_user(client, practitioner).post(
        contact_url(contact), {"action": "decide", "outcome": "NFA", "rationale": "Nothing to worry about here."}
    )

    assert response.status_code == 400 and "Match the contact to a child" in response.text


def test_only_a_manager_signs_off_a_decision_that_needs_it(client, practitioner, manager, known_child):
    contact = receive()
    services.contact_match(contact=contact, child=known_child, by=practitioner)
    services.contact_decide(
        contact=contact, outcome="IA", rationale="Advice given to the school by phone.", by=practitioner
    )

    as_user(client, practitioner)
    assert 'data-testid="sign_off"' not in client.get(contact_url(contact)).text
    refused = client.post(contact_url(contact), {"action": "sign_off"})
    assert refused.status_code == 400 and "Only a manager can sign off" in refused.text
    contact.refresh_from_db()
    assert contact.signed_off_at is None

    as_user(client, manager)
    assert 'data-testid="sign_off"' in client.get(contact_url(contact)).text
    assert client.post(contact_url(contact), {"action": "sign_off"}).status_code == 302
    contact.refresh_from_db()
    assert contact.signed_off_by == manager
    assert "Signed off by Maya Cole" in client.get(contact_url(contact)).text


def test_mash_checks_are_asked_and_answered(client, practitioner, known_child):
    contact = receive()
    as_user(client, practitioner)

    asked = client.post(
        contact_url(contact), {"action": "check", "agency": "POLICE", "question": "Any call-outs to the address?"}
    )
    check = MashCheck.objects.get()
    blank = client.post(contact_url(contact), {"action": "answer", "check": check.pk, "response": ""})
    answered = client.post(
        contact_url(contact), {"action": "answer", "check": check.pk, "response": "Two domestic call-outs in May."}
    )

    assert asked.status_code == 302 and check.agency == "POLICE" and check.requested_by == practitioner
    assert (
        blank.status_code == 400
        and "Record what the agency said" in blank.text
        and f'href="#response-{check.pk}"' in blank.text
    )
    assert answered.status_code == 302
    check.refresh_from_db()
    assert check.response == "Two domestic call-outs in May." and check.responded_at
    page = client.get(contact_url(contact))
    assert "Two domestic call-outs in May." in page.text


def test_an_unknown_action_is_an_error_not_a_change(client, practitioner):
    contact = receive()

    response = as_user(client, practitioner).post(contact_url(contact), {"action": "delete"})

    assert response.status_code == 400 and "Choose what to do with this contact" in response.text


def test_the_front_door_contact_page_is_for_the_front_door(client, partner, police):
    contact = receive(partner_organisation=police, route="WEB", source="6")

    assert as_user(client, partner).get(contact_url(contact)).status_code == 404


def test_home_offers_each_role_its_front_door_pages(client, practitioner, partner):
    director = make_user("dir", Role.DIRECTOR, worker=False)
    pages = {user: as_user(client, user).get(reverse("web:home")).text for user in (practitioner, partner, director)}

    assert reverse("frontdoor:queue") in pages[practitioner] and reverse("frontdoor:front-door") in pages[practitioner]
    assert reverse("frontdoor:contact-report") in pages[partner] and reverse("frontdoor:queue") not in pages[partner]
    assert reverse("frontdoor:front-door") in pages[director] and reverse("frontdoor:queue") not in pages[director]


def test_a_manager_with_no_worker_row_cannot_sign_off_their_own_decision_on_the_page(client, known_child):
    manager = make_user("fdm-nw", Role.FRONT_DOOR_MANAGER, worker=False, first_name="Nia", last_name="Ray")
    contact = receive()
    services.contact_match(contact=contact, child=known_child, by=manager)
    services.contact_decide(contact=contact, outcome="IA", rationale="Advice given to the school by phone.", by=manager)

    refused = as_user(client, manager).post(contact_url(contact), {"action": "sign_off"})

    assert refused.status_code == 400 and "other than the person who made it" in refused.text
    contact.refresh_from_db()
    assert contact.signed_off_at is None
