"""Recording a visit and a case note through the pages: what was typed is kept on an error (400,
with the GOV.UK error summary), a visit saved stops the visiting clock on the worker's and the
team's chase lists at once, and management oversight is offered to managers only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from grip.cases.journey import child_journey
from grip.chasing import lists
from tests.cases.factories import (
    AllocationFactory,
    ChildProtectionPlanFactory,
    CINEpisodeFactory,
    LookedAfterEpisodeFactory,
)
from tests.people.factories import ChildFactory

pytestmark = pytest.mark.django_db


def adas_child(service, name: str):
    child = ChildFactory(first_name=name, last_name="Visit")
    worker = service.workers["ada"]
    AllocationFactory(child=child, worker=worker, team=worker.team, started_on=service.today - timedelta(days=60))
    return child


def visit_form(day, visit_type: str) -> dict:
    return {
        "visited_day": str(day.day),
        "visited_month": str(day.month),
        "visited_year": str(day.year),
        "visit_type": visit_type,
        "child_seen": "yes",
        "seen_alone": "yes",
        "place": "At the foster home",
        "child_said": "Said she feels safe and wants to see her nan more.",
    }


def overdue(items, child, rule: str) -> list:
    return [i for i in items if i.child == child and i.obligation.rule == rule and i.obligation.status == "overdue"]


def lists_for(service):
    return (
        lists.for_worker(worker=service.workers["ada"], on=service.today),
        lists.for_teams(teams=[service.assessment.pk], on=service.today),
    )


# Hand-worked: a protection plan started 30 days ago wants the child seen on a CP visit within 10
# working days of its start (rule cp_visit), so with no visit that is overdue today; a visit today
# moves the next one 10 working days on. A child placed 30 days ago (U4, a children's home) wants
# a looked-after visit within 1 week of the placement (rule looked_after_visit): overdue too; a
# visit today moves the next one 3 months on.
@pytest.mark.parametrize(("kind", "rule"), [("CP", "cp_visit"), ("LAC", "looked_after_visit")])
def test_recording_a_visit_through_the_page_takes_it_off_the_workers_and_teams_lists(client, service, kind, rule):
    child = adas_child(service, f"Kind{kind}")
    started = service.today - timedelta(days=30)
    if kind == "CP":
        episode = CINEpisodeFactory(child=child, referral_date=started - timedelta(days=20))
        ChildProtectionPlanFactory(episode=episode, started_on=started)
    else:
        LookedAfterEpisodeFactory(child=child, started_on=started, placement_type="U4")
    worker_items, team_items = lists_for(service)
    assert overdue(worker_items, child, rule) and overdue(team_items, child, rule)

    client.force_login(service.users["ada"])
    answer = client.post(reverse("recording:visit-new", kwargs={"pk": child.pk}), visit_form(service.today, kind))

    assert answer.status_code == 302 and answer.url == reverse("web:child-record", kwargs={"pk": child.pk})
    worker_items, team_items = lists_for(service)
    assert overdue(worker_items, child, rule) == [] and overdue(team_items, child, rule) == []
    (seen,) = [e for e in child_journey(child=child) if e.kind == "visit"]
    assert "What the child said and felt: Said she feels safe and wants to see her nan more." in seen.detail
    assert "by ada" in seen.detail.splitlines()[-1] and seen.by == "Ada Shaw"


def test_a_visit_with_errors_keeps_what_was_typed(client, service):
    child = adas_child(service, "Typed")
    CINEpisodeFactory(child=child, referral_date=service.today - timedelta(days=20))
    client.force_login(service.users["ada"])
    tomorrow = service.today + timedelta(days=1)
    form = {**visit_form(tomorrow, "CIN"), "child_seen": "", "place": "Library on Park Road"}

    answer = client.post(reverse("recording:visit-new", kwargs={"pk": child.pk}), form)

    page = answer.content.decode()
    assert answer.status_code == 400
    assert "govuk-error-summary" in page and "Select yes if the child was seen" in page
    assert 'value="Library on Park Road"' in page and "wants to see her nan more" in page
    # Once the missing answer is given, the service's refusal of a future date shows on the date.
    answer = client.post(reverse("recording:visit-new", kwargs={"pk": child.pk}), {**form, "child_seen": "yes"})
    assert answer.status_code == 400
    assert 'href="#visited_day"' in answer.content.decode()
    assert "The date of the visit cannot be in the future." in answer.content.decode()


def test_management_oversight_is_offered_to_a_manager_and_not_to_a_social_worker(client, service):
    child = adas_child(service, "Oversight")
    CINEpisodeFactory(child=child, referral_date=service.today - timedelta(days=20))
    url = reverse("recording:case-note-new", kwargs={"pk": child.pk})
    client.force_login(service.users["ada"])
    assert "Management oversight" not in client.get(url).content.decode()
    sent = {
        "noted_day": "",
        "noted_month": "",
        "noted_year": "",
        "note_type": "MO",
        "text": "Visit weekly until review.",
    }
    refused = client.post(url, sent)
    assert refused.status_code == 400 and "Visit weekly until review." in refused.content.decode()

    client.force_login(service.manager)
    day = service.today
    typed = {**sent, "noted_day": day.day, "noted_month": day.month, "noted_year": day.year}
    checking = client.post(url, typed)  # a manager's oversight is checked before it is recorded
    assert checking.status_code == 200 and "Check the management oversight note" in checking.text
    assert not [e for e in child_journey(child=child) if e.kind == "case_note"]
    written = client.post(url, {**typed, "step": "check"})
    assert written.status_code == 302
    (noted,) = [e for e in child_journey(child=child) if e.kind == "case_note"]
    assert (noted.title, noted.when, noted.by) == ("Management oversight", day, "tm")
    assert noted.detail.startswith("Visit weekly until review.")
