"""The front door end to end: a partner sends a contact, a practitioner finds it in the queue,
matches the child already known, decides "referral", the child's record shows the new episode,
and the partner sees the outcome."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from grip.access.models import PartnerMembership, RoleGrant
from grip.access.roles import Role
from grip.frontdoor.models import Contact, PartnerOrganisation
from tests.cases.factories import ClosedCINEpisodeFactory, WorkerFactory
from tests.people.factories import ChildFactory

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery staple"
QUEUE_SCREENSHOT = "/tmp/grip-front-door-queue.png"
CONTACT_SCREENSHOT = "/tmp/grip-front-door-contact.png"


@pytest.fixture
def people(transactional_db):
    User = get_user_model()
    school = PartnerOrganisation.objects.create(name="Hillside Primary School", referral_source="2A")
    teacher = User.objects.create_user(
        username="teacher", password=PASSWORD, first_name="Jo", last_name="Bloggs", email="jo@hillside.example"
    )
    RoleGrant.objects.create(user=teacher, role=Role.PARTNER_AGENCY_USER)
    PartnerMembership.objects.create(user=teacher, organisation=school)
    practitioner = User.objects.create_user(
        username="frontdoor", password=PASSWORD, first_name="Priya", last_name="Shah"
    )
    RoleGrant.objects.create(user=practitioner, role=Role.FRONT_DOOR_PRACTITIONER)
    WorkerFactory(user=practitioner, first_name="Priya", last_name="Shah")
    child = ChildFactory(first_name="Mia", last_name="Okonkwo", date_of_birth=date(2015, 3, 9), postcode="B12 9QT")
    # Known before: a closed episode two years ago (so a new referral is not a re-referral within 12 months).
    ClosedCINEpisodeFactory(child=child, referral_date=timezone.localdate() - timedelta(days=730))
    ChildFactory(first_name="Mia", last_name="Okafor", date_of_birth=date(2012, 7, 1))  # a near miss
    return {"school": school, "child": child}


def sign_in(page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_a_partner_contact_is_matched_decided_and_fed_back(browser_page, people):
    page = browser_page
    child = people["child"]
    failed = []
    page.on("response", lambda r: r.status >= 500 and failed.append(f"{r.status} {r.url}"))

    # The partner sends a contact and gets a reference at once.
    sign_in(page, "teacher")
    page.get_by_role("link", name="Tell us you are worried about a child").click()
    assert page.get_by_label("Name", exact=True).input_value() == "Jo Bloggs"
    page.get_by_label("What you are worried about").fill("Mia said her stepfather hit her. Bruise on her cheek.")
    page.get_by_label("Physical abuse").check()
    child_one = page.get_by_test_id("child-1")
    child_one.get_by_label("First name").fill("Mia")
    child_one.get_by_label("Last name").fill("Okonkwo")
    child_one.get_by_label("Day").fill("9")
    child_one.get_by_label("Month").fill("3")
    child_one.get_by_label("Year").fill("2015")
    page.get_by_label("Not sought: seeking consent would put the child at risk").check()
    page.get_by_label("Needs a response today").check()
    page.get_by_role("button", name="Send").click()
    assert page.locator(".govuk-panel__title").inner_text().strip() == "Contact received"
    reference = page.get_by_test_id("reference").inner_text().strip()
    contact = Contact.objects.get(report__reference=reference)
    assert (contact.route, contact.source, contact.partner_organisation) == ("WEB", "2A", people["school"])
    sign_out(page)

    # A practitioner finds it in the queue, opens it and matches the child already known.
    sign_in(page, "frontdoor")
    page.get_by_role("link", name="Front door queue").click()
    row = page.locator(f'[data-testid="queue-row"][data-reference="{contact.reference}"]')
    assert "Not matched: Mia Okonkwo" in row.inner_text()
    page.screenshot(path=QUEUE_SCREENSHOT, full_page=True)
    row.get_by_role("link", name=contact.reference).click()
    page.wait_for_url(f"**/front-door/contacts/{contact.pk}/")
    candidates = page.get_by_test_id("candidate")
    assert candidates.first.get_attribute("data-child") == str(child.pk)  # best match first
    page.screenshot(path=CONTACT_SCREENSHOT, full_page=True)
    candidates.first.get_by_role("button", name="This is the child").click()
    assert "Contact matched to Mia Okonkwo" in page.locator(".govuk-notification-banner").inner_text()

    # ... and decides "referral" with a rationale.
    page.get_by_role("button", name="I am working on this").click()
    page.get_by_label("Referral to children's social care").check()
    page.get_by_label("Reasons for the decision").fill("Disclosure of physical abuse by a carer: needs an assessment.")
    page.get_by_role("button", name="Record decision").click()
    assert (
        "Decision recorded: Referral to children's social care"
        in page.locator(".govuk-notification-banner").inner_text()
    )

    # The child's record shows the new episode.
    page.get_by_test_id("child-record-link").click()
    page.wait_for_url(f"**/children/{child.pk}/**")
    timeline = page.get_by_test_id("journey")
    titles = timeline.locator(".moj-timeline__title").all_inner_texts()
    assert titles.count("Referral") == 2  # the new one, and the one two years ago
    assert "Source: Schools" in timeline.locator('[data-kind="referral"]').first.inner_text()
    sign_out(page)

    # The partner, signed in again, sees the outcome.
    sign_in(page, "teacher")
    page.get_by_role("link", name="Contacts", exact=True).first.click()
    outcome_row = page.get_by_test_id("contacts").locator("tr", has_text=contact.reference)
    assert "Referral to children's social care" in outcome_row.inner_text()
    assert not failed, failed
