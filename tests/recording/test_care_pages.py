"""The looked-after care pages: offered on the record of a looked-after child, errors shown with
what was typed (status 400), the change of placement checked before it is recorded, and each
earlier record shown with who recorded it and when."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from grip.cases.models import LookedAfterEpisode, LookedAfterReview, MissingEpisode, PersonalEducationPlan
from tests.cases.factories import AllocationFactory, LookedAfterEpisodeFactory
from tests.people.factories import ChildFactory

from .test_care_clocks import date_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(service):
    young = ChildFactory(first_name="Lia", last_name="Care", date_of_birth=service.today - timedelta(days=365 * 10))
    LookedAfterEpisodeFactory(child=young, started_on=service.today - timedelta(days=60), placement_type="U6")
    ada = service.workers["ada"]
    AllocationFactory(child=young, worker=ada, team=ada.team, started_on=service.today - timedelta(days=60))
    return young


@pytest.fixture
def ada(client, service):
    user = service.users["ada"]
    user.first_name, user.last_name = "Ada", "Shaw"
    user.save()
    client.force_login(user)
    return user


def test_the_record_of_a_looked_after_child_offers_the_care_pages(client, child, ada):
    offered = client.get(reverse("web:child-record", args=[child.pk])).text
    for text in (
        "Record a looked-after review",
        "Record a change of placement",
        "Record a health assessment",
        "Record a personal education plan",
        "Record a child missing or back",
        "Record a return interview",
    ):
        assert text in offered


def test_a_child_not_looked_after_is_offered_none_and_the_page_records_nothing(client, service, ada):
    home = service.open_case("Home")
    AllocationFactory(child=home, worker=service.workers["ada"], team=service.assessment, started_on=service.today)
    assert "Record a looked-after review" not in client.get(reverse("web:child-record", args=[home.pk])).text
    page = reverse("recording:care-education", args=[home.pk])
    assert 'data-testid="not-looked-after"' in client.get(page).text
    client.post(page, date_fields("held", service.today))
    assert not PersonalEducationPlan.objects.exists()


def test_a_review_with_errors_keeps_what_was_typed_and_records_nothing(client, service, child, ada):
    page = reverse("recording:care-review", args=[child.pk])
    answer = client.post(page, {"held_day": "31", "held_month": "2", "held_year": "2026", "participation": "PN4"})
    assert answer.status_code == 400
    text = answer.text
    assert "There is a problem" in text and 'href="#held_day"' in text
    assert "Date of the review must be a real date" in text
    assert 'value="31"' in text and 'value="PN4" checked' in text
    future = client.post(page, {**date_fields("held", service.today + timedelta(days=1)), "participation": "PN1"})
    assert future.status_code == 400 and "A review cannot be in the future." in future.text
    assert not LookedAfterReview.objects.exists()


def test_a_recorded_review_shows_who_recorded_it(client, service, child, ada):
    page = reverse("recording:care-review", args=[child.pk])
    held = service.today - timedelta(days=3)
    assert client.post(page, {**date_fields("held", held), "participation": "PN1"}).status_code == 302
    text = client.get(page).text
    assert 'data-testid="earlier-reviews"' in text
    assert "PN1: Child physically attends and speaks for themselves" in text
    assert "by Ada Shaw on" in text


def test_a_placement_change_is_checked_then_recorded(client, service, child, ada):
    page = reverse("recording:care-placement", args=[child.pk])
    moved = service.today - timedelta(days=2)
    answers = {
        **date_fields("changed", moved),
        "placement_type": "K2",
        "provider": "PR4",
        "postcode": "ZX9 9ZZ",
        "reason": "CREQB",
        "same_carer": "no",
    }
    check = client.post(page, answers)
    assert check.status_code == 200 and "Check the change of placement" in check.text
    assert "Children&#39;s home subject to Children&#39;s Homes Regulations" in check.text
    assert LookedAfterEpisode.objects.filter(child=child).count() == 1  # nothing recorded yet
    back = client.post(page, {**answers, "step": "change"})
    assert "Record a change of placement" in back.text and 'value="ZX9 9ZZ"' in back.text
    assert client.post(page, {**answers, "step": "check"}).status_code == 302
    rows = list(
        LookedAfterEpisode.objects.filter(child=child)
        .order_by("started_on")
        .values_list("ended_on", "reason_ceased", "reason_place_change", "placement_type", "reason_new_episode")
    )
    assert rows == [(moved, "X1", "CREQB", "U6", "S"), (None, "", "", "K2", "P")]


def test_a_placement_change_before_the_current_one_is_refused_on_the_form(client, service, child, ada):
    page = reverse("recording:care-placement", args=[child.pk])
    answers = {
        **date_fields("changed", service.today - timedelta(days=61)),
        "placement_type": "K2",
        "provider": "PR4",
        "postcode": "",
        "reason": "CREQB",
        "same_carer": "no",
        "step": "check",
    }
    refused = client.post(page, answers)
    assert refused.status_code == 400
    assert "A placement change must be after the current placement started" in refused.text
    assert 'href="#changed_day"' in refused.text
    assert LookedAfterEpisode.objects.filter(child=child).count() == 1


def test_missing_then_back_through_the_page(client, service, child, ada):
    page = reverse("recording:care-missing", args=[child.pk])
    day = service.today - timedelta(days=2)
    gone = {"missing_type": "M", **date_fields("started", day), "started_time": "22:15"}
    assert client.post(page, {**gone, "started_time": "25:00"}).status_code == 400
    assert client.post(page, gone).status_code == 302
    assert "Record the child’s return" in client.get(page).text
    assert (
        client.post(page, {**date_fields("returned", day + timedelta(days=1)), "returned_time": "08:00"}).status_code
        == 302
    )
    episode = MissingEpisode.objects.get(child=child)
    started, ended = timezone.localtime(episode.started_at), timezone.localtime(episode.ended_at)
    assert (started.date(), f"{started:%H:%M}", ended.date(), f"{ended:%H:%M}") == (
        day,
        "22:15",
        day + timedelta(days=1),
        "08:00",
    )
    assert "Record a child missing" in client.get(page).text
