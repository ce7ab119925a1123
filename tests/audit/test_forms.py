"""The audit log search form: its filters, and the GOV.UK-worded errors for bad dates."""

from __future__ import annotations

import datetime as dt

import pytest

from grip.access.audit_forms import AuditLogSearchForm


def test_an_empty_search_filters_nothing():
    form = AuditLogSearchForm({})

    assert form.is_valid()
    assert form.filters() == {
        "actor_username": None,
        "verb": None,
        "child_id": None,
        "date_from": None,
        "date_to": None,
        "page": 1,
    }


def test_every_filter_is_passed_on():
    form = AuditLogSearchForm(
        {
            "username": "sw1",
            "verb": "viewed",
            "child_id": "42",
            "page": "3",
            **{"from_day": "1", "from_month": "3", "from_year": "2025"},
            **{"to_day": "31", "to_month": "3", "to_year": "2025"},
        }
    )

    assert form.is_valid(), form.errors
    assert form.filters() == {
        "actor_username": "sw1",
        "verb": "viewed",
        "child_id": 42,
        "date_from": dt.date(2025, 3, 1),
        "date_to": dt.date(2025, 3, 31),
        "page": 3,
    }


@pytest.mark.parametrize(
    "day, month, year, message",  # the GOV.UK Design System's date input error messages
    [
        ("31", "2", "2025", "‘From’ date must be a real date"),
        ("1", "", "2025", "‘From’ date must include a month"),
        ("x", "3", "2025", "‘From’ date must be a real date"),
        ("1", "3", "25", "Year must include 4 numbers"),
    ],
)
def test_a_date_that_is_not_real_is_refused(day, month, year, message):
    form = AuditLogSearchForm({"from_day": day, "from_month": month, "from_year": year})

    assert not form.is_valid()
    assert form.errors["from_day"] == [message]


def test_to_must_not_be_before_from():
    dates = {"from_day": "2", "from_month": "3", "from_year": "2025", "to_day": "1", "to_month": "3", "to_year": "2025"}
    form = AuditLogSearchForm(dates)

    assert not form.is_valid()
    assert "to_day" in form.errors


@pytest.mark.parametrize("field, value", [("child_id", "abc"), ("child_id", "0"), ("verb", "deleted"), ("page", "-1")])
def test_other_bad_values_are_refused(field, value):
    assert not AuditLogSearchForm({field: value}).is_valid()
