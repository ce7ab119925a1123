"""Seeing the front door: the numbers on /front-door/, and the contacts behind each one.

Every number is a `Selection` (which contacts, as at which moment). The page counts selections
with aggregate queries over one base queryset per kind of number; the list behind a number
filters the same base with the same condition, so the list always reconciles to the number.
The moment (`at`) travels in the link, so the list shows what was counted even if contacts
arrive or are decided in between.

"In timescale" is the decision clock of grip.frontdoor.clock: decided before the end of the due
working day (`decision_due_on` of the local date of receipt), in Europe/London time. The due day
depends only on the day of receipt, and the working-day calendar is not in the database, so the
days of receipt are grouped in Python into runs with the same due day (a Saturday, Sunday and
Monday are all due by the end of Tuesday) and the comparison is made in SQL.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import cache
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from grip.core.codelists import codelist, label
from grip.frontdoor.clock import decision_due_on
from grip.frontdoor.models import Contact
from grip.frontdoor.selectors import contacts_visible_to
from grip.timescales.deadlines import end_of_day

RECENT_DAYS = 30  # "contacts by source", "conversion", "repeat contacts" and "who decided what" look this far back
REPEAT_WITHIN = timedelta(days=365)  # a repeat contact: the same child had a contact in the 12 months before
REFERRAL_OUTCOMES = ("REF", "STRAT")  # decisions that open a CIN episode (a referral)
# Ages of undecided contacts (hours since receipt): key, label, (older than, no older than) in hours.
AGE_BUCKETS = [
    ("under_4h", "Under 4 hours", (None, 4)),
    ("4_to_24h", "4 to 24 hours", (4, 24)),
    ("1_to_3d", "1 to 3 days", (24, 72)),
    ("over_3d", "Over 3 days", (72, None)),
]
PERIODS = {"today": "Today", "week": "This week", "month": "This month", "recent": f"Last {RECENT_DAYS} days"}
KINDS = ("undecided", "decided", "received")


class BadSelection(ValueError):
    """A drill-down link whose parameters name no selection."""


@dataclass(frozen=True)
class Selection:
    """Which contacts a number counts."""

    kind: str  # "undecided" (as at `at`), "decided" (in `period`) or "received" (in the last RECENT_DAYS)
    period: str = ""  # for decided: a key of PERIODS
    age: str = ""  # for undecided: a key of AGE_BUCKETS
    timeliness: str = ""  # "in" (in timescale) or "late"
    outcomes: tuple[str, ...] = ()
    source: str = ""
    decided_by: str = ""  # a worker's pk, or "none"
    repeat: bool = False

    def params(self, at: datetime) -> dict[str, str]:
        values = {
            "metric": self.kind,
            "period": self.period,
            "age": self.age,
            "timeliness": self.timeliness,
            "outcome": ",".join(self.outcomes),
            "source": self.source,
            "decided_by": self.decided_by,
            "repeat": "1" if self.repeat else "",
            "at": at.isoformat(timespec="seconds"),
        }
        return {key: value for key, value in values.items() if value}

    def url(self, at: datetime) -> str:
        return f"{_list_path()}?{urlencode(self.params(at))}"

    @classmethod
    def from_params(cls, params) -> tuple[Selection, datetime]:
        """The selection and moment a drill-down link names; BadSelection if it names none."""
        kind = params.get("metric", "")
        if kind not in KINDS:
            raise BadSelection("Choose a number on the front door page to see the contacts behind it.")
        try:
            at = datetime.fromisoformat(params["at"]) if params.get("at") else timezone.now()
        except ValueError:
            raise BadSelection("The moment in this link is not a date and time.") from None
        if timezone.is_naive(at):
            at = timezone.make_aware(at)
        selection = cls(
            kind=kind,
            period=params.get("period", ""),
            age=params.get("age", ""),
            timeliness=params.get("timeliness", ""),
            outcomes=tuple(o for o in params.get("outcome", "").split(",") if o),
            source=params.get("source", ""),
            decided_by=params.get("decided_by", ""),
            repeat=params.get("repeat") == "1",
        )
        selection.check()
        return selection, at

    def check(self) -> None:
        ok = (
            (self.kind != "decided" or self.period in PERIODS)
            and (not self.period or self.kind == "decided")
            and (not self.age or (self.kind == "undecided" and self.age in dict((k, b) for k, _, b in AGE_BUCKETS)))
            and self.timeliness in ("", "in", "late")
            and all(o in codelist("contact_outcome") for o in self.outcomes)
            and (not self.source or self.source in codelist("referral_source"))
            and (not self.decided_by or self.decided_by == "none" or self.decided_by.isdigit())
        )
        if not ok:
            raise BadSelection("This link does not name a set of contacts. Go back to the front door page.")

    def describe(self) -> str:
        """What the list is, in words, for its heading."""
        parts = {
            "undecided": "Contacts not yet decided",
            "decided": f"Contacts decided ({PERIODS.get(self.period, '').lower()})",
            "received": f"Contacts received in the last {RECENT_DAYS} days",
        }[self.kind]
        extra = []
        if self.age:
            extra.append(f"waiting {dict((k, text) for k, text, _ in AGE_BUCKETS)[self.age].lower()}")
        if self.timeliness == "in":
            extra.append("decided within the timescale")
        if self.timeliness == "late":
            extra.append("past the decision timescale" if self.kind == "undecided" else "decided late")
        if self.outcomes:
            extra.append("outcome " + " or ".join(label("contact_outcome", o) for o in self.outcomes))
        if self.source:
            extra.append(f"from {label('referral_source', self.source)}")
        if self.repeat:
            extra.append("about a child with another contact in the 12 months before")
        return parts + (": " + ", ".join(extra) if extra else "")

    # ------------------------------------------------------------------ the SQL
    def condition(self, at: datetime) -> Q:
        """The condition on this kind's base queryset (see `base`)."""
        q = Q()
        if self.period:
            q &= Q(decided_at__gte=period_start(self.period, at))
        if self.age:
            older, younger = dict((k, b) for k, _, b in AGE_BUCKETS)[self.age]
            if older is not None:
                q &= Q(received_at__lte=at - timedelta(hours=older))
            if younger is not None:
                q &= Q(received_at__gt=at - timedelta(hours=younger))
        if self.timeliness:
            if self.kind == "undecided":
                late = _late(at, since=at, until=at)
            else:
                late = _late("decided_at", since=_earliest_decision(at), until=at)
            q &= late if self.timeliness == "late" else ~late
        if self.outcomes:
            q &= Q(outcome__in=self.outcomes)
        if self.source:
            q &= Q(source=self.source)
        if self.decided_by:
            q &= Q(decided_by__isnull=True) if self.decided_by == "none" else Q(decided_by_id=int(self.decided_by))
        if self.repeat:
            q &= Q(_repeat=True)
        return q


@cache
def _list_path() -> str:
    return reverse("frontdoor:front-door-contacts")


def period_start(period: str, at: datetime) -> datetime:
    local = timezone.localtime(at)
    midnight = timezone.make_aware(datetime.combine(local.date(), time.min))
    if period == "today":
        return midnight
    if period == "week":
        return midnight - timedelta(days=local.weekday())
    if period == "month":
        return timezone.make_aware(datetime.combine(local.date().replace(day=1), time.min))
    return at - timedelta(days=RECENT_DAYS)


def base(*, user, kind: str, at: datetime) -> QuerySet[Contact]:
    """The contacts a kind of number counts from, scoped to the user, as at `at`."""
    contacts = contacts_visible_to(user)
    if kind == "undecided":
        return contacts.filter(Q(decided_at__isnull=True) | Q(decided_at__gt=at), received_at__lte=at)
    if kind == "decided":
        return contacts.filter(decided_at__gte=_earliest_decision(at), decided_at__lte=at)
    earlier = Contact.objects.filter(
        child_id=OuterRef("child_id"),
        received_at__lt=OuterRef("received_at"),
        received_at__gte=OuterRef("received_at") - REPEAT_WITHIN,
    )
    recent = contacts.filter(received_at__gt=at - timedelta(days=RECENT_DAYS), received_at__lte=at)
    return recent.annotate(_repeat=Exists(earlier))


def _earliest_decision(at: datetime) -> datetime:
    return min(period_start(p, at) for p in PERIODS)


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class _Receipts:
    """Contacts received in [start, end) are overdue from `overdue_from` (the end of their due day)."""

    start: datetime
    end: datetime
    overdue_from: datetime


def _receipts(first: date, last: date) -> list[_Receipts]:
    """Receipt days from `first` to `last`, in runs with the same due day."""
    runs: list[_Receipts] = []
    day = first
    while day <= last:
        piece = _Receipts(_midnight(day), _midnight(day + timedelta(days=1)), end_of_day(decision_due_on(day)))
        if runs and runs[-1].overdue_from == piece.overdue_from:
            runs[-1] = replace(runs[-1], end=piece.end)
        else:
            runs.append(piece)
        day += timedelta(days=1)
    return runs


def _late(moment: datetime | str, *, since: datetime, until: datetime) -> Q:
    """Contacts (received by `until`) whose decision clock ran out at or before `moment`: a fixed
    time, or the name of a field ("decided_at"). `since` is no later than any moment, so contacts
    due before the day of `since` are late outright. The same deadline as clock.decision_due, in
    plain comparisons the database can do (the working-day calendar is not in the database)."""
    first = timezone.localdate(since)
    day = first
    while decision_due_on(day) >= first:
        day -= timedelta(days=1)
    late = Q(received_at__lt=_midnight(day + timedelta(days=1)))
    for run in _receipts(day + timedelta(days=1), timezone.localdate(until)):
        received = Q(received_at__gte=run.start, received_at__lt=run.end)
        if isinstance(moment, datetime):
            if moment >= run.overdue_from:
                late |= received
        else:
            late |= received & Q(**{f"{moment}__gte": run.overdue_from})
    return late


def count(*, user, selections: dict[str, Selection], at: datetime) -> dict[str, int]:
    """Count several selections of one kind in one aggregate query."""
    kinds = {s.kind for s in selections.values()}
    assert len(kinds) == 1, "one kind per aggregate"
    rows = base(user=user, kind=kinds.pop(), at=at)
    return rows.aggregate(**{key: Count("pk", filter=s.condition(at)) for key, s in selections.items()})


def contacts_behind(*, user, selection: Selection, at: datetime) -> QuerySet[Contact]:
    """The contacts a number counts, newest first."""
    return (
        base(user=user, kind=selection.kind, at=at)
        .filter(selection.condition(at))
        .select_related("child", "decided_by", "partner_organisation")
        .order_by("-received_at", "-pk")
    )


# ---------------------------------------------------------------------- the page


@dataclass(frozen=True)
class Number:
    value: int
    url: str


@dataclass(frozen=True)
class Share:
    """`part` of `whole`, with the percentage (None when there is nothing to divide)."""

    part: Number
    whole: Number

    @property
    def percent(self) -> int | None:
        return round(100 * self.part.value / self.whole.value) if self.whole.value else None


@dataclass
class Decider:
    name: str
    total: Number
    by_outcome: dict[str, Number] = field(default_factory=dict)


@dataclass
class FrontDoorDashboard:
    at: datetime
    undecided: Number
    overdue: Number
    ages: list[tuple[str, Number]]
    timeliness: list[tuple[str, Share]]  # (period label, in timescale of decided)
    received: Number
    sources: list[tuple[str, Number]]
    conversion: Share
    repeats: Share
    outcomes: list[tuple[str, str]]  # (code, label) columns of the deciders table
    deciders: list[Decider]


def front_door_dashboard(*, user, now: datetime | None = None) -> FrontDoorDashboard:
    """Every number on the front door page, as at `now`, from a handful of aggregate queries."""
    at = (now or timezone.now()).replace(microsecond=0)

    def numbers(selections: dict[str, Selection]) -> dict[str, Number]:
        counted = count(user=user, selections=selections, at=at)
        return {key: Number(counted[key], s.url(at)) for key, s in selections.items()}

    undecided = Selection("undecided")
    waiting = numbers(
        {"all": undecided, "late": replace(undecided, timeliness="late")}
        | {key: replace(undecided, age=key) for key, _, _ in AGE_BUCKETS}
    )
    decided_selections = {}
    for period in PERIODS:
        decided_selections[period] = Selection("decided", period=period)
        decided_selections[f"{period}_in"] = Selection("decided", period=period, timeliness="in")
    decided_selections["referrals"] = Selection("decided", period="recent", outcomes=REFERRAL_OUTCOMES)
    decided = numbers(decided_selections)
    received = Selection("received")
    arrived = numbers({"all": received, "repeat": replace(received, repeat=True)})
    by_source = (
        base(user=user, kind="received", at=at)
        .order_by()
        .values("source")
        .annotate(n=Count("pk"))
        .order_by("-n", "source")
    )
    sources = [
        (label("referral_source", row["source"]), Number(row["n"], replace(received, source=row["source"]).url(at)))
        for row in by_source
    ]
    return FrontDoorDashboard(
        at=at,
        undecided=waiting["all"],
        overdue=waiting["late"],
        ages=[(text, waiting[key]) for key, text, _ in AGE_BUCKETS],
        timeliness=[(text, Share(decided[f"{p}_in"], decided[p])) for p, text in PERIODS.items()],
        received=arrived["all"],
        sources=sources,
        conversion=Share(decided["referrals"], decided["recent"]),
        repeats=Share(arrived["repeat"], arrived["all"]),
        outcomes=list(codelist("contact_outcome").codes.items()),
        deciders=_deciders(user=user, at=at),
    )


def _deciders(*, user, at: datetime) -> list[Decider]:
    """Who decided what in the last RECENT_DAYS days: one grouped query."""
    recent = Selection("decided", period="recent")
    rows = (
        base(user=user, kind="decided", at=at)
        .filter(recent.condition(at))
        .order_by()
        .values("decided_by", "decided_by__first_name", "decided_by__last_name", "outcome")
        .annotate(n=Count("pk"))
    )
    people: dict[str, Decider] = {}
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        key = str(row["decided_by"]) if row["decided_by"] else "none"
        name = (
            f"{row['decided_by__first_name']} {row['decided_by__last_name']}" if row["decided_by"] else "Not recorded"
        )
        person = people.setdefault(key, Decider(name=name, total=Number(0, "")))
        chosen = replace(recent, decided_by=key, outcomes=(row["outcome"],))
        person.by_outcome[row["outcome"]] = Number(row["n"], chosen.url(at))
        totals[key] += row["n"]
    for key, person in people.items():
        person.total = Number(totals[key], replace(recent, decided_by=key).url(at))
        for outcome in codelist("contact_outcome").codes:
            if outcome not in person.by_outcome:
                person.by_outcome[outcome] = Number(0, replace(recent, decided_by=key, outcomes=(outcome,)).url(at))
    return sorted(people.values(), key=lambda p: (-p.total.value, p.name))
