"""The events a timescale clock starts and stops on, and how to read them from the records.

The rules file names events; this module says what each one is: which record, which date, which
other records it is linked to (its episode, plan, section 47, care leaver episode, ...), which
coded fields a rule may test, and how far back a record is still of interest. Each event is read
in one query (the looked-after ones from one query of SSDA903 episodes), as at a date: a record
counts only if its event date is on or before that date and it had been recorded by the end of it.

Two events are derived from SSDA903 episodes rather than read from one row:

* ``became_looked_after``: a period of care, a run of episodes each starting the day the one
  before ended, from an episode whose reason for new episode is S (or that follows a gap).
* ``placement_started``: a placement, from each episode whose reason for new episode is not L
  (a change of legal status only). For a child placed with a parent (placement type P1) a change
  of legal status also starts a new placement clock, because the visiting regime of Care Planning
  Regulations 2010 reg 28(4)/(5) depends on the order and reg 28(5) runs from the making of the
  care order.
* ``short_breaks_started``: a series of short breaks (legal status V3, V4), across the gaps.

The rules file's [regimes] table says which codes are short breaks, placements for adoption,
temporary moves and changes with the same carer; grip.timescales.loading applies it (a period of
care leaves out short breaks and adoption placements; a placement goes on through a temporary move).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property
from typing import Any

import numpy as np
from django.apps import apps
from django.db.models import Q
from django.utils import timezone

from grip.core.lookups import Ids

from .columns import DayArray

PLACED_WITH_PARENT = "P1"  # SSDA903 PLACE: placed with own parent(s) or other person(s) with PR
STARTED_TO_BE_LOOKED_AFTER = "S"  # SSDA903 RNE
LEGAL_STATUS_CHANGE_ONLY = "L"  # SSDA903 RNE
NEW_EPISODE_SAME_DAY = "X1"  # SSDA903 REC: the episode ceases and a new one starts the same day
ICPC_REQUIRED = "ICPC"  # s47_outcome: any other recorded outcome means no ICPC is needed


@dataclass(frozen=True)
class Scope:
    """What to read: records as at the end of `on`, still of interest from `window_start`."""

    on: date
    window_start: date
    children: Ids | None = None  # grip.core.lookups.Ids: checked once, passed to every query
    workers: Ids | None = None

    @cached_property
    def end_of_on(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.on + timedelta(days=1), time.min))

    @cached_property
    def start_of_window(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.window_start, time.min))

    @cached_property
    def built(self) -> dict[str, Any]:
        """Querysets built for this scope, by event: each start event's is used by its own load and
        by every stop load linked to it, and building one costs more than running it."""
        return {}

    @cached_property
    def read(self) -> dict[Any, Any]:
        """Columns already read for this scope, by SQL and parameters: the two looked-after events
        read the same SSDA903 episodes, once."""
        return {}


@dataclass
class Frame:
    """Events as columns: one row per record (or derived span)."""

    id: np.ndarray  # int64: the record's pk (the first episode's, for derived spans)
    owner: np.ndarray  # int64: child or worker id; -1 when not known (an unmatched contact)
    day: DayArray  # the event's (local) date
    until: DayArray  # end of the span it opens; NaT while open as at `on`
    at: np.ndarray | None = None  # int64 epoch seconds, for events with a time
    birth: DayArray | None = None
    previous_end: DayArray | None = None  # end of the owner's previous span (derived spans only)
    links: dict[str, np.ndarray] = field(default_factory=dict)
    attrs: dict[str, np.ndarray] = field(default_factory=dict)
    # For spans derived from several episodes: every episode of every span (key: the span's id, day,
    # attrs), sorted by key and day, so a repeat phase can test the codes in force on a given day
    # (a placement that became long-term fostering with the same carer). Not narrowed by `take`.
    parts: Frame | None = None

    def __len__(self) -> int:
        return len(self.id)

    def take(self, index: np.ndarray) -> Frame:
        return Frame(
            id=self.id[index],
            owner=self.owner[index],
            day=self.day[index],
            until=self.until[index],
            at=None if self.at is None else self.at[index],
            birth=None if self.birth is None else self.birth[index],
            previous_end=None if self.previous_end is None else self.previous_end[index],
            links={k: v[index] for k, v in self.links.items()},
            attrs={k: v[index] for k, v in self.attrs.items()},
            parts=self.parts,
        )


@dataclass(frozen=True)
class Event:
    name: str
    label: str  # what it is, for "what started the clock"
    model: str
    owner: str  # "child" or "worker"
    day: str  # ORM path of the date (of the datetime, when `timestamp`)
    links: Mapping[str, str]  # link key -> ORM path; includes the owner
    attribute_paths: Mapping[str, str] = field(default_factory=dict)
    timestamp: bool = False
    starts: bool = False
    stops: bool = True
    until: tuple[str, ...] = ()  # date paths; the span ends at the earliest that is filled in
    open_while: tuple[str, ...] = ()  # paths that, empty or on/after the window, keep a start of interest
    where: Callable[[Any], Q] | None = None  # given the rule book's regimes (rules.Regimes)
    derive: str | None = None  # "period_of_care", "placement" or "eligible"
    needs_open_case: bool = True  # listed only for children with an open case (not so a contact)
    post: Callable[[dict[str, np.ndarray], Frame, np.datetime64], None] | None = None  # given `on`
    extra_days: Mapping[str, str] = field(default_factory=dict)
    extra_values: Mapping[str, str] = field(default_factory=dict)
    numbers: Mapping[str, str] = field(default_factory=dict)  # whole-number fields, into Frame.attrs

    @property
    def link_keys(self) -> tuple[str, ...]:
        return tuple(self.links)

    @property
    def has_birth(self) -> bool:
        return self.starts and self.owner == "child"

    @cached_property
    def attributes(self) -> dict[str, frozenset[Any]]:
        """Each coded field a rule may test, with the values it can hold."""
        return {name: _allowed_values(self.model, path) for name, path in self.attribute_paths.items()}

    @property
    def owner_path(self) -> str:
        return self.links[self.owner]


def _allowed_values(model_label: str, path: str) -> frozenset[Any]:
    model = apps.get_model(model_label)
    *hops, last = path.split("__")
    for hop in hops:
        model = model._meta.get_field(hop).related_model
    model_field = model._meta.get_field(last)
    if model_field.get_internal_type() == "BooleanField":
        return frozenset({True, False})
    # Coded fields take their choices from the code list (grip.core.fields.coded_field).
    return frozenset(value for value, _ in model_field.flatchoices)


def _section47_until(cols: dict[str, np.ndarray], frame: Frame, on: np.datetime64) -> None:
    """A section 47 enquiry that ended with an outcome other than "ICPC required" needs no ICPC:
    its clock stops when it was completed."""
    completed, outcome = cols["completed_on"], cols["outcome"]
    no_icpc = (outcome != ICPC_REQUIRED) & (outcome != "") & ~np.isnat(completed)
    earlier = np.isnat(frame.until) | (completed < frame.until)
    frame.until = np.where(no_icpc & earlier, completed, frame.until)


def _ordinary_supervision(cols: dict[str, np.ndarray], frame: Frame, on: np.datetime64) -> None:
    """A worker's time in post outside an ASYE: from the ASYE's completion (known by `on`) for a
    worker who completed one; for a worker in their ASYE as at `on`, a span that ended when the ASYE
    began, so nothing of it is outstanding. The ASYE's own clock (asye_started) covers that time."""
    started, completed = cols["asye_started"], cols["asye_completed"]
    had = ~np.isnat(started) & (started <= on)
    done = had & ~np.isnat(completed) & (completed <= on)
    frame.day = np.where(done & (completed > frame.day), completed, frame.day)
    in_asye = had & ~done
    ends = np.maximum(started, frame.day)  # an ASYE from the first day in post: an empty span
    earlier = np.isnat(frame.until) | (ends < frame.until)
    frame.until = np.where(in_asye & earlier, ends, frame.until)


_SECTION47 = {
    "model": "cases.Section47Enquiry",
    "owner": "child",
    "links": {"child": "episode__child_id", "section47": "id", "episode": "episode_id"},
    "starts": True,
    "stops": False,
    "until": ("episode__closure_date",),
    "open_while": ("episode__closure_date",),
    "post": _section47_until,
    "extra_days": {"completed_on": "completed_on"},
    "extra_values": {"outcome": "outcome"},
}

_LOOKED_AFTER = {
    "model": "cases.LookedAfterEpisode",
    "owner": "child",
    "day": "started_on",
    "links": {"child": "child_id"},
    "attribute_paths": {
        "legal_status": "legal_status",
        "placement_type": "placement_type",
        "carer_approval": "carer_approval",
    },
    "starts": True,
    "stops": False,
    "until": ("ended_on",),
    "open_while": ("ended_on",),
    # To tell a return from a temporary move (T0-T4) to the placement the child left.
    "extra_values": {"provider": "placement_provider", "postcode": "placement_postcode"},
}


def _short_breaks(regimes) -> Q:
    """Short breaks: the legal statuses the rules file's [regimes] table names (grip.timescales.rules)."""
    return Q(legal_status__in=sorted(regimes.short_breaks))


EVENTS = [
    Event(
        "contact_received",
        "Contact received",
        "frontdoor.Contact",
        "child",
        "received_at",
        {"child": "child_id", "contact": "id"},
        timestamp=True,
        starts=True,
        stops=False,
        open_while=("decided_at",),
        needs_open_case=False,
    ),
    Event(
        "contact_decided",
        "Contact decided",
        "frontdoor.Contact",
        "child",
        "decided_at",
        {"child": "child_id", "contact": "id"},
        timestamp=True,
    ),
    Event(
        "referral",
        "Referral",
        "cases.CINEpisode",
        "child",
        "referral_date",
        {"child": "child_id", "episode": "id"},
        {"referral_nfa": "referral_nfa"},
        starts=True,
        stops=False,
        until=("closure_date",),
        open_while=("closure_date",),
    ),
    Event(
        "assessment_started",
        "Assessment started",
        "cases.Assessment",
        "child",
        "started_on",
        {"child": "episode__child_id", "assessment": "id", "episode": "episode_id"},
        starts=True,
        stops=False,
        until=("episode__closure_date",),
        open_while=("authorised_on", "episode__closure_date"),
    ),
    Event(
        "assessment_authorised",
        "Assessment authorised",
        "cases.Assessment",
        "child",
        "authorised_on",
        {"child": "episode__child_id", "assessment": "id", "episode": "episode_id"},
    ),
    Event(name="section47_started", label="Section 47 enquiry started", day="started_on", **_SECTION47),
    Event(
        name="section47_strategy_discussion",
        label="Strategy discussion",
        day="strategy_discussion__held_at",
        timestamp=True,
        where=lambda regimes: Q(strategy_discussion__isnull=False),
        **_SECTION47,
    ),
    # Strategy discussions requested, then held (issue 11): the local timeliness rule's clock.
    Event(
        "strategy_discussion_requested",
        "Strategy discussion requested",
        "cases.StrategyDiscussion",
        "child",
        "requested_at",
        {"child": "episode__child_id", "strategy_discussion": "id", "episode": "episode_id"},
        timestamp=True,
        starts=True,
        stops=False,
        until=("episode__closure_date",),
        open_while=("held_at", "episode__closure_date"),
    ),
    Event(
        "strategy_discussion_held",
        "Strategy discussion held",
        "cases.StrategyDiscussion",
        "child",
        "held_at",
        {"child": "episode__child_id", "strategy_discussion": "id", "episode": "episode_id"},
        timestamp=True,
    ),
    Event(
        "conference",
        "Conference",
        "cases.ChildProtectionConference",
        "child",
        "held_on",
        {"child": "episode__child_id", "episode": "episode_id", "section47": "section47_id", "plan": "plan_id"},
        {"conference_type": "conference_type"},
    ),
    Event(
        "cp_plan_started",
        "Child protection plan started",
        "cases.ChildProtectionPlan",
        "child",
        "started_on",
        {"child": "episode__child_id", "plan": "id", "episode": "episode_id"},
        starts=True,
        stops=False,
        until=("ended_on", "episode__closure_date"),
        open_while=("ended_on",),
    ),
    Event(
        "core_group",
        "Core group meeting",
        "cases.CoreGroupMeeting",
        "child",
        "held_on",
        {"child": "plan__episode__child_id", "plan": "plan_id"},
    ),
    Event(
        "cin_plan_started",
        "Child in need plan started",
        "cases.CINPlan",
        "child",
        "started_on",
        {"child": "episode__child_id", "cin_plan": "id", "episode": "episode_id"},
        starts=True,
        stops=False,
        until=("ended_on", "episode__closure_date"),
        open_while=("ended_on", "episode__closure_date"),
    ),
    Event(
        "visit",
        "Visit",
        "cases.Visit",
        "child",
        "visited_on",
        {"child": "child_id"},
        {"visit_type": "visit_type", "child_seen": "child_seen"},
    ),
    Event(name="became_looked_after", label="Became looked after", derive="period_of_care", **_LOOKED_AFTER),
    Event(
        name="placement_started",
        label="Placement started",
        derive="placement",
        **{**_LOOKED_AFTER, "links": {"child": "child_id", "placement": "id"}},
    ),
    # --- Care regimes (issue 11): short breaks, care planning records, limits of emergency orders ---
    Event(
        name="short_breaks_started",
        label="First short break",
        derive="short_breaks",
        where=_short_breaks,
        # Between breaks the child has no open episode, and the series' reviews still fall due.
        needs_open_case=False,
        **{**_LOOKED_AFTER, "open_while": ()},
    ),
    Event(
        "looked_after_episode_started",
        "Episode started",
        "cases.LookedAfterEpisode",
        "child",
        "started_on",
        {"child": "child_id", "looked_after_episode": "id"},
        {"legal_status": "legal_status"},
        starts=True,
        stops=False,
        until=("ended_on",),
        open_while=("ended_on",),
    ),
    Event(
        "looked_after_episode_ended",
        "Episode ended",
        "cases.LookedAfterEpisode",
        "child",
        "ended_on",
        {"child": "child_id", "looked_after_episode": "id"},
    ),
    Event(
        "placement_plan",
        "Placement plan",
        "cases.PlacementPlan",
        "child",
        "agreed_on",
        {"child": "child_id", "placement": "episode_id"},
    ),
    Event(
        "personal_education_plan",
        "Personal education plan",
        "cases.PersonalEducationPlan",
        "child",
        "held_on",
        {"child": "child_id"},
    ),
    Event(
        "care_proceedings_issued",
        "Care proceedings issued",
        "cases.CareProceedings",
        "child",
        "issued_on",
        {"child": "child_id", "care_proceedings": "id"},
        starts=True,
        stops=False,
        until=("concluded_on",),
        open_while=("concluded_on",),
    ),
    Event(
        "care_proceedings_concluded",
        "Care proceedings concluded",
        "cases.CareProceedings",
        "child",
        "concluded_on",
        {"child": "child_id", "care_proceedings": "id"},
    ),
    Event(
        "looked_after_review",
        "Looked-after review",
        "cases.LookedAfterReview",
        "child",
        "held_on",
        {"child": "child_id"},
    ),
    Event(
        "health_assessment",
        "Health assessment",
        "cases.HealthAssessment",
        "child",
        "held_on",
        {"child": "child_id"},
        {"assessment_type": "assessment_type"},
    ),
    Event("care_plan", "Care plan", "cases.CarePlan", "child", "made_on", {"child": "child_id"}),
    Event(
        "missing_returned",
        "Returned from missing",
        "cases.MissingEpisode",
        "child",
        "ended_at",
        {"child": "child_id", "missing": "id"},
        timestamp=True,
        starts=True,
        stops=False,
        open_while=("return_interview_at",),
    ),
    Event(
        "return_interview",
        "Return home interview",
        "cases.MissingEpisode",
        "child",
        "return_interview_at",
        {"child": "child_id", "missing": "id"},
        timestamp=True,
    ),
    Event(
        "care_leaver_started",
        "Care leaver support started",
        "cases.CareLeaverEpisode",
        "child",
        "started_on",
        {"child": "child_id", "care_leaver": "id"},
        starts=True,
        stops=False,
        until=("ended_on",),
        open_while=("ended_on",),
    ),
    Event(
        "pathway_plan_review",
        "Pathway plan review",
        "cases.PathwayPlanReview",
        "child",
        "held_on",
        {"child": "care_leaver__child_id", "care_leaver": "care_leaver_id"},
    ),
    Event(
        "care_leaver_contact",
        "Care leaver contact",
        "cases.CareLeaverContact",
        "child",
        "contact_on",
        {"child": "care_leaver__child_id", "care_leaver": "care_leaver_id"},
        {"in_touch": "in_touch"},
    ),
    # Supervision (issue 15). A worker's ordinary supervision runs while in post, except during an
    # ASYE: from the ASYE's completion for a worker who had one (_ordinary_supervision). The ASYE's
    # own clock runs from its start to its completion (or the worker leaving).
    Event(
        "in_post",
        "Started in post",
        "workforce.Worker",
        "worker",
        "started_on",
        {"worker": "id"},
        {"role": "role"},
        starts=True,
        stops=False,
        until=("left_on",),
        open_while=("left_on",),
        post=_ordinary_supervision,
        extra_days={"asye_started": "asye__started_on", "asye_completed": "asye__completed_on"},
    ),
    Event(
        "asye_started",
        "Started the ASYE",
        "workforce.Asye",
        "worker",
        "started_on",
        {"worker": "worker_id"},
        starts=True,
        stops=False,
        until=("completed_on", "worker__left_on"),
        open_while=("completed_on", "worker__left_on"),
    ),
    Event("supervision", "Supervision", "workforce.Supervision", "worker", "held_on", {"worker": "worker_id"}),
    # A worker's own supervision interval, set by a manager (workforce.SupervisionFrequency): read
    # by the rules that name it in `frequency_from`, not a clock of its own.
    Event(
        "supervision_frequency_set",
        "Supervision frequency set",
        "workforce.SupervisionFrequency",
        "worker",
        "started_on",
        {"worker": "worker_id"},
        {"unit": "unit"},
        starts=True,
        stops=False,
        until=("ended_on",),
        open_while=("ended_on",),
        numbers={"amount": "amount"},
    ),
    # --- Regimes beside looked after (issue 11): CIN plan reviews, leaving care, private fostering ---
    Event(
        "cin_plan_review",
        "CIN plan review",
        "cases.CINPlanReview",
        "child",
        "held_on",
        {"child": "plan__episode__child_id", "cin_plan": "plan_id"},
    ),
    # An eligible child (Children Act 1989 Sch 2 para 19B; CPPCR 2010 reg 40): derived from the
    # SSDA903 episodes by grip.timescales.eligibility.
    Event(name="became_eligible", label="Became an eligible child", derive="eligible", **_LOOKED_AFTER),
    Event(
        "pathway_needs_assessment",
        "Needs assessment (pathway plan)",
        "cases.PathwayNeedsAssessment",
        "child",
        "completed_on",
        {"child": "child_id"},
    ),
    Event(
        "care_leaver_accommodation",
        "Accommodation provided to a care leaver",
        "cases.CareLeaverAccommodation",
        "child",
        "provided_from",
        {"child": "care_leaver__child_id", "care_leaver": "care_leaver_id"},
        {"provided_under": "provided_under"},
        starts=True,
        stops=False,
        until=("provided_to", "care_leaver__ended_on"),
        open_while=("provided_to", "care_leaver__ended_on"),
    ),
    Event(
        "private_fostering_notified",
        "Private fostering notified",
        "cases.PrivateFosteringArrangement",
        "child",
        "notified_on",
        {"child": "child_id", "private_fostering": "id"},
        starts=True,
        stops=False,
        until=("ended_on",),
        open_while=("ended_on",),
        needs_open_case=False,  # the arrangement is the authority's involvement, with or without a CIN case
    ),
]
CATALOGUE: dict[str, Event] = {event.name: event for event in EVENTS}
