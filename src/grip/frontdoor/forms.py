"""The front door's forms: a contact report (staff or partner), and the actions on a contact.

Forms only check and tidy what was typed; the services decide what may happen. Field labels and
choices come from the code lists (grip.core.codelists), never from literals here.

Dates and times are the page toolkit's GOV.UK date and time inputs (grip.web.toolkit.dates), with
the GOV.UK Design System's error messages ("... must include a month", "... must be a real date").
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from django import forms
from django.utils import timezone

from grip.frontdoor.named import NamedChild
from grip.people.models import nhs_number_is_valid
from grip.web.toolkit.dates import date_from, date_input_fields, parse_time
from grip.web.toolkit.forms import ErrorLink, code_choices

MAX_CHILDREN = 6  # child fieldsets on the form; a report about more children is split in two
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
UNBORN_LATEST = timedelta(days=300)  # an expected date of birth further ahead than this is a typo
# The page asks when, how and who first, then about the children, then the concerns: the error
# summary lists problems in that order.
FIELDS_BEFORE_CHILDREN = {
    "received_day",
    "received_time",
    "route",
    "source",
    "reporter_name",
    "reporter_role",
    "reporter_organisation",
    "reporter_phone",
    "reporter_email",
}


def _text(label: str, *, required: bool = True, max_length: int = 120, missing: str = "", **kwargs) -> forms.CharField:
    messages = {
        "required": missing or f"Enter {label[0].lower()}{label[1:]}",
        "max_length": f"{label} must be {max_length} characters or fewer",
    }
    return forms.CharField(label=label, required=required, max_length=max_length, error_messages=messages, **kwargs)


def _choice(name: str, label: str, *, missing: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=code_choices(name), error_messages={"required": missing, "invalid_choice": missing}
    )


class ReportForm(forms.Form):
    """What a partner agency tells the front door (the staff form adds when and how it arrived)."""

    reporter_name = _text("Name of the person reporting", missing="Enter the name of the person reporting")
    reporter_role = _text("Their role", required=False)
    reporter_organisation = _text("Their organisation", required=False)
    reporter_phone = _text("Telephone number", required=False, max_length=40)
    reporter_email = forms.EmailField(
        label="Email address",
        required=False,
        max_length=254,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    concerns = _text("What you are worried about", max_length=20_000, missing="Enter what you are worried about")
    concern_categories = forms.MultipleChoiceField(
        label="Kinds of concern",
        required=False,
        choices=code_choices("concern_category"),
        error_messages={"invalid_choice": "Choose kinds of concern from the list"},
    )
    consent = _choice("consent", "Consent", missing="Select whether the family consents to the contact")
    urgency = _choice("urgency", "How urgent is it", missing="Select how urgent it is")

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            key: data[key]
            for key in (
                "reporter_name",
                "reporter_role",
                "reporter_organisation",
                "reporter_phone",
                "reporter_email",
                "concerns",
                "concern_categories",
                "consent",
                "urgency",
            )
        }


class StaffReportForm(ReportForm):
    """A contact recorded by front door staff: also when it arrived, how, and from whom."""

    received_day, received_month, received_year = date_input_fields()
    received_time = forms.CharField(required=False)
    route = _choice("contact_route", "How the contact was made", missing="Select how the contact was made")
    source = forms.ChoiceField(
        label="Referral source",
        choices=code_choices("referral_source", blank="Choose the referral source"),
        error_messages={"required": "Select the referral source", "invalid_choice": "Select the referral source"},
    )
    field_order = ["received_day", "received_month", "received_year", "received_time", "route", "source"]

    def clean(self):
        data = super().clean()
        day = date_from(self, "received", "Date received")
        if day is None:
            return data
        try:
            at = parse_time(self.data.get("received_time", ""), "Time received")
        except forms.ValidationError as error:
            self.add_error("received_time", error)
            return data
        received = timezone.make_aware(datetime.combine(day, at))
        if received > timezone.now() + timedelta(minutes=5):
            self.add_error("received_day", "Date and time received must be now or in the past")
        data["received_at"] = received
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            **super().service_arguments(),
            "received_at": data["received_at"],
            "route": data["route"],
            "source": data["source"],
        }


class ChildForm(forms.Form):
    """One child named in the report. A fieldset left blank is ignored."""

    first_name = _text("First name", required=False, max_length=100)
    last_name = _text("Last name", required=False, max_length=100)
    born_day, born_month, born_year = date_input_fields()
    unborn = forms.BooleanField(required=False, label="Not born yet: the date is the expected date of birth")
    sex = forms.ChoiceField(label="Sex", required=False, choices=code_choices("sex", blank="Not known"))
    nhs_number = _text("NHS number", required=False, max_length=12)
    address = _text("Address", required=False, max_length=200)
    postcode = _text("Postcode", required=False, max_length=10)

    def is_blank(self) -> bool:
        return not any((self.data.get(self.add_prefix(name)) or "").strip() for name in self.fields if name != "sex")

    def clean(self):
        data = super().clean()
        if not data.get("first_name"):
            self.add_error("first_name", "Enter the child’s first name, or ‘Unborn’ for an unborn baby")
        if not data.get("last_name"):
            self.add_error("last_name", "Enter the child’s last name")
        what = "Expected date of birth" if data.get("unborn") else "Date of birth"
        born = date_from(self, "born", what, required=False)
        today = timezone.localdate()
        if born and data.get("unborn") and not today - timedelta(days=30) <= born <= today + UNBORN_LATEST:
            self.add_error("born_day", "Expected date of birth must be within the next 10 months")
        elif born and not data.get("unborn") and born > today:
            self.add_error(
                "born_day", "Date of birth must be today or in the past (tick ‘Not born yet’ for an unborn baby)"
            )
        elif born and born.year < today.year - 25:
            self.add_error("born_day", "Date of birth must be within the last 25 years")
        nhs = re.sub(r"\s", "", data.get("nhs_number") or "")
        if nhs and not nhs_number_is_valid(nhs):
            self.add_error("nhs_number", "NHS number must be 10 digits, like 943 476 5919")
        postcode = re.sub(r"\s+", " ", (data.get("postcode") or "").strip().upper())
        if postcode and not POSTCODE.match(postcode):
            self.add_error("postcode", "Enter a real postcode, like B1 1BB")
        data.update(born=born, nhs_number=nhs, postcode=postcode)
        return data

    def named_child(self) -> NamedChild:
        data = self.cleaned_data
        unborn = bool(data.get("unborn"))
        return NamedChild(
            first_name=data["first_name"],
            last_name=data["last_name"],
            date_of_birth=None if unborn else data["born"],
            expected_date_of_birth=data["born"] if unborn else None,
            sex=data.get("sex") or "",
            nhs_number=data["nhs_number"],
            address=data.get("address") or "",
            postcode=data["postcode"],
        )


class ContactReportForms:
    """The report form and its child fieldsets, checked together.

    `errors` lists every problem in page order for the error summary, each linking to its field."""

    def __init__(self, data=None, *, staff: bool, initial: dict | None = None):
        form_class = StaffReportForm if staff else ReportForm
        self.report = form_class(data, initial=initial or {})
        self.children = [ChildForm(data, prefix=f"child{i}") for i in range(MAX_CHILDREN)]
        self.bound = data is not None
        self.non_field_errors: list[str] = []

    def is_valid(self) -> bool:
        valid = self.report.is_valid()
        named = [form for form in self.children if not form.is_blank()]
        for form in named:
            valid = form.is_valid() and valid
        if not named:
            self.non_field_errors.append("Name at least one child")
            valid = False
        return valid

    def named_children(self) -> list[NamedChild]:
        return [form.named_child() for form in self.children if not form.is_blank()]

    def add_error(self, message: str) -> None:
        self.non_field_errors.append(message)

    @property
    def errors(self) -> list[ErrorLink]:
        if not self.bound:
            return []
        report = _links(self.report)
        before = [link for link in report if link.href.removeprefix("#") in FIELDS_BEFORE_CHILDREN]
        links = before + [ErrorLink(message, "#child0-first_name") for message in self.non_field_errors]
        for form in self.children:
            if form.is_bound and not form.is_blank():
                links += _links(form)
        return links + [link for link in report if link not in before]


def _links(form: forms.Form) -> list[ErrorLink]:
    """Error summary links for one form, in the order its fields are on the page."""
    links = []
    order = list(form.fields)
    for name, messages in sorted(
        form.errors.items(), key=lambda item: order.index(item[0]) if item[0] in order else -1
    ):
        anchor = form.add_prefix(name) if name != "__all__" else form.add_prefix(next(iter(form.fields)))
        links += [ErrorLink(str(message), f"#{anchor}") for message in messages]
    return links


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Decision",
        choices=code_choices("contact_outcome"),
        error_messages={"required": "Select the decision", "invalid_choice": "Select the decision"},
    )
    rationale = forms.CharField(
        label="Reasons for the decision",
        max_length=20_000,
        error_messages={"required": "Give the reasons for the decision"},
    )


class MashCheckRequestForm(forms.Form):
    agency = forms.ChoiceField(
        label="Agency",
        choices=code_choices("mash_agency"),
        error_messages={"required": "Select the agency to ask", "invalid_choice": "Select the agency to ask"},
    )
    question = forms.CharField(label="What you are asking", required=False, max_length=5_000)


class MashCheckAnswerForm(forms.Form):
    check = forms.IntegerField(widget=forms.HiddenInput, error_messages={"required": "Choose the check to answer"})
    response = forms.CharField(
        label="What the agency said",
        max_length=20_000,
        error_messages={"required": "Record what the agency said"},
    )


class MatchForm(forms.Form):
    child = forms.IntegerField(error_messages={"required": "Choose the child", "invalid": "Choose the child"})
