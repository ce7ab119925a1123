"""The engine's queries are compiled once per shape: each call must still read its own date and ids."""

from datetime import date

import pytest

from grip.cases.models import Visit
from grip.core.lookups import Ids
from grip.timescales import prepared
from grip.timescales.columns import Columns, columns_sql, read_columns
from grip.timescales.events import Scope
from tests.cases.factories import ChildProtectionPlanFactory, VisitFactory

from .support import backdate, listed

pytestmark = pytest.mark.django_db

VISIT_DAYS = Columns(ints={"id": "id", "owner": "child_id"}, days={"day": "visited_on"})


def _visits(scope: Scope):
    query = Visit.objects.filter(visited_on__lte=scope.on, recorded_at__lt=scope.end_of_on)
    if scope.children is not None:
        query = query.filter(child_id__ids_in=scope.children)
    return query.order_by("id")


def test_each_call_reads_its_own_date_and_children_through_the_one_compiled_query():
    first, second = ChildProtectionPlanFactory(), ChildProtectionPlanFactory()
    a, b = first.episode.child_id, second.episode.child_id
    VisitFactory(child_id=a, visited_on=date(2026, 3, 2))
    VisitFactory(child_id=a, visited_on=date(2026, 3, 9))
    VisitFactory(child_id=b, visited_on=date(2026, 3, 4))
    backdate()
    scopes = [
        Scope(on=date(2026, 3, 3), window_start=date(2026, 3, 3), children=Ids([a, b])),
        Scope(on=date(2026, 3, 31), window_start=date(2026, 3, 31), children=Ids([a])),
        Scope(on=date(2026, 3, 31), window_start=date(2026, 3, 31), children=Ids([b])),
        Scope(on=date(2026, 3, 31), window_start=date(2026, 3, 31)),
    ]
    for scope in scopes:
        got = prepared.read(("test", "visits"), _visits, VISIT_DAYS, scope)
        sql, params = columns_sql(_visits(scope), VISIT_DAYS)
        expected = read_columns(sql, params, VISIT_DAYS, using="default")
        assert got["id"].tolist() == expected["id"].tolist()
        assert got["day"].tolist() == expected["day"].tolist()
    assert [len(prepared.read(("test", "visits"), _visits, VISIT_DAYS, s)["id"]) for s in scopes] == [1, 2, 1, 3]


def test_a_query_that_depends_on_more_than_the_scope_is_refused():
    def fixed_day(scope: Scope):
        return Visit.objects.filter(visited_on__lte=date(2026, 1, 1), child_id__ids_in=scope.children)

    scope = Scope(on=date(2026, 3, 31), window_start=date(2026, 3, 31), children=Ids([1]))
    with pytest.raises(prepared.UnfilledParameter, match="not the scope's"):
        prepared.read(("test", "fixed day"), fixed_day, VISIT_DAYS, scope)


def test_recording_a_visit_is_seen_by_the_next_call():
    plan = ChildProtectionPlanFactory(started_on=date(2026, 3, 2))
    before = listed("cp_visit", date(2026, 3, 20), children=[plan.episode.child_id])
    VisitFactory(child=plan.episode.child, visit_type="CP", visited_on=date(2026, 3, 13))
    after = listed("cp_visit", date(2026, 3, 20), children=[plan.episode.child_id])

    assert [o.status for o in before] == ["overdue"]
    assert [(o.occurrence, o.status, o.due) for o in after] == [(2, "due_soon", date(2026, 3, 27))]
