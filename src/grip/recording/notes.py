"""The page for writing a case note on a child's record: the day, the kind (direct work, a phone
call, a meeting; management oversight for managers only) and the note. Opened like the child's
record (grip.access.opening), for those who may write one (RECORD_A_CASE_NOTE); the rules are in
grip.cases.services.notes. Notes appear on the child's journey (grip.cases.journey). A management
oversight note is a manager's decision on the case, so it is checked before it is recorded
(grip.recording.checking); other notes are recorded at once.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone

from grip.access.capabilities import RECORD_A_CASE_NOTE, RECORD_MANAGEMENT_OVERSIGHT
from grip.access.decorators import CHILD, access_rule
from grip.access.opening import ChildOpening, opens_child_record
from grip.cases import services
from grip.core.codelists import label
from grip.core.formatting import long_date
from grip.web.toolkit.dates import date_from, date_input_fields
from grip.web.toolkit.forms import code_choices, error_links, show_refusal
from grip.web.toolkit.pages import render_page

from .checking import CHANGE, CHECKED, Answer, step


def note_types(user) -> list[tuple[str, str]]:
    """The kinds of note `user` may write: management oversight only for a manager."""
    manager = RECORD_MANAGEMENT_OVERSIGHT.held_by(user)
    return [
        (code, text)
        for code, text in code_choices("case_note_type")
        if manager or code != services.MANAGEMENT_OVERSIGHT
    ]


class CaseNoteForm(forms.Form):
    noted_day, noted_month, noted_year = date_input_fields()
    note_type = forms.ChoiceField(
        error_messages={"required": "Select the kind of note", "invalid_choice": "Select the kind of note"}
    )
    text = forms.CharField(max_length=50_000, error_messages={"required": "Write the note"})

    def __init__(self, *args, types: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note_type"].choices = types

    def clean(self):
        data = super().clean()
        data["noted_on"] = date_from(self, "noted", "Date of the note")
        return data


FIELDS = {"noted_on": "noted_day"}
NOTE_FIELDS = ["noted_day", "noted_month", "noted_year", "note_type", "text"]


@access_rule(CHILD, roles=RECORD_A_CASE_NOTE.roles)
@opens_child_record
def note_new(request, pk: int, *, opening: ChildOpening):
    """Write a case note on the child's record."""
    child = opening.child
    types = note_types(request.user)
    today = timezone.localdate()
    form = CaseNoteForm(
        types=types, initial={"noted_day": today.day, "noted_month": today.month, "noted_year": today.year}
    )
    template = "recording/notes/note_new.html"
    if request.method == "POST":
        form = CaseNoteForm(request.POST, types=types)
        sent = step(request)
        if sent == CHANGE:
            pass  # back to the form, as typed
        elif form.is_valid() and form.cleaned_data["note_type"] == services.MANAGEMENT_OVERSIGHT and sent != CHECKED:
            template = "recording/notes/note_check.html"
        elif form.is_valid():
            data = form.cleaned_data
            try:
                note = services.case_note_record(
                    child=child,
                    note_type=data["note_type"],
                    noted_on=data["noted_on"],
                    text=data["text"],
                    manager=RECORD_MANAGEMENT_OVERSIGHT.held_by(request.user),
                    by=request.user,
                )
            except ValidationError as error:
                show_refusal(form, error, FIELDS)
            else:
                messages.success(request, f"Case note added: {label('case_note_type', note.note_type).lower()}.")
                return redirect("web:child-record", pk=child.pk)
    context = {
        "child": child,
        "form": form,
        "errors": error_links(form),
        "type_choices": types,
        "answers": _answers(form) if template.endswith("_check.html") else [],
        "fields": NOTE_FIELDS,
    }
    return render_page(request, template, context)


def _answers(form: CaseNoteForm) -> list[Answer]:
    data = form.cleaned_data
    return [
        Answer("Date", long_date(data["noted_on"]), "noted_day"),
        Answer("Kind of note", label("case_note_type", data["note_type"]), "note_type"),
        Answer("Note", data["text"], "text"),
    ]
