"""Forms of the system administrator's access pages. They turn what was typed into users, children
and dates, with a specific message for each mistake; the services decide the rest."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from grip.access.models import AccessException
from grip.access.roles import Role
from grip.people.models import Person
from grip.web.toolkit.dates import date_from, date_input_fields


def user_named(username: str):
    user = get_user_model().objects.select_related("worker").filter(username=username.strip()).first()
    if user is None:
        raise ValidationError(f"No one has the username {username.strip()}")
    return user


def child_numbered(number: int) -> Person:
    child = Person.objects.filter(pk=number, la_child_id__isnull=False).select_related("restriction").first()
    if child is None:
        raise ValidationError(f"No child has the record number {number}")
    return child


def _username_field():
    return forms.CharField(max_length=150, error_messages={"required": "Enter the person’s username"})


def _child_field():
    return forms.IntegerField(
        min_value=1,
        error_messages={
            "required": "Enter the child’s record number",
            "invalid": "Enter the child’s record number as a whole number, like 1042",
            "min_value": "Enter the child’s record number as a whole number, like 1042",
        },
    )


class RoleForm(forms.Form):
    username = _username_field()
    role = forms.ChoiceField(
        choices=Role.choices,
        error_messages={"required": "Choose the role", "invalid_choice": "Choose one of Grip’s roles"},
    )

    def clean_username(self):
        return user_named(self.cleaned_data["username"])


class RestrictForm(forms.Form):
    child = _child_field()
    reason = forms.CharField(max_length=300, required=False)
    named_users = forms.CharField(max_length=2000, required=False)

    def clean_child(self):
        return child_numbered(self.cleaned_data["child"])

    def clean_named_users(self):
        names = [n for n in re.split(r"[\s,]+", self.cleaned_data["named_users"]) if n]
        users, unknown = [], []
        for name in names:
            try:
                users.append(user_named(name))
            except ValidationError:
                unknown.append(name)
        if unknown:
            raise ValidationError(f"No one has the username {', '.join(unknown)}")
        return users


class UnrestrictForm(forms.Form):
    child = _child_field()

    def clean_child(self):
        return child_numbered(self.cleaned_data["child"])


class ExceptionForm(forms.Form):
    username = _username_field()
    child = _child_field()
    expires_day, expires_month, expires_year = date_input_fields()
    reason = forms.CharField(max_length=300, required=False)

    def clean_username(self):
        return user_named(self.cleaned_data["username"])

    def clean_child(self):
        child = child_numbered(self.cleaned_data["child"])
        if not hasattr(child, "restriction"):
            raise ValidationError(f"Record {child.pk} is not restricted: it needs no exception")
        return child

    def clean(self):
        cleaned = super().clean()
        last_day = date_from(self, "expires", "The last day of the exception")
        if last_day is None:
            return cleaned
        # The exception lasts to the end of its last day.
        cleaned["expires_at"] = timezone.make_aware(datetime.combine(last_day + timedelta(days=1), datetime.min.time()))
        return cleaned


class ExceptionRevokeForm(forms.Form):
    username = _username_field()
    child = _child_field()

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            user, child = user_named(cleaned["username"]), child_numbered(cleaned["child"])
        except ValidationError as error:
            self.add_error("username", error)
            return cleaned
        current = AccessException.objects.filter(
            restriction__child=child, user=user, expires_at__gt=timezone.now()
        ).first()
        if current is None:
            self.add_error("username", f"{user.username} has no current exception for record {child.pk}")
        cleaned["exception"] = current
        return cleaned
