"""A concern is never silently dropped (issue 12): only a true repeat of a report (the same
idempotency key, or the same organisation and reporter sending the same concerns about the same
children) is answered with the first report. Anything else is recorded, linked to the earlier
report as a possible repeat, and shown to the practitioner as one."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from grip.access.models import RoleGrant
from grip.access.roles import Role
from grip.frontdoor import services
from grip.frontdoor.models import Contact, ContactReport, PartnerOrganisation
from grip.frontdoor.named import NamedChild

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(datetime(2026, 3, 4, 10, 0))
AMY = NamedChild("Amy", "Stone", date(2016, 5, 1))


@pytest.fixture
def police():
    return PartnerOrganisation.objects.create(name="Test Police", referral_source="6")


def receive(**overrides) -> tuple[ContactReport, bool]:
    values = dict(
        received_at=NOW,
        route="PHONE",
        source="2A",
        reporter_name="Jo Head",
        concerns="Bruises on arm",
        consent="YES",
        urgency="SAME_DAY",
        reporter_phone="0121 496 0000",
        children=[AMY],
    )
    values.update(overrides)
    return services.contact_report_receive(**values)


def test_a_new_concern_about_the_same_child_from_the_same_reporter_is_recorded_and_linked(police):
    first, _ = receive(partner_organisation=police, route="API")
    second, created = receive(
        partner_organisation=police,
        route="API",
        received_at=NOW + timedelta(minutes=4),
        concerns="Now also: the child said she is afraid to go home.",
        children=[NamedChild("amy", "STONE", date(2016, 5, 1))],
    )
    assert created and second != first
    assert second.possible_repeat_of == first
    assert ContactReport.objects.count() == 2 and Contact.objects.count() == 2
    assert Contact.objects.get(report=second).concerns == "Now also: the child said she is afraid to go home."


def test_two_anonymous_callers_are_never_one_report():
    first, _ = receive(reporter_name="Anonymous", concerns="Shouting every night")
    second, created = receive(
        reporter_name="anonymous", concerns="Shouting every night", received_at=NOW + timedelta(minutes=2)
    )
    assert created and second != first and second.possible_repeat_of == first
    assert ContactReport.objects.count() == 2


def test_the_same_organisation_reporter_and_concerns_is_the_same_report(police):
    first, _ = receive(partner_organisation=police, route="API", concerns="Bruises on arm.\nSeen at 9am.")
    again, created = receive(
        partner_organisation=police,
        route="API",
        reporter_name="  JO   head ",
        concerns="bruises  on ARM.  Seen at 9am. ",
        received_at=NOW + timedelta(minutes=1),
    )
    assert not created and again == first and ContactReport.objects.count() == 1


def test_the_same_text_from_another_organisation_is_a_new_report(police):
    school = PartnerOrganisation.objects.create(name="Test School", referral_source="2A")
    first, _ = receive(partner_organisation=police, route="API")
    other, created = receive(partner_organisation=school, route="API")
    assert created and other.possible_repeat_of == first


def test_the_same_text_about_another_child_is_a_new_report(police):
    receive(partner_organisation=police, route="API")
    other, created = receive(partner_organisation=police, route="API", children=[NamedChild("Cal", "Moss")])
    assert created and other.possible_repeat_of is None


def test_a_report_about_the_same_child_hours_later_is_not_flagged():
    receive()
    later, created = receive(concerns="Something else", received_at=NOW + timedelta(hours=2))
    assert created and later.possible_repeat_of is None


def _practitioner():
    user = get_user_model().objects.create_user(username="fd-repeat")
    RoleGrant.objects.create(user=user, role=Role.FRONT_DOOR_PRACTITIONER)
    return user


def test_the_practitioner_sees_a_possible_repeat_on_the_queue_and_the_contact(client):
    now = timezone.now() - timedelta(minutes=30)
    first, _ = receive(received_at=now, reporter_name="Anonymous")
    second, _ = receive(received_at=now + timedelta(minutes=3), reporter_name="Anonymous", concerns="Another worry")
    client.force_login(_practitioner())

    queue = client.get(reverse("frontdoor:queue")).text
    rows = {r.split('data-reference="')[1].split('"')[0]: r for r in queue.split('data-testid="queue-row"')[1:]}
    first_contact, second_contact = first.contacts.get(), second.contacts.get()
    assert 'data-testid="possible-repeat"' in rows[second_contact.reference].split("</tr>")[0]
    assert 'data-testid="possible-repeat"' not in rows[first_contact.reference].split("</tr>")[0]

    page = client.get(reverse("frontdoor:front-door-contact", args=[second_contact.pk])).text
    assert 'data-testid="possible-repeat"' in page and f"Possible repeat of report {first.reference}" in page
    earlier = client.get(reverse("frontdoor:front-door-contact", args=[first_contact.pk])).text
    assert 'data-testid="possibly-repeated-by"' in earlier and second.reference in earlier
