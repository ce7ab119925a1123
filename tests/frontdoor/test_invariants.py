"""Invariants of contacts at the front door: bad data is refused, with a clear message.

Each constraint is tested twice: the DATABASE refuses the row even when the ORM's validation is
bypassed (``IntegrityError`` naming the constraint), and ``full_clean()`` raises
``ValidationError`` with the constraint's plain-English ``violation_error_message``.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from hypothesis import given
from hypothesis import strategies as st

from grip.cases.models import CINEpisode
from grip.frontdoor.models import PASSED_TO_ALLOCATED_WORKER, Contact
from grip.people.models import Person
from tests.invariants import (
    HYPOTHESIS,
    clean_refuses,
    code_list_error,
    csv_codes,
    db_refuses,
    db_refuses_action,
    refuses_bad_choice,
)

pytestmark = pytest.mark.django_db

RECEIVED = datetime(2024, 3, 4, 9, 15, tzinfo=UTC)
ORDER_MESSAGE = "A contact cannot be decided before it was received."
OUTCOME_MESSAGE = "A decided contact needs an outcome, and an outcome needs a decision time."

# --------------------------------------------------------------------------- helpers


_references = itertools.count(1)


@pytest.fixture
def child() -> Person:
    return Person.objects.create(
        la_child_id="FD000001", first_name="Test", last_name="Child", date_of_birth=date(2017, 1, 1)
    )


def contact_fields(child: Person, **kwargs: Any) -> dict:
    """A decided contact (one passed to the allocated worker names the child's open episode)."""
    fields = {
        "reference": f"INV-{next(_references):06d}",
        "child": child,
        "received_at": RECEIVED,
        "route": "PHONE",
        "source": "5A",
        "decided_at": RECEIVED + timedelta(hours=3),
        "outcome": "REF",
    } | kwargs
    if fields["outcome"] == PASSED_TO_ALLOCATED_WORKER and "episode" not in kwargs:
        fields["episode"] = _open_episode(child)
    return fields


def _open_episode(child: Person) -> CINEpisode:
    found = CINEpisode.objects.filter(child=child, closure_date=None).first()
    return found or CINEpisode.objects.create(child=child, referral_date=date(2024, 1, 2), referral_source="5A")


def test_a_contact_passed_to_the_allocated_worker_names_the_open_episode_and_no_other_does(child):
    passed = contact_fields(child, outcome=PASSED_TO_ALLOCATED_WORKER, episode=None)
    db_refuses(Contact, passed, "frontdoor_contact_passed_on_names_the_episode")
    referral = contact_fields(child, outcome="REF", episode=_open_episode(child))
    db_refuses(Contact, referral, "frontdoor_contact_passed_on_names_the_episode")
    Contact(**contact_fields(child, outcome=PASSED_TO_ALLOCATED_WORKER)).full_clean()


# --------------------------------------------------------------------------- decision


def test_a_contact_cannot_be_decided_before_it_was_received(child):
    fields = contact_fields(child, decided_at=RECEIVED - timedelta(minutes=1))
    db_refuses(Contact, fields, "frontdoor_contact_decided_after_received")
    clean_refuses(Contact(**fields), ORDER_MESSAGE)


def test_a_contact_decided_the_moment_it_arrives_is_fine(child):
    fields = contact_fields(child, decided_at=RECEIVED)
    Contact(**fields).full_clean()
    Contact.objects.create(**fields)


@pytest.mark.parametrize(
    "half", [{"outcome": ""}, {"decided_at": None}], ids=["decided-without-outcome", "outcome-without-decision"]
)
def test_a_decided_contact_needs_an_outcome_and_an_outcome_a_decision_time(child, half):
    fields = contact_fields(child, **half)
    db_refuses(Contact, fields, "frontdoor_contact_decision_has_outcome")
    clean_refuses(Contact(**fields), OUTCOME_MESSAGE)


@pytest.mark.parametrize("decided", [True, False], ids=["decided", "awaiting-decision"])
def test_outcome_present_exactly_when_decided_is_accepted(child, decided):
    fields = contact_fields(child) if decided else contact_fields(child, decided_at=None, outcome="")
    Contact(**fields).full_clean()
    Contact.objects.create(**fields)


def test_clearing_the_outcome_of_a_decided_contact_is_refused(child):
    contact = Contact.objects.create(**contact_fields(child))
    db_refuses_action(
        lambda: Contact.objects.filter(pk=contact.pk).update(outcome=""), "frontdoor_contact_decision_has_outcome"
    )


def test_bulk_create_cannot_slip_an_undecided_outcome_past_the_database(child):
    db_refuses_action(
        lambda: Contact.objects.bulk_create(
            [Contact(**contact_fields(child)), Contact(**contact_fields(child, decided_at=None))]
        ),
        "frontdoor_contact_decision_has_outcome",
    )
    assert not Contact.objects.exists()


@HYPOTHESIS
@given(
    offset=st.one_of(st.none(), st.integers(-(10**9), 10**9), st.integers(-3, 3)).map(
        lambda us: None if us is None else timedelta(microseconds=us)
    ),
    outcome=st.sampled_from(["", *csv_codes("contact_outcome")]),
)
def test_decision_accepted_exactly_when_on_or_after_receipt_and_with_an_outcome(child, offset, outcome):
    decided_at = None if offset is None else RECEIVED + offset
    fields = contact_fields(child, decided_at=decided_at, outcome=outcome)
    in_order = decided_at is None or decided_at >= RECEIVED
    paired = (decided_at is None) == (outcome == "")
    with transaction.atomic():
        if in_order and paired:
            Contact(**fields).full_clean()
            Contact.objects.create(**fields)
        else:
            with pytest.raises(ValidationError) as caught:
                Contact(**fields).full_clean()
            expected = ([] if in_order else [ORDER_MESSAGE]) + ([] if paired else [OUTCOME_MESSAGE])
            assert sorted(caught.value.message_dict[NON_FIELD_ERRORS]) == sorted(expected)
            with pytest.raises(IntegrityError) as refused, transaction.atomic():
                Contact.objects.create(**fields)
            broken = ([] if in_order else ["frontdoor_contact_decided_after_received"]) + (
                [] if paired else ["frontdoor_contact_decision_has_outcome"]
            )
            assert any(name in str(refused.value) for name in broken), str(refused.value)
        transaction.set_rollback(True)


# --------------------------------------------------------------------------- reference


def test_a_reference_is_used_once(child):
    fields = contact_fields(child, reference="CT-1")
    Contact.objects.create(**fields)
    db_refuses(Contact, fields, "frontdoor_contact_reference", "frontdoor_contact.reference")
    clean_refuses(Contact(**fields), "Contact with this Reference already exists.", "reference")


# --------------------------------------------------------------------------- code lists

CODED = [("route", "contact_route"), ("source", "referral_source"), ("outcome", "contact_outcome")]


BAD_VALUES = [
    (field, list_name, bad)
    for field, list_name in CODED
    for bad in ["ZZ", "phone", "1a", "11", "NFA ", ""]
    if bad not in csv_codes(list_name)
    and len(bad) <= Contact._meta.get_field(field).max_length
    and not (field == "outcome" and bad == "")  # a blank outcome is the undecided case, tested above
]


@pytest.mark.parametrize(("field", "list_name", "bad"), BAD_VALUES)
def test_a_code_not_in_the_list_is_refused(child, field, list_name, bad):
    fields = contact_fields(child, **{field: bad})
    refuses_bad_choice(Contact, fields, field, f"frontdoor_contact_{field}_code", code_list_error(field, list_name))


@pytest.mark.parametrize(("field", "list_name"), CODED)
def test_every_code_in_the_list_is_accepted(child, field, list_name):
    rows = [Contact(**contact_fields(child, **{field: code})) for code in csv_codes(list_name)]
    for row in rows:
        row.full_clean()
    Contact.objects.bulk_create(rows)
    assert set(csv_codes(list_name)) <= set(Contact.objects.values_list(field, flat=True))


@HYPOTHESIS
@given(
    route=st.sampled_from(csv_codes("contact_route")),
    source=st.sampled_from(csv_codes("referral_source")),
    outcome=st.sampled_from(csv_codes("contact_outcome")),
)
def test_codes_sampled_from_the_csv_are_accepted(child, route, source, outcome):
    with transaction.atomic():
        contact = Contact(**contact_fields(child, route=route, source=source, outcome=outcome))
        contact.full_clean()
        contact.save()
        transaction.set_rollback(True)


@HYPOTHESIS
@given(data=st.data())
def test_values_outside_the_csv_are_refused_by_the_database(child, data):
    field, list_name = data.draw(st.sampled_from(CODED))
    good = set(csv_codes(list_name)) | {""}
    alphabet = st.characters(codec="utf-8", exclude_characters="\x00")
    bad = data.draw(
        st.text(alphabet, min_size=1, max_size=Contact._meta.get_field(field).max_length).filter(
            lambda v: v not in good
        )
    )
    with transaction.atomic():
        db_refuses(Contact, contact_fields(child, **{field: bad}), f"frontdoor_contact_{field}_code")
        transaction.set_rollback(True)
