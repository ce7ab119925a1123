"""Test data for people: children (with an LA child ID), adults, and the links between them."""

from __future__ import annotations

import datetime as dt

import factory

from grip.people.models import Person, Relationship


def fake(provider: str, **kwargs) -> factory.Faker:
    return factory.Faker(provider, locale="en_GB", **kwargs)


def nhs_number(n: int) -> str:
    """A valid NHS number (modulus 11 check digit) made from the serial `n`."""
    while True:
        stem = f"{900_000_000 + n % 100_000_000:09d}"
        total = sum(int(d) * w for d, w in zip(stem, range(10, 1, -1), strict=True))
        check = (11 - total % 11) % 11
        if check != 10:
            return f"{stem}{check}"
        n += 1


class PersonFactory(factory.django.DjangoModelFactory):
    """An adult in a child's network: no LA child ID."""

    class Meta:
        model = Person

    first_name = fake("first_name")
    last_name = fake("last_name")
    date_of_birth = fake("date_of_birth", minimum_age=20, maximum_age=60)
    sex = factory.Iterator(["F", "M"])
    address = fake("street_address")
    postcode = fake("postcode")


class ChildFactory(PersonFactory):
    la_child_id = factory.Sequence(lambda n: f"LA{n:06d}")
    upn = factory.Sequence(lambda n: f"A{n:012d}")
    nhs_number = factory.Sequence(nhs_number)
    date_of_birth = fake("date_of_birth", minimum_age=1, maximum_age=16)
    sex = factory.Iterator(["M", "F", "U"])
    ethnicity = "WBRI"
    disabilities = factory.LazyFunction(lambda: ["NONE"])


class UnbornChildFactory(ChildFactory):
    upn = ""
    date_of_birth = None
    expected_date_of_birth = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=60))
    sex = "U"
    disabilities = factory.LazyFunction(list)


class RelationshipFactory(factory.django.DjangoModelFactory):
    """`relative` is `person`'s parent (by default)."""

    class Meta:
        model = Relationship

    person = factory.SubFactory(ChildFactory)
    relative = factory.SubFactory(PersonFactory)
    relationship_type = "PARENT"
