"""Rows the generator produces, held as plain tuples per model until they are written.

The generator gives every row its primary key itself, so that related rows can point at each
other without a round trip to the database; the writers then load each table in one pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.db import models

# Load order: a table comes after every table it points at.
MODEL_ORDER = [
    "core.LocalClosureDay",
    "workforce.ServiceArea",
    "workforce.Team",
    "workforce.Worker",
    "workforce.WorkerTerms",
    "workforce.Post",
    "workforce.PostFilling",
    "workforce.Registration",
    "workforce.Asye",
    "workforce.Absence",
    "workforce.Supervision",
    "people.Person",
    "people.Relationship",
    "frontdoor.PartnerOrganisation",
    "frontdoor.ContactReport",
    "frontdoor.Contact",
    "cases.EarlyHelpEpisode",
    "cases.CINEpisode",
    "cases.Assessment",
    "cases.CINPlan",
    "cases.StrategyDiscussion",
    "cases.Section47Enquiry",
    "cases.ChildProtectionPlan",
    "cases.ChildProtectionConference",
    "cases.CoreGroupMeeting",
    "cases.LookedAfterEpisode",
    "cases.CarePlan",
    "cases.PlacementPlan",
    "cases.PersonalEducationPlan",
    "cases.CareProceedings",
    "cases.HealthAssessment",
    "cases.LookedAfterReview",
    "cases.MissingEpisode",
    "cases.CareLeaverEpisode",
    "cases.CareLeaverContact",
    "cases.PathwayPlanReview",
    # Issue 11: the records of the regimes beside looked after (grip.seed.other_regimes).
    "cases.CINPlanReview",
    "cases.PathwayNeedsAssessment",
    "cases.CareLeaverAccommodation",
    "cases.PrivateFosteringArrangement",
    "cases.Visit",
    "allocation.Allocation",
]


def model_for(label: str) -> type[models.Model]:
    return apps.get_model(label)


@dataclass
class TableSpec:
    label: str
    model: type[models.Model]
    columns: list[str]  # database column names, in row order
    attnames: list[str]  # the matching model attribute names (``child_id`` for a foreign key)
    defaults: list[Any]

    @classmethod
    def for_label(cls, label: str) -> TableSpec:
        model = model_for(label)
        fields = model._meta.concrete_fields
        defaults = []
        for f in fields:
            if f.has_default():
                defaults.append(f.get_default())
            elif f.null:
                defaults.append(None)
            elif isinstance(f, models.CharField | models.TextField):
                defaults.append("")
            else:
                defaults.append(_REQUIRED)
        return cls(label, model, [f.column for f in fields], [f.attname for f in fields], defaults)


_REQUIRED = object()


@dataclass
class RowStore:
    """Rows for every table, keyed by model label, each a tuple in its TableSpec's column order."""

    specs: dict[str, TableSpec] = field(default_factory=dict)
    rows: dict[str, list[tuple]] = field(default_factory=dict)
    next_ids: dict[str, int] = field(default_factory=dict)
    _positions: dict[str, dict[str, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for label in MODEL_ORDER:
            spec = TableSpec.for_label(label)
            self.specs[label] = spec
            self.rows[label] = []
            self.next_ids[label] = 1
            self._positions[label] = {name: i for i, name in enumerate(spec.attnames)}

    def add(self, label: str, **values: Any) -> int:
        """Append a row; returns its new primary key."""
        spec = self.specs[label]
        pk = self.next_ids[label]
        self.next_ids[label] = pk + 1
        values["id"] = pk
        if "recorded_at" in self._positions[label] and "recorded_at" not in values:
            raise ValueError(f"{label}: the generator must say when each record was entered")
        row = list(spec.defaults)
        positions = self._positions[label]
        for name, value in values.items():
            row[positions[name]] = value
        if _REQUIRED in row:
            missing = [spec.attnames[i] for i, v in enumerate(row) if v is _REQUIRED]
            raise ValueError(f"{label}: no value for {', '.join(missing)}")
        self.rows[label].append(tuple(row))
        return pk

    def update(self, label: str, pk: int, **values: Any) -> None:
        """Change a row already added (rows are numbered from 1 in order)."""
        rows = self.rows[label]
        row = list(rows[pk - 1])
        positions = self._positions[label]
        for name, value in values.items():
            row[positions[name]] = value
        rows[pk - 1] = tuple(row)

    def get(self, label: str, pk: int, name: str) -> Any:
        return self.rows[label][pk - 1][self._positions[label][name]]

    def count(self, label: str) -> int:
        return len(self.rows[label])

    def total(self) -> int:
        return sum(len(r) for r in self.rows.values())

    def tables(self) -> Iterator[tuple[TableSpec, list[tuple]]]:
        for label in MODEL_ORDER:
            yield self.specs[label], self.rows[label]

    def column(self, label: str, name: str) -> list[Any]:
        i = self._positions[label][name]
        return [row[i] for row in self.rows[label]]


def as_datetime(d: date, minute_of_day: int) -> datetime:
    from datetime import UTC

    return datetime(d.year, d.month, d.day, minute_of_day // 60, minute_of_day % 60, tzinfo=UTC)


@dataclass
class Pending:
    """A visit waiting for its worker, who is known only once allocations are drawn."""

    child: int
    visit_type: str
    on: date
    child_seen: bool
    seen_alone: bool
