""" "No disability" is recorded as NONE, distinct from "not yet recorded" (an empty list).

Issue 11 ("The data model"). The CIN census Disability list has a code for no disability, NONE
(CIN_schema_2024.xsd, disabilitytype: "No disability"); a child whose disability has not been
asked about has no code at all, and the census refuses that for a born child (CIN rule 8540,
"Child's disability is missing or invalid"). NONE cannot go with a disability (CIN rule 8790,
"Disability information includes both None and other values"). Rules and wording from
shared/peer-data/csc-validator-be-cin/derived/cin_rules_cin2025_26.csv.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from grip.people.models import Person

pytestmark = pytest.mark.django_db


def _child(**kwargs) -> Person:
    fields = {"la_child_id": "DIS000001", "first_name": "Test", "last_name": "Child", "date_of_birth": "2016-03-04"}
    return Person(**(fields | kwargs))


def test_not_yet_recorded_and_no_disability_are_different_values():
    unknown = _child(la_child_id="DIS000001")
    unknown.full_clean()
    unknown.save()
    none = _child(la_child_id="DIS000002", disabilities=["NONE"])
    none.full_clean()
    none.save()
    assert Person.objects.get(pk=unknown.pk).disabilities == []
    assert Person.objects.get(pk=none.pk).disabilities == ["NONE"]
    assert Person.objects.filter(disabilities=["NONE"]).count() == 1


@pytest.mark.parametrize("others", [["LD"], ["AUT", "HEAR"]])
def test_no_disability_cannot_be_recorded_with_a_disability(others):
    with pytest.raises(ValidationError) as caught:
        _child(disabilities=["NONE", *others]).full_clean()
    assert caught.value.message_dict["disabilities"] == [
        "“No disability” (NONE) cannot be recorded with a disability (CIN rule 8790)."
    ]


def test_a_child_from_the_factory_says_no_disability_and_an_unborn_child_is_not_yet_recorded():
    from tests.people.factories import ChildFactory, UnbornChildFactory

    assert ChildFactory().disabilities == ["NONE"]
    assert UnbornChildFactory().disabilities == []
