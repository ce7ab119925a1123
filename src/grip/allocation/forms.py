"""Forms of the allocation page: what a manager types, checked before any service is called."""

from __future__ import annotations

from django import forms

from grip.allocation.services import MINIMUM_NOTE_LENGTH
from grip.workforce.models import Team


class _Form(forms.Form):
    def errors_as_messages(self) -> dict[str, list[str]]:
        return {name: [str(m) for m in errors] for name, errors in self.errors.items()}


class AllocateForm(_Form):
    worker = forms.TypedChoiceField(
        coerce=int,
        error_messages={
            "required": "Choose a worker.",
            "invalid_choice": "Choose a worker from your teams who is in post and not away.",
        },
    )
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, worker_ids: set[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].choices = [(pk, pk) for pk in sorted(worker_ids)]


class TransferForm(_Form):
    to_team = forms.ModelChoiceField(
        queryset=Team.objects.all(),
        error_messages={"required": "Choose the team to transfer to.", "invalid_choice": "Choose one of the teams."},
    )
    handover_note = forms.CharField(
        min_length=MINIMUM_NOTE_LENGTH,
        error_messages={
            "required": "Write a handover note for the receiving team.",
            "min_length": f"Write a handover note of at least {MINIMUM_NOTE_LENGTH} characters.",
        },
    )


class DeclineForm(_Form):
    reason = forms.CharField(
        min_length=MINIMUM_NOTE_LENGTH,
        error_messages={
            "required": "Say why the transfer is declined.",
            "min_length": f"Say why, in at least {MINIMUM_NOTE_LENGTH} characters.",
        },
    )


class EndForm(_Form):
    reason = forms.CharField(
        min_length=5,
        max_length=200,
        error_messages={"required": "Say why the allocation ends.", "min_length": "Say why the allocation ends."},
    )
