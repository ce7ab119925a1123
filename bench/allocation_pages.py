"""Benchmark: the unallocated register, a service's caseload page and the chase lists at large-la scale.

Seeds large-la (Birmingham-sized: ~14,000 open cases, ~2,300 workers) into a benchmark database on
SQLite and PostgreSQL, or reuses it, then with Django's test client times 100 requests each of:
the whole authority's unallocated register (a director), a team manager's register (their team's
queue), a service area's caseload page (a service manager), and the chase lists of a worker and of
a team (issue 6): the busiest ones (most cases held) and a median one. Every request does everything
a browser's would: scope, the lists computed from the records, what is overdue on each case, the
audit entry, the page. Targets (issues 5 and 6): p95 under 150 ms on SQLite and PostgreSQL.

    .venv/bin/python bench/allocation_pages.py [--database sqlite|postgresql|both] [--reseed]
"""

from __future__ import annotations

import argparse
import os
import platform
from datetime import date

from common import PERCENTILES, ensure_seeded, run_child

CHILD = (
    PERCENTILES
    + r"""
import json, sys, time
from datetime import date
import django
django.setup()
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from grip.access.models import RoleGrant
from grip.access.roles import Role
from grip.allocation.selectors import unallocated_children
from grip.workforce.models import Worker

settings.ALLOWED_HOSTS = ["*"]
REPEATS = 100
on = date.fromisoformat(sys.argv[1])
User = get_user_model()


def user_for(username, role, worker=None):
    user, _ = User.objects.get_or_create(username=username)
    RoleGrant.objects.get_or_create(user=user, role=role)
    if worker is not None and worker.user_id != user.pk:
        Worker.objects.filter(user=user).update(user=None)
        worker.user = user
        worker.save(update_fields=["user"])
    return User.objects.get(pk=user.pk)


with time_machine.travel(on.isoformat() + " 12:00", tick=True):
    waiting = unallocated_children(on=on)
    # the busiest team queue, and the service area with the most workers
    from grip.allocation.register import unallocated_register
    rows = unallocated_register(on=on)
    teams = {}
    for r in rows:
        if r.team:
            teams[r.team.pk] = teams.get(r.team.pk, 0) + 1
    busiest = max(teams, key=teams.get)
    in_team = Worker.objects.filter(team_id=busiest)
    manager = in_team.filter(role="TM").first() or in_team.first()
    area_worker = Worker.objects.filter(role="SM").first()
    register, caseloads = "/allocation/unallocated/", "/caseloads/"
    from collections import Counter
    from grip.allocation.selectors import current_leads
    leads = current_leads(on=on).values()
    by_worker = Counter(lead.worker_id for lead in leads).most_common()
    by_team = Counter(lead.team_id for lead in leads).most_common()
    busiest_worker = Worker.objects.get(pk=by_worker[0][0])
    median_worker = Worker.objects.get(pk=by_worker[len(by_worker) // 2][0])
    busiest_team, median_team = by_team[0][0], by_team[len(by_team) // 2][0]
    director = user_for("bench-director", Role.DIRECTOR)
    results_extra = {
        "busiest worker's cases": by_worker[0][1], "median worker's cases": by_worker[len(by_worker) // 2][1],
        "busiest team's cases": by_team[0][1], "median team's cases": by_team[len(by_team) // 2][1],
    }
    users = {
        "chase list, busiest worker": (user_for("bench-sw1", Role.SOCIAL_WORKER, busiest_worker), "/chase/mine/"),
        "chase list, median worker": (user_for("bench-sw2", Role.SOCIAL_WORKER, median_worker), "/chase/mine/"),
        "chase list, busiest team": (director, f"/chase/team/?team={busiest_team}"),
        "chase list, median team": (director, f"/chase/team/?team={median_team}"),
        "register, whole authority (director)": (director, register),
        "register, one team (team manager)": (user_for("bench-tm", Role.TEAM_MANAGER, manager), register),
        "caseloads, one service area (service manager)": (
            user_for("bench-sm", Role.SERVICE_MANAGER, area_worker),
            caseloads,
        ),
    }
    results = {"unallocated": len(waiting), "busiest_queue": teams[busiest], **results_extra}
    for name, (user, url) in users.items():
        client = Client()
        client.force_login(user)
        client.get(url)  # warm
        times = []
        for _ in range(REPEATS):
            t = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - t)
            assert response.status_code == 200, (url, response.status_code)
        results[name] = ms(times)
print(json.dumps(results))
"""
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--reseed", action="store_true", help="seed large-la afresh")
    args = parser.parse_args()
    from common import END_DATE

    print(f"# {date.today()} · {platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()}")
    print("| database | page | p50 ms | p95 ms | target met |")
    print("| --- | --- | ---: | ---: | --- |")
    for database in ["sqlite", "postgresql"] if args.database == "both" else [args.database]:
        env = ensure_seeded(database, "grip_bench_large", reseed=args.reseed)
        r = run_child(CHILD, env, END_DATE)
        sizes = "; ".join(f"{k}: {v}" for k, v in r.items() if not isinstance(v, list))
        print(f"| {database} | {sizes} | | | |")
        for name, value in r.items():
            if isinstance(value, list):
                p50, p95 = value
                print(f"| {database} | {name} | {p50} | {p95} | {'yes' if p95 < 150 else 'NO'} |", flush=True)


if __name__ == "__main__":
    main()
