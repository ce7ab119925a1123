"""Recording a care leaver's support through the pages stops its clock at once: keeping in touch,
the pathway plan review, the eligible child's needs assessment and the personal adviser's visit to
accommodation the authority provides each leave the worker's chase list and the team's the moment
the page saves them.

Hand-worked (rules.toml, not the engine):
- care leaver support began 200 days ago. Keeping in touch (8 weeks = 56 days) fell due 144 days
  ago: overdue. A contact in touch today puts the next one 56 days away: off both lists.
- The pathway plan's first review falls due 6 months (about 182 days) after support began: about 18
  days ago, overdue. The plan was made 230 days ago, before the young person left care, so it
  predates the clock and leaves the review overdue; a review yesterday puts the next one 6 months
  away: off both lists.
- The contact today finds the young person in a flat the authority provides (s23B): the personal
  adviser must visit within 7 days (reg 8(2)), so that visit is due this week; a care leaver visit
  today, seen, takes it off both lists.
- An eligible child: 16 on the day 150 days ago, looked after for two years (so 13 weeks since 14
  long before). Eligible on the 16th birthday; the needs assessment was due 3 months later, about
  60 days ago: overdue. An assessment recorded yesterday takes it off both lists.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from grip.cases.models import CareLeaverAccommodation
from grip.chasing import lists
from tests.cases.factories import AllocationFactory, CareLeaverEpisodeFactory, LookedAfterEpisodeFactory
from tests.people.factories import ChildFactory

from .test_care_clocks import date_fields, due

pytestmark = pytest.mark.django_db


def sixteen_years_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 16)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 16, day=28)


@pytest.fixture
def care_leaver(service):
    child = ChildFactory(first_name="Kai", last_name="Leaver", date_of_birth=service.today - timedelta(days=365 * 19))
    started = service.today - timedelta(days=200)
    CareLeaverEpisodeFactory(child=child, started_on=started)
    ada = service.workers["ada"]
    AllocationFactory(child=child, worker=ada, team=ada.team, started_on=started)
    return child


def both_lists(service, child, *rules):
    worker, teams, today = service.workers["ada"], [service.assessment.pk], service.today
    mine = due(lists.for_worker(worker=worker, on=today), child, *rules)
    team = due(lists.for_teams(teams=teams, on=today), child, *rules)
    assert mine == team
    return mine


def test_a_contact_in_touch_leaves_both_chase_lists(client, service, care_leaver):
    assert both_lists(service, care_leaver, "care_leaver_in_touch") == {("care_leaver_in_touch", "overdue")}
    client.force_login(service.users["ada"])
    page = reverse("recording:leaving-care-contact", args=[care_leaver.pk])
    answer = {**date_fields("contact", service.today), "in_touch": "YES", "activity": "F5", "accommodation": "U1"}
    assert client.post(page, {**answer, "provided_under": "NO"}).status_code == 302
    assert both_lists(service, care_leaver, "care_leaver_in_touch") == set()


def test_a_contact_not_in_touch_does_not_stop_the_clock(client, service, care_leaver):
    client.force_login(service.users["ada"])
    page = reverse("recording:leaving-care-contact", args=[care_leaver.pk])
    assert client.post(page, {**date_fields("contact", service.today), "in_touch": "NO"}).status_code == 302
    assert both_lists(service, care_leaver, "care_leaver_in_touch") == {("care_leaver_in_touch", "overdue")}


def test_accommodation_the_authority_provides_wants_a_visit_which_the_visit_page_records(client, service, care_leaver):
    client.force_login(service.users["ada"])
    page = reverse("recording:leaving-care-contact", args=[care_leaver.pk])
    answer = {**date_fields("contact", service.today), "in_touch": "YES", "activity": "G5", "accommodation": "U1"}
    assert client.post(page, {**answer, "provided_under": "S23B"}).status_code == 302
    assert CareLeaverAccommodation.objects.get(care_leaver__child=care_leaver).provided_from == service.today
    assert both_lists(service, care_leaver, "care_leaver_visit") == {("care_leaver_visit", "due_soon")}

    visit = {
        **date_fields("visited", service.today),
        "visit_type": "CL",
        "child_seen": "yes",
        "seen_alone": "yes",
        "place": "Their flat",
        "child_said": "Settling in.",
    }
    assert client.post(reverse("recording:visit-new", args=[care_leaver.pk]), visit).status_code == 302
    assert both_lists(service, care_leaver, "care_leaver_visit") == set()


def test_a_pathway_plan_review_leaves_both_chase_lists(client, service, care_leaver):
    assert both_lists(service, care_leaver, "pathway_plan_review") == {("pathway_plan_review", "overdue")}
    client.force_login(service.users["ada"])
    page = reverse("recording:leaving-care-pathway-plan", args=[care_leaver.pk])
    made = service.today - timedelta(days=230)
    assert client.post(page, {"kind": "PLAN", **date_fields("held", made)}).status_code == 302
    assert both_lists(service, care_leaver, "pathway_plan_review") == {("pathway_plan_review", "overdue")}
    yesterday = service.today - timedelta(days=1)
    assert client.post(page, {"kind": "REVIEW", **date_fields("held", yesterday)}).status_code == 302
    assert both_lists(service, care_leaver, "pathway_plan_review") == set()


def test_a_needs_assessment_leaves_both_chase_lists(client, service):
    birthday = sixteen_years_before(service.today - timedelta(days=150))
    child = ChildFactory(first_name="Eli", last_name="Ready", date_of_birth=birthday)
    started = service.today - timedelta(days=730)
    LookedAfterEpisodeFactory(child=child, started_on=started, legal_status="C2")
    ada = service.workers["ada"]
    AllocationFactory(child=child, worker=ada, team=ada.team, started_on=started)
    assert both_lists(service, child, "pathway_needs_assessment") == {("pathway_needs_assessment", "overdue")}

    client.force_login(service.users["ada"])
    page = reverse("recording:leaving-care-needs-assessment", args=[child.pk])
    yesterday = service.today - timedelta(days=1)
    assert client.post(page, date_fields("done", yesterday)).status_code == 302
    assert both_lists(service, child, "pathway_needs_assessment") == set()
