"""Case notes: a dated, typed note on a child's record (code list case_note_type: direct work, a
phone call, a meeting, management oversight). A management oversight note is a manager's alone:
the page says whether the writer is one (grip.access.capabilities.RECORD_MANAGEMENT_OVERSIGHT),
since who holds which role is known above cases.

The audit entry, written in the same transaction, names the kind and the day, never the note.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from grip.audit import services as audit
from grip.cases.models import CaseNote
from grip.core.codelists import codelist
from grip.people.models import Person

from .checks import not_in_future

MANAGEMENT_OVERSIGHT = "MO"  # case_note_type
MIN_NOTE = 10  # characters: a note in words


@transaction.atomic(durable=True)
def case_note_record(*, child: Person, note_type: str, noted_on: date, text: str, manager: bool, by) -> CaseNote:
    """Write a case note on `child`'s record in the name of `by` (`manager`: whether they may write
    management oversight). Refused: a kind not in the list; management oversight by someone who is
    not a manager; a date in the future or before the child was born; a note of a few letters."""
    child = Person.objects.select_for_update().get(pk=child.pk)
    if note_type not in codelist("case_note_type"):
        raise ValidationError({"note_type": "Select the kind of note."})
    if note_type == MANAGEMENT_OVERSIGHT and not manager:
        raise ValidationError({"note_type": "Only a manager can write a management oversight note."})
    not_in_future(noted_on, "noted_on", "The date of the note")
    if child.date_of_birth and noted_on < child.date_of_birth:
        raise ValidationError({"noted_on": "The date of the note cannot be before the child was born."})
    text = text.strip()
    if len(text) < MIN_NOTE:
        raise ValidationError({"text": "Write the note: what happened, and what was agreed."})
    note = CaseNote(child=child, note_type=note_type, noted_on=noted_on, text=text, recorded_by=by)
    note.full_clean()
    note.save()
    audit.record(
        actor=by,
        verb="case_note_recorded",
        target=note,
        child=child,
        payload={"note_type": note_type, "noted_on": noted_on.isoformat()},
    )
    return note
