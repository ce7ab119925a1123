"""Reading events as at a date: one query per event, filtered in the database to what matters.

Start events are read when they are still of interest in the window (not yet stopped, or stopped
on or after the window start, or their span still open then). Stop events are read only for the
records those starts link to, through a subquery, so that nothing is loaded for closed cases.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import numpy as np
from django.apps import apps
from django.db.models import Field, Model, Q, QuerySet

from grip.core.lookups import Ids

from .columns import NAT, Columns, local_days
from .eligibility import eligible_children
from .events import (
    LEGAL_STATUS_CHANGE_ONLY,
    NEW_EPISODE_SAME_DAY,
    PLACED_WITH_PARENT,
    STARTED_TO_BE_LOOKED_AFTER,
    Event,
    Frame,
    Scope,
)
from .prepared import read
from .rules import Regimes, rule_book
from .schedule import add_months_array, is_in


def _model(event: Event) -> type[Model]:
    return apps.get_model(event.model)


def _field(event: Event, path: str) -> Field[Any, Any]:
    model = _model(event)
    *hops, last = path.split("__")
    for hop in hops:
        model = model._meta.get_field(hop).related_model
    return model._meta.get_field(last.removesuffix("_id") if last.endswith("_id") and last != "id" else last)


def _is_time(event: Event, path: str) -> bool:
    return _field(event, path).get_internal_type() == "DateTimeField"


def _as_at(event: Event, scope: Scope) -> QuerySet[Any]:
    """Records of `event` dated on or before `on` and recorded by the end of it."""
    day = event.day
    when = Q(**{f"{day}__lt": scope.end_of_on}) if event.timestamp else Q(**{f"{day}__lte": scope.on})
    query = Q(recorded_at__lt=scope.end_of_on) & Q(**{f"{day}__isnull": False}) & when
    if event.where is not None:
        query &= event.where(rule_book().regimes)
    owner_ids = scope.children if event.owner == "child" else scope.workers
    if owner_ids is not None:
        query &= Q(**{f"{event.owner_path}__ids_in": Ids(owner_ids)})
    return _model(event).objects.filter(query)


def _still_of_interest(event: Event, scope: Scope) -> Q:
    """Each `open_while` field is empty, or on or after the window start (as at `on`, a later
    date is not yet known, so that counts as empty too)."""
    query = Q()
    for path in event.open_while:
        since = scope.start_of_window if _is_time(event, path) else scope.window_start
        query &= Q(**{f"{path}__isnull": True}) | Q(**{f"{path}__gte": since})
    return query


def _starts_queryset(event: Event, scope: Scope) -> QuerySet[Any]:
    built = scope.built.get(event.name)
    if built is None:
        built = scope.built[event.name] = _build_starts_queryset(event, scope)
    return built


def _build_starts_queryset(event: Event, scope: Scope) -> QuerySet[Any]:
    relevant = _as_at(event, scope).filter(_still_of_interest(event, scope))
    if event.derive:
        # A span is built from all the child's episodes, so read every episode of a child with
        # one of interest.
        children = relevant.values(event.owner_path)
        return _as_at(event, scope).filter(**{f"{event.owner_path}__in": children})
    return relevant


def link_values(event: Event, scope: Scope, key: str) -> QuerySet[Any]:
    """A subquery: the `key` of every start of `event` that is read."""
    return _starts_queryset(event, scope).values(event.links[key])


def _birth_path(event: Event) -> str:
    return event.owner_path.removesuffix("_id") + "__date_of_birth"


def _earliest(columns: Iterable[np.ndarray], length: int) -> np.ndarray:
    until = np.full(length, NAT, dtype="datetime64[D]")
    for column in columns:
        until = np.where(np.isnat(until) | (column < until), column, until)
    return until


def _start_columns(event: Event) -> Columns:
    return Columns(
        ints={
            "id": "id",
            "owner": event.owner_path,
            **{f"link_{k}": p for k, p in event.links.items()},
            **event.numbers,
        },
        days={
            **({} if event.timestamp else {"day": event.day}),
            **{f"until_{i}": path for i, path in enumerate(event.until)},
            **event.extra_days,
            **({"birth": _birth_path(event)} if event.has_birth else {}),
        },
        values={
            **event.attribute_paths,
            **event.extra_values,
            **({"rne": "reason_new_episode", "rec": "reason_ceased"} if event.derive else {}),
        },
        times={"at": event.day} if event.timestamp else {},
    )


def _starts_ordered(event: Event, scope: Scope) -> QuerySet[Any]:
    queryset = _starts_queryset(event, scope).order_by()
    return queryset.order_by(event.owner_path, event.day, "id") if event.derive else queryset


def load_starts(event: Event, scope: Scope) -> Frame:
    cols = read(("starts", event.name), lambda shape: _starts_ordered(event, shape), _start_columns(event), scope)
    until_paths = [f"until_{i}" for i in range(len(event.until))]
    n = len(cols["id"])
    frame = Frame(
        id=cols["id"],
        owner=cols["owner"],
        day=local_days(cols["at"]) if event.timestamp else cols["day"],
        until=_earliest((cols[name] for name in until_paths), n),
        at=cols["at"] if event.timestamp else None,
        birth=cols.get("birth"),
        links={k: cols[f"link_{k}"] for k in event.links},
        attrs={k: cols[k] for k in (*event.attribute_paths, *event.numbers)},
    )
    if event.post is not None:
        event.post(cols, frame, np.datetime64(scope.on, "D"))
    frame.until = np.where(frame.until > np.datetime64(scope.on, "D"), NAT, frame.until)  # not known yet at `on`
    if event.derive == "eligible":
        frame = eligible_children(frame, cols["rec"], on=np.datetime64(scope.on, "D"))
    elif event.derive:
        regimes = rule_book().regimes
        if event.derive == "short_breaks":
            frame = _short_break_series(frame, regimes, on=scope.on)
        else:
            frame = _spans(frame, cols, regimes, by_placement=event.derive == "placement")
    if event.derive:
        ended_before = ~np.isnat(frame.until) & (frame.until < np.datetime64(scope.window_start))
        frame = frame.take(np.flatnonzero(~ended_before))
    return frame


def _spans(episodes: Frame, cols: dict[str, np.ndarray], regimes: Regimes, *, by_placement: bool) -> Frame:
    """Periods of care (or placements) from SSDA903 episodes sorted by child and start date.

    Episodes of a series of short breaks belong to neither (the series is its own regime:
    `_short_break_series`). A period of care, under the Care Planning Regulations 2010, also leaves
    out the time the child is placed for adoption (reg 3: those regulations do not apply then; the
    Adoption Agencies Regulations 2005 do, through the placement). A placement goes on through a
    temporary move (T0-T4) and the return to it, and through a change of placement with the same
    carer (RNE T, U), unless the regime changes: into or out of an adoption placement, or a
    connected person's temporary approval (reg 24) beginning or ending."""
    n = len(episodes)
    if n == 0:
        episodes.previous_end = np.full(0, NAT, dtype="datetime64[D]")
        return episodes
    rne, rec = cols["rne"], cols["rec"]
    legal, place = episodes.attrs["legal_status"], episodes.attrs["placement_type"]
    childs_last = np.ones(n, dtype=bool)  # the child's last episode as at `on`, of any regime
    childs_last[:-1] = episodes.owner[1:] != episodes.owner[:-1]
    short_break = is_in(legal, regimes.short_breaks)
    adoption = is_in(place, regimes.placed_for_adoption)
    kept = np.flatnonzero(~short_break if by_placement else ~(short_break | adoption))
    sub = episodes.take(kept)
    owner, day, until = sub.owner, sub.day, sub.until
    m = len(kept)
    if m == 0:
        sub.previous_end = np.full(0, NAT, dtype="datetime64[D]")
        return sub
    new = np.ones(m, dtype=bool)
    same_child = owner[1:] == owner[:-1]
    # A gap (or an open episode before this one) ends the period, as does RNE = S.
    new[1:] = ~same_child | (rne[kept][1:] == STARTED_TO_BE_LOOKED_AFTER) | (until[:-1] != day[1:])
    if by_placement and m:
        new[1:] |= _placement_changed(sub, rne[kept], cols["provider"][kept], cols["postcode"][kept], regimes)
    first = np.flatnonzero(new)
    last = np.append(first[1:] - 1, m - 1)
    spans = sub.take(first)
    if by_placement:
        # Each episode under its span's id, in day order: the codes in force on a day of the placement.
        key = spans.id[np.cumsum(new) - 1]
        order = np.lexsort((sub.day, key))
        spans.parts = Frame(
            id=key[order],
            owner=sub.owner[order],
            day=sub.day[order],
            until=sub.until[order],
            attrs={name: values[order] for name, values in sub.attrs.items()},
        )
    # An episode that ceased with X1 is followed by another the same day. When the child's last
    # known episode ceased so, the next is not recorded yet (as at `on`): the care goes on.
    last_episode = kept[last]
    goes_on = (rec[last_episode] == NEW_EPISODE_SAME_DAY) & childs_last[last_episode]
    spans.until = np.where(goes_on, NAT, until[last])
    spans.previous_end = np.full(len(first), NAT, dtype="datetime64[D]")
    same_owner = spans.owner[1:] == spans.owner[:-1]
    spans.previous_end[1:] = np.where(same_owner, spans.until[:-1], NAT)
    return spans


def _placement_changed(
    episodes: Frame, rne: np.ndarray, provider: np.ndarray, postcode: np.ndarray, regimes: Regimes
) -> np.ndarray:
    """For each episode after the first: does it start a new placement (visit clock)?"""
    legal, place = episodes.attrs["legal_status"], episodes.attrs["placement_type"]
    approval = episodes.attrs["carer_approval"]
    m = len(place)
    temporary = is_in(place, regimes.temporary_move)
    # The placement each episode belongs to: its own, or for a temporary move the one the child left.
    same_child = episodes.owner[1:] == episodes.owner[:-1]
    childs_first = np.maximum.accumulate(np.where(np.r_[True, ~same_child], np.arange(m), 0))
    settled = np.maximum.accumulate(np.where(temporary, -1, np.arange(m)))
    home = np.where(settled >= childs_first, settled, np.arange(m))
    continues = np.isin(rne[1:], [LEGAL_STATUS_CHANGE_ONLY, *sorted(regimes.same_carer)])
    left = home[:-1]  # the placement the child was in (or had left for a temporary move)
    back = (
        temporary[:-1]
        & same_child
        & (place[left] == place[1:])
        & (provider[left] == provider[1:])
        & (postcode[left] == postcode[1:])
    )
    changed = ~(continues | temporary[1:] | back)
    changed |= (place[1:] == PLACED_WITH_PARENT) & (legal[1:] != legal[:-1])
    adoption = is_in(place, regimes.placed_for_adoption)[home]
    changed |= (adoption[1:] != adoption[:-1]) | (approval[home][1:] != approval[home][:-1])
    return changed


def _short_break_series(episodes: Frame, regimes: Regimes, *, on: date) -> Frame:
    """Series of short breaks (CPPCR 2010 reg 48) from a child's short-break episodes (legal status
    V3, V4), sorted by child and start date: one series runs from the first break across the gaps
    between breaks, and lapses when no break has started for `short_breaks_series_lapses_after_months`
    after the last one ended (it ends then, so nothing falls due after it)."""
    n = len(episodes)
    months = regimes.short_breaks_series_lapses_after_months
    if n == 0:
        episodes.previous_end = np.full(0, NAT, dtype="datetime64[D]")
        return episodes
    owner, day, until = episodes.owner, episodes.day, episodes.until
    lapses = add_months_array(until, np.full(n, months))  # NaT while the episode is open
    new = np.ones(n, dtype=bool)
    new[1:] = (owner[1:] != owner[:-1]) | (lapses[:-1] < day[1:])
    first = np.flatnonzero(new)
    last = np.append(first[1:] - 1, n - 1)
    spans = episodes.take(first)
    lapsed = ~np.isnat(lapses[last]) & (lapses[last] < np.datetime64(on, "D"))
    spans.until = np.where(lapsed, lapses[last], NAT)
    spans.previous_end = np.full(len(first), NAT, dtype="datetime64[D]")
    same_owner = spans.owner[1:] == spans.owner[:-1]
    spans.previous_end[1:] = np.where(same_owner, spans.until[:-1], NAT)
    return spans


def load_stops(event: Event, scope: Scope, needs: Iterable[tuple[Event, str, Mapping[str, frozenset[Any]]]]) -> Frame:
    """Stops of `event` linked to the starts of the rules that need them, each with its filter."""
    wanted: dict[tuple[Any, ...], tuple[Event, str, Mapping[str, frozenset[Any]]]] = {}
    for start, key, stop_filter in needs:
        # Rules that share a start and a filter (the three reg 28 visit rules) share a condition.
        # The filters only narrow what is read: the engine applies each rule's own again.
        signature = (start.name, key, tuple(sorted((k, tuple(sorted(v, key=str))) for k, v in stop_filter.items())))
        wanted.setdefault(signature, (start, key, stop_filter))

    def build(shape: Scope) -> QuerySet[Any]:
        if shape.children is not None and shape.workers is not None:
            # Given children and workers, read all of their stops: the engine matches each stop to
            # its start and filter anyway, and a plain owner filter plans and runs faster than a
            # condition per start.
            return _as_at(event, shape).order_by()
        linked = Q(pk__in=[])
        for start, key, stop_filter in wanted.values():
            query = Q(**{f"{event.links[key]}__in": link_values(start, shape, key)})
            for name, allowed in stop_filter.items():
                query &= Q(**{f"{event.attribute_paths[name]}__in": sorted(allowed, key=str)})
            linked |= query
        return _as_at(event, shape).filter(linked).order_by()

    columns = Columns(
        ints={"id": "id", "owner": event.owner_path, **{f"link_{k}": p for k, p in event.links.items()}},
        days={} if event.timestamp else {"day": event.day},
        values=dict(event.attribute_paths),
        times={"at": event.day} if event.timestamp else {},
    )
    by_owner = scope.children is not None and scope.workers is not None
    cols = read(("stops", event.name, by_owner or tuple(sorted(wanted, key=repr))), build, columns, scope)
    n = len(cols["id"])
    return Frame(
        id=cols["id"],
        owner=cols["owner"],
        day=local_days(cols["at"]) if event.timestamp else cols["day"],
        until=np.full(n, NAT, dtype="datetime64[D]"),
        at=cols["at"] if event.timestamp else None,
        links={k: cols[f"link_{k}"] for k in event.links},
        attrs={k: cols[k] for k in event.attribute_paths},
    )
