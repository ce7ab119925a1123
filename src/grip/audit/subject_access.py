"""A child's data in full, for a subject access request (UK GDPR Article 15).

Which records are "about the child" is found by walking the models, not listed by hand, so a kind
of record added later is exported without anyone remembering to add it here: every model with a
foreign key to people.Person, every model with a foreign key to one of those, and so on
(MAX_DEPTH links away), plus the field history of the child's own Person row if it is kept.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import reduce
from operator import or_

from django.apps import apps
from django.core import serializers
from django.db import models
from django.db.models import Q

from grip.people.models import Person

MAX_DEPTH = 3  # Person <- CINEpisode <- Section47Enquiry <- conference: records hang at most this far off a child


@dataclass(frozen=True)
class RecordKind:
    """A model holding records about a child, and the lookups from it that lead to the child's id."""

    model: type[models.Model]
    lookups: tuple[str, ...]

    @property
    def filename(self) -> str:
        return f"{self.model._meta.label_lower}.json"

    def rows_about(self, child: Person) -> models.QuerySet:
        match = reduce(or_, (Q(**{lookup: child.pk}) for lookup in self.lookups))
        return self.model._base_manager.filter(match).order_by("pk")


def _exportable(model: type[models.Model]) -> bool:
    return model._meta.managed and not model._meta.proxy


def _links(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.is_relation and (f.many_to_one or f.one_to_one)]


def record_kinds() -> list[RecordKind]:
    """Every kind of record that can be about a child, Person first, then by app and model."""
    lookups: dict[type[models.Model], list[str]] = {Person: ["pk"]}
    frontier, seen = {Person}, {Person}
    candidates = [m for m in apps.get_models() if _exportable(m) and m is not Person]
    for _ in range(MAX_DEPTH):
        found = set()
        # Only the shortest ways to the child are kept: each longer one repeats a shorter one
        # through another record (an episode's contact is about the episode's child).
        for model in (m for m in candidates if m not in seen):
            for field in _links(model):
                target = field.related_model
                if target not in frontier:
                    continue
                for rest in lookups[target]:
                    lookup = field.name if rest == "pk" else f"{field.name}__{rest}"
                    if lookup not in lookups.setdefault(model, []):
                        lookups[model].append(lookup)
                found.add(model)
        frontier = found - seen
        seen |= found
    for model in candidates:
        # A history model (django-simple-history) keeps the original row's id as a plain column.
        if getattr(model, "instance_type", None) is Person:
            lookups[model] = [Person._meta.pk.attname]
    kinds = [RecordKind(model, tuple(found)) for model, found in lookups.items()]
    return sorted(kinds, key=lambda k: (k.model is not Person, k.model._meta.label_lower))


@dataclass(frozen=True)
class SubjectAccessExport:
    content: bytes
    record_count: int
    filename: str


def build_export(*, child: Person, kinds: list[RecordKind] | None = None) -> SubjectAccessExport:
    """The ZIP: README.txt, then one JSON file per kind of record (Django's serialisation:
    model, pk, fields), an empty list where the child has none of that kind."""
    made_at = datetime.now(UTC)
    buffer = io.BytesIO()
    contents: list[tuple[RecordKind, int]] = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for kind in kinds if kinds is not None else record_kinds():
            rows = list(kind.rows_about(child))
            archive.writestr(kind.filename, serializers.serialize("json", rows, indent=2))
            contents.append((kind, len(rows)))
        archive.writestr("README.txt", _readme(child, made_at, contents))
    total = sum(count for _, count in contents)
    filename = f"subject-access-{child.la_child_id or child.pk}-{made_at:%Y%m%d-%H%M%S}.zip"
    return SubjectAccessExport(content=buffer.getvalue(), record_count=total, filename=filename)


def export_child(*, child: Person) -> bytes:
    """Everything Grip holds about `child`, as a ZIP (see build_export)."""
    return build_export(child=child).content


def _readme(child: Person, made_at: datetime, contents: list[tuple[RecordKind, int]]) -> str:
    lines = [
        "Subject access request: everything Grip holds about one child",
        "",
        f"Child: {child.full_name}, LA child ID {child.la_child_id or 'none'}, Grip record {child.pk}",
        f"Made: {made_at.isoformat(timespec='seconds')} (UTC)",
        f"Records: {sum(count for _, count in contents)} in {len(contents)} files",
        "",
        "Each .json file holds one kind of record, as a list of {model, pk, fields}. Codes are those of",
        "the CIN census and SSDA903; other records are referred to by their id.",
        "",
        "Files:",
    ]
    for kind, count in contents:
        meta = kind.model._meta
        noun = "record" if count == 1 else "records"
        lines.append(f"  {kind.filename}: {meta.verbose_name_plural} ({count} {noun})")
    lines += [
        "",
        "Before release, review for information about other people (relatives, workers, people who",
        "made a referral), which may need to be withheld under the Data Protection Act 2018.",
        "",
    ]
    return "\n".join(lines)
