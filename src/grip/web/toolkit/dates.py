"""The one GOV.UK date input (day, month and year typed into three boxes) and time input, read
with the GOV.UK Design System's error messages:

- nothing typed, when a date is needed: "Enter date of birth"
- a part missing: "Date of birth must include a month" ("... a day and a year")
- not numbers, or a day that does not exist (31 February): "Date of birth must be a real date"
- a year of fewer than 4 numbers: "Year must include 4 numbers"

A form declares the three boxes with `date_input_fields` and reads them in its `clean` with
`date_from`, which puts the message on the day box (the error summary links to it).
"""

from __future__ import annotations

import re
from datetime import date, time

from django import forms

DATE_PARTS = ("day", "month", "year")
TIME = re.compile(r"^(?P<hour>[0-9]{1,2})[:.](?P<minute>[0-9]{2})$")


def _first_lower(text: str) -> str:
    return f"{text[0].lower()}{text[1:]}"


def date_input_fields() -> tuple[forms.CharField, forms.CharField, forms.CharField]:
    """The day, month and year boxes, for a form's class body::

    held_day, held_month, held_year = date_input_fields()
    """
    return tuple(forms.CharField(required=False) for _part in DATE_PARTS)  # type: ignore[return-value]


def parse_date(data, prefix: str, what: str, *, required: bool) -> date | None:
    """The date typed into `<prefix>_day`, `<prefix>_month` and `<prefix>_year` of `data` (None if
    nothing was typed and it is not required); ValidationError with the GOV.UK message otherwise."""
    parts = {part: (data.get(f"{prefix}_{part}") or "").strip() for part in DATE_PARTS}
    if not any(parts.values()):
        if required:
            raise forms.ValidationError(f"Enter {_first_lower(what)}")
        return None
    missing = [part for part, value in parts.items() if not value]
    if missing:
        raise forms.ValidationError(f"{what} must include a {' and a '.join(missing)}")
    if not all(value.isascii() and value.isdigit() for value in parts.values()):
        raise forms.ValidationError(f"{what} must be a real date")
    day, month, year = (int(parts[part]) for part in DATE_PARTS)
    if year < 1000:
        raise forms.ValidationError("Year must include 4 numbers")
    try:
        return date(year, month, day)
    except ValueError:
        raise forms.ValidationError(f"{what} must be a real date") from None


def date_from(form: forms.Form, prefix: str, what: str, *, required: bool = True) -> date | None:
    """For a form's `clean`: the date in its `<prefix>_...` boxes (the form's own prefix added), or
    None with the GOV.UK message on `<prefix>_day` (see `form.has_error`)."""
    try:
        return parse_date(form.data, form.add_prefix(prefix), what, required=required)
    except forms.ValidationError as error:
        form.add_error(f"{prefix}_day", error)
        return None


def parse_time(value: str, what: str) -> time:
    """A time of day typed as hours and minutes ("14:30" or "9.05"); ValidationError otherwise."""
    match = TIME.match((value or "").strip())
    if not match:
        raise forms.ValidationError(f"Enter {_first_lower(what)} as hours and minutes, like 14:30")
    hour, minute = int(match["hour"]), int(match["minute"])
    if hour > 23 or minute > 59:
        raise forms.ValidationError(f"{what} must be a real time, like 14:30")
    return time(hour, minute)
