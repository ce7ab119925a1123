"""The caseload pages: who may open which, what each shows, and the audit entry of the children listed."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from grip.access.models import RestrictedRecord, RoleGrant
from grip.access.roles import Role
from grip.audit.models import AuditEntry
from grip.caseloads.rules import caseload_rules
from grip.workforce.models import Absence, ServiceArea
from tests.cases.factories import TeamFactory, WorkerFactory

from .test_counting import TODAY, hold

pytestmark = pytest.mark.django_db

MINE, OVERVIEW = reverse("caseloads:mine"), reverse("caseloads:overview")
TEAM, WORKER = reverse("caseloads:team"), reverse("caseloads:worker")


def user_with(username: str, role: Role, worker=None):
    user = get_user_model().objects.create_user(username=username, password="a-long-test-password")
    RoleGrant.objects.create(user=user, role=role)
    if worker is not None:
        worker.user = user
        worker.save(update_fields=["user"])
    return user


@pytest.fixture
def town():
    north, south = ServiceArea.objects.create(name="North"), ServiceArea.objects.create(name="South")
    a = TeamFactory(name="Alder", service_area=north)
    b = TeamFactory(name="Birch", service_area=north)
    c = TeamFactory(name="Cedar", service_area=south)
    w = {
        "sw": WorkerFactory(team=a, role="SW", first_name="Sol", last_name="Worker"),
        "part": WorkerFactory(team=a, role="SW", fte=Decimal("0.5"), first_name="Pat", last_name="Parttime"),
        "absent": WorkerFactory(team=a, role="ASYE", first_name="Abi", last_name="Absent"),
        "left": WorkerFactory(
            team=a, role="SW", first_name="Lee", last_name="Leaver", left_on=TODAY - timedelta(days=1)
        ),
        "tm": WorkerFactory(team=a, role="TM"),
        "sm": WorkerFactory(team=a, role="SM"),
        "b": WorkerFactory(team=b, role="SW", first_name="Bea", last_name="Birch"),
        "c": WorkerFactory(team=c, role="SW", first_name="Cas", last_name="Cedar"),
    }
    children = {
        "sw": hold(w["sw"], "child_protection", "looked_after", "child_in_need"),
        "part": hold(w["part"], "child_in_need"),
        "absent": hold(w["absent"], "child_in_need"),
        "left": hold(w["left"], "child_in_need"),
        "b": hold(w["b"], "child_protection", "child_in_need"),
        "c": hold(w["c"], "care_leaver"),
    }
    Absence.objects.create(worker=w["absent"], absence_type="PARENTAL", started_on=TODAY - timedelta(days=30))
    users = {
        "sw": user_with("sw", Role.SOCIAL_WORKER, w["sw"]),
        "tm": user_with("tm", Role.TEAM_MANAGER, w["tm"]),
        "sm": user_with("sm", Role.SERVICE_MANAGER, w["sm"]),
        "director": user_with("director", Role.DIRECTOR),
        "performance": user_with("performance", Role.PERFORMANCE_OFFICER),
        "quality": user_with("quality", Role.QUALITY_ASSURANCE_LEAD),
        "front_door": user_with("front_door", Role.FRONT_DOOR_PRACTITIONER),
        "partner": user_with("partner", Role.PARTNER_AGENCY_USER),
    }
    return {
        "teams": {"A": a, "B": b, "C": c},
        "areas": {"north": north, "south": south},
        "workers": w,
        "children": children,
        "users": users,
    }


def get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def rows(response, testid: str) -> int:
    return response.content.decode().count(f'data-testid="{testid}"')


# ------------------------------------------------------------------------------ my cases


def test_my_cases_lists_my_children_and_my_caseload_and_audits_them(client, town):
    response = get(client, town["users"]["sw"], MINE)

    html = response.content.decode()
    assert response.status_code == 200
    for child in town["children"]["sw"]:
        assert f'href="{reverse("web:child-record", args=[child.pk])}"' in html
        assert child.la_child_id in html
    assert rows(response, "case-row") == 3
    assert "Child protection plan" in html and "Looked after" in html
    weights = caseload_rules().weights
    weighted = weights["child_protection"] + weights["looked_after"] + weights["child_in_need"]
    assert f"{weighted:.1f}" in html
    assert f"{caseload_rules().thresholds['SW']:.1f} (Social worker, 1.00 FTE)" in html
    entry = AuditEntry.objects.filter(verb="caseload_viewed").get()
    assert entry.actor == town["users"]["sw"]
    assert sorted(entry.payload["result_child_ids"]) == sorted(c.pk for c in town["children"]["sw"])
    assert entry.payload["worker"] == town["workers"]["sw"].pk


def test_my_cases_does_not_list_a_restricted_child_i_may_not_open(client, town):
    hidden = town["children"]["sw"][0]
    RestrictedRecord.objects.create(child=hidden, reason="A relative works here", restricted_by=town["users"]["tm"])

    response = get(client, town["users"]["sw"], MINE)

    assert rows(response, "case-row") == 2
    assert hidden.la_child_id.encode() not in response.content
    assert rows(response, "hidden-cases") == 1
    assert hidden.pk not in AuditEntry.objects.get(verb="caseload_viewed").payload["result_child_ids"]


@pytest.mark.parametrize("who", ["director", "partner", "front_door"])
def test_my_cases_explains_itself_to_someone_who_is_not_a_worker(client, town, who):
    response = get(client, town["users"][who], MINE)
    assert response.status_code == 200
    assert rows(response, "no-worker") == 1
    assert not AuditEntry.objects.filter(verb="caseload_viewed").exists()


def test_my_cases_needs_signing_in(client):
    response = client.get(MINE)
    assert response.status_code == 302 and "/login/" in response["Location"]


# ------------------------------------------------------------------------------ the service overview


def test_a_director_sees_every_team_and_the_census_measure_for_the_authority_and_each_area(client, town):
    response = get(client, town["users"]["director"], OVERVIEW)

    html = response.content.decode()
    assert response.status_code == 200
    assert rows(response, "team-row") == 3
    assert rows(response, "census-row") == 3  # whole authority, North, South
    # Whole authority: holders sw 3, part 1, absent ASYE 1 (absent, still in post), b 2, c 1; the
    # leaver's child is not counted. FTE 1 + 0.5 + 1 + 1 + 1 = 4.5; 8 / 4.5 = 1.8.
    assert '<th scope="row" class="govuk-table__header">Whole authority</th>' in html
    assert 'data-testid="census-numerator">8</td>' in html
    assert 'data-testid="census-denominator">4.50</td>' in html
    assert 'data-testid="census-value">1.8</td>' in html
    assert "How caseloads are worked out" in html


@pytest.mark.parametrize("who", ["performance", "quality"])
def test_performance_and_quality_assurance_see_every_team(client, town, who):
    response = get(client, town["users"][who], OVERVIEW)
    assert response.status_code == 200 and rows(response, "team-row") == 3


def test_a_service_manager_sees_their_service_areas_teams_only(client, town):
    response = get(client, town["users"]["sm"], OVERVIEW)

    html = response.content.decode()
    assert rows(response, "team-row") == 2
    assert "Alder" in html and "Birch" in html and "Cedar" not in html
    assert rows(response, "census-row") == 1 and ">North</th>" in html
    assert get(client, town["users"]["sm"], OVERVIEW, service=town["areas"]["north"].pk).status_code == 200
    assert get(client, town["users"]["sm"], OVERVIEW, service=town["areas"]["south"].pk).status_code == 404


def test_a_team_manager_sees_their_own_team_only(client, town):
    response = get(client, town["users"]["tm"], OVERVIEW)

    html = response.content.decode()
    assert rows(response, "team-row") == 1 and "Alder" in html and "Birch" not in html
    assert rows(response, "census-row") == 1 and ">Alder</th>" in html


def test_the_overview_filters_by_service_area(client, town):
    response = get(client, town["users"]["director"], OVERVIEW, service=town["areas"]["south"].pk)

    assert rows(response, "team-row") == 1 and "Cedar" in response.content.decode()
    assert rows(response, "census-row") == 1  # South only: no whole-authority row for one area
    assert get(client, town["users"]["director"], OVERVIEW, service="north").status_code == 404
    assert get(client, town["users"]["director"], OVERVIEW, service=999999).status_code == 404


def test_a_team_over_or_near_its_capacity_is_tagged(client, town):
    for _ in range(12):  # Birch: one full-time social worker, now well over any threshold
        hold(town["workers"]["b"], "child_protection")

    response = get(client, town["users"]["director"], OVERVIEW)

    html = response.content.decode()
    birch = html[html.index(f'data-team="{town["teams"]["B"].pk}"') :]
    birch = birch[: birch.index("</tr>")]
    assert 'data-status="over"' in birch and "govuk-tag--red" in birch


@pytest.mark.parametrize("who", ["sw", "front_door", "partner"])
def test_other_roles_get_not_found(client, town, who):
    for url in (OVERVIEW, TEAM, WORKER):
        assert get(client, town["users"][who], url).status_code == 404


def test_caseloads_as_at_a_past_day_and_bad_days_refused(client, town):
    director = town["users"]["director"]
    past = TODAY - timedelta(days=40)  # before anyone held these cases
    response = get(client, director, OVERVIEW, on=past.isoformat())
    assert response.status_code == 200
    assert 'data-testid="census-numerator">0</td>' in response.content.decode()
    for bad in ("yesterday", "2025-02-30", (TODAY + timedelta(days=1)).isoformat()):
        assert get(client, director, OVERVIEW, on=bad).status_code == 400
        assert get(client, director, TEAM, team=town["teams"]["A"].pk, on=bad).status_code == 400


# ------------------------------------------------------------------------------ a team


def test_a_team_page_shows_each_worker_with_role_fte_figures_and_whereabouts(client, town):
    response = get(client, town["users"]["tm"], TEAM)  # no team asked for: the manager's own

    html = response.content.decode()
    assert response.status_code == 200
    assert "Alder: caseloads" in html
    w = town["workers"]
    for key in ("sw", "part", "absent", "left", "tm", "sm"):
        assert f'href="{WORKER}?worker={w[key].pk}"' in html
    assert "0.50" in html  # the part-time worker's FTE
    assert "Away: Maternity, paternity, adoption or shared parental leave since" in html
    assert "Left (last day" in html
    assert f"{caseload_rules().thresholds['ASYE']:.1f}" in html  # the ASYE's protected threshold
    assert rows(response, "worker-row") == 6


def test_a_manager_opens_only_teams_they_may_see(client, town):
    t = town["teams"]
    tm, sm, director = town["users"]["tm"], town["users"]["sm"], town["users"]["director"]
    assert get(client, tm, TEAM, team=t["A"].pk).status_code == 200
    assert get(client, tm, TEAM, team=t["B"].pk).status_code == 404
    assert get(client, sm, TEAM, team=t["B"].pk).status_code == 200
    assert get(client, sm, TEAM, team=t["C"].pk).status_code == 404
    assert get(client, director, TEAM, team=t["C"].pk).status_code == 200
    for bad in ("C", "²", "-1", "1.0", str(2**64)):
        assert get(client, director, TEAM, team=bad).status_code == 404
    assert get(client, director, TEAM, team=999999).status_code == 404


def test_without_a_team_someone_with_no_team_of_their_own_chooses_one(client, town):
    response = get(client, town["users"]["performance"], TEAM)
    assert response.status_code == 200
    assert rows(response, "teams") == 1
    assert f'href="{TEAM}?team={town["teams"]["C"].pk}"' in response.content.decode()


# ------------------------------------------------------------------------------ a worker


def test_a_managers_view_of_a_workers_caseload_lists_the_children_and_is_audited(client, town):
    worker = town["workers"]["b"]
    response = get(client, town["users"]["sm"], WORKER, worker=worker.pk)

    assert response.status_code == 200
    assert rows(response, "case-row") == 2
    assert "Bea Birch’s caseload" in response.content.decode()
    entry = AuditEntry.objects.get(verb="caseload_viewed")
    assert entry.actor == town["users"]["sm"] and entry.target_id == str(worker.pk)
    assert sorted(entry.payload["result_child_ids"]) == sorted(c.pk for c in town["children"]["b"])


def test_a_worker_page_is_only_for_managers_of_their_team_or_service_and_whole_authority_roles(client, town):
    w, u = town["workers"], town["users"]
    assert get(client, u["tm"], WORKER, worker=w["sw"].pk).status_code == 200
    assert get(client, u["tm"], WORKER, worker=w["b"].pk).status_code == 404
    assert get(client, u["sm"], WORKER, worker=w["c"].pk).status_code == 404
    assert not AuditEntry.objects.filter(verb="caseload_viewed", actor=u["sm"]).exists()
    for who in ("director", "performance", "quality"):
        assert get(client, u[who], WORKER, worker=w["c"].pk).status_code == 200
    assert get(client, u["director"], WORKER, worker="x").status_code == 404


def test_without_a_worker_the_worker_page_asks_for_a_team(client, town):
    response = get(client, town["users"]["tm"], WORKER)
    assert response.status_code == 200 and rows(response, "teams") == 1


def test_a_departed_workers_caseload_shows_what_they_still_hold(client, town):
    response = get(client, town["users"]["tm"], WORKER, worker=town["workers"]["left"].pk)
    html = response.content.decode()
    assert rows(response, "case-row") == 1 and "Left (last day" in html


# ------------------------------------------------------------------------------ links


def test_home_links_to_the_caseload_pages_for_those_who_use_them(client, town):
    tm_home = get(client, town["users"]["tm"], reverse("web:home")).content.decode()
    assert f'href="{OVERVIEW}"' in tm_home and f'href="{MINE}"' in tm_home
    sw_home = get(client, town["users"]["sw"], reverse("web:home")).content.decode()
    assert f'href="{OVERVIEW}"' not in sw_home and f'href="{MINE}"' in sw_home


def test_today_is_the_default_day(client, town):
    response = get(client, town["users"]["director"], TEAM, team=town["teams"]["A"].pk)
    day = timezone.localdate()
    assert f"As at {day.day} {day:%B %Y}" in response.content.decode()
