"""A contact's page lists the other children of the same report only where the reader may see
their contacts: a brother or sister matched to a restricted record is counted, never named."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from grip.access.models import RestrictedRecord
from grip.access.roles import Role
from grip.frontdoor.models import Contact
from grip.frontdoor.named import NamedChild
from tests.people.factories import ChildFactory

from .test_views import make_user, receive

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["frontdoor:front-door-contact", "frontdoor:contact-received"])
def test_a_child_of_the_same_report_matched_to_a_restricted_record_is_counted_not_named(client, page):
    practitioner = make_user("fd1", Role.FRONT_DOOR_PRACTITIONER)
    manager = make_user("tm1", Role.TEAM_MANAGER)
    first = receive(
        children=[
            NamedChild("Amara", "Nwosu", date_of_birth=date(2016, 9, 4)),
            NamedChild("Kofi", "Hushworth", date_of_birth=date(2015, 3, 3)),
            NamedChild("Efua", "Nwosu", date_of_birth=date(2018, 1, 2)),
        ]
    )
    others = list(first.report.contacts.exclude(pk=first.pk).order_by("reference"))
    kofi = next(c for c in others if c.named_last_name == "Hushworth")
    efua = next(c for c in others if c.named_first_name == "Efua")
    restricted = ChildFactory(first_name="Kofi", last_name="Hushworth", date_of_birth=date(2015, 3, 3))
    Contact.objects.filter(pk=kofi.pk).update(child=restricted)
    RestrictedRecord.objects.create(child=restricted, reason="A relative works here", restricted_by=manager)

    client.force_login(practitioner)
    body = client.get(reverse(page, args=[first.pk])).content.decode()

    assert efua.reference in body and "Efua" in body
    assert "Hushworth" not in body and kofi.reference not in body
    assert "1 other child in this report you cannot see" in body
