"""Who recorded what, and when, for the lists of earlier records the recording pages show: the
event's own date beside the time it was entered (`recorded_at`) and who entered it (the audit
entry the service wrote), so late recording is plain to see. Records made before Grip recorded
them through its pages (the seed, a migration) have no such entry: they show the time only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import models

from grip.audit.models import AuditEntry
from grip.people.models import Person


@dataclass(frozen=True)
class Recorded:
    row: models.Model
    recorded_at: datetime
    recorded_by: str  # "" when no page recorded it


def recorded(rows: Iterable[models.Model], *, child: Person, verbs: Iterable[str]) -> list[Recorded]:
    """`rows` (records of `child`) each with who recorded it by one of `verbs`: one query, on the
    audit log's index of the child's entries."""
    rows = list(rows)
    if not rows:
        return []
    ids = {str(row.pk) for row in rows}
    entries = (
        AuditEntry.objects.filter(child=child, verb__in=list(verbs), target_type=rows[0]._meta.label_lower)
        .filter(target_id__in=ids)
        .select_related("actor")
        .order_by("id")
    )
    by_target: dict[str, str] = {}
    for entry in entries:
        name = (entry.actor.get_full_name() if entry.actor else "") or entry.actor_label
        by_target.setdefault(entry.target_id, name)
    return [Recorded(row, row.recorded_at, by_target.get(str(row.pk), "")) for row in rows]
