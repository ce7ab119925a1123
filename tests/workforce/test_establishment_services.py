"""The establishment services: what a manager records about posts and people, and what each
refuses. Uses tests/allocation/conftest.py's small service (teams Assessment North and Child
Protection North in North, Assessment South in South; `tm` manages Assessment North, `sm` the
North service area)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from grip.workforce import services
from grip.workforce.history import team_establishment, terms_on, workers_without_a_post
from grip.workforce.models import Asye, Post, Team, Worker, WorkerTerms

D = Decimal
pytestmark = pytest.mark.django_db


def _post(s, team=None, **kwargs) -> Post:
    fields = {"role": "SW", "fte": D("1.00"), "case_holding": True, "started_on": s.today - timedelta(days=100)}
    return services.post_add(team=team or s.assessment, by=s.manager, **(fields | kwargs))


def test_adding_posts_keeps_the_teams_establishment_in_step(service):
    """Two posts funded today or earlier (1.0 + 0.6) and one funded from next month: 1.6 FTE today."""
    _post(service)
    _post(service, fte=D("0.60"))
    _post(service, started_on=service.today + timedelta(days=31))
    assert Team.objects.get(pk=service.assessment.pk).establishment_fte == D("1.60")


def test_a_team_manager_manages_only_their_own_teams_posts(service):
    with pytest.raises(PermissionDenied):
        _post(service, team=service.protection)
    # The service manager is in charge of every team of their service area.
    services.post_add(
        team=service.protection,
        role="SW",
        fte=D(1),
        case_holding=True,
        started_on=service.today,
        by=service.service_manager,
    )


def test_a_post_is_refused_a_role_or_fte_out_of_range(service):
    with pytest.raises(ValidationError) as refused:
        _post(service, fte=D("1.20"))
    assert "FTE must be more than 0 and at most 1" in str(refused.value)
    with pytest.raises(ValidationError):
        _post(service, role="CHIEF")


def test_filling_a_post_then_vacating_it_shows_who_and_since_when(service):
    post = _post(service)
    ada = service.workers["ada"]
    services.post_fill(
        post=post, worker=ada, basis="PERMANENT", started_on=service.today - timedelta(days=50), by=service.manager
    )
    shown = team_establishment(service.assessment, service.today)
    assert [(p.post, p.filling.worker) for p in shown.posts] == [(post, ada)]
    services.post_vacate(post=post, ended_on=service.today - timedelta(days=10), by=service.manager)
    shown = team_establishment(service.assessment, service.today)
    assert shown.posts[0].vacant and shown.posts[0].vacant_since == service.today - timedelta(days=10)
    assert shown.vacant_fte == D("1.00")
    # As at a day before she left it, the post was hers.
    earlier = team_establishment(service.assessment, service.today - timedelta(days=20))
    assert earlier.posts[0].filling.worker == ada


def test_a_post_is_filled_by_one_worker_at_a_time_and_a_worker_fills_one_post(service):
    post, other = _post(service), _post(service)
    ada, ben = service.workers["ada"], service.workers["ben"]
    start = service.today - timedelta(days=5)
    services.post_fill(post=post, worker=ada, basis="PERMANENT", started_on=start, by=service.manager)
    with pytest.raises(ValidationError, match="Someone fills the post"):
        services.post_fill(post=post, worker=ben, basis="PERMANENT", started_on=start, by=service.manager)
    with pytest.raises(ValidationError, match="fills another post"):
        services.post_fill(post=other, worker=ada, basis="PERMANENT", started_on=start, by=service.manager)


def test_only_an_agency_worker_covers_a_post_as_agency(service):
    post = _post(service)
    with pytest.raises(ValidationError, match="agency"):
        services.post_fill(
            post=post, worker=service.workers["ada"], basis="AGENCY", started_on=service.today, by=service.manager
        )


def test_a_filled_post_cannot_stop_being_funded(service):
    post = _post(service)
    services.post_fill(
        post=post, worker=service.workers["ada"], basis="PERMANENT", started_on=service.today, by=service.manager
    )
    with pytest.raises(ValidationError, match="leaving it first"):
        services.post_end(post=post, ended_on=service.today + timedelta(days=30), by=service.manager)


def test_a_starter_gets_their_first_terms_and_their_post(service):
    post = _post(service)
    worker = services.starter_record(
        first_name="Nia",
        last_name="New",
        team=service.assessment,
        role="ASYE",
        fte=D("1.00"),
        employment_type="PERMANENT",
        started_on=service.today,
        start_origin="1",
        post=post,
        basis="PERMANENT",
        by=service.manager,
    )
    assert worker.start_origin == "1"
    assert terms_on(worker, service.today).role == "ASYE"
    assert post.fillings.get().worker == worker


def test_a_change_of_terms_keeps_history_and_the_current_values_in_step(service):
    """Ada: SW 1.0 in Assessment North from 2020-01-06 (the factory's); 0.6 SSW from 10 days ago."""
    ada = service.workers["ada"]
    changed = service.today - timedelta(days=10)
    services.terms_change(
        worker=ada,
        effective_on=changed,
        role="SSW",
        team=service.assessment,
        fte=D("0.60"),
        employment_type="PERMANENT",
        manager=service.workers["tm"],
        by=service.manager,
    )
    ada.refresh_from_db()
    assert (ada.role, ada.fte, ada.manager) == ("SSW", D("0.60"), service.workers["tm"])
    before = terms_on(ada, changed - timedelta(days=1))
    assert (before.role, before.fte, before.ended_on) == ("SW", D("1.00"), changed)
    assert terms_on(ada, changed).fte == D("0.60")


def test_a_change_of_terms_takes_effect_today_or_earlier_and_after_the_last_change(service):
    ada = service.workers["ada"]
    fields = {"role": "SW", "team": service.assessment, "employment_type": "PERMANENT", "manager": None}
    with pytest.raises(ValidationError, match="future"):
        services.terms_change(
            worker=ada, effective_on=service.today + timedelta(days=1), fte=D("0.5"), by=service.manager, **fields
        )
    with pytest.raises(ValidationError, match="last changed"):
        services.terms_change(worker=ada, effective_on=ada.started_on, fte=D("0.5"), by=service.manager, **fields)
    with pytest.raises(ValidationError, match="Nothing has changed"):
        services.terms_change(worker=ada, effective_on=service.today, fte=D("1.00"), by=service.manager, **fields)


def test_a_move_to_another_team_needs_someone_in_charge_of_both_and_ends_the_old_post(service):
    ada = service.workers["ada"]
    post = _post(service)
    services.post_fill(
        post=post, worker=ada, basis="PERMANENT", started_on=service.today - timedelta(days=30), by=service.manager
    )
    fields = {"role": "SW", "fte": D("1.00"), "employment_type": "PERMANENT", "manager": None}
    with pytest.raises(PermissionDenied):  # the team manager is not in charge of Child Protection North
        services.terms_change(
            worker=ada, effective_on=service.today, team=service.protection, by=service.manager, **fields
        )
    services.terms_change(
        worker=ada, effective_on=service.today, team=service.protection, by=service.service_manager, **fields
    )
    assert Worker.objects.get(pk=ada.pk).team == service.protection
    assert post.fillings.get().ended_on == service.today
    assert ada in workers_without_a_post(service.protection, service.today)
    assert ada not in workers_without_a_post(service.assessment, service.today)


def test_a_leaver_leaves_their_post_vacant_with_the_census_reason(service):
    ben = service.workers["ben"]
    post = _post(service)
    services.post_fill(
        post=post, worker=ben, basis="PERMANENT", started_on=service.today - timedelta(days=30), by=service.manager
    )
    with pytest.raises(ValidationError, match="reason"):
        services.leaver_record(worker=ben, left_on=service.today, reason="", by=service.manager)
    services.leaver_record(worker=ben, left_on=service.today, reason="1", by=service.manager)
    ben.refresh_from_db()
    assert (ben.left_on, ben.leaving_reason, ben.get_leaving_reason_display()) == (service.today, "1", "1: Resignation")
    assert team_establishment(service.assessment, service.today).posts[0].vacant_since == service.today


@pytest.mark.parametrize("typed", ["SW123456", "sw 123456", " SW1 "])
def test_a_social_work_england_number_is_sw_and_numbers(service, typed):
    ada = service.workers["ada"]
    registration = services.registration_record(
        worker=ada, swe_number=typed, renewal_due_on=date(2027, 11, 30), by=service.manager
    )
    assert registration.swe_number == typed.replace(" ", "").upper()


@pytest.mark.parametrize("typed", ["", "123456", "SW", "SWE12345", "XY123456", "SW12A"])
def test_anything_else_is_not_a_social_work_england_number(service, typed):
    with pytest.raises(ValidationError, match="SW followed by numbers"):
        services.registration_record(
            worker=service.workers["ada"], swe_number=typed, renewal_due_on=date(2027, 11, 30), by=service.manager
        )


def test_two_workers_cannot_share_a_registration_number(service):
    services.registration_record(
        worker=service.workers["ada"], swe_number="SW1", renewal_due_on=date(2027, 1, 1), by=service.manager
    )
    with pytest.raises(ValidationError, match="another worker"):
        services.registration_record(
            worker=service.workers["ben"], swe_number="SW1", renewal_due_on=date(2027, 1, 1), by=service.manager
        )


def test_completing_the_asye_makes_a_newly_qualified_worker_a_social_worker_from_that_day(service):
    nia = services.starter_record(
        first_name="Nia",
        last_name="New",
        team=service.assessment,
        role="ASYE",
        fte=D("1.00"),
        employment_type="PERMANENT",
        started_on=service.today - timedelta(days=400),
        by=service.manager,
    )
    services.asye_start(worker=nia, started_on=nia.started_on, by=service.manager)
    completed = service.today - timedelta(days=30)
    services.asye_complete(worker=nia, completed_on=completed, by=service.manager)
    assert Asye.objects.get(worker=nia).completed_on == completed
    assert Worker.objects.get(pk=nia.pk).role == "SW"
    assert terms_on(nia, completed - timedelta(days=1)).role == "ASYE"
    assert terms_on(nia, completed).role == "SW"
    assert WorkerTerms.objects.filter(worker=nia).count() == 2
    with pytest.raises(ValidationError, match="completed"):
        services.asye_complete(worker=nia, completed_on=service.today, by=service.manager)
