"""Supervision measures for a manager's teams, each figure with the list behind it:

- sessions in timescale: of each worker's supervision deadlines met in the period, or still overdue
  at its end, the share met by their due date. The deadlines are the timescale engine's (rules
  `supervision` and `supervision_asye` in reference/timescales/rules.toml, with the authority's
  local settings): one engine for every kind of deadline. A worker on long-term absence has nothing
  overdue while away (the rules' `paused_while`).
- cases with a management decision in the last N weeks: of the open cases each worker holds as lead
  worker, those with a management decision recorded in a supervision session held in the N weeks
  up to the day (N: reference/workforce/supervision.toml, local policy).
- time since the last supervision: days from each worker's last session held to the day.
- span of control: how many workers in post each worker manages (Worker.manager).

Computed from the records on each call, as at any day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from django.db.models import Count, Max, Q

from grip.core.reference import named_source, read_reference, reference_file
from grip.timescales.engine import Obligation, obligations
from grip.workforce.models import SupervisionDecision, Team, Worker

from .absence import held_cases

SUPERVISION_FILE = reference_file("workforce/supervision.toml")
SUPERVISION_RULES = ("supervision", "supervision_asye")
PERIOD_WEEKS = 12  # the page's period for "in timescale": the last quarter
# A deadline due in the period may have been met before it started, but not before its clock
# started, at most one interval (a month) before the due date.
LONGEST_INTERVAL = timedelta(days=31)


class SupervisionConfigError(ValueError):
    pass


@dataclass(frozen=True)
class SupervisionPolicy:
    decisions_within_weeks: int
    source: str


@cache
def supervision_policy() -> SupervisionPolicy:
    data = read_reference(SUPERVISION_FILE, error=SupervisionConfigError)
    weeks = data.get("decisions_within_weeks")
    if not isinstance(weeks, int) or isinstance(weeks, bool) or weeks <= 0:
        raise SupervisionConfigError(f"{SUPERVISION_FILE.name}: decisions_within_weeks must be a whole number above 0")
    return SupervisionPolicy(weeks, named_source(data, key="supervision", path=SUPERVISION_FILE))


@dataclass
class WorkerSupervision:
    worker: Worker
    last_held: date | None = None
    days_since: int | None = None
    deadlines: list[Obligation] = field(default_factory=list)  # met in the period, or overdue at its end
    cases: list[int] = field(default_factory=list)  # open cases held as lead (children's ids)
    decided: list[int] = field(default_factory=list)  # of them, with a decision in the last N weeks
    supervises: int = 0  # span of control

    @property
    def on_time(self) -> list[Obligation]:
        return [o for o in self.deadlines if o.status == "met_on_time"]

    @property
    def overdue_now(self) -> bool:
        return any(o.status == "overdue" for o in self.deadlines)

    @property
    def undecided(self) -> list[int]:
        return [c for c in self.cases if c not in self.decided]


@dataclass
class TeamSupervision:
    team: Team
    workers: list[WorkerSupervision]

    @property
    def deadlines(self) -> int:
        return sum(len(w.deadlines) for w in self.workers)

    @property
    def on_time(self) -> int:
        return sum(len(w.on_time) for w in self.workers)

    @property
    def cases(self) -> int:
        return sum(len(w.cases) for w in self.workers)

    @property
    def decided(self) -> int:
        return sum(len(w.decided) for w in self.workers)


def team_supervision(teams: list[Team], *, on: date, period_weeks: int = PERIOD_WEEKS) -> list[TeamSupervision]:
    """The supervision measures of each of `teams` as at the end of `on`, over the `period_weeks` to it."""
    in_post = Q(started_on__lte=on) & (Q(left_on__isnull=True) | Q(left_on__gt=on))
    workers = list(
        Worker.objects.filter(in_post, team__in=teams)
        .annotate(
            last_held=Max("supervisions__held_on", filter=Q(supervisions__held_on__lte=on)),
            supervises=Count(
                "reports",
                filter=Q(reports__started_on__lte=on) & (Q(reports__left_on__isnull=True) | Q(reports__left_on__gt=on)),
                distinct=True,  # the join with supervisions repeats each report
            ),
        )
        .select_related("team")
        .order_by("last_name", "first_name")
    )
    ids = [w.pk for w in workers]
    since = on - timedelta(weeks=period_weeks)
    found = obligations(on=on, workers=ids, rule_keys=SUPERVISION_RULES, since=since - LONGEST_INTERVAL)
    held = held_cases(workers=ids, on=on)
    window = on - timedelta(weeks=supervision_policy().decisions_within_weeks)
    decided = set(
        SupervisionDecision.objects.filter(
            child_id__in=[c for cases in held.values() for c in cases],
            supervision__held_on__gt=window,
            supervision__held_on__lte=on,
        ).values_list("child_id", flat=True)
    )
    rows = {}
    for w in workers:
        rows[w.pk] = WorkerSupervision(
            worker=w,
            last_held=w.last_held,
            days_since=(on - w.last_held).days if w.last_held else None,
            cases=sorted(held[w.pk]),
            decided=sorted(c for c in held[w.pk] if c in decided),
            supervises=w.supervises,
        )
    for o in found:
        met_in_period = o.met_on is not None and since < o.met_on <= on
        if o.worker_id in rows and (met_in_period or o.status == "overdue"):
            rows[o.worker_id].deadlines.append(o)
    return [TeamSupervision(t, [r for r in rows.values() if r.worker.team_id == t.pk]) for t in teams]
