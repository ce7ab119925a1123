"""A manager's authorisation queue: the assessments submitted and waiting for authorisation on
the cases of the teams they are in charge of (grip.workforce.selectors.teams_managed_by), oldest
first, with how long each has waited. A case belongs to the team of its lead worker today, or,
with none, to the team whose queue it waits in (grip.allocation.register.queue_teams). Every child
listed is one the manager may open (grip.access.scope); restricted ones are counted, never named.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from grip.access.capabilities import AUTHORISE_AN_ASSESSMENT
from grip.access.decorators import ROLES, access_rule
from grip.access.scope import openable_among
from grip.allocation.register import queue_teams
from grip.allocation.selectors import current_leads
from grip.audit import services as audit
from grip.cases.models import Assessment
from grip.core.codelists import label
from grip.web.toolkit.pages import render_page
from grip.workforce.models import Team
from grip.workforce.selectors import teams_managed_by


@dataclass(frozen=True)
class Waiting:
    assessment: Assessment
    team: Team
    days_waiting: int  # calendar days since it was submitted
    outcome: str


@dataclass(frozen=True)
class Queue:
    rows: list[Waiting]
    hidden: int  # restricted records left out (counted, never named)


def authorisation_queue(*, user, on: date) -> Queue:
    """The assessments waiting for `user` to authorise, oldest submission first."""
    teams = {t.pk: t for t in teams_managed_by(user)}
    waiting = list(
        Assessment.objects.filter(
            submitted_at__isnull=False, authorised_on__isnull=True, episode__closure_date__isnull=True
        ).select_related("episode__child", "submitted_by")
    )
    children = {a.episode.child_id for a in waiting}
    team_of = {pk: lead.team_id for pk, lead in current_leads(on=on, children=children).items()}
    unheld = children - set(team_of)
    if unheld:
        team_of |= queue_teams(on=on, children=unheld)
    mine = [a for a in waiting if team_of.get(a.episode.child_id) in teams]
    found = openable_among(user, {a.episode.child_id for a in mine})
    rows = [
        Waiting(
            assessment=a,
            team=teams[team_of[a.episode.child_id]],
            days_waiting=(on - timezone.localdate(a.submitted_at)).days,
            outcome=label("assessment_outcome", a.outcome),
        )
        for a in mine
        if a.episode.child_id in found.visible
    ]
    rows.sort(key=lambda row: (row.assessment.submitted_at, row.assessment.pk))
    return Queue(rows, len(found.restricted))


@access_rule(ROLES, roles=AUTHORISE_AN_ASSESSMENT.roles)
def authorisation_queue_page(request):
    """The signed-in manager's queue of assessments to authorise."""
    today = timezone.localdate()
    queue = authorisation_queue(user=request.user, on=today)
    with transaction.atomic():
        audit.record(
            actor=request.user,
            verb="authorisation_queue_viewed",
            payload={"children": [row.assessment.episode.child_id for row in queue.rows]},
            request=request,
        )
    return render_page(request, "recording/assessments/queue.html", {"queue": queue, "today": today})
