"""The staff pulse survey (issue 15): a few statements (reference/workforce/pulse_survey.toml),
answered once a month by any member of staff, anonymously.

Anonymity is in the schema: `PulseAnswered` says who answered in which month, and holds no
answers; `PulseAnswer` holds one answer with its month (the first day of it) and the team the
person was in, and no user, no timestamp finer than the month, and a random key, so that no row
of one can be matched to a row of the other by order or time. Results are shown only for a group
(team, service area, authority) with at least `smallest_group` responses in the month.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from django.conf import settings
from django.db import models
from django.db.models import Q

from grip.core.reference import read_reference, reference_file

SURVEY_FILE = reference_file("workforce/pulse_survey.toml")
SCALE = range(1, 6)  # the five-point agreement scale


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    source: str


@dataclass(frozen=True)
class Survey:
    questions: tuple[Question, ...]
    smallest_group: int
    scale: tuple[str, ...]
    source: str


@cache
def pulse_survey() -> Survey:
    data = read_reference(SURVEY_FILE)
    questions = tuple(Question(q["key"], q["text"], q["source"]) for q in data["question"])
    return Survey(questions, int(data["smallest_group"]), tuple(data["scale"]), data["source"])


def month_of(day: date) -> date:
    return day.replace(day=1)


class PulseAnswered(models.Model):
    """That a person answered the survey in a month (never what they answered)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The first day of the month.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "month"],
                name="workforce_pulseanswered_once_a_month",
                violation_error_message="You have already answered this month's survey.",
            )
        ]

    def __str__(self) -> str:
        return f"Answered the pulse survey of {self.month:%B %Y}"


class PulseAnswer(models.Model):
    """One answer to one statement: the month, the team the person was in, and the score. No user,
    no time: not linkable to who gave it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    month = models.DateField(help_text="The first day of the month.")
    team = models.ForeignKey("workforce.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    question = models.CharField(max_length=40)
    score = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["month", "question"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=SCALE.start) & Q(score__lt=SCALE.stop),
                name="workforce_pulseanswer_score_on_the_scale",
                violation_error_message="An answer is from 1 (strongly disagree) to 5 (strongly agree).",
            )
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.score} ({self.month:%B %Y})"


# ------------------------------------------------------------------------------ results


@dataclass(frozen=True)
class MonthResult:
    month: date
    responses: int  # 0 when too few to show (fewer than the smallest group)
    averages: dict[str, float] | None  # by question key, to 1 decimal; None when too few

    @property
    def too_few(self) -> bool:
        return self.averages is None


@dataclass(frozen=True)
class GroupResult:
    name: str
    kind: str  # "authority", "service area" or "team"
    months: list[MonthResult]


def months_back(last: date, count: int) -> list[date]:
    """The `count` months up to and including `last`'s, oldest first."""
    month, result = month_of(last), []
    for _ in range(count):
        result.append(month)
        month = (month - timedelta(days=1)).replace(day=1)
    return result[::-1]


def pulse_results(*, months: list[date], teams) -> list[GroupResult]:
    """The survey's monthly results for the authority, each service area and each of `teams`:
    average score per statement per month, only where the group had at least the smallest group's
    number of responses that month (else "fewer than N"). One query."""
    survey = pulse_survey()
    first = survey.questions[0].key
    rows = (
        PulseAnswer.objects.filter(month__in=months)
        .values("month", "team_id", "question")
        .annotate(n=models.Count("id"), total=models.Sum("score"))
        .order_by()
    )
    teams = list(teams)
    area_of = {t.pk: t.service_area for t in teams}
    groups: dict[tuple[str, str], dict[tuple[date, str], list[int]]] = {}
    order: list[tuple[str, str]] = [("authority", "The whole authority")]
    for area in sorted({a for a in area_of.values()}, key=lambda a: a.name):
        order.append(("service area", area.name))
    order += [("team", t.name) for t in teams]

    def add(group: tuple[str, str], month: date, question: str, n: int, total: int) -> None:
        cell = groups.setdefault(group, {}).setdefault((month, question), [0, 0])
        cell[0] += n
        cell[1] += total

    names = {t.pk: t.name for t in teams}
    for row in rows:
        add(("authority", "The whole authority"), row["month"], row["question"], row["n"], row["total"])
        team_id = row["team_id"]
        if team_id in area_of:
            add(("service area", area_of[team_id].name), row["month"], row["question"], row["n"], row["total"])
            add(("team", names[team_id]), row["month"], row["question"], row["n"], row["total"])
    result = []
    for kind, name in order:
        cells = groups.get((kind, name), {})
        shown = []
        for month in months:
            responses = cells.get((month, first), [0, 0])[0]
            if responses < survey.smallest_group:
                shown.append(MonthResult(month, 0, None))
                continue
            averages = {
                q.key: round(cells[(month, q.key)][1] / cells[(month, q.key)][0], 1)
                for q in survey.questions
                if (month, q.key) in cells
            }
            shown.append(MonthResult(month, responses, averages))
        result.append(GroupResult(name, kind, shown))
    return result
