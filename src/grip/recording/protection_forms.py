"""The forms of the child protection pages (grip.recording.protection): a section 47 enquiry's
outcome, an initial or review conference, and a core group meeting. Each keeps what was typed, and
says what is missing in the GOV.UK words; the rules of the record (dates in order, one plan) are the
services' (grip.cases.services.protection), put back on the form by the page.
"""

from __future__ import annotations

from django import forms

from grip.cases.models.protection import CONTINUES, ENDS, INITIAL_OUTCOMES, MAKES_A_PLAN, REVIEW_OUTCOMES
from grip.core.codelists import label
from grip.core.formatting import long_date
from grip.web.toolkit.dates import date_from, date_input_fields
from grip.web.toolkit.forms import code_choices


def outcome_choices(codes: list[str]) -> list[tuple[str, str]]:
    return [(code, label("conference_outcome", code)) for code in codes]


def _labels(list_name: str, codes: list[str]) -> str:
    return ", ".join(label(list_name, code) for code in codes)


class Section47OutcomeForm(forms.Form):
    completed_day, completed_month, completed_year = date_input_fields()
    outcome = forms.ChoiceField(
        choices=lambda: code_choices("s47_outcome"),
        error_messages={"required": "Select the outcome of the enquiry", "invalid_choice": "Select from the list"},
    )

    def clean(self):
        data = super().clean()
        data["completed_on"] = date_from(self, "completed", "Date the enquiry was completed")
        return data

    def answers(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [
            ("Date the enquiry was completed", long_date(data["completed_on"])),
            ("Outcome", label("s47_outcome", data["outcome"])),
        ]


class _AttendanceForm(forms.Form):
    attended_by = forms.MultipleChoiceField(
        choices=lambda: code_choices("conference_attendee"),
        error_messages={"required": "Select who attended", "invalid_choice": "Select from the list"},
    )
    attendee_names = forms.CharField(required=False, max_length=5_000)

    def attendance(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        rows = [("Who attended", _labels("conference_attendee", data["attended_by"]))]
        if data.get("attendee_names", "").strip():
            rows.append(("Names and roles", data["attendee_names"].strip()))
        return rows


class _ConferenceForm(_AttendanceForm):
    held_day, held_month, held_year = date_input_fields()
    chair = forms.CharField(
        max_length=200, error_messages={"required": "Enter the name of the person who chaired the conference"}
    )
    participation = forms.ChoiceField(
        choices=lambda: code_choices("conference_participation"),
        error_messages={"required": "Select how the child took part", "invalid_choice": "Select from the list"},
    )
    category = forms.ChoiceField(
        required=False,
        choices=lambda: [("", "")] + code_choices("category_of_abuse"),
        error_messages={"invalid_choice": "Select from the list"},
    )

    def clean(self):
        data = super().clean()
        data["held_on"] = date_from(self, "held", "Date of the conference")
        return data

    def _common(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [
            ("Date of the conference", long_date(data["held_on"])),
            ("Chair", data["chair"]),
            *self.attendance(),
            ("The child’s participation", label("conference_participation", data["participation"])),
        ]


class InitialConferenceForm(_ConferenceForm):
    outcome = forms.ChoiceField(
        choices=lambda: outcome_choices(INITIAL_OUTCOMES),
        error_messages={
            "required": "Select whether the child is to have a child protection plan",
            "invalid_choice": "Select from the list",
        },
    )

    def clean(self):
        data = super().clean()
        if data.get("outcome") == MAKES_A_PLAN and not data.get("category"):
            self.add_error("category", "Select the category of abuse of the plan")
        return data

    def answers(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        rows = [*self._common(), ("Outcome", label("conference_outcome", data["outcome"]))]
        if data["outcome"] == MAKES_A_PLAN:
            rows.append(("Category of abuse", label("category_of_abuse", data["category"])))
        return rows


class ReviewConferenceForm(_ConferenceForm):
    outcome = forms.ChoiceField(
        choices=lambda: outcome_choices(REVIEW_OUTCOMES),
        error_messages={
            "required": "Select whether the plan continues or ends",
            "invalid_choice": "Select from the list",
        },
    )
    end_reason = forms.ChoiceField(
        required=False,
        choices=lambda: [("", "")] + code_choices("cp_plan_end_reason"),
        error_messages={"invalid_choice": "Select from the list"},
    )

    def clean(self):
        data = super().clean()
        if data.get("outcome") == ENDS and not data.get("end_reason"):
            self.add_error("end_reason", "Select why the plan ends")
        return data

    def answers(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        rows = [*self._common(), ("Outcome", label("conference_outcome", data["outcome"]))]
        if data["outcome"] == CONTINUES:
            latest = label("category_of_abuse", data["category"]) if data["category"] else "Unchanged"
            rows.append(("Latest category of abuse", latest))
        else:
            rows.append(("Why the plan ends", label("cp_plan_end_reason", data["end_reason"])))
        return rows


class CoreGroupForm(_AttendanceForm):
    held_day, held_month, held_year = date_input_fields()

    def clean(self):
        data = super().clean()
        data["held_on"] = date_from(self, "held", "Date of the meeting")
        return data
