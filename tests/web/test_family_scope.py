"""The Family card of a child's record names only the relatives the reader may open: a brother
or sister who is a restricted record, or outside the reader's scope, is counted, never named."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from grip.access.models import RestrictedRecord
from grip.access.roles import Role
from tests.allocation.conftest import user_with
from tests.cases.factories import AllocationFactory, CINEpisodeFactory, TeamFactory, WorkerFactory
from tests.people.factories import ChildFactory, PersonFactory, RelationshipFactory

pytestmark = pytest.mark.django_db


def test_a_brother_or_sister_the_reader_may_not_open_is_counted_not_named(client):
    today = timezone.localdate()
    team, other_team = TeamFactory(name="Team A"), TeamFactory(name="Team B")
    worker, elsewhere = WorkerFactory(team=team), WorkerFactory(team=other_team)
    sw = user_with("sw", Role.SOCIAL_WORKER, worker)
    manager = user_with("tm", Role.TEAM_MANAGER, WorkerFactory(team=team, role="TM"))

    def child(first, last, born, holder):
        person = ChildFactory(first_name=first, last_name=last, date_of_birth=born, la_child_id=f"LA{last[:6]}")
        CINEpisodeFactory(child=person, referral_date=today - timedelta(days=20))
        AllocationFactory(child=person, worker=holder, team=holder.team, started_on=today - timedelta(days=20))
        return person

    opened = child("Ava", "Seen", date(2014, 1, 9), worker)
    brother = child("Bo", "Visible", date(2016, 2, 10), worker)
    restricted = child("Cy", "Hushed", date(2015, 3, 3), worker)
    elsewhere_child = child("Di", "Faraway", date(2013, 4, 4), elsewhere)
    mother = PersonFactory(first_name="Mum", last_name="Parent", date_of_birth=date(1985, 5, 5))
    RelationshipFactory(person=opened, relative=mother, relationship_type="PARENT")
    for sibling in (brother, restricted, elsewhere_child):
        RelationshipFactory(person=opened, relative=sibling, relationship_type="SIBLING")
    RestrictedRecord.objects.create(child=restricted, reason="A relative works here", restricted_by=manager)

    client.force_login(sw)
    page = client.get(reverse("web:child-record", args=[opened.pk])).content.decode()

    assert "Mum Parent" in page and "Bo Visible" in page
    assert reverse("web:child-record", args=[brother.pk]) in page
    for hidden in (restricted, elsewhere_child):
        assert hidden.last_name not in page
        assert hidden.la_child_id not in page
        assert reverse("web:child-record", args=[hidden.pk]) not in page
    assert "3 March 2015" not in page and "4 April 2013" not in page
    assert "2 other family members you cannot see" in page
