"""My week (/record/my-week/): a worker's chase-list items due by Sunday, overdue first then day by
day, each with its "Record it" button; only children the viewer may see; a manager may open the
week of a worker in a team they are in charge of, and nobody else's.

Hand-worked: Ada holds three children on child in need plans (visits every 6 weeks from the plan's
start, local rule cin_visit; plan reviews every 3 months, rule cin_plan_review), none visited, each
assessed and authorised the day before the plan started (so no assessment is due).
- "Late": plan started 100 days ago: the visit fell due 58 days ago and the review about 9 days ago,
  both overdue.
- "Today": plan started 42 days ago: the visit is due today (6 weeks), not yet overdue; the review
  is due in about 7 weeks, not this week.
- "Later": plan started 30 days ago: the visit is due in 12 days, not this week.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from grip.access.models import RestrictedRecord
from grip.audit.models import AuditEntry
from grip.chasing import lists
from tests.cases.factories import AllocationFactory, AssessmentFactory, CINEpisodeFactory, CINPlanFactory
from tests.people.factories import ChildFactory

pytestmark = pytest.mark.django_db

ROW = re.compile(
    r'data-testid="week-row" data-rule="(?P<rule>[^"]*)" data-child="(?P<child>[^"]*)" '
    r'data-due="(?P<due>[^"]*)" data-status="(?P<status>[^"]*)"'
)
MY_WEEK = "/record/my-week/"


def on_a_plan(service, name: str, *, plan_days_ago: int, worker: str = "ada"):
    child = ChildFactory(first_name=name, last_name="Week")
    episode = CINEpisodeFactory(child=child, referral_date=service.today - timedelta(days=plan_days_ago + 10))
    AssessmentFactory(episode=episode, authorised_on=service.today - timedelta(days=plan_days_ago + 1))
    CINPlanFactory(episode=episode, started_on=service.today - timedelta(days=plan_days_ago))
    holder = service.workers[worker]
    AllocationFactory(child=child, worker=holder, team=holder.team, started_on=episode.referral_date)
    return child


@pytest.fixture
def adas_cases(service):
    return {
        "late": on_a_plan(service, "Late", plan_days_ago=100),
        "today": on_a_plan(service, "Today", plan_days_ago=42),
        "later": on_a_plan(service, "Later", plan_days_ago=30),
    }


def rows(response) -> set[tuple[int | None, str, str, str]]:
    """(child, rule, due, status) of each row; the child is None for the worker's own supervision."""
    assert response.status_code == 200, response.status_code
    return {(int(m["child"] or 0) or None, m["rule"], m["due"], m["status"]) for m in ROW.finditer(response.text)}


def test_my_week_reaches_the_url_the_brief_names():
    assert reverse("web:my-week") == MY_WEEK


def test_my_week_has_what_is_overdue_and_what_is_due_this_week(client, service, adas_cases):
    client.force_login(service.users["ada"])
    found = rows(client.get(MY_WEEK))
    late, today = adas_cases["late"].pk, adas_cases["today"].pk
    assert {(child, rule, status) for child, rule, _due, status in found if child is not None} == {
        (late, "cin_visit", "overdue"),
        (late, "cin_plan_review", "overdue"),
        (today, "cin_visit", "due_soon"),
    }
    assert (today, "cin_visit", service.today.isoformat(), "due_soon") in found
    assert (late, "cin_visit", (service.today - timedelta(days=58)).isoformat(), "overdue") in found


def test_my_week_and_the_chase_list_agree(client, service, adas_cases):
    """The same items as the worker's chase list, less those due after this Sunday."""
    sunday = service.today + timedelta(days=6 - service.today.weekday())
    chase_list = lists.for_worker(worker=service.workers["ada"], on=service.today)
    expected = {
        (i.child.pk if i.child else None, i.obligation.rule, i.obligation.due.isoformat(), i.obligation.status)
        for i in chase_list
        if i.obligation.due <= sunday
    }
    client.force_login(service.users["ada"])
    assert rows(client.get(MY_WEEK)) == expected
    # ... and the chase list page shows each of them too.
    chase_page = client.get(reverse("chase:mine")).text
    for child, rule, _due, status in expected:
        assert f'data-rule="{rule}" data-child="{child or ""}" data-status="{status}"' in chase_page


def test_each_item_has_its_record_it_button_and_recording_takes_it_off(client, service, adas_cases):
    child = adas_cases["today"]
    client.force_login(service.users["ada"])
    page = client.get(MY_WEEK).text
    assert f'href="{reverse("recording:visit-new", args=[child.pk])}"' in page
    assert f'href="{reverse("recording:cin-plan", args=[adas_cases["late"].pk])}"' in page
    visit = {
        "visited_day": service.today.day,
        "visited_month": service.today.month,
        "visited_year": service.today.year,
        "visit_type": "CIN",
        "child_seen": "yes",
        "seen_alone": "yes",
        "place": "At home",
        "child_said": "Said school is better this term.",
    }
    assert client.post(reverse("recording:visit-new", args=[child.pk]), visit).status_code == 302
    assert not [r for r in rows(client.get(MY_WEEK)) if r[0] == child.pk]


def test_a_restricted_childs_name_is_not_on_the_week_of_someone_not_named(client, service, adas_cases):
    secret = on_a_plan(service, "Secret", plan_days_ago=100)
    restriction = RestrictedRecord.objects.create(
        child=secret, reason="A relative works here", restricted_by=service.manager
    )
    restriction.named_users.add(service.manager)
    client.force_login(service.users["ada"])
    page = client.get(MY_WEEK)
    assert secret.pk not in {r[0] for r in rows(page)}
    assert "Secret Week" not in page.text and "1 more child’s record is restricted and not listed" in page.text


def test_a_manager_opens_the_week_of_a_worker_in_their_team_and_no_one_else(client, service, adas_cases):
    ada = service.workers["ada"]
    client.force_login(service.manager)  # in charge of the assessment team, Ada's
    page = client.get(MY_WEEK, {"worker": ada.pk})
    assert "Ada Shaw’s week" in page.text
    assert adas_cases["late"].pk in {r[0] for r in rows(page)}
    assert AuditEntry.objects.filter(
        actor=service.manager, verb="chase_list_viewed", payload__list="My week: Ada Shaw"
    ).exists()

    client.force_login(service.protection_manager)  # another team's manager
    assert client.get(MY_WEEK, {"worker": ada.pk}).status_code == 404
    client.force_login(service.users["ada"])  # a social worker, asking for a colleague's week
    assert client.get(MY_WEEK, {"worker": service.workers["ben"].pk}).status_code == 404
    assert client.get(MY_WEEK, {"worker": 987654}).status_code == 404
    assert client.get(MY_WEEK, {"worker": ada.pk}).status_code == 200  # her own


def test_someone_with_no_worker_record_is_told_so(client, service):
    client.force_login(service.users["performance"])
    page = client.get(MY_WEEK)
    assert page.status_code == 200 and "No chase list" in page.text
