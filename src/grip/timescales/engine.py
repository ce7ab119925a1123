"""The timescale engine: every obligation the rules put on the records, with its status, as at a date.

    obligations(on=date(2026, 3, 31))                       # every open case, and every worker
    obligations(on=..., children=[child.pk])                # one child's (no supervision)
    obligations(on=..., workers=[worker.pk])                # one worker's supervision
    obligations(on=..., since=date(2025, 4, 1))             # also everything met since 1 April

Nothing is stored: statuses come from the records, the rules (reference/timescales/rules.toml,
with the authority's local settings) and the working-day calendar, each time. `on` can be any
past date: only records dated on or before it and recorded by the end of it count, so the answer
is what the records said that evening.

An obligation is listed while it is outstanding (not yet due, due soon, or overdue), and once met
if it was met on or after `since` (default `on`: met that day). An obligation whose case, plan,
placement or post ended before it was met is no longer anyone's to do and is not listed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from operator import attrgetter
from typing import Any

import numpy as np
from django.db.models import Q

from grip.cases.selectors import INVOLVEMENT
from grip.core.calendar import authority_calendar
from grip.core.lookups import Ids

from .columns import from_epoch_seconds
from .deadlines import calendar_for
from .events import CATALOGUE, Event, Frame, Scope
from .loading import load_starts, load_stops
from .models import TimescaleSetting
from .pauses import drop_paused, from_birth, workers_on_long_term_absence
from .rules import UNITS, Rule, RuleBook, apply_settings, rule_book
from .schedule import (
    STATUSES,
    Occurrences,
    add_interval,
    aged_at_least,
    during,
    matches_any,
    occurrences,
    stopped_at_first,
)

__all__ = ["STATUSES", "Obligation", "obligations", "timescale_rules"]


@dataclass(frozen=True)
class Obligation:
    """One deadline a rule puts on a record, and where it stands as at the date asked."""

    key: str  # "<rule>:<start record pk>:<occurrence>", stable across runs: use it to de-duplicate
    rule: str
    title: str
    child_id: int | None  # None for supervision, and for a contact not yet matched to a child
    worker_id: int | None  # the supervised worker, for supervision rules
    record_id: int  # the record that started the clock (contact, episode, plan, first episode of a placement, ...)
    occurrence: int  # 1 for the first deadline of the clock, 2 for the next, ...
    clock_started_by: str  # what the deadline is counted from: "Referral", or the previous "Visit"
    clock_started_on: date
    due: date
    due_at: datetime | None  # for rules in hours: the exact moment (72 hours after the return)
    met_on: date | None
    met_at: datetime | None  # for rules in hours
    status: str  # one of STATUSES
    days_over: int  # past due (late, or overdue as at `on`) in `days_over_unit`; 0 otherwise
    days_over_unit: str = "calendar_days"  # "working_days" for a rule counted in working days
    kind: str = "duty"  # "error": a limit the law sets (police protection's 72 hours), breached: a record to correct

    @property
    def days_over_text(self) -> str:
        """Days over in words, with their unit: "1 day", "3 working days"."""
        unit = "working day" if self.days_over_unit == "working_days" else "day"
        return f"{self.days_over} {unit}{'' if self.days_over == 1 else 's'}"


def effective_rules() -> RuleBook:
    """The file's rules with the authority's local settings (one query)."""
    rows = TimescaleSetting.objects.values_list("rule", "amount", "unit", "enabled")
    return apply_settings(rule_book(), rows)


def chased_rules() -> list[str]:
    """The rules chase lists and the register chase: every rule but the DfE's measures (from the
    rules file: a local setting changes a rule's deadline, or switches it off, never its basis)."""
    return [rule.key for rule in rule_book().rules if rule.basis != "measure"]


def timescale_rules() -> RuleBook:
    """The rules in force: the file's, with the authority's local settings applied."""
    return effective_rules()


def obligations(
    *,
    on: date,
    children: Collection[int] | None = None,
    workers: Collection[int] | None = None,
    rule_keys: Collection[str] | None = None,
    since: date | None = None,
) -> list[Obligation]:
    """Every obligation as at the end of `on`, ordered by due date (then by rule, in the file's
    order, then by record and occurrence).

    With neither `children` nor `workers`: every child with an open case at some time from
    `since` to `on` (and every contact at the front door), and every worker in post. Given
    either, only those children's and those workers' obligations. `rule_keys` narrows the rules.
    """
    if isinstance(on, datetime) or not isinstance(on, date):
        raise TypeError(f"on must be a date, got {on!r}")
    since = on if since is None else since
    if since > on:
        raise ValueError(f"since ({since}) is after on ({on})")
    book = timescale_rules()
    rules = list(book.rules)
    if rule_keys is not None:
        unknown = set(rule_keys) - set(rule_book().keys)  # a local rule switched off is known, and quiet
        if unknown:
            raise ValueError(f"unknown timescale rule(s): {', '.join(sorted(unknown))}")
        rules = [rule for rule in rules if rule.key in rule_keys]
    everyone = children is None and workers is None
    scope = Scope(
        on=on,
        window_start=since,
        children=None if everyone else Ids(children or ()),
        workers=None if everyone else Ids(workers or ()),
    )
    rules = [rule for rule in rules if _owner_in_scope(CATALOGUE[rule.start], scope)]
    return _compute(rules, book, scope, everyone=everyone)


def _owner_in_scope(event: Event, scope: Scope) -> bool:
    ids = scope.children if event.owner == "child" else scope.workers
    return ids is None or len(ids) > 0


def _compute(rules: list[Rule], book: RuleBook, scope: Scope, *, everyone: bool) -> list[Obligation]:
    starts = {name: load_starts(CATALOGUE[name], scope) for name in dict.fromkeys(rule.start for rule in rules)}
    rules = [rule for rule in rules if len(starts[rule.start])]  # no clock started: nothing to stop
    for name in {rule.except_during for rule in rules if rule.except_during} - set(starts):
        starts[name] = load_starts(CATALOGUE[name], scope)
    for name in {rule.frequency_from for rule in rules if rule.frequency_from} - set(starts):
        starts[name] = load_starts(CATALOGUE[name], scope)
    needs: dict[str, list[tuple[Event, str, Mapping[str, frozenset[Any]]]]] = defaultdict(list)
    for rule in rules:
        needs[rule.stop].append((CATALOGUE[rule.start], rule.link, rule.stop_filter))
        start = CATALOGUE[rule.start]
        for phase in rule.repeat:
            if phase.before_first:
                needs[phase.before_first].append((start, start.owner, {}))
        if rule.until_first:
            needs[rule.until_first].append((start, start.owner, {}))
    stops = {name: load_stops(CATALOGUE[name], scope, wanted) for name, wanted in needs.items()}
    open_cases = _children_with_open_cases(scope) if everyone else None

    found: list[Obligation] = []
    paused: dict[str, np.ndarray] = {}
    for rule in rules:
        start_event = CATALOGUE[rule.start]
        cal = calendar_for(rule)
        clocks = starts[rule.start]
        chosen = np.ones(len(clocks), dtype=bool)
        if rule.applies_to:
            chosen &= matches_any(clocks, rule.applies_to)
        if rule.except_for:
            chosen &= ~matches_any(clocks, rule.except_for)
        if open_cases is not None and start_event.owner == "child" and start_event.needs_open_case:
            chosen &= np.isin(clocks.owner, open_cases)
        if rule.age_from is not None:
            chosen &= aged_at_least(clocks, rule.age_from)
        if rule.except_during:
            due = add_interval(clocks.day, np.full(len(clocks), rule.first.amount), rule.first.unit, cal)
            chosen &= ~during(clocks, due, starts[rule.except_during])
        clocks = clocks.take(np.flatnonzero(chosen))
        if rule.until_first:
            clocks.until = stopped_at_first(clocks, stops[rule.until_first])
        if rule.from_birth:
            clocks = from_birth(clocks, np.datetime64(scope.on, "D"))
        ends = stops[rule.stop]
        if rule.stop_filter:  # the stops were read for every rule that uses them: keep this rule's
            ends = ends.take(np.flatnonzero(matches_any(ends, (rule.stop_filter,))))
        occ = occurrences(
            rule,
            clocks,
            ends,
            on=scope.on,
            window_start=scope.window_start,
            cal=cal,
            due_soon_working_days=book.due_soon_working_days,
            firsts=stops,
            frequencies=starts[rule.frequency_from] if rule.frequency_from else None,
        )
        if rule.paused_while is not None:
            if rule.paused_while not in paused:
                paused[rule.paused_while] = workers_on_long_term_absence(scope, authority_calendar())
            occ = drop_paused(occ, clocks, paused[rule.paused_while])
        found.extend(_as_obligations(rule, clocks, occ))
    found.sort(key=attrgetter("due"))  # stable: ties stay in the file's rule order, then by record
    return found


def _as_obligations(rule: Rule, clocks: Frame, occ: Occurrences) -> list[Obligation]:
    start, stop = CATALOGUE[rule.start], CATALOGUE[rule.stop]
    by_worker = start.owner == "worker"
    occ = occ.take(np.lexsort((occ.number, clocks.id[occ.instance], occ.due)))
    record_ids = clocks.id[occ.instance].tolist()
    owners = clocks.owner[occ.instance].tolist()
    numbers = occ.number.tolist()
    anchors = occ.anchor.tolist()
    dues = occ.due.tolist()
    mets = occ.met.tolist()
    statuses = [STATUSES[s] for s in occ.status.tolist()]
    days_over = occ.days_over.tolist()
    units = [UNITS[u] for u in occ.unit.tolist()]
    due_ats = [None] * len(occ) if occ.due_at is None else [from_epoch_seconds(s) for s in occ.due_at.tolist()]
    met_ats: list[datetime | None] = [None] * len(occ)
    if occ.met_at is not None:
        met_ats = [
            from_epoch_seconds(s) if m is not None else None for s, m in zip(occ.met_at.tolist(), mets, strict=True)
        ]
    return [
        Obligation(
            key=f"{rule.key}:{record_id}:{number}",
            rule=rule.key,
            title=rule.title,
            child_id=None if by_worker or owner < 0 else owner,
            worker_id=owner if by_worker else None,
            record_id=record_id,
            occurrence=number,
            clock_started_by=start.label if number == 1 else stop.label,
            clock_started_on=anchor,
            due=due,
            due_at=due_at,
            met_on=met,
            met_at=met_at,
            status=status,
            days_over=over,
            kind=rule.kind,
            days_over_unit="working_days" if unit == "working_days" else "calendar_days",
        )
        for record_id, owner, number, anchor, due, due_at, met, met_at, status, over, unit in zip(
            record_ids, owners, numbers, anchors, dues, due_ats, mets, met_ats, statuses, days_over, units, strict=True
        )
    ]


def _children_with_open_cases(scope: Scope) -> np.ndarray:
    """Children with a case (the involvements of grip.cases.selectors.INVOLVEMENT) open at some
    time from the window start to `on`, as recorded by the end of `on`."""
    ids: set[int] = set()
    for _stage, model, to_child, started, ended in INVOLVEMENT:
        still_open = Q(**{f"{ended}__isnull": True}) | Q(**{f"{ended}__gte": scope.window_start})
        rows = model.objects.filter(
            still_open, **{f"{started}__lte": scope.on}, recorded_at__lt=scope.end_of_on
        ).values_list(to_child, flat=True)
        ids.update(rows)
    return np.fromiter(ids, dtype=np.int64, count=len(ids))
