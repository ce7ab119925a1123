"""Benchmark: the workforce page (issue 15) at large-la, as the director sees it (the authority,
every service area and team, the authority's 24-month trend, the published figures).

Reuses (or seeds) the large-la benchmark database on PostgreSQL (bench/common.py), then with
Django's test client times GET /workforce/?on=<the seed's end date>:
- cold: the page's cache emptied before each request (the records read and every census computed);
- warm: the page as the next person sees it within CACHE_SECONDS (grip.workforce.overview);
- the drill-down list behind the authority's headcount, warm.
Targets (issue 15): p95 under 1 s cold and under 150 ms warm.

    .venv/bin/python bench/workforce_page.py [--database postgresql|sqlite] [--name grip_bench]
"""

from __future__ import annotations

import argparse
import os
import platform

from common import END_DATE, PERCENTILES, ensure_seeded, run_child

CHILD = (
    PERCENTILES
    + r"""
import json, sys, time
import django
django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from grip.access.models import RoleGrant
from grip.access.roles import Role

settings.ALLOWED_HOSTS = ["*"]
on = sys.argv[1]
user, _ = get_user_model().objects.get_or_create(username="bench-director")
RoleGrant.objects.get_or_create(user=user, role=Role.DIRECTOR)
client = Client()
client.force_login(user)
url = f"/workforce/?on={on}"


def timed(path, n, *, clear):
    times = []
    for _ in range(n):
        if clear:
            cache.clear()
        started = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    return times


cold = timed(url, 10, clear=True)
warm = timed(url, 50, clear=False)
behind = timed(f"/workforce/behind/?measure=headcount&on={on}", 20, clear=False)
print(json.dumps({"cold_ms": ms(cold), "warm_ms": ms(warm), "behind_warm_ms": ms(behind)}))
"""
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="postgresql", choices=["postgresql", "sqlite"])
    parser.add_argument("--name", default="grip_bench")
    args = parser.parse_args()
    env = ensure_seeded(args.database, args.name)
    result = run_child(CHILD, env, END_DATE)
    print(f"{platform.node()} ({os.cpu_count()} cores), {args.database} {args.name}: (median, p95) ms {result}")


if __name__ == "__main__":
    main()
