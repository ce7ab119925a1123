"""Supervision measures, worked by hand on the assessment team (grip.recording.supervision_measures).

Ada and Ben are social workers in post since 6 January 2020: the local rule `supervision` wants a
session a month after they started and then a month after each session (reference/timescales/
rules.toml). The period is the 12 weeks to today; decisions count for 4 weeks
(reference/workforce/supervision.toml).

- Ada had sessions 40 and 20 days ago. The first met the deadline of 6 February 2020, late; the
  second met the one due a month after the first (between 9 and 12 days ago, by the month's length),
  on time; the next is not due yet. In timescale: 1 of 2. Last supervised 20 days ago.
- Ben has had none: the deadline of 6 February 2020 is overdue. In timescale: 0 of 1.
- Ada holds Ava (a decision 20 days ago: within 4 weeks) and Al (a decision 40 days ago: not);
  Ben holds Bo (no decision). Cases with a recent decision: Ada 1 of 2, Ben 0 of 1, team 1 of 3.
- Tam (the team manager) manages Ada and Ben, and a worker who left yesterday: span of control 2.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from grip.recording.supervision_measures import team_supervision
from grip.workforce.models import Supervision
from tests.cases.factories import AllocationFactory, WorkerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(service):
    today, tm = service.today, service.workers["tm"]
    ada, ben = service.workers["ada"], service.workers["ben"]
    for worker in (ada, ben):
        worker.manager = tm
        worker.save(update_fields=["manager"])
    WorkerFactory(team=service.assessment, manager=tm, left_on=today - timedelta(days=1))
    ava, al, bo = service.open_case("Ava"), service.open_case("Al"), service.open_case("Bo")
    for child, worker in ((ava, ada), (al, ada), (bo, ben)):
        AllocationFactory(child=child, worker=worker)
    earlier = Supervision.objects.create(worker=ada, supervisor=tm, held_on=today - timedelta(days=40))
    earlier.decisions.create(child=al, decision="Close after the review.")
    later = Supervision.objects.create(worker=ada, supervisor=tm, held_on=today - timedelta(days=20))
    later.decisions.create(child=ava, decision="Step down to early help.")
    return {"ava": ava, "al": al, "bo": bo}


def test_the_measures_of_a_team_worked_by_hand(service, team):
    [measures] = team_supervision([service.assessment], on=service.today)
    rows = {w.worker.first_name: w for w in measures.workers}
    ada, ben, tam = rows["Ada"], rows["Ben"], rows["Tam"]

    assert [o.status for o in ada.deadlines] == ["met_late", "met_on_time"]
    assert (len(ada.on_time), ada.overdue_now, ada.days_since) == (1, False, 20)
    assert [o.status for o in ben.deadlines] == ["overdue"]
    assert (len(ben.on_time), ben.overdue_now, ben.days_since, ben.last_held) == (0, True, None, None)
    assert tam.deadlines == []  # no frequency rule for a team manager in the rules file

    assert (ada.decided, ada.undecided) == ([team["ava"].pk], [team["al"].pk])
    assert (ben.decided, ben.undecided) == ([], [team["bo"].pk])
    assert (measures.on_time, measures.deadlines, measures.decided, measures.cases) == (1, 3, 1, 3)
    assert (tam.supervises, ada.supervises) == (2, 0)


def test_the_team_page_shows_each_figure_and_the_cases_behind_it(client, service, team):
    client.force_login(service.manager)
    page = client.get(reverse("recording:supervision-team")).content.decode()
    assert "Assessment North: 1 of 3 in timescale; 1 of 3 cases with a recent decision" in page
    ada = page[page.index(f'data-testid="worker-{service.workers["ada"].pk}"') :]
    ada = ada[: ada.index("</tr>")]
    assert "1 of 2" in ada and team["al"].full_name in ada and team["ava"].full_name not in ada


def test_a_manager_sees_only_their_own_teams(client, service, team):
    client.force_login(service.protection_manager)
    page = client.get(reverse("recording:supervision-team")).content.decode()
    assert "Child Protection North" in page and "Assessment North" not in page
    assert team["bo"].full_name not in page
