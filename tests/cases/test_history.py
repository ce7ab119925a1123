"""Field-level history of the journey records (django-simple-history): every change is kept, with
who made it when it came through a request."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from simple_history.middleware import HistoryRequestMiddleware

from tests.cases.factories import (
    CarePlanFactory,
    CINEpisodeFactory,
    CoreGroupMeetingFactory,
    HealthAssessmentFactory,
)

pytestmark = pytest.mark.django_db


def test_a_change_to_an_episode_keeps_the_old_values():
    episode = CINEpisodeFactory(primary_need="N4")
    episode.primary_need = "N1"
    episode.save()
    versions = list(episode.history.order_by("history_date").values_list("primary_need", "history_type"))
    assert versions == [("N4", "+"), ("N1", "~")]


def test_a_change_made_during_a_request_names_who_made_it():
    user = get_user_model().objects.create_user(username="practitioner")
    episode = CINEpisodeFactory()
    request = RequestFactory().post("/")
    request.user = user

    def change(_request):
        episode.primary_need = "N5"
        episode.save()
        return None

    HistoryRequestMiddleware(change)(request)
    assert episode.history.latest("history_date").history_user == user


@pytest.mark.parametrize("factory", [HealthAssessmentFactory, CarePlanFactory, CoreGroupMeetingFactory])
def test_a_corrected_date_keeps_the_date_first_recorded(factory):
    record = factory()
    field = "made_on" if hasattr(record, "made_on") else "held_on"
    first = getattr(record, field)
    setattr(record, field, first - datetime.timedelta(days=1))
    record.save()
    assert list(record.history.order_by("history_date").values_list(field, flat=True)) == [
        first,
        first - datetime.timedelta(days=1),
    ]
