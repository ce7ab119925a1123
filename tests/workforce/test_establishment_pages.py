"""The establishment pages, as a team manager uses them: the team's posts (who fills them, vacant,
agency cover), and recording posts, fillings, starters, changes of terms, leavers, registration and
the ASYE. Uses tests/allocation/conftest.py's small service (`tm` manages Assessment North)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from grip.audit.models import AuditEntry
from grip.workforce.models import Asye, Post, PostFilling, Registration, Worker, WorkerTerms
from tests.cases.factories import WorkerFactory

pytestmark = pytest.mark.django_db
D = Decimal


def _date(prefix: str, day) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


@pytest.fixture
def manager(client, service):
    client.force_login(service.manager)
    return client


def _post(service, **kwargs) -> Post:
    fields = {
        "team": service.assessment,
        "role": "SW",
        "fte": D("1.00"),
        "started_on": service.today - timedelta(days=200),
    }
    return Post.objects.create(**(fields | kwargs))


def test_the_team_page_lists_posts_who_fills_them_vacancies_and_agency_cover(manager, service):
    """Three posts: Ada's (permanent), one covered by an agency worker, one vacant since Ben left it."""
    ada, ben = service.workers["ada"], service.workers["ben"]
    agency = WorkerFactory(first_name="Al", last_name="Agency", team=service.assessment, employment_type="AGENCY")
    filled, covered, vacant = (
        _post(service, reference="AN-1"),
        _post(service, reference="AN-2"),
        _post(service, reference="AN-3"),
    )
    start = service.today - timedelta(days=100)
    PostFilling.objects.create(post=filled, worker=ada, basis="PERMANENT", started_on=start)
    PostFilling.objects.create(post=covered, worker=agency, basis="AGENCY", started_on=start)
    left = service.today - timedelta(days=7)
    PostFilling.objects.create(post=vacant, worker=ben, basis="PERMANENT", started_on=start, ended_on=left)
    response = manager.get(reverse("workforce:team"))  # their own team, unasked
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-state="filled"' in page and 'data-state="agency"' in page and 'data-state="vacant"' in page
    assert "Ada Shaw" in page and "Al Agency" in page and "Agency cover" in page
    assert "3 funded posts, 3.00 FTE" in page
    # the census's vacancies: the post nobody fills and the one agency covers (census.toml [vacancies])
    assert "2 vacant (2.00 FTE), of which 1 covered by agency (1.00 FTE)" in page
    assert f"since {left.day} " in page  # vacant since Ben left the post


def test_a_team_manager_finds_no_other_team_and_a_social_worker_no_page(client, manager, service):
    assert manager.get(reverse("workforce:team"), {"team": service.protection.pk}).status_code == 404
    assert manager.get(reverse("workforce:worker"), {"worker": service.workers["cy"].pk}).status_code == 404
    client.force_login(service.users["ada"])
    assert client.get(reverse("workforce:team")).status_code == 404


def test_adding_a_post_through_the_page(manager, service):
    data = {"team": service.assessment.pk, "role": "SSW", "fte": "0.6", "case_holding": "yes"}
    response = manager.post(reverse("workforce:post"), data | _date("funded", service.today))
    assert response.status_code == 302
    post = Post.objects.get(team=service.assessment)
    assert (post.role, post.fte, post.case_holding) == ("SSW", D("0.60"), True)
    assert AuditEntry.objects.filter(verb="post_added", actor=service.manager).exists()


def test_a_post_with_a_wrong_fte_is_shown_back_with_the_error(manager, service):
    data = {"team": service.assessment.pk, "role": "SW", "fte": "1.5", "case_holding": "yes"}
    response = manager.post(reverse("workforce:post"), data | _date("funded", service.today))
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert "FTE must be more than 0 and at most 1" in response.content.decode()
    assert not Post.objects.exists()


def test_filling_then_vacating_a_post_through_the_page(manager, service):
    post, ada = _post(service), service.workers["ada"]
    data = {"post": post.pk, "worker": ada.pk, "basis": "PERMANENT"} | _date("from", service.today - timedelta(days=3))
    assert manager.post(reverse("workforce:filling"), data).status_code == 302
    assert PostFilling.objects.get(post=post).worker == ada
    response = manager.post(reverse("workforce:filling"), {"post": post.pk} | _date("until", service.today))
    assert response.status_code == 302
    assert PostFilling.objects.get(post=post).ended_on == service.today


def test_recording_a_starter_in_a_vacant_post(manager, service):
    post = _post(service)
    data = {
        "first_name": "Nia",
        "last_name": "New",
        "team": service.assessment.pk,
        "role": "ASYE",
        "fte": "1",
        "employment_type": "PERMANENT",
        "manager": service.workers["tm"].pk,
        "start_origin": "1",
        "post": post.pk,
        "basis": "PERMANENT",
    } | _date("started", service.today)
    response = manager.post(reverse("workforce:starter"), data)
    assert response.status_code == 302
    nia = Worker.objects.get(last_name="New")
    assert (nia.role, nia.manager, nia.start_origin) == ("ASYE", service.workers["tm"], "1")
    assert PostFilling.objects.get(post=post).worker == nia
    assert manager.get(response["Location"]).status_code == 200


def test_a_change_of_terms_through_the_page_shows_in_the_history(manager, service):
    ada = service.workers["ada"]
    data = {
        "worker": ada.pk,
        "role": "SSW",
        "team": service.assessment.pk,
        "fte": "0.8",
        "employment_type": "PERMANENT",
        "manager": "",
    } | _date("effective", service.today)
    assert manager.post(reverse("workforce:terms"), data).status_code == 302
    assert list(WorkerTerms.objects.filter(worker=ada).order_by("started_on").values_list("role", "fte")) == [
        ("SW", D("1.00")),
        ("SSW", D("0.80")),
    ]
    page = manager.get(reverse("workforce:worker"), {"worker": ada.pk}).content.decode()
    assert "Terms over time" in page and "Senior social worker" in page


def test_a_leaver_is_checked_before_it_is_recorded(manager, service):
    ben = service.workers["ben"]
    answers = {"worker": ben.pk, "reason": "1"} | _date("left", service.today)
    check = manager.post(reverse("workforce:leaver"), answers)
    assert check.status_code == 200 and "Check the leaver" in check.content.decode()
    assert Worker.objects.get(pk=ben.pk).left_on is None
    assert manager.post(reverse("workforce:leaver"), answers | {"step": "check"}).status_code == 302
    ben.refresh_from_db()
    assert (ben.left_on, ben.leaving_reason) == (service.today, "1")


def test_registration_and_asye_through_the_page(manager, service):
    ada = service.workers["ada"]
    url = reverse("workforce:registration")
    wrong = manager.post(url, {"worker": ada.pk, "swe_number": "12345"} | _date("renewal", service.today))
    assert wrong.status_code == 400 and "SW followed by numbers" in wrong.content.decode()
    right = manager.post(url, {"worker": ada.pk, "swe_number": "sw 12345"} | _date("renewal", service.today))
    assert right.status_code == 302
    assert Registration.objects.get(worker=ada).swe_number == "SW12345"
    started = manager.post(url, {"worker": ada.pk, "action": "asye"} | _date("asye", ada.started_on))
    assert started.status_code == 302 and Asye.objects.get(worker=ada).started_on == ada.started_on
