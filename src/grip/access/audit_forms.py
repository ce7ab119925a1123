"""The audit log search form: who, what, which child, between which days (the page toolkit's GOV.UK
date inputs, grip.web.toolkit.dates)."""

from __future__ import annotations

from typing import Any

from django import forms

from grip.audit.verbs import VERBS
from grip.web.toolkit.dates import date_from, date_input_fields


class AuditLogSearchForm(forms.Form):
    username = forms.CharField(required=False, max_length=150, label="Username")
    verb = forms.ChoiceField(required=False, label="Action", choices=[("", "Any action"), *VERBS.items()])
    child_id = forms.IntegerField(
        required=False,
        min_value=1,
        label="Child’s Grip record number",
        error_messages={"invalid": "Enter the child’s record number as a whole number, like 1042"},
    )
    page = forms.IntegerField(required=False, min_value=1)

    from_day, from_month, from_year = date_input_fields()
    to_day, to_month, to_year = date_input_fields()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for prefix, name in (("from", "‘From’ date"), ("to", "‘To’ date")):
            cleaned[f"date_{prefix}"] = date_from(self, prefix, name, required=False)
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("to_day", "‘To’ date must be the same as or after the ‘From’ date")
        return cleaned

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for grip.audit.selectors.search_audit_log (call after is_valid)."""
        data = self.cleaned_data
        return {
            "actor_username": data.get("username") or None,
            "verb": data.get("verb") or None,
            "child_id": data.get("child_id"),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "page": data.get("page") or 1,
        }
