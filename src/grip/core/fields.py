"""Model field and constraint helpers shared by every app.

A coded field takes its values from one code list (``grip.core.codelists``), and the database
refuses anything else through a CHECK constraint generated from the same list, so a bad code is
stopped whether it arrives through a form, the API, an import or a raw bulk insert.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from grip.core.codelists import choices, codelist, codes


def coded_field(list_name: str, *, blank: bool = False, max_length: int = 8, **kwargs) -> models.CharField:
    return models.CharField(
        max_length=max_length,
        choices=choices(list_name),
        blank=blank,
        help_text=kwargs.pop("help_text", codelist(list_name).title),
        **kwargs,
    )


def in_codelist(field: str, list_name: str, *, blank: bool = False) -> models.CheckConstraint:
    """A CHECK constraint: `field` holds a code from `list_name` (or is empty when `blank`)."""
    condition = Q(**{f"{field}__in": codes(list_name)})
    if blank:
        condition |= Q(**{field: ""})
    title = codelist(list_name).title
    return models.CheckConstraint(
        condition=condition,
        name=f"%(app_label)s_%(class)s_{field}_code",
        violation_error_message=f"{field.replace('_', ' ').capitalize()} must be a code from the list “{title}”.",
    )


def dates_in_order(earlier: str, later: str, message: str) -> models.CheckConstraint:
    """A CHECK constraint: `later` is empty or on/after `earlier`."""
    return models.CheckConstraint(
        condition=Q(**{f"{later}__isnull": True}) | Q(**{f"{later}__gte": models.F(earlier)}),
        name=f"%(app_label)s_%(class)s_{later}_after_{earlier}",
        violation_error_message=message,
    )


def reason_exactly_when_ended(ended: str, reason: str, *, name: str, message: str) -> models.CheckConstraint:
    """A CHECK constraint: `reason` is filled in exactly when `ended` is (a closure and its reason)."""
    return models.CheckConstraint(
        condition=Q(**{f"{ended}__isnull": True, reason: ""}) | (Q(**{f"{ended}__isnull": False}) & ~Q(**{reason: ""})),
        name=name,
        violation_error_message=message,
    )


def validate_code_list(values: list[str], list_name: str, field: str) -> None:
    """For list-valued (JSON) coded fields, which a CHECK constraint cannot see into."""
    if not isinstance(values, list):
        raise ValidationError({field: "Must be a list of codes."})
    allowed = codelist(list_name)
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise ValidationError({field: f"Not in the list “{allowed.title}”: {', '.join(map(str, unknown))}."})
    if len(set(values)) != len(values):
        raise ValidationError({field: "A code is listed twice."})


class RecordedModel(models.Model):
    """A record of something that happened, with when it was entered into the system.

    `recorded_at` is separate from the event's own date because records are often entered
    days after the event, and timeliness reporting must be able to tell the two apart.
    """

    recorded_at = models.DateTimeField(db_default=models.functions.Now(), editable=False)

    class Meta:
        abstract = True
