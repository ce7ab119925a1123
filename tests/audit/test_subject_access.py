"""The subject access export holds every kind of record about the child, and only the child's."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
from django.apps import apps
from django.db.models import Q
from django.utils import timezone

from grip.access.models import AccessException, RestrictedRecord
from grip.access.roles import Role
from grip.audit.services import record, record_view
from grip.audit.subject_access import build_export, export_child, record_kinds
from grip.cases.models import CareLeaverEpisode, CINEpisode
from grip.people.models import Person
from tests.cases.factories import child_with_a_full_journey
from tests.people.factories import ChildFactory, RelationshipFactory

from .conftest import make_user

pytestmark = pytest.mark.django_db

# The kinds of record named when the export was asked for; the export must never lose one.
EXPECTED_FILES = {
    "people.person.json",
    "people.relationship.json",
    "frontdoor.contact.json",
    "cases.cinepisode.json",
    "cases.assessment.json",
    "cases.cinplan.json",
    "cases.strategydiscussion.json",
    "cases.section47enquiry.json",
    "cases.childprotectionconference.json",
    "cases.childprotectionplan.json",
    "cases.lookedafterepisode.json",
    "cases.lookedafterreview.json",
    "cases.visit.json",
    "cases.missingepisode.json",
    "cases.careleaverepisode.json",
    "cases.careleavercontact.json",
    "cases.pathwayplanreview.json",
    "cases.earlyhelpepisode.json",
    "allocation.allocation.json",
    "audit.auditentry.json",
    "access.restrictedrecord.json",
    "access.accessexception.json",
}


def links_to(model, targets: set) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if f.is_relation and (f.many_to_one or f.one_to_one) and f.related_model in targets
    ]


def unzip(content: bytes) -> dict[str, str]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    return {name: archive.read(name).decode() for name in archive.namelist()}


@pytest.fixture
def child():
    child = child_with_a_full_journey(repeat=1)
    RelationshipFactory(person=child)
    RelationshipFactory(person=ChildFactory(), relative=child, relationship_type="SIBLING")
    manager = make_user("tm1", Role.TEAM_MANAGER)
    restriction = RestrictedRecord.objects.create(child=child, reason="A relative works here", restricted_by=manager)
    AccessException.objects.create(
        restriction=restriction,
        user=manager,
        granted_by=manager,
        reason="Cover",
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    record_view(user=manager, child=child, request=None)
    return child


@pytest.fixture
def someone_else():
    """Another child with records of every kind, none of which may appear in the export."""
    other = child_with_a_full_journey(repeat=1)
    record(actor=None, verb="contact_decided", target=other)
    return other


def test_every_expected_kind_of_record_is_exported_with_the_childs_rows(child, someone_else):
    files = unzip(export_child(child=child))

    assert EXPECTED_FILES <= set(files)
    for name in EXPECTED_FILES:
        assert json.loads(files[name]), f"{name} should hold the child's records"


def test_every_model_pointing_at_a_person_is_exported(child, someone_else):
    # Found independently of the export's own walk: a model added later with a foreign key to a
    # person, or hanging off a CIN or care leaver episode, fails here until the export holds it.
    files = unzip(export_child(child=child))
    direct = [m for m in apps.get_models() if not m._meta.proxy and links_to(m, {Person})]
    hanging = [m for m in apps.get_models() if not m._meta.proxy and links_to(m, {CINEpisode, CareLeaverEpisode})]

    for model in direct + hanging:
        assert f"{model._meta.label_lower}.json" in files, f"{model._meta.label} is missing from the export"
    for model in direct:
        match = Q()
        for name in links_to(model, {Person}):
            match |= Q(**{name: child})
        rows = json.loads(files[f"{model._meta.label_lower}.json"])
        assert sorted(r["pk"] for r in rows) == sorted(model._base_manager.filter(match).values_list("pk", flat=True))


def test_only_the_childs_records_are_exported(child, someone_else):
    files = unzip(export_child(child=child))

    for name in ("cases.cinepisode.json", "cases.visit.json", "audit.auditentry.json"):
        assert {row["fields"]["child"] for row in json.loads(files[name])} == {child.pk}
    episode = json.loads(files["cases.cinepisode.json"])[0]["pk"]
    assert {row["fields"]["episode"] for row in json.loads(files["cases.assessment.json"])} == {episode}
    assert [row["pk"] for row in json.loads(files["people.person.json"])] == [child.pk]


def test_the_readme_lists_every_file_and_when_it_was_made(child):
    export = build_export(child=child)
    files = unzip(export.content)

    readme = files["README.txt"]
    assert child.la_child_id in readme and "Made: " in readme
    for name in set(files) - {"README.txt"}:
        assert name in readme
    total = sum(len(json.loads(text)) for name, text in files.items() if name.endswith(".json"))
    assert export.record_count == total and f"Records: {total} in" in readme


def test_a_child_with_no_journey_still_gets_every_file():
    lone = ChildFactory()

    files = unzip(export_child(child=lone))

    assert {f"{k.model._meta.label_lower}.json" for k in record_kinds()} | {"README.txt"} == set(files)
    assert json.loads(files["cases.cinepisode.json"]) == []


def test_the_walk_keeps_the_shortest_way_to_the_child():
    lookups = {k.model._meta.label: k.lookups for k in record_kinds()}

    assert lookups["people.Person"] == ("pk",)
    assert lookups["people.Relationship"] == ("person", "relative")
    assert lookups["cases.ChildProtectionConference"] == ("episode__child",)
    assert lookups["cases.PathwayPlanReview"] == ("care_leaver__child",)
