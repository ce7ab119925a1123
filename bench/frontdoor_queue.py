"""Benchmark: the front door's live queue at large-la scale.

Uses the database `bench/frontdoor_matching.py` seeded (large-la, 3 years: ~156,000 contacts, the
undecided ones on the end date in the queue) — run that first, or pass --seed to seed here. Adds
a day's worth of undecided contacts arriving now (about 200, Birmingham's daily volume) so the
queue is at least a busy day's length, then times `front_door_queue` and the whole queue page for
a front door practitioner, 200 times each. Target (issue 4): p95 under 150 ms on SQLite and
PostgreSQL.

    .venv/bin/python bench/frontdoor_queue.py [--database sqlite|postgresql|both] [--seed]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("GRIP_BENCH_POSTGRES_FD", "postgres://postgres@127.0.0.1:5432/grip_bench_fd")
SQLITE = Path(tempfile.gettempdir()) / "grip-bench-frontdoor.sqlite3"

CHILD = r"""
import json, random, statistics, time
from datetime import timedelta
import django
django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from grip.frontdoor import services
from grip.frontdoor.models import Contact
from grip.frontdoor.named import NamedChild
from grip.frontdoor.selectors import front_door_queue
from grip.seed.demo import ensure_demo_users

settings.ALLOWED_HOSTS = ["*"]
ensure_demo_users()
user = get_user_model().objects.select_related("worker__team").get(username="frontdoor")
rng = random.Random(2)
now = timezone.now()
waiting = Contact.objects.filter(decided_at=None).count()
for i in range(max(0, 200 - waiting)):
    services.contact_report_receive(
        received_at=now - timedelta(minutes=rng.randint(0, 600)), route="PHONE", source="2A",
        reporter_name=f"Bench reporter {i}", concerns="Bench contact", consent="YES",
        urgency=rng.choice(["IMMEDIATE", "SAME_DAY", "ROUTINE"]),
        children=[NamedChild(f"Bench{i}", "Child")], by=user)
queue_times, page_times = [], []
client = Client()
client.force_login(user)
for _ in range(200):
    t = time.perf_counter()
    items = front_door_queue(user=user, now=timezone.now())
    queue_times.append(time.perf_counter() - t)
for _ in range(200):
    t = time.perf_counter(); response = client.get("/front-door/queue/"); page_times.append(time.perf_counter() - t)
    assert response.status_code == 200


def ms(xs):
    xs = sorted(xs)
    return statistics.median(xs) * 1000, xs[int(len(xs) * 0.95) - 1] * 1000


print(json.dumps({"length": len(items), "queue": ms(queue_times), "page": ms(page_times)}))
"""


def run(database: str, seed: bool) -> dict:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.dev", PYTHONPATH=f"{ROOT}:{ROOT / 'src'}")
    if database == "sqlite":
        env["GRIP_SQLITE_PATH"] = str(SQLITE)
        env.pop("DATABASE_URL", None)
    else:
        env["DATABASE_URL"] = PG_URL
        if seed:
            name = PG_URL.rsplit("/", 1)[1]
            subprocess.run(
                ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True
            )
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {name}"], check=True)
    manage = [sys.executable, str(ROOT / "manage.py")]
    if seed and database == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE}{suffix}").unlink(missing_ok=True)
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    if seed:
        subprocess.run(
            [*manage, "seed", "--profile", "large-la", "--seed", "1", "--end-date", "2026-03-31"],
            env=env,
            check=True,
            cwd=ROOT,
            capture_output=True,
        )
    out = subprocess.run([sys.executable, "-c", CHILD], env=env, check=True, cwd=ROOT, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--seed", action="store_true", help="seed large-la first (otherwise reuse the matching bench's)"
    )
    args = parser.parse_args()
    print(f"# {date.today()} · {platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()}")
    print("| database | contacts in queue | queue selector p50 / p95 ms | queue page p50 / p95 ms | target met |")
    print("| --- | ---: | ---: | ---: | --- |")
    for database in ["sqlite", "postgresql"] if args.database == "both" else [args.database]:
        r = run(database, args.seed)
        (q50, q95), (p50, p95) = r["queue"], r["page"]
        print(
            f"| {database} | {r['length']} | {q50:.1f} / {q95:.1f} | {p50:.1f} / {p95:.1f} | "
            f"{'yes' if p95 < 150 else 'NO'} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
