"""The case-step pages: a strategy discussion asked for and then recorded as held (date and time,
agencies, outcome) from the child's record, and the assessment started when it starts."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from grip.access.models import RoleGrant
from grip.access.roles import Role
from grip.cases.models import Assessment, Section47Enquiry, StrategyDiscussion
from tests.cases.factories import CINEpisodeFactory

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(datetime(2026, 3, 20, 12, 0))


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def manager(client):
    user = get_user_model().objects.create_user(username="fdm", first_name="Fola", last_name="Adeyemi")
    RoleGrant.objects.create(user=user, role=Role.FRONT_DOOR_MANAGER)
    client.force_login(user)
    return user


def page(name, child):
    return reverse(f"web:{name}", args=[child.pk])


def test_a_manager_asks_for_a_discussion_then_records_it_held_with_a_section_47(client, manager):
    episode = CINEpisodeFactory(referral_date=date(2026, 3, 18))
    child = episode.child
    record = client.get(page("child-record", child)).text
    assert "Ask for a strategy discussion" in record and "Start the assessment" in record

    asked_at = timezone.make_aware(datetime(2026, 3, 18, 16, 5))
    with time_machine.travel(asked_at, tick=False):
        client.force_login(manager)
        asked = client.post(page("strategy-discussion", child), {"reason": "Police report of an assault at home"})
    client.force_login(manager)
    assert asked.status_code == 302
    discussion = StrategyDiscussion.objects.get()
    assert (discussion.requested_at, discussion.requested_by, discussion.held_at) == (asked_at, manager, None)
    assert "Record the strategy discussion held" in client.get(page("child-record", child)).text

    held = client.post(
        page("strategy-discussion", child),
        {
            "held_day": "19",
            "held_month": "3",
            "held_year": "2026",
            "held_time": "14:30",
            "attended_by": ["SOCIAL_CARE", "POLICE", "EDUCATION"],
            "outcome": "S47",
            "notes": "Joint visit today",
        },
    )
    assert held.status_code == 302
    discussion.refresh_from_db()
    assert timezone.localtime(discussion.held_at) == timezone.make_aware(datetime(2026, 3, 19, 14, 30))
    assert Section47Enquiry.objects.get().started_on == date(2026, 3, 19)
    journey = client.get(page("child-record", child)).text
    assert "Strategy discussion requested" in journey and "Strategy discussion held" in journey
    assert "Held 19 March 2026 at 14:30" in journey
    assert "Attended: Children&#39;s social care, Police, Education" in journey
    assert "Section 47 enquiry started" in journey


def test_a_discussion_recorded_without_agencies_or_a_real_time_is_refused_and_changes_nothing(client, manager):
    episode = CINEpisodeFactory(referral_date=date(2026, 3, 18))
    StrategyDiscussion.objects.create(
        episode=episode, requested_at=timezone.make_aware(datetime(2026, 3, 18, 9)), reason="Bruising seen"
    )

    response = client.post(
        page("strategy-discussion", episode.child),
        {"held_day": "19", "held_month": "3", "held_year": "2026", "held_time": "25:10", "outcome": "S47"},
    )

    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert "Time held must be a real time" in response.text
    assert "Select the agencies that took part" in response.text
    assert StrategyDiscussion.objects.get().held_at is None and not Section47Enquiry.objects.exists()


def test_the_assessment_is_started_from_the_record_on_the_day_it_starts(client, manager):
    episode = CINEpisodeFactory(referral_date=date(2026, 3, 16))

    response = client.post(
        page("assessment-start", episode.child), {"started_day": "18", "started_month": "3", "started_year": "2026"}
    )

    assert response.status_code == 302
    assert Assessment.objects.get(episode=episode).started_on == date(2026, 3, 18)
    assert "Start the assessment" not in client.get(page("child-record", episode.child)).text


def test_an_assessment_before_the_referral_is_refused_on_the_page(client, manager):
    episode = CINEpisodeFactory(referral_date=date(2026, 3, 16))

    response = client.post(
        page("assessment-start", episode.child), {"started_day": "13", "started_month": "3", "started_year": "2026"}
    )

    assert response.status_code == 400 and "cannot start before the referral date" in response.text
    assert not Assessment.objects.exists()


def test_a_child_with_no_open_case_is_told_so(client, manager):
    closed = CINEpisodeFactory(referral_date=date(2026, 1, 5), closure_date=date(2026, 2, 1), closure_reason="RC7")

    response = client.get(page("strategy-discussion", closed.child))

    assert response.status_code == 200 and 'data-testid="no-open-case"' in response.text
    assert client.post(page("strategy-discussion", closed.child), {"reason": "x" * 20}).status_code == 200
    assert not StrategyDiscussion.objects.exists()
