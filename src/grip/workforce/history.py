"""Reads of the establishment and of workers' history, as at any day.

- `terms_on(worker, day)`: a worker's role, team, FTE, contract and manager that day;
- `terms_by_worker(day)`: everyone's, in one query (the census reads these);
- `team_posts(team, day)`: a team's funded posts that day, who fills each and how, and since when
  each vacant post has been vacant; what a team manager's establishment page lists.

Periods are half-open (grip.core.periods): a row is in force from its start day and no longer on
its end day, like a worker's `left_on`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q

from grip.core.periods import open_on
from grip.workforce.establishment import Post, PostFilling, WorkerTerms
from grip.workforce.models import Team, Worker


def terms_on(worker: Worker, day: date) -> WorkerTerms | None:
    """The worker's terms in force on `day`, or None before their first terms."""
    return WorkerTerms.objects.filter(open_on("started_on", "ended_on", day), worker=worker).first()


def terms_by_worker(day: date, *, workers: Iterable[int] | None = None) -> dict[int, WorkerTerms]:
    """Every worker's terms in force on `day` (of `workers` if given), by worker id: one query."""
    rows = WorkerTerms.objects.filter(open_on("started_on", "ended_on", day))
    if workers is not None:
        rows = rows.filter(worker_id__in=list(workers))
    return {row.worker_id: row for row in rows}


def current_terms(worker: Worker) -> WorkerTerms | None:
    return worker.terms.filter(ended_on__isnull=True).first()


@dataclass(frozen=True)
class PostOnDay:
    """A funded post on a day: who fills it and how, or since when it has been vacant."""

    post: Post
    filling: PostFilling | None
    vacant_since: date | None  # None when filled

    @property
    def vacant(self) -> bool:
        return self.filling is None

    @property
    def agency_cover(self) -> bool:
        return self.filling is not None and self.filling.basis == "AGENCY"


def vacant_since(post: Post, fillings: list[PostFilling], day: date) -> date:
    """The day an unfilled post became vacant: when its last filler left it, or when it was first funded."""
    ended = [f.ended_on for f in fillings if f.ended_on is not None and f.ended_on <= day]
    return max(ended) if ended else post.started_on


def posts_on(day: date, *, teams: Iterable[Team] | None = None) -> list[PostOnDay]:
    """The posts funded on `day` (of `teams` if given), each with its filling that day: two queries."""
    posts = Post.objects.filter(open_on("started_on", "ended_on", day)).select_related("team")
    if teams is not None:
        posts = posts.filter(team__in=[t.pk for t in teams])
    posts = list(posts.order_by("team__name", "role", "pk"))
    fillings: dict[int, list[PostFilling]] = {p.pk: [] for p in posts}
    rows = PostFilling.objects.filter(post__in=list(fillings), started_on__lte=day).select_related("worker")
    for filling in rows:
        fillings[filling.post_id].append(filling)
    result = []
    for post in posts:
        now = next((f for f in fillings[post.pk] if f.ended_on is None or f.ended_on > day), None)
        result.append(PostOnDay(post, now, None if now else vacant_since(post, fillings[post.pk], day)))
    return result


@dataclass(frozen=True)
class TeamEstablishment:
    team: Team
    on: date
    posts: list[PostOnDay]

    @property
    def funded_fte(self) -> Decimal:
        return sum((p.post.fte for p in self.posts), Decimal(0))

    @property
    def vacant(self) -> list[PostOnDay]:
        """The vacancies, as the workforce census counts them: posts nobody fills and posts an agency
        worker covers (a vacancy whether or not agency covers it: reference/workforce/census.toml)."""
        return [p for p in self.posts if p.vacant or p.agency_cover]

    @property
    def agency(self) -> list[PostOnDay]:
        return [p for p in self.posts if p.agency_cover]

    @property
    def vacant_fte(self) -> Decimal:
        return sum((p.post.fte for p in self.vacant), Decimal(0))

    @property
    def agency_fte(self) -> Decimal:
        return sum((p.post.fte for p in self.agency), Decimal(0))


def team_establishment(team: Team, day: date) -> TeamEstablishment:
    return TeamEstablishment(team, day, posts_on(day, teams=[team]))


def workers_without_a_post(team: Team, day: date) -> list[Worker]:
    """The team's workers in post on `day` who fill no post then: who a manager may put in one."""
    in_team = WorkerTerms.objects.filter(open_on("started_on", "ended_on", day), team=team).values("worker_id")
    filling = PostFilling.objects.filter(open_on("started_on", "ended_on", day)).values("worker_id")
    workers = Worker.objects.filter(pk__in=in_team).exclude(pk__in=filling)
    workers = workers.filter(started_on__lte=day).filter(Q(left_on__isnull=True) | Q(left_on__gt=day))
    return list(workers.order_by("last_name", "first_name"))
