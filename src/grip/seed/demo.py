"""Demo sign-ins: one user per role, each linked to a worker of the seeded authority.

Roles are Django groups here; what each role may see is the access issue's work. The passwords
are for the local demo only and are printed when the demo starts.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

DEMO_PASSWORD = "grip-demo"


@dataclass(frozen=True)
class DemoRole:
    username: str
    role: str
    worker_role: str | None  # the kind of worker to link, if the role is a worker's
    team_function: str | None


DEMO_ROLES = [
    DemoRole("frontdoor", "Front door practitioner", "SW", "front_door"),
    DemoRole("frontdoor-manager", "Front door manager", "TM", "front_door"),
    DemoRole("socialworker", "Social worker", "SW", "child_protection"),
    DemoRole("teammanager", "Team manager", "TM", "child_protection"),
    DemoRole("servicemanager", "Service manager", "SM", "child_protection"),
    DemoRole("director", "Director", None, None),
    DemoRole("performance", "Performance officer", None, None),
    DemoRole("qualitylead", "Quality assurance lead", None, None),
    DemoRole("iro", "Independent reviewing officer", None, None),
    DemoRole("partner", "Partner agency user", None, None),
    DemoRole("admin", "System administrator", None, None),
]


@transaction.atomic
def ensure_demo_users() -> list[tuple[str, str]]:
    """Create (or reset) the demo users; returns (username, role) pairs."""
    from grip.workforce.models import Worker

    User = get_user_model()
    made = []
    for demo in DEMO_ROLES:
        user, _ = User.objects.get_or_create(username=demo.username)
        user.set_password(DEMO_PASSWORD)
        user.is_staff = user.is_superuser = demo.username == "admin"
        user.first_name = demo.role
        user.save()
        group, _ = Group.objects.get_or_create(name=demo.role)
        user.groups.add(group)
        if demo.worker_role and not hasattr(user, "worker"):
            worker = (
                Worker.objects.filter(role=demo.worker_role, team__function=demo.team_function, user=None, left_on=None)
                .order_by("pk")
                .first()
            )
            if worker:
                worker.user = user
                worker.save(update_fields=["user"])
                user.first_name, user.last_name = worker.first_name, worker.last_name
                user.save(update_fields=["first_name", "last_name"])
        made.append((demo.username, demo.role))
    return made
