"""Helpers for the timescale tests.

Every record has `recorded_at`, filled in by the database with the real time it was saved, and the
engine counts a record only once it had been recorded. The worked examples are set in 2025-2028,
so `backdate()` marks everything as recorded long before them; the as-at tests then set
`recorded_at` of particular records themselves.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.apps import apps

from grip.core.fields import RecordedModel
from grip.timescales.engine import Obligation, obligations

LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


def backdate() -> None:
    for model in apps.get_models():
        if issubclass(model, RecordedModel):
            model.objects.update(recorded_at=LONG_AGO)


def listed(rule: str, on: date, *, backdated: bool = True, **kwargs) -> list[Obligation]:
    """The obligations of one rule as at `on` (after backdating every record, by default)."""
    if backdated:
        backdate()
    return obligations(on=on, rule_keys=[rule], **kwargs)


def only(rule: str, on: date, **kwargs) -> Obligation:
    """The single outstanding-or-met obligation of `rule` as at `on`."""
    found = listed(rule, on, **kwargs)
    assert len(found) == 1, found
    return found[0]


def outstanding(rule: str, on: date, **kwargs) -> Obligation:
    """The one obligation of `rule` not yet met as at `on`."""
    found = [o for o in listed(rule, on, **kwargs) if o.met_on is None]
    assert len(found) == 1, found
    return found[0]
