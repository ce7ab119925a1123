from datetime import date

import pytest

from grip.people.models import Person
from grip.people.selectors import child_by_id, family_of
from tests.people.factories import (
    ChildFactory,
    PersonFactory,
    RelationshipFactory,
    UnbornChildFactory,
)

pytestmark = pytest.mark.django_db


def test_child_by_id_finds_a_child():
    child = ChildFactory()

    assert child_by_id(pk=child.pk) == child


def test_child_by_id_finds_an_unborn_child():
    child = UnbornChildFactory()

    assert child_by_id(pk=child.pk).is_unborn


def test_child_by_id_refuses_adults_and_missing_ids():
    adult = PersonFactory()

    with pytest.raises(Person.DoesNotExist):
        child_by_id(pk=adult.pk)
    with pytest.raises(Person.DoesNotExist):
        child_by_id(pk=adult.pk + 1000)


def test_family_lists_parents_then_siblings_oldest_first(django_assert_num_queries):
    child = ChildFactory(date_of_birth=date(2015, 5, 1))
    mother = PersonFactory(first_name="Mary", date_of_birth=date(1985, 1, 1))
    father = PersonFactory(first_name="Tom", date_of_birth=date(1983, 1, 1))
    older = ChildFactory(date_of_birth=date(2012, 1, 1))
    younger = ChildFactory(date_of_birth=date(2018, 1, 1))
    RelationshipFactory(person=child, relative=younger, relationship_type="SIBLING")
    RelationshipFactory(person=child, relative=mother)
    RelationshipFactory(person=child, relative=father)
    RelationshipFactory(person=child, relative=older, relationship_type="HALF_SIBLING")
    RelationshipFactory(person=ChildFactory(), relative=mother)  # someone else's link

    with django_assert_num_queries(1):
        family = family_of(child=child)

    assert [(rel.relationship_type, person) for rel, person in family] == [
        ("PARENT", father),
        ("PARENT", mother),
        ("SIBLING", younger),
        ("HALF_SIBLING", older),
    ]


def test_family_finds_a_sibling_recorded_from_the_other_side_once():
    child, sister, brother = ChildFactory(), ChildFactory(), ChildFactory()
    RelationshipFactory(person=sister, relative=child, relationship_type="SIBLING")
    RelationshipFactory(person=child, relative=brother, relationship_type="SIBLING")
    RelationshipFactory(person=brother, relative=child, relationship_type="SIBLING")
    parent = PersonFactory()
    RelationshipFactory(person=parent, relative=child, relationship_type="PARENT")  # not symmetric

    family = family_of(child=child)

    assert sorted(person.pk for _, person in family) == sorted([sister.pk, brother.pk])


def test_a_child_with_no_family_recorded_has_none():
    assert family_of(child=ChildFactory()) == []
