"""The child in need plan page: start a plan, record its reviews, end it; a review recorded through
the page takes the overdue review off the worker's chase list and the team's at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from grip.cases.models import CINPlan, CINPlanReview
from grip.chasing import lists
from tests.cases.factories import AllocationFactory, CINEpisodeFactory, CINPlanFactory
from tests.people.factories import ChildFactory

pytestmark = pytest.mark.django_db


def day_fields(prefix: str, day) -> dict:
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


def held_by_ada(service, name: str, *, referred_days_ago: int):
    child = ChildFactory(first_name=name, last_name="Plan")
    episode = CINEpisodeFactory(child=child, referral_date=service.today - timedelta(days=referred_days_ago))
    ada = service.workers["ada"]
    AllocationFactory(child=child, worker=ada, team=ada.team, started_on=episode.referral_date)
    return child, episode


def review_items(items, child):
    return [i for i in items if i.child == child and i.obligation.rule == "cin_plan_review"]


def test_a_review_recorded_through_the_page_leaves_both_chase_lists(client, service):
    child, episode = held_by_ada(service, "Review", referred_days_ago=200)
    # Started 130 days ago: the 3-monthly review (local rule cin_plan_review) fell due about 40 days ago.
    CINPlanFactory(episode=episode, started_on=service.today - timedelta(days=130))
    assert review_items(lists.for_worker(worker=service.workers["ada"], on=service.today), child)
    assert review_items(lists.for_teams(teams=[service.assessment.pk], on=service.today), child)

    client.force_login(service.users["ada"])
    sent = client.post(
        reverse("recording:cin-plan", args=[child.pk]), {**day_fields("held", service.today), "action": "review"}
    )
    assert sent.status_code == 302, sent.text[sent.text.find("govuk-error-summary__list") :][:600]
    assert CINPlanReview.objects.get().held_on == service.today
    assert not review_items(lists.for_worker(worker=service.workers["ada"], on=service.today), child)
    assert not review_items(lists.for_teams(teams=[service.assessment.pk], on=service.today), child)


def test_a_plan_started_reviewed_and_ended_through_the_page_and_refusals_keep_the_typing(client, service):
    child, _episode = held_by_ada(service, "Journey", referred_days_ago=60)
    client.force_login(service.users["ada"])
    url = reverse("recording:cin-plan", args=[child.pk])
    before = service.today - timedelta(days=61)
    refused = client.post(url, {**day_fields("started", before), "action": "start"})
    assert refused.status_code == 400
    assert f"A plan cannot start before the referral ({service.today - timedelta(days=60):%d/%m/%Y})." in refused.text
    assert f'value="{before.day}"' in refused.text and not CINPlan.objects.exists()

    start = service.today - timedelta(days=30)
    assert client.post(url, {**day_fields("started", start), "action": "start"}).status_code == 302
    review = service.today - timedelta(days=10)
    assert client.post(url, {**day_fields("held", review), "action": "review"}).status_code == 302
    early_end = client.post(url, {**day_fields("ended", review - timedelta(days=1)), "action": "end"})
    assert early_end.status_code == 400 and f"before its last review ({review:%d/%m/%Y})" in early_end.text
    assert client.post(url, {**day_fields("ended", service.today), "action": "end"}).status_code == 302
    plan = CINPlan.objects.get()
    assert (plan.started_on, plan.ended_on, [r.held_on for r in plan.reviews.all()]) == (
        start,
        service.today,
        [review],
    )
    assert "Start a child in need plan" in client.get(url).text  # none running now
