"""The rules of absence and supervision records (grip.workforce.services) and days lost per FTE
(grip.workforce.absences), each refused with a plain-English message and nothing changed."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from grip.workforce import services
from grip.workforce.absences import days_lost_per_fte, working_days_away
from grip.workforce.models import Absence, Supervision
from tests.cases.factories import WorkerFactory

pytestmark = pytest.mark.django_db


def _session(service, **changes):
    fields = {
        "actor": service.manager,
        "worker": service.workers["ada"],
        "held_on": service.today,
        "duration_minutes": 60,
        "supervision_type": "INDIVIDUAL",
        "decisions": [],
        **changes,
    }
    return services.supervision_record(**fields)


def test_the_supervisor_is_the_manager_who_records_the_session(service):
    session = _session(service, reflection="  Workload and wellbeing.  ")
    assert (session.supervisor, session.recorded_by, session.reflection) == (
        service.workers["tm"],
        service.manager,
        "Workload and wellbeing.",
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"duration_minutes": 0}, "duration_minutes", "Enter how long the session lasted, up to 8 hours."),
        ({"duration_minutes": 481}, "duration_minutes", "Enter how long the session lasted, up to 8 hours."),
        ({"supervision_type": "PEER"}, "supervision_type", "Choose the type of supervision."),
        ({"held_on": date(2019, 12, 31)}, "held_on", "Ada Shaw started on 06/01/2020: the session was after."),
    ],
)
def test_a_session_that_cannot_be_is_refused(service, changes, field, message):
    with pytest.raises(ValidationError) as refused:
        _session(service, **changes)
    assert refused.value.message_dict == {field: [message]}
    assert not Supervision.objects.exists()


def test_a_session_in_the_future_is_refused(service):
    with pytest.raises(ValidationError, match="cannot be in the future"):
        _session(service, held_on=service.today + timedelta(days=1))


def test_each_case_has_one_written_decision(service):
    child = service.open_case("Ava")
    with pytest.raises(ValidationError, match="Each case is discussed once"):
        _session(service, decisions=[(child, "One"), (child, "Two")])
    with pytest.raises(ValidationError, match="Write the management decision"):
        _session(service, decisions=[(child, "   ")])
    assert not Supervision.objects.exists()


def test_a_decision_only_on_a_case_the_manager_may_open(service):
    elsewhere = service.open_case("Eve")  # held by nobody the manager is in charge of: not in their scope
    with pytest.raises(PermissionDenied):
        _session(service, decisions=[(elsewhere, "Close the case.")])
    assert not Supervision.objects.exists()


def test_only_a_manager_of_the_workers_team_records_their_supervision(service):
    with pytest.raises(PermissionDenied):
        _session(service, actor=service.protection_manager)
    with pytest.raises(ValidationError, match="cannot record your own supervision"):
        _session(service, worker=service.workers["tm"])


def test_only_the_worker_confirms_and_only_once(service):
    session = _session(service)
    with pytest.raises(PermissionDenied):
        services.supervision_confirm(actor=service.manager, supervision=session)
    services.supervision_confirm(actor=service.users["ada"], supervision=session)
    with pytest.raises(ValidationError, match="You confirmed this record"):
        services.supervision_confirm(actor=service.users["ada"], supervision=session)


def test_a_sickness_reason_is_for_sickness_only(service):
    ada = service.workers["ada"]
    with pytest.raises(ValidationError, match="Only a sickness absence"):
        services.absence_record(
            actor=service.manager,
            worker=ada,
            absence_type="ANNUAL_LEAVE",
            sickness_reason="S13",
            started_on=service.today,
        )
    with pytest.raises(ValidationError, match="Choose the reason"):
        services.absence_record(
            actor=service.manager, worker=ada, absence_type="SICKNESS", sickness_reason="X1", started_on=service.today
        )
    assert not Absence.objects.exists()


def test_a_return_cannot_overlap_the_next_absence(service):
    ada, today = service.workers["ada"], service.today
    first = Absence.objects.create(worker=ada, absence_type="SICKNESS", started_on=today - timedelta(days=20))
    Absence.objects.create(
        worker=ada, absence_type="ANNUAL_LEAVE", started_on=today - timedelta(days=5), ended_on=today - timedelta(1)
    )
    with pytest.raises(ValidationError, match="already has an absence recorded"):
        services.absence_return_record(actor=service.manager, absence=first, ended_on=today - timedelta(days=3))
    first.refresh_from_db()
    assert first.ended_on is None


# --- days lost --------------------------------------------------------------------------------------
# March and April 2026 in England: Good Friday is 3 April and Easter Monday 6 April 2026.


def test_days_lost_are_working_days_in_the_period(service):
    ada = service.workers["ada"]
    # Monday 2 to Friday 13 March 2026: two weeks, 10 working days.
    fortnight = Absence(worker=ada, absence_type="SICKNESS", started_on=date(2026, 3, 2), ended_on=date(2026, 3, 13))
    assert working_days_away(fortnight, start=date(2026, 3, 1), end=date(2026, 3, 31)) == 10
    # The period ends on Wednesday 11 March: Monday 2 to Wednesday 11 is 8 working days.
    assert working_days_away(fortnight, start=date(2026, 3, 1), end=date(2026, 3, 11)) == 8
    # Going on from Monday 30 March: 30, 31 March, 1, 2, 7, 8, 9, 10 April to Friday 10 April (Easter: 3 and 6).
    going_on = Absence(worker=ada, absence_type="SICKNESS", started_on=date(2026, 3, 30))
    assert working_days_away(going_on, start=date(2026, 3, 1), end=date(2026, 4, 10)) == 8


def test_days_lost_per_fte(service):
    ada = service.workers["ada"]
    ada.fte = Decimal("0.5")
    ada.save(update_fields=["fte"])
    other = WorkerFactory(team=service.assessment)  # 1.0 FTE, never away
    Absence.objects.create(worker=ada, absence_type="SICKNESS", started_on=date(2026, 3, 2), ended_on=date(2026, 3, 13))
    Absence.objects.create(
        worker=ada, absence_type="ANNUAL_LEAVE", started_on=date(2026, 3, 16), ended_on=date(2026, 3, 16)
    )
    # Sickness: 10 working days over 1.5 FTE = 6.67, shown to one place as 6.7. Every kind: 11 / 1.5 = 7.3.
    period = {"start": date(2026, 3, 1), "end": date(2026, 3, 31)}
    assert days_lost_per_fte([ada, other], types=["SICKNESS", "LONG_TERM_SICKNESS"], **period) == Decimal("6.7")
    assert days_lost_per_fte([ada, other], **period) == Decimal("7.3")
    assert days_lost_per_fte([], **period) is None
