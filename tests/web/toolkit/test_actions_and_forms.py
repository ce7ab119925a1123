"""The one action dispatcher and the GOV.UK form helpers."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from grip.web.toolkit.actions import run_action
from grip.web.toolkit.forms import ErrorLink, error_links, error_of, show_refusal, value_of

ACTIONS = {
    "claim": lambda request, item, note="": f"claimed {item}{note}",
    "drop": lambda request, item, note="": f"dropped {item}{note}",
}


def _posted(**data):
    return RequestFactory().post("/", data)


def test_the_action_named_runs_with_the_pages_arguments():
    assert run_action(_posted(action="drop"), ACTIONS, "C-1", unknown="Choose") == "dropped C-1"
    assert run_action(_posted(action="claim"), ACTIONS, "C-2", note=" now", unknown="Choose") == "claimed C-2 now"


@pytest.mark.parametrize("data", [{}, {"action": ""}, {"action": "delete"}, {"action": "__class__"}])
def test_no_action_or_one_the_page_does_not_have_is_refused(data):
    with pytest.raises(ValidationError) as refused:
        run_action(_posted(**data), ACTIONS, "C-1", unknown="Choose what to do with this contact")
    assert refused.value.messages == ["Choose what to do with this contact"]


class _Form(forms.Form):
    outcome = forms.CharField(error_messages={"required": "Select the outcome"})
    notes = forms.CharField(required=False, initial="none yet")

    def clean(self):
        self.add_error(None, "The case changed while you were looking")
        return super().clean()


def test_error_links_go_to_each_field_and_the_whole_form_to_the_page():
    form = _Form({})
    form.is_valid()
    assert error_links(form, {"outcome": "outcome-1"}) == [
        ErrorLink("Select the outcome", "#outcome-1"),
        ErrorLink("The case changed while you were looking", "#main-content"),
    ]
    assert error_links(_Form()) == [] and error_links(None) == []


def test_a_refusal_goes_on_the_field_it_names_or_the_whole_form():
    form = _Form({"outcome": "NFA"})
    form.is_valid()
    show_refusal(form, ValidationError({"decision": "Not now", "user": "Not you"}), {"decision": "outcome"})
    assert form.errors["outcome"] == ["Not now"]
    assert "Not you" in form.errors["__all__"]


def test_what_a_field_shows():
    sent = _Form({"outcome": "", "notes": "typed"})
    assert error_of(sent, "outcome") == {"text": "Select the outcome"}
    assert error_of(sent, "notes") is None and error_of(_Form(), "outcome") is None
    assert value_of(sent, "notes") == "typed" and value_of(_Form(), "notes") == "none yet"
    assert value_of(None, "notes") == ""


def test_a_form_left_blank_shows_no_errors():
    class Blank(_Form):
        def is_blank(self):
            return True

    assert error_of(Blank({}), "outcome") is None
