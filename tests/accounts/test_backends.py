"""The signed-in user is loaded with their worker and team: scope reads both on every page."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_signed_in_user_comes_with_their_worker_and_team_in_one_query(client, django_assert_num_queries):
    from django.contrib.auth import get_user as user_of_request
    from django.contrib.auth import get_user_model

    from tests.cases.factories import WorkerFactory

    user = get_user_model().objects.create_user(username="withworker", password="x" * 12)
    WorkerFactory(user=user)
    client.force_login(user)
    request = type("R", (), {"session": client.session})()
    with django_assert_num_queries(2):  # the session, then the user with worker and team
        loaded = user_of_request(request)
        assert loaded.worker.team.name
