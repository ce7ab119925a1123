"""A small service for allocation tests: two teams in one service area, a third in another, a
manager for each team and a service manager, social workers, and children with open cases."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from grip.access.models import RoleGrant
from grip.access.roles import Role
from grip.workforce.models import ServiceArea, Team, Worker
from tests.cases.factories import CINEpisodeFactory, TeamFactory, WorkerFactory
from tests.people.factories import ChildFactory


@dataclass
class Service:
    today: date
    assessment: Team
    protection: Team
    elsewhere: Team
    manager: object  # team manager of assessment
    protection_manager: object
    service_manager: object  # of the service area holding assessment and protection
    workers: dict[str, Worker] = field(default_factory=dict)
    users: dict[str, object] = field(default_factory=dict)

    def open_case(self, name: str = "Child", days_ago: int = 10):
        child = ChildFactory(first_name=name, last_name="Case")
        CINEpisodeFactory(child=child, referral_date=self.today - timedelta(days=days_ago))
        return child

    def queued_case(self, name: str = "Child", days_ago: int = 10, team: Team | None = None):
        """An open case the front door has sent to a team's queue (the assessment team's unless
        `team`): in that team's managers' scope, so theirs to allocate."""
        child = self.open_case(name, days_ago)
        route_to_queue(child, team or self.assessment, on=self.today)
        return child


def route_to_queue(child, team: Team, *, on: date) -> None:
    """The front door sends a case no team has held to `team`'s queue (as grip.allocation.services.
    case_transfer records it)."""
    from grip.allocation.models import Transfer

    by = get_user_model().objects.get_or_create(username="front-door-router")[0]
    Transfer.objects.create(
        child=child, to_team=team, handover_note="New case for your queue", requested_by=by, requested_on=on
    )


def user_with(username: str, role: Role, worker: Worker | None = None):
    user = get_user_model().objects.create_user(username=username, password="a-long-test-password")
    RoleGrant.objects.create(user=user, role=role)
    if worker is not None:
        worker.user = user
        worker.save(update_fields=["user"])
    return user


@pytest.fixture
def service(db) -> Service:
    today = timezone.localdate()
    north, south = ServiceArea.objects.create(name="North"), ServiceArea.objects.create(name="South")
    assessment = TeamFactory(name="Assessment North", service_area=north, function="assessment")
    protection = TeamFactory(name="Child Protection North", service_area=north, function="child_protection")
    elsewhere = TeamFactory(name="Assessment South", service_area=south, function="assessment")
    workers = {
        "ada": WorkerFactory(first_name="Ada", last_name="Shaw", team=assessment),
        "ben": WorkerFactory(first_name="Ben", last_name="Ola", team=assessment),
        "cy": WorkerFactory(first_name="Cy", last_name="Mann", team=protection),
        "dee": WorkerFactory(first_name="Dee", last_name="Vu", team=elsewhere),
        "tm": WorkerFactory(first_name="Tam", last_name="Lead", team=assessment, role="TM"),
        "cptm": WorkerFactory(first_name="Pat", last_name="Lead", team=protection, role="TM"),
        "sm": WorkerFactory(first_name="Sam", last_name="Head", team=assessment, role="SM"),
    }
    s = Service(
        today=today,
        assessment=assessment,
        protection=protection,
        elsewhere=elsewhere,
        manager=user_with("tm", Role.TEAM_MANAGER, workers["tm"]),
        protection_manager=user_with("cptm", Role.TEAM_MANAGER, workers["cptm"]),
        service_manager=user_with("sm", Role.SERVICE_MANAGER, workers["sm"]),
        workers=workers,
    )
    s.users["ada"] = user_with("ada", Role.SOCIAL_WORKER, workers["ada"])
    s.users["director"] = user_with("director", Role.DIRECTOR)
    s.users["performance"] = user_with("performance", Role.PERFORMANCE_OFFICER)
    return s
