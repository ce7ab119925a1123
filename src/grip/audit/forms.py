"""The audit log search form: who, what, which child, between which days (GOV.UK date inputs)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from .verbs import VERBS

DATE_PARTS = ("day", "month", "year")


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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for prefix in ("from", "to"):
            for part in DATE_PARTS:
                self.fields[f"{prefix}_{part}"] = forms.CharField(required=False, max_length=4)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for prefix, name in (("from", "From"), ("to", "To")):
            cleaned[f"date_{prefix}"] = self._date(prefix, name, cleaned)
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("to_day", "‘To’ date must be the same as or after the ‘From’ date")
        return cleaned

    def _date(self, prefix: str, name: str, cleaned: dict[str, Any]) -> date | None:
        parts = [(cleaned.get(f"{prefix}_{part}") or "").strip() for part in DATE_PARTS]
        if not any(parts):
            return None
        try:
            day, month, year = (int(p) for p in parts)
            if year >= 1000:  # a two-digit year is ambiguous
                return date(year, month, day)
        except ValueError:
            pass
        self.add_error(f"{prefix}_day", f"‘{name}’ date must be a real date, like 27 3 2025")
        return None

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
