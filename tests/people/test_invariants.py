"""Invariants of people and their relationships: bad data is refused, with a clear message.

Each database constraint is tested twice: the DATABASE refuses the row even when the ORM's
validation is bypassed (``IntegrityError`` naming the constraint), and ``full_clean()`` raises
``ValidationError`` with the constraint's plain-English ``violation_error_message``. Formats the
database cannot check (UPN, NHS number check digit, JSON code lists) are checked in ``clean()``.
"""

from __future__ import annotations

import itertools
import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from grip.people.models import NONE_WITH_OTHERS, Person, Relationship
from tests.invariants import (
    HYPOTHESIS,
    choice_error,
    clean_refuses,
    code_list_error,
    csv_codes,
    db_refuses,
    db_refuses_action,
    refuses_bad_choice,
)

pytestmark = pytest.mark.django_db

UPN_MESSAGE = "UPN must be a letter then 12 digits, or a letter, 11 digits and a letter."
NHS_MESSAGE = "NHS number must be 10 digits with a valid check digit."

# --------------------------------------------------------------------------- helpers


_numbers = itertools.count(1)


def child_fields(**kwargs: Any) -> dict:
    n = next(_numbers)
    return {
        "la_child_id": f"PPL{n:06d}",
        "first_name": "Test",
        "last_name": f"Child{n}",
        "date_of_birth": date(2016, 3, 4),
    } | kwargs


def adult_fields(**kwargs: Any) -> dict:
    n = next(_numbers)
    return {"first_name": "Test", "last_name": f"Adult{n}"} | kwargs


def nhs_oracle(value: str) -> bool:
    """NHS Data Dictionary modulus 11, written independently of the model's."""
    if len(value) != 10 or not all(c in "0123456789" for c in value):
        return False
    remainder = sum(int(value[i]) * (10 - i) for i in range(9)) % 11
    check = (11 - remainder) % 11  # 11 becomes 0
    return check != 10 and check == int(value[9])


def upn_oracle(value: str) -> bool:
    return re.fullmatch(r"[A-Z][0-9]{12}|[A-Z][0-9]{11}[A-Z]", value, flags=re.ASCII) is not None


# --------------------------------------------------------------------------- birth and death


def test_a_child_needs_a_date_of_birth_or_an_expected_one():
    fields = child_fields(date_of_birth=None, expected_date_of_birth=None)
    db_refuses(Person, fields, "people_child_has_birth_or_expected_date")
    clean_refuses(Person(**fields), "A child needs a date of birth or, if unborn, an expected date of birth.")


@pytest.mark.parametrize(
    "fields",
    [
        child_fields(date_of_birth=None, expected_date_of_birth=date(2026, 9, 1)),  # unborn
        child_fields(),
        child_fields(expected_date_of_birth=date(2016, 3, 1)),  # born; expected date kept
        adult_fields(),  # not a child record: no date needed
    ],
    ids=["unborn", "born", "born-with-expected", "adult"],
)
def test_birth_dates_that_are_accepted(fields):
    Person(**fields).full_clean()
    Person.objects.create(**fields)


def test_removing_a_childs_date_of_birth_is_refused():
    child = Person.objects.create(**child_fields())
    db_refuses_action(
        lambda: Person.objects.filter(pk=child.pk).update(date_of_birth=None), "people_child_has_birth_or_expected_date"
    )


def test_date_of_death_cannot_be_before_date_of_birth():
    fields = child_fields(date_of_birth=date(2016, 3, 4), date_of_death=date(2016, 3, 3))
    db_refuses(Person, fields, "people_person_date_of_death_after_date_of_birth")
    clean_refuses(Person(**fields), "Date of death cannot be before date of birth.")


@pytest.mark.parametrize(
    "fields",
    [
        child_fields(date_of_birth=date(2016, 3, 4), date_of_death=date(2016, 3, 4)),
        child_fields(date_of_birth=date(2016, 3, 4), date_of_death=date(2020, 1, 1)),
        adult_fields(date_of_death=date(2020, 1, 1)),  # date of birth unknown
    ],
    ids=["same-day", "later", "no-birth-date"],
)
def test_date_of_death_on_or_after_birth_is_accepted(fields):
    Person(**fields).full_clean()
    Person.objects.create(**fields)


def test_bulk_create_cannot_slip_a_death_before_birth_past_the_database():
    db_refuses_action(
        lambda: Person.objects.bulk_create(
            [
                Person(**child_fields()),
                Person(**adult_fields(date_of_birth=date(1990, 1, 2), date_of_death=date(1990, 1, 1))),
            ]
        ),
        "people_person_date_of_death_after_date_of_birth",
    )
    assert not Person.objects.exists()


# --------------------------------------------------------------------------- code lists


CODED = [("sex", "sex"), ("ethnicity", "ethnicity")]


@pytest.mark.parametrize(("field", "list_name"), CODED)
@pytest.mark.parametrize("bad", ["ZZ", "m", "WBRI "])
def test_a_code_not_in_the_list_is_refused(field, list_name, bad):
    max_length = Person._meta.get_field(field).max_length
    bad = bad[:max_length]
    assert bad not in csv_codes(list_name)
    fields = adult_fields(**{field: bad})
    refuses_bad_choice(Person, fields, field, f"people_person_{field}_code", code_list_error(field, list_name))


@pytest.mark.parametrize(("field", "list_name"), CODED)
def test_every_code_in_the_list_and_blank_are_accepted(field, list_name):
    rows = [Person(**adult_fields(**{field: code})) for code in [*csv_codes(list_name), ""]]
    for row in rows:
        row.full_clean()
    Person.objects.bulk_create(rows)
    assert set(Person.objects.values_list(field, flat=True)) == {*csv_codes(list_name), ""}


@HYPOTHESIS
@given(sex=st.sampled_from(csv_codes("sex")), ethnicity=st.sampled_from(csv_codes("ethnicity")))
def test_codes_sampled_from_the_csv_are_accepted(sex, ethnicity):
    with transaction.atomic():
        person = Person(**child_fields(sex=sex, ethnicity=ethnicity))
        person.full_clean()
        person.save()
        transaction.set_rollback(True)


@HYPOTHESIS
@given(data=st.data())
def test_values_outside_the_csv_are_refused_by_the_database(data):
    field, list_name = data.draw(st.sampled_from(CODED))
    max_length = Person._meta.get_field(field).max_length
    good = set(csv_codes(list_name)) | {""}
    alphabet = st.characters(codec="utf-8", exclude_characters="\x00")
    bad = data.draw(st.text(alphabet, min_size=1, max_size=max_length).filter(lambda v: v not in good))
    with transaction.atomic():
        db_refuses(Person, adult_fields(**{field: bad}), f"people_person_{field}_code")
        transaction.set_rollback(True)


# --------------------------------------------------------------------------- disabilities (JSON)

DISABILITY_MESSAGE = "Not in the list “Disability”: {}."


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (["MOB", "ZZZ"], DISABILITY_MESSAGE.format("ZZZ")),
        (["mob"], DISABILITY_MESSAGE.format("mob")),
        ([None], DISABILITY_MESSAGE.format("None")),
        (["AUT", "AUT"], "A code is listed twice."),
        ("AUT", "Must be a list of codes."),
        ({"AUT": 1}, "Must be a list of codes."),
    ],
)
def test_full_clean_refuses_bad_disability_codes(value, message):
    clean_refuses(Person(**child_fields(disabilities=value)), message, "disabilities")


def test_every_disability_code_is_accepted():
    for code in csv_codes("disability"):
        Person(**child_fields(disabilities=[code])).full_clean()
    # Every disability at once; NONE ("no disability") cannot go with them (CIN rule 8790).
    Person(**child_fields(disabilities=[c for c in csv_codes("disability") if c != "NONE"])).full_clean()


@HYPOTHESIS
@given(data=st.data())
def test_disability_lists_are_accepted_exactly_when_every_code_is_in_the_csv(data):
    known = csv_codes("disability")
    values = data.draw(st.lists(st.sampled_from(known) | st.text(max_size=5), max_size=5, unique=True))
    person = Person(**child_fields(disabilities=values))
    if set(values) <= set(known):
        if "NONE" in values and len(values) > 1:  # CIN rule 8790: no disability and a disability
            clean_refuses(person, NONE_WITH_OTHERS, "disabilities")
        else:
            person.full_clean()
    else:
        with pytest.raises(ValidationError) as caught:
            person.full_clean()
        assert caught.value.message_dict["disabilities"][0].startswith("Not in the list “Disability”: ")


# --------------------------------------------------------------------------- UPN and NHS number (clean only)


# field: (max length, message); a longer value also gets Django's own length message.
FORMATS = {"upn": (13, UPN_MESSAGE), "nhs_number": (10, NHS_MESSAGE)}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("upn", "A12345678901"),
        ("upn", "A1234567890123"),
        ("upn", "a123456789012"),
        ("upn", "1234567890123"),
        ("upn", "AB2345678901C"),
        ("upn", "A12345678901b"),
        ("upn", "A 23456789012"),
        ("upn", "A12345678901-"),
        ("upn", "A123456789012\n"),
        ("nhs_number", "9434765918"),
        ("nhs_number", "943476591"),
        ("nhs_number", "94347659190"),
        ("nhs_number", "943 476 5919"),
        ("nhs_number", "943476591X"),
        ("nhs_number", "ABCDEFGHIJ"),
        ("nhs_number", "0000000060"),  # check digit 10, which no NHS number may have
    ],
)
def test_full_clean_refuses_a_badly_formed_upn_or_nhs_number(field, value):
    person = Person(**child_fields(**{field: value}))
    with pytest.raises(ValidationError) as caught:
        person.full_clean()
    assert field in caught.value.message_dict
    max_length, message = FORMATS[field]
    if len(value) <= max_length:
        assert caught.value.message_dict[field] == [message]


@pytest.mark.parametrize("upn", ["A123456789012", "Z00000000000A", "H80192011001Z", ""])
def test_a_well_formed_or_missing_upn_is_accepted(upn):
    Person(**child_fields(upn=upn)).full_clean()


@HYPOTHESIS
@given(upn=st.text(alphabet="ABCXYZabz0123456789 -", max_size=13))
def test_upn_accepted_exactly_when_it_has_the_census_format(upn):
    person = Person(**child_fields(upn=upn))
    if upn == "" or upn_oracle(upn):
        person.full_clean()
    else:
        clean_refuses(person, UPN_MESSAGE, "upn")


@pytest.mark.parametrize("nhs", ["9434765919", "4010232137", "9999999999", ""])
def test_a_valid_or_missing_nhs_number_is_accepted(nhs):
    assert nhs == "" or nhs_oracle(nhs)
    Person(**child_fields(nhs_number=nhs)).full_clean()


@HYPOTHESIS
@given(
    nhs=st.text(alphabet="0123456789", min_size=10, max_size=10)
    | st.from_regex(r"\A[0-9]{9}\Z").map(
        lambda nine: nine + str((11 - sum(int(nine[i]) * (10 - i) for i in range(9)) % 11) % 11)[-1]
    )
)
def test_nhs_number_accepted_exactly_when_the_check_digit_is_right(nhs):
    person = Person(**child_fields(nhs_number=nhs))
    if nhs_oracle(nhs):
        person.full_clean()
    else:
        clean_refuses(person, NHS_MESSAGE, "nhs_number")


def test_a_bad_upn_and_a_bad_nhs_number_are_both_reported():
    with pytest.raises(ValidationError) as caught:
        Person(**child_fields(upn="A1", nhs_number="1234567890")).full_clean()
    assert caught.value.message_dict["upn"] == [UPN_MESSAGE]
    assert caught.value.message_dict["nhs_number"] == [NHS_MESSAGE]


def test_upn_digits_must_be_ascii():
    """Non-ASCII decimal digits (here Arabic-Indic) are not UPN digits."""
    clean_refuses(Person(**child_fields(upn="A" + "\u0663" * 12)), UPN_MESSAGE, "upn")


def test_nhs_number_digits_must_be_ascii():
    """The Arabic-Indic spelling of a valid NHS number is not an NHS number."""
    arabic = "".join(chr(0x660 + int(c)) for c in "9434765919")
    clean_refuses(Person(**child_fields(nhs_number=arabic)), NHS_MESSAGE, "nhs_number")


# --------------------------------------------------------------------------- relationships


@pytest.fixture
def family():
    child = Person.objects.create(**child_fields())
    mother = Person.objects.create(**adult_fields())
    return child, mother


def test_a_person_cannot_be_related_to_themselves(family):
    child, _ = family
    fields = {"person": child, "relative": child, "relationship_type": "SIBLING"}
    db_refuses(Relationship, fields, "people_relationship_not_to_self")
    clean_refuses(Relationship(**fields), "A person cannot be related to themselves.")


def test_a_relationship_is_recorded_once(family):
    child, mother = family
    fields = {"person": child, "relative": mother, "relationship_type": "PARENT"}
    Relationship.objects.create(**fields)
    db_refuses(
        Relationship,
        fields,
        "people_relationship_once",
        "UNIQUE constraint failed: people_relationship.person_id, people_relationship.relative_id, "
        "people_relationship.relationship_type",
    )
    clean_refuses(Relationship(**fields), "This relationship is already recorded.")


def test_the_same_pair_may_hold_other_relationships(family):
    child, mother = family
    for fields in (
        {"person": child, "relative": mother, "relationship_type": "PARENT"},
        {"person": child, "relative": mother, "relationship_type": "CARER"},
        {"person": mother, "relative": child, "relationship_type": "OTHER_RELATIVE"},
    ):
        Relationship(**fields).full_clean()
        Relationship.objects.create(**fields)


def test_a_relationship_cannot_end_before_it_starts(family):
    child, mother = family
    fields = {
        "person": child,
        "relative": mother,
        "relationship_type": "CARER",
        "started_on": date(2020, 1, 2),
        "ended_on": date(2020, 1, 1),
    }
    db_refuses(Relationship, fields, "people_relationship_ended_on_after_started_on")
    clean_refuses(Relationship(**fields), "A relationship cannot end before it starts.")
    fields["ended_on"] = fields["started_on"]
    Relationship(**fields).full_clean()
    Relationship.objects.create(**fields)


@pytest.mark.parametrize("bad", ["FRIEND", "parent", ""])
def test_a_relationship_type_not_in_the_list_is_refused(family, bad):
    child, mother = family
    fields = {"person": child, "relative": mother, "relationship_type": bad}
    db_refuses(Relationship, fields, "people_relationship_relationship_type_code")
    clean_refuses(Relationship(**fields), choice_error(bad), "relationship_type")


def test_every_relationship_type_is_accepted(family):
    child, mother = family
    rows = [
        Relationship(person=child, relative=mother, relationship_type=code) for code in csv_codes("relationship_type")
    ]
    for row in rows:
        row.full_clean()
    Relationship.objects.bulk_create(rows)


@HYPOTHESIS
@given(code=st.sampled_from(csv_codes("relationship_type")), days=st.integers(-400, 400))
def test_relationship_dates_accepted_exactly_when_in_order(family, code, days):
    child, mother = family
    fields = {
        "person": child,
        "relative": mother,
        "relationship_type": code,
        "started_on": date(2020, 6, 1),
        "ended_on": date(2020, 6, 1) + timedelta(days=days),
    }
    with transaction.atomic():
        if days >= 0:
            Relationship(**fields).full_clean()
            Relationship.objects.create(**fields)
        else:
            db_refuses(Relationship, fields, "people_relationship_ended_on_after_started_on")
        transaction.set_rollback(True)
