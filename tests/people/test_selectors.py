from datetime import date

import pytest

from grip.people.selectors import family_of
from tests.people.factories import (
    ChildFactory,
    PersonFactory,
    RelationshipFactory,
)

pytestmark = pytest.mark.django_db


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
