"""A worker's leaving date ends their access ON that day: from it on they cannot sign in, a session
they already have ends at its next request, and scope gives them no child (not even a restricted
record they are named on, or one they hold an exception for). The day before, everything works."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from grip.access import services
from grip.access.roles import Role, roles_of
from grip.access.scope import child_access, children_visible_to
from grip.frontdoor.selectors import contacts_visible_to
from tests.cases.factories import WorkerFactory

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
LEAVING = dt.date(2026, 7, 31)  # a Friday
EVE = dt.datetime(2026, 7, 30, 23, 50, tzinfo=LONDON)  # ten minutes before the leaving date begins


def _leave(user, on=LEAVING):
    worker = user.worker
    worker.left_on = on
    worker.save(update_fields=["left_on"])


def _fresh(user):
    return type(user).objects.select_related("worker__team").get(pk=user.pk)


@pytest.fixture
def leaving_manager(world):
    """The team manager (named on the restricted record), leaving on LEAVING."""
    manager = world.users[Role.TEAM_MANAGER]
    _leave(manager)
    return manager


def test_the_day_before_leaving_the_worker_signs_in_and_sees_their_children(
    client, world, leaving_manager, time_machine
):
    time_machine.move_to(EVE, tick=False)
    assert client.login(username=leaving_manager.username, password=PASSWORD)
    assert client.get(reverse("web:home")).status_code == 200
    seen = set(children_visible_to(_fresh(leaving_manager)).values_list("pk", flat=True))
    assert seen == {world.children[k].pk for k in ("own", "team", "restricted")}


def test_from_the_leaving_date_the_worker_cannot_sign_in(client, world, leaving_manager, time_machine):
    time_machine.move_to(dt.datetime(2026, 7, 31, 8, 0, tzinfo=LONDON), tick=False)
    assert not client.login(username=leaving_manager.username, password=PASSWORD)
    response = client.post(reverse("web:login"), {"username": leaving_manager.username, "password": PASSWORD})
    assert response.status_code == 200 and SESSION_KEY not in client.session


def test_a_session_open_at_midnight_ends_at_its_next_request_on_the_leaving_date(
    client, world, leaving_manager, time_machine
):
    time_machine.move_to(EVE, tick=False)
    client.login(username=leaving_manager.username, password=PASSWORD)
    child_url = reverse("web:child-record", kwargs={"pk": world.children["own"].pk})
    assert client.get(child_url).status_code == 200

    time_machine.shift(dt.timedelta(minutes=15))  # 00:05 on the leaving date, well within the idle timeout
    response = client.get(child_url)

    assert response.status_code == 302 and response.url.startswith(reverse("web:login"))
    assert SESSION_KEY not in client.session  # the session itself is ended, not just refused once


def test_from_the_leaving_date_scope_gives_no_child_named_or_excepted(world, leaving_manager, time_machine):
    director = world.users[Role.DIRECTOR]
    WorkerFactory(user=director, team=leaving_manager.worker.team, role="SM")
    _leave(director)
    time_machine.move_to(EVE, tick=False)
    services.access_exception_grant(
        restriction=world.children["restricted"].restriction,
        user=director,
        reason="Serious case review in progress",
        expires_at=timezone.now() + dt.timedelta(days=30),
        by=leaving_manager,
    )
    assert children_visible_to(_fresh(director)).filter(pk=world.children["restricted"].pk).exists()

    time_machine.move_to(dt.datetime(2026, 7, 31, 0, 1, tzinfo=LONDON), tick=False)
    for user in (_fresh(leaving_manager), _fresh(director)):
        assert not children_visible_to(user).exists()
        assert not contacts_visible_to(user).exists()
        assert roles_of(user) == frozenset()
        for key in ("own", "restricted"):
            with pytest.raises(Exception, match="not yours to see"):
                child_access(user, world.children[key].pk)


def test_the_same_user_object_loses_scope_when_the_day_comes(world, leaving_manager, time_machine):
    # roles are cached on the user for a request; the leaving date must not be.
    manager = _fresh(leaving_manager)
    time_machine.move_to(EVE, tick=False)
    assert children_visible_to(manager).exists()
    time_machine.move_to(dt.datetime(2026, 7, 31, 0, 1, tzinfo=LONDON), tick=False)
    assert not children_visible_to(manager).exists()


def test_access_and_being_in_post_end_on_the_same_day(world, leaving_manager):
    """One leaving date, one meaning: the day access ends is the day the worker is no longer in
    post (no new allocation, their cases flagged, no digest), not a day later."""
    from grip.access.leaving import has_left

    worker = _fresh(leaving_manager).worker
    eve, day = LEAVING - dt.timedelta(days=1), LEAVING
    assert (worker.in_post_on(eve), has_left(leaving_manager, on=eve)) == (True, False)
    assert (worker.in_post_on(day), has_left(leaving_manager, on=day)) == (False, True)
