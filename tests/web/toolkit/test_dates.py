"""The one GOV.UK date input: the messages are the GOV.UK Design System's date input guidance
(https://design-system.service.gov.uk/components/date-input/), written out here by hand."""

from datetime import date, time

import pytest
from django import forms

from grip.web.toolkit.dates import date_from, date_input_fields, parse_date, parse_time


def _typed(day="", month="", year="", prefix="born"):
    return {f"{prefix}_day": day, f"{prefix}_month": month, f"{prefix}_year": year}


def _refusal(data, *, required=True) -> str:
    with pytest.raises(forms.ValidationError) as refused:
        parse_date(data, "born", "Date of birth", required=required)
    return refused.value.messages[0]


def test_a_real_date_is_read_with_spaces_and_leading_zeros_allowed():
    assert parse_date(_typed(" 07", "03 ", "2026"), "born", "Date of birth", required=True) == date(2026, 3, 7)
    assert parse_date(_typed("29", "2", "2024"), "born", "Date of birth", required=True) == date(2024, 2, 29)


def test_nothing_typed_asks_for_the_date_only_when_it_is_needed():
    assert _refusal(_typed()) == "Enter date of birth"
    assert parse_date(_typed(), "born", "Date of birth", required=False) is None


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (_typed("", "3", "2026"), "Date of birth must include a day"),
        (_typed("7", "", "2026"), "Date of birth must include a month"),
        (_typed("7", "3", ""), "Date of birth must include a year"),
        (_typed("7", "", ""), "Date of birth must include a month and a year"),
    ],
)
def test_a_missing_part_is_named(typed, message):
    assert _refusal(typed, required=False) == message


@pytest.mark.parametrize(
    "typed",
    [
        _typed("31", "2", "2026"),  # no 31 February
        _typed("29", "2", "2025"),  # not a leap year
        _typed("1", "13", "2026"),
        _typed("0", "3", "2026"),
        _typed("x", "3", "2026"),
        _typed("1.5", "3", "2026"),
        _typed("-1", "3", "2026"),
        _typed("1_0", "3", "2026"),  # Python's int() would read it as 10
        _typed("٣", "3", "2026"),  # an Arabic-Indic digit: a digit, but not one of 0 to 9
    ],
)
def test_an_impossible_date_or_not_numbers_must_be_a_real_date(typed):
    assert _refusal(typed) == "Date of birth must be a real date"


def test_a_year_of_fewer_than_four_numbers_is_refused():
    assert _refusal(_typed("7", "3", "26")) == "Year must include 4 numbers"


class _Form(forms.Form):
    born_day, born_month, born_year = date_input_fields()

    def clean(self):
        data = super().clean()
        data["born"] = date_from(self, "born", "Date of birth")
        return data


def test_a_form_puts_the_message_on_the_day_box_and_reads_its_own_prefix():
    form = _Form({"child2-born_day": "31", "child2-born_month": "2", "child2-born_year": "2026"}, prefix="child2")
    assert not form.is_valid()
    assert form.errors == {"born_day": ["Date of birth must be a real date"]}

    form = _Form({"child2-born_day": "7", "child2-born_month": "3", "child2-born_year": "2026"}, prefix="child2")
    assert form.is_valid() and form.cleaned_data["born"] == date(2026, 3, 7)


@pytest.mark.parametrize(("typed", "expected"), [("14:30", time(14, 30)), ("9.05", time(9, 5)), (" 0:00 ", time(0))])
def test_a_time_is_hours_and_minutes(typed, expected):
    assert parse_time(typed, "Time held") == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter time held as hours and minutes, like 14:30"),
        ("2pm", "Enter time held as hours and minutes, like 14:30"),
        ("24:00", "Time held must be a real time, like 14:30"),
        ("12:60", "Time held must be a real time, like 14:30"),
    ],
)
def test_a_time_that_is_not_one_is_refused(typed, message):
    with pytest.raises(forms.ValidationError) as refused:
        parse_time(typed, "Time held")
    assert refused.value.messages == [message]
