"""Invariants of the workforce records: bad data is refused, with a clear message.

Each constraint is tested twice: the DATABASE refuses the row even when the ORM's validation is
bypassed (``IntegrityError`` naming the constraint), and ``full_clean()`` raises
``ValidationError`` with the constraint's plain-English ``violation_error_message``.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from grip.workforce.models import Absence, ServiceArea, Supervision, Team, Worker
from tests.invariants import (
    HYPOTHESIS,
    clean_refuses,
    code_list_error,
    csv_codes,
    db_refuses,
    db_refuses_action,
    refuses_bad_choice,
)

pytestmark = pytest.mark.django_db

FTE_MESSAGE = "FTE must be more than 0 and at most 1."

# --------------------------------------------------------------------------- helpers


_numbers = itertools.count(1)


@pytest.fixture
def team() -> Team:
    area = ServiceArea.objects.create(name="Inv area")
    return Team.objects.create(name="Inv team", service_area=area, function=Team.Function.ASSESSMENT)


def worker_fields(team: Team, **kwargs: Any) -> dict:
    n = next(_numbers)
    return {
        "first_name": "Sam",
        "last_name": f"Worker{n}",
        "role": "SW",
        "employment_type": "PERMANENT",
        "fte": Decimal("1.00"),
        "team": team,
        "started_on": date(2022, 9, 1),
    } | kwargs


@pytest.fixture
def worker(team) -> Worker:
    return Worker.objects.create(**worker_fields(team))


def absence_fields(worker: Worker, **kwargs: Any) -> dict:
    return {
        "worker": worker,
        "absence_type": "SICKNESS",
        "started_on": date(2024, 2, 5),
        "ended_on": date(2024, 2, 9),
    } | kwargs


def _fields(model, team: Team, worker: Worker, **kwargs: Any) -> dict:
    return worker_fields(team, **kwargs) if model is Worker else absence_fields(worker, **kwargs)


# --------------------------------------------------------------------------- dates in order


ORDERED = [  # model, end field, its started_on in the fields above, message
    pytest.param(Worker, "left_on", date(2022, 9, 1), "A worker cannot leave before they start.", id="worker"),
    pytest.param(Absence, "ended_on", date(2024, 2, 5), "An absence cannot end before it starts.", id="absence"),
]


@pytest.mark.parametrize(("model", "end", "start", "message"), ORDERED)
def test_an_end_before_the_start_is_refused(team, worker, model, end, start, message):
    """A worker cannot leave, nor an absence end, before the start; the start day itself or no end is fine."""
    fields = _fields(model, team, worker, **{end: start - timedelta(days=1)})
    db_refuses(model, fields, f"workforce_{model._meta.model_name}_{end}_after_started_on")
    clean_refuses(model(**fields), message)
    for value in (start, None):
        fields = _fields(model, team, worker, **{end: value})
        model(**fields).full_clean()
        model.objects.create(**fields)


def test_moving_a_leaving_date_before_the_start_is_refused(worker):
    db_refuses_action(
        lambda: Worker.objects.filter(pk=worker.pk).update(left_on=date(2020, 1, 1)),
        "workforce_worker_left_on_after_started_on",
    )


# --------------------------------------------------------------------------- FTE


@pytest.mark.parametrize("fte", ["0", "0.00", "-0.01", "-1", "1.01", "2", "9.99"])
def test_fte_outside_the_range_is_refused(team, fte):
    fields = worker_fields(team, fte=Decimal(fte))
    db_refuses(Worker, fields, "workforce_worker_fte_range")
    clean_refuses(Worker(**fields), FTE_MESSAGE)


@pytest.mark.parametrize("fte", ["0.01", "0.5", "0.6", "1", "1.00"])
def test_fte_in_the_range_is_accepted(team, fte):
    fields = worker_fields(team, fte=Decimal(fte))
    Worker(**fields).full_clean()
    Worker.objects.create(**fields)


@HYPOTHESIS
@given(fte=st.decimals(min_value=Decimal("-9.99"), max_value=Decimal("9.99"), places=2))
def test_fte_accepted_exactly_when_more_than_0_and_at_most_1(team, fte):
    fields = worker_fields(team, fte=fte)
    in_range = Decimal(0) < fte <= Decimal(1)
    with transaction.atomic():
        if in_range:
            Worker(**fields).full_clean()
            Worker.objects.create(**fields)
        else:
            clean_refuses(Worker(**fields), FTE_MESSAGE)
            db_refuses(Worker, fields, "workforce_worker_fte_range")
        transaction.set_rollback(True)


def test_changing_fte_to_zero_is_refused(worker):
    db_refuses_action(
        lambda: Worker.objects.filter(pk=worker.pk).update(fte=Decimal("0")), "workforce_worker_fte_range"
    )


# --------------------------------------------------------------------------- code lists

CODED = [
    (Worker, "role", "worker_role"),
    (Worker, "employment_type", "employment_type"),
    (Absence, "absence_type", "absence_type"),
]


@pytest.mark.parametrize(("model", "field", "list_name"), CODED, ids=lambda v: getattr(v, "__name__", v))
@pytest.mark.parametrize("bad", ["ZZ", "sw", "agency", "SICK", ""])
def test_a_code_not_in_the_list_is_refused(team, worker, model, field, list_name, bad):
    if bad in csv_codes(list_name):
        pytest.skip("in this list")
    fields = _fields(model, team, worker, **{field: bad})
    constraint = f"workforce_{model._meta.model_name}_{field}_code"
    refuses_bad_choice(model, fields, field, constraint, code_list_error(field, list_name))


@pytest.mark.parametrize(("model", "field", "list_name"), CODED, ids=lambda v: getattr(v, "__name__", v))
def test_every_code_in_the_list_is_accepted(team, worker, model, field, list_name):
    rows = [model(**_fields(model, team, worker, **{field: code})) for code in csv_codes(list_name)]
    for row in rows:
        row.full_clean()
    model.objects.bulk_create(rows)
    assert set(csv_codes(list_name)) <= set(model.objects.values_list(field, flat=True))


@HYPOTHESIS
@given(
    role=st.sampled_from(csv_codes("worker_role")),
    employment_type=st.sampled_from(csv_codes("employment_type")),
    absence_type=st.sampled_from(csv_codes("absence_type")),
)
def test_codes_sampled_from_the_csv_are_accepted(team, role, employment_type, absence_type):
    with transaction.atomic():
        someone = Worker(**worker_fields(team, role=role, employment_type=employment_type))
        someone.full_clean()
        someone.save()
        away = Absence(**absence_fields(someone, absence_type=absence_type))
        away.full_clean()
        away.save()
        transaction.set_rollback(True)


@HYPOTHESIS
@given(data=st.data())
def test_values_outside_the_csv_are_refused_by_the_database(team, worker, data):
    model, field, list_name = data.draw(st.sampled_from(CODED))
    good = set(csv_codes(list_name))
    alphabet = st.characters(codec="utf-8", exclude_characters="\x00")
    bad = data.draw(st.text(alphabet, max_size=model._meta.get_field(field).max_length).filter(lambda v: v not in good))
    with transaction.atomic():
        db_refuses(
            model, _fields(model, team, worker, **{field: bad}), f"workforce_{model._meta.model_name}_{field}_code"
        )
        transaction.set_rollback(True)


@pytest.mark.parametrize("function", ["marketing", "Assessment", ""])
def test_an_unknown_team_function_is_refused(function):
    area = ServiceArea.objects.create(name="Function area")
    fields = {"name": "Function team", "service_area": area, "function": function}
    refuses_bad_choice(Team, fields, "function", "workforce_team_function_known", "Choose one of the team functions.")


def test_every_team_function_is_accepted():
    area = ServiceArea.objects.create(name="Function area")
    for function in Team.Function.values:
        team = Team(name=f"Team {function}", service_area=area, function=function)
        team.full_clean()
        team.save()


@HYPOTHESIS
@given(days=st.integers(-60, 60))
def test_absence_dates_accepted_exactly_when_in_order(worker, days):
    fields = absence_fields(worker, ended_on=date(2024, 2, 5) + timedelta(days=days))
    with transaction.atomic():
        if days >= 0:
            Absence(**fields).full_clean()
            Absence.objects.create(**fields)
        else:
            clean_refuses(Absence(**fields), "An absence cannot end before it starts.")
            db_refuses(Absence, fields, "workforce_absence_ended_on_after_started_on")
        transaction.set_rollback(True)


# --------------------------------------------------------------------------- supervision


def test_a_worker_supervising_themselves_is_refused(worker):
    fields = {"worker": worker, "supervisor": worker, "held_on": date(2024, 3, 4)}
    db_refuses(Supervision, fields, "workforce_supervision_not_self")
    clean_refuses(Supervision(**fields), "A worker cannot supervise themselves.")


def test_a_session_with_a_manager_or_with_nobody_recorded_is_accepted(team, worker):
    manager = Worker.objects.create(**worker_fields(team, role="TM"))
    for supervisor in (manager, None):
        session = Supervision(worker=worker, supervisor=supervisor, held_on=date(2024, 3, 4))
        session.full_clean()
        session.save()
    assert list(worker.supervisions.values_list("supervisor", flat=True).order_by("pk")) == [manager.pk, None]
    assert list(manager.supervisions_given.all()) == [worker.supervisions.order_by("pk").first()]


def test_making_a_session_self_supervised_is_refused(team, worker):
    session = Supervision.objects.create(
        worker=worker, supervisor=Worker.objects.create(**worker_fields(team, role="TM")), held_on=date(2024, 3, 4)
    )
    db_refuses_action(
        lambda: Supervision.objects.filter(pk=session.pk).update(supervisor=worker), "workforce_supervision_not_self"
    )


def test_a_leavers_supervision_sessions_go_with_their_record_and_a_supervisors_leave_the_sessions(team, worker):
    manager = Worker.objects.create(**worker_fields(team, role="TM"))
    Supervision.objects.create(worker=worker, supervisor=manager, held_on=date(2024, 3, 4))
    manager.delete()
    assert Supervision.objects.get().supervisor is None
    worker.delete()
    assert not Supervision.objects.exists()
