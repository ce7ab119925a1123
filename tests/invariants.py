"""Helpers shared by the invariant tests (``grip/*/tests/test_invariants*.py``).

Each helper asserts one way bad data is refused: by the DATABASE, with the ORM's validation
bypassed (``IntegrityError`` naming the constraint, so a test cannot pass on some unrelated
failure), or by ``full_clean()`` and a constraint's plain-English ``violation_error_message``.

Code lists are read straight from the CSV files in ``grip/reference/codelists`` (not through
``grip.core.codelists``), so the tests also catch a CHECK constraint left stale by a list change.
For tests only: it imports pytest and Hypothesis.
"""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, connection, models, transaction
from hypothesis import HealthCheck, settings

CODELISTS = Path(__file__).resolve().parents[1] / "src" / "grip" / "reference" / "codelists"

# Property tests use function-scoped database fixtures, and each example touches the database.
HYPOTHESIS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _index() -> dict[str, dict]:
    """The code-list index (``index.toml``): each list's file, title and source."""
    with open(CODELISTS / "index.toml", "rb") as fh:
        return tomllib.load(fh)


def csv_codes(list_name: str) -> list[str]:
    """The codes of a code list, in file order, read from its CSV file."""
    with open(CODELISTS / _index()[list_name]["file"], newline="", encoding="utf-8") as fh:
        return [row["code"] for row in csv.DictReader(fh)]


def list_title(list_name: str) -> str:
    """A code list's title, as its CHECK constraint's message quotes it."""
    return _index()[list_name]["title"]


def choice_error(value: str) -> str:
    """What ``full_clean()`` says of a value not among a field's choices (a blank one is missing)."""
    return "This field cannot be blank." if value == "" else f"Value {value!r} is not a valid choice."


def code_list_error(field: str, list_name: str) -> str:
    """The message of the CHECK constraint that keeps ``field`` to the codes of ``list_name``."""
    return f"{field.replace('_', ' ').capitalize()} must be a code from the list “{list_title(list_name)}”."


def names_constraint(error: IntegrityError, constraint: str, sqlite_unique: str | None = None) -> None:
    """The database error is this constraint's (SQLite names a unique index's columns, not it)."""
    text = str(error)
    expected = sqlite_unique if (sqlite_unique and connection.vendor == "sqlite") else constraint
    assert expected in text, f"expected {expected!r} in database error {text!r}"


def db_refuses_action(action: Callable[[], object], constraint: str, sqlite_unique: str | None = None) -> None:
    """The database refuses what ``action`` writes (create, bulk_create, update, save) with this constraint."""
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        action()
    names_constraint(caught.value, constraint, sqlite_unique)


def db_refuses(model: type[models.Model], fields: dict, constraint: str, sqlite_unique: str | None = None) -> None:
    """The database refuses ``model.objects.create(**fields)`` with this constraint."""
    db_refuses_action(lambda: model.objects.create(**fields), constraint, sqlite_unique)


def clean_refuses(instance: models.Model, message: str, field: str = NON_FIELD_ERRORS) -> None:
    """``instance.full_clean()`` raises ``ValidationError`` with ``message`` among ``field``'s errors."""
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    errors = caught.value.message_dict
    assert message in errors.get(field, []), errors


def constraint_named(model: type[models.Model], name: str) -> models.BaseConstraint:
    """The constraint called ``name`` in the model's ``Meta.constraints``."""
    return next(c for c in model._meta.constraints if c.name == name)


def constraint_refuses(instance: models.Model, constraint: str, message: str) -> None:
    """The constraint, validated on its own, refuses ``instance`` with exactly ``message``."""
    model = type(instance)
    with pytest.raises(ValidationError) as caught:
        constraint_named(model, constraint).validate(model, instance)
    assert caught.value.messages == [message], caught.value.messages


def refuses_bad_choice(model: type[models.Model], fields: dict, field: str, constraint: str, message: str) -> None:
    """A value of ``field`` outside its choices is refused three ways.

    The database refuses the row with ``constraint``, ``full_clean()`` refuses the value as not a
    choice (or blank), and ``constraint`` on its own refuses it with ``message``.
    """
    db_refuses(model, fields, constraint)
    clean_refuses(model(**fields), choice_error(fields[field]), field)
    constraint_refuses(model(**fields), constraint, message)
