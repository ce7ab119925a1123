"""Property: for any sequence of allocations, reallocations, endings, closures and leavings, the
unallocated register is exactly the set of open cases without a current lead worker, and the
reallocation list exactly the open cases held by someone who has left.

The expected sets come from a plain model kept beside the database (what each successful step
did), not from the selectors under test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from hypothesis import given
from hypothesis import strategies as st

from grip.allocation import services
from grip.allocation.register import reallocation_list, unallocated_register
from grip.cases.models import CINEpisode
from grip.workforce import services as workforce
from tests.cases.factories import CINEpisodeFactory, WorkerFactory
from tests.invariants import HYPOTHESIS
from tests.people.factories import ChildFactory

from .conftest import route_to_queue

pytestmark = pytest.mark.django_db

CHILDREN, WORKERS = 4, 3

steps = st.lists(
    st.one_of(
        st.tuples(st.just("allocate"), st.integers(0, CHILDREN - 1), st.integers(0, WORKERS - 1)),
        st.tuples(st.just("reallocate"), st.integers(0, CHILDREN - 1), st.integers(0, WORKERS - 1)),
        st.tuples(st.just("end"), st.integers(0, CHILDREN - 1), st.just(0)),
        st.tuples(st.just("close"), st.integers(0, CHILDREN - 1), st.just(0)),
        st.tuples(st.just("leave"), st.just(0), st.integers(0, WORKERS - 1)),
        st.tuples(st.just("wait"), st.integers(1, 20), st.just(0)),
    ),
    max_size=14,
)


@dataclass
class Expected:
    closed_on: dict[int, date] = field(default_factory=dict)
    lead: dict[int, tuple[int, date]] = field(default_factory=dict)  # child → (worker, since)
    left_on: dict[int, date] = field(default_factory=dict)

    def open_on(self, child: int, day: date) -> bool:
        return child not in self.closed_on or self.closed_on[child] > day


def nothing_overdue(**_kwargs):
    return {}


@HYPOTHESIS
@given(plan=steps)
def test_the_register_is_the_open_cases_without_a_current_lead(service, plan):
    start = service.today - timedelta(days=300)
    children = [ChildFactory(last_name="Prop") for _ in range(CHILDREN)]
    for child in children:
        CINEpisodeFactory(child=child, referral_date=start)
        route_to_queue(child, service.assessment, on=start)  # the manager's to allocate
    workers = [WorkerFactory(team=service.assessment, started_on=start) for _ in range(WORKERS)]
    ids = {c.pk for c in children}
    expected = Expected()
    day = start + timedelta(days=1)
    for action, i, j in plan:
        child, worker = children[i % CHILDREN], workers[j]
        try:
            if action == "allocate":
                services.case_allocate(actor=service.manager, child=child, worker=worker, on=day)
                expected.lead[child.pk] = (worker.pk, day)
            elif action == "reallocate":
                current = child.allocations.filter(role="lead", ended_on=None).first()
                if current is None:
                    continue
                services.case_reallocate(actor=service.manager, child=child, current=current, worker=worker, on=day)
                expected.lead[child.pk] = (worker.pk, day)
            elif action == "end":
                current = child.allocations.filter(role="lead", ended_on=None).first()
                if current is None:
                    continue
                services.allocation_end(actor=service.manager, allocation=current, on=day, reason="Case reviewed")
                del expected.lead[child.pk]
            elif action == "close":
                if CINEpisode.objects.filter(child=child, closure_date=None).update(
                    closure_date=day, closure_reason="RC1"
                ):
                    expected.closed_on[child.pk] = day
            elif action == "leave":
                if worker.pk not in expected.left_on:
                    workforce.worker_leaving_record(actor=service.manager, worker=worker, left_on=day)
                    expected.left_on[worker.pk] = day
            elif action == "wait":
                day += timedelta(days=i)
                if day > service.today:
                    break
        except (ValidationError, Http404):  # Http404: a closed case the team no longer sees
            continue  # refused: nothing changed, so nothing to expect
    for on in (day, day + timedelta(days=1)):
        if on > service.today:
            continue
        open_now = {pk for pk in ids if expected.open_on(pk, on)}
        held = {pk for pk, (_w, since) in expected.lead.items() if since <= on}
        register = {r.child.pk for r in unallocated_register(on=on, overdue=nothing_overdue)} & ids
        assert register == open_now - held
        gone = {w for w, leaving in expected.left_on.items() if leaving <= on}  # out of post from the leaving date
        exposed = {r.child.pk for r in reallocation_list(on=on)} & ids
        assert exposed == {pk for pk in open_now & held if expected.lead[pk][0] in gone}
