"""GOV.UK form helpers shared by every app's pages: choices from the code lists, what a field shows
and its error message, the error summary's links, and a service's refusal put back on the form.

Templates reach `error_of` and `value_of` as globals of the Jinja environment (grip.web.jinja).
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError

from grip.core.codelists import codelist

WHOLE_PAGE = "#main-content"  # where an error about the whole form links to


@dataclass(frozen=True)
class ErrorLink:
    """One entry of the GOV.UK error summary: the message and the field it links to."""

    text: str
    href: str


def code_choices(name: str, *, blank: str | None = None) -> list[tuple[str, str]]:
    """(code, label) pairs from a code list, for radios, checkboxes and selects."""
    pairs = list(codelist(name).codes.items())
    return [("", blank), *pairs] if blank is not None else pairs


def error_links(form: forms.Form | None, anchors: dict[str, str] | None = None) -> list[ErrorLink]:
    """The error summary's links for a form's errors, in the order they were found: each to its
    field's id (`anchors` names the ids that differ from the field's name), an error about the
    whole form to the page's main content. None for a form not yet sent."""
    if form is None or not form.is_bound:
        return []
    anchors = anchors or {}
    return [
        ErrorLink(str(message), WHOLE_PAGE if name == "__all__" else f"#{anchors.get(name, name)}")
        for name, messages in form.errors.items()
        for message in messages
    ]


def show_refusal(form: forms.Form, refusal: ValidationError, fields: dict[str, str] | None = None) -> None:
    """A service's refusal on the form: each message on the field it names (`fields` maps the
    service's names to the form's where they differ), otherwise as an error of the whole form."""
    named = refusal.message_dict if hasattr(refusal, "error_dict") else {None: refusal.messages}
    for name, messages in named.items():
        field = (fields or {}).get(name, name) if name is not None else None
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


def error_of(form: forms.Form | None, name: str) -> dict | None:
    """The GOV.UK `errorMessage` of a field, or None. A form that says it was left blank (a child
    fieldset nobody filled in: `is_blank()`) has no errors to show."""
    if form is None or not form.is_bound:
        return None
    is_blank = getattr(form, "is_blank", None)
    if callable(is_blank) and is_blank():
        return None
    messages = form.errors.get(name)
    return {"text": " ".join(str(m) for m in messages)} if messages else None


def value_of(form: forms.Form | None, name: str):
    """What the field shows: what was typed (after an error), or its initial value."""
    if form is None:
        return ""
    value = form[name].value()
    return "" if value is None else value
