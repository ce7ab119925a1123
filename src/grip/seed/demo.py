"""Demo sign-ins: one user per role, each linked to a worker of the seeded authority.

Each demo user holds one role (grip.access.roles); the social worker, team manager and service
manager are linked to workers of one child protection team, so their scope is that team's and that
service area's children. The password is for the local demo only and is printed when the demo starts:
so the users are made only where the settings say GRIP_DEMO_USERS (dev and test, never production),
and none of them is a Django superuser or staff member (the system administrator's role is what
opens the Django admin, grip.web.admin_site).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from grip.access.models import PartnerMembership, RoleGrant
from grip.access.roles import Role
from grip.frontdoor.models import PartnerOrganisation
from grip.workforce.models import Worker

DEMO_PASSWORD = "grip-demo"


@dataclass(frozen=True)
class DemoRole:
    username: str
    role: Role
    worker_role: str | None  # the kind of worker to link, if the role is a worker's
    team_function: str | None


DEMO_ROLES = [
    DemoRole("frontdoor", Role.FRONT_DOOR_PRACTITIONER, "SW", "front_door"),
    DemoRole("frontdoor-manager", Role.FRONT_DOOR_MANAGER, "TM", "front_door"),
    DemoRole("socialworker", Role.SOCIAL_WORKER, "SW", "child_protection"),
    DemoRole("teammanager", Role.TEAM_MANAGER, "TM", "child_protection"),
    DemoRole("servicemanager", Role.SERVICE_MANAGER, "SM", "child_protection"),
    DemoRole("director", Role.DIRECTOR, None, None),
    DemoRole("performance", Role.PERFORMANCE_OFFICER, None, None),
    DemoRole("qualitylead", Role.QUALITY_ASSURANCE_LEAD, None, None),
    DemoRole("iro", Role.INDEPENDENT_REVIEWING_OFFICER, None, None),
    DemoRole("partner", Role.PARTNER_AGENCY_USER, None, None),
    DemoRole("admin", Role.SYSTEM_ADMINISTRATOR, None, None),
]
PARTNER_ORGANISATION = "Demo Borough Police"
REFUSED = (
    "grip demo_users makes sign-ins with a published password, so it runs only with the dev or test "
    "settings (DJANGO_SETTINGS_MODULE=config.settings.dev), never with production settings. Nothing was created."
)


class DemoUsersRefused(Exception):
    pass


def refuse_unless_allowed() -> None:
    if not getattr(settings, "GRIP_DEMO_USERS", False):
        raise DemoUsersRefused(REFUSED)


@transaction.atomic
def ensure_demo_users() -> list[tuple[str, str]]:
    """Create (or reset) the demo users; returns (username, role) pairs."""
    refuse_unless_allowed()
    User = get_user_model()
    made = []
    for demo in DEMO_ROLES:
        user, _ = User.objects.get_or_create(username=demo.username)
        user.set_password(DEMO_PASSWORD)
        user.is_staff = user.is_superuser = False  # a published password must open no superuser
        user.first_name = demo.role.label
        user.save()
        RoleGrant.objects.get_or_create(user=user, role=demo.role)
        if demo.role == Role.PARTNER_AGENCY_USER:
            organisation, _ = PartnerOrganisation.objects.get_or_create(
                name=PARTNER_ORGANISATION, defaults={"referral_source": "6"}
            )
            PartnerMembership.objects.update_or_create(user=user, defaults={"organisation": organisation})
        if demo.worker_role and not hasattr(user, "worker"):
            worker = _demo_worker(demo)
            if worker:
                worker.user = user
                worker.save(update_fields=["user"])
                user.first_name, user.last_name = worker.first_name, worker.last_name
                user.save(update_fields=["first_name", "last_name"])
        made.append((demo.username, demo.role.label))
    return made


def _demo_worker(demo: DemoRole):
    """A worker in post for the demo role: the social worker holding most cases in their team, that
    team's manager, and the manager of its service area, so that the three see overlapping scopes."""
    from django.db.models import Count, Q

    in_post = Worker.objects.filter(left_on=None, user=None)
    busiest = (
        in_post.filter(role="SW", team__function=demo.team_function)
        .annotate(cases=Count("allocations", filter=Q(allocations__ended_on=None)))
        .order_by("-cases", "pk")
        .first()
    )
    if busiest is None:
        return None
    if demo.worker_role == "SW":
        return busiest
    if demo.worker_role == "TM":
        return in_post.filter(role="TM", team=busiest.team_id).first() or in_post.filter(role="TM").first()
    return in_post.filter(role="SM", team__service_area=busiest.team.service_area_id).first()
