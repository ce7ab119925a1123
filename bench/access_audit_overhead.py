"""Benchmark: what scoping and the audit log add to opening a child's record, at large-la scale.

Seeds the Birmingham-sized authority (large-la, 3 years) into a fresh database, creates the demo
users, then for 300 children in a social worker's scope (and 300 anywhere, for a director) times:
  - scope: `child_access(user, pk)` — the roles lookup and the scoped queries that find the child,
    against a plain fetch of the same child by id (what the page would do without scoping);
  - audit: `record_view(...)` in its own transaction, commit included (head lock, insert, update);
  - page: the whole child-record page through Django's test client (for context).
Target (issue 3): scope + audit under 5 ms per page (p95) on SQLite and PostgreSQL.

    .venv/bin/python bench/access_audit_overhead.py [--database sqlite|postgresql|both] [--reuse]
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
PG_URL = os.environ.get("GRIP_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/grip_bench")

CHILD = r"""
import json, random, statistics, sys, time
import django
django.setup()
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.contrib.auth import get_user_model
from grip.access.scope import child_access, children_visible_to
from grip.access.roles import roles_of
from grip.audit.services import record_view
from grip.seed.demo import ensure_demo_users
from grip.people.models import Person

settings.ALLOWED_HOSTS = ["*"]
ensure_demo_users()
User = get_user_model()
rng = random.Random(1)
out = {}


class FakeRequest:
    META = {"REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": "bench"}
    path = "/children/"


def ms(samples):
    samples = sorted(samples)
    return {"p50": statistics.median(samples) * 1000, "p95": samples[int(len(samples) * 0.95) - 1] * 1000}


for username in ("socialworker", "director"):
    user = User.objects.get(username=username)
    pks = list(children_visible_to(user).values_list("pk", flat=True))
    sample = rng.sample(pks, min(300, len(pks)))
    scope, audit, page, plain = [], [], [], []
    client = Client()
    client.force_login(user)
    for pk in sample:
        fresh = User.objects.select_related("worker__team").get(pk=user.pk)  # as the auth backend loads it
        t = time.perf_counter(); Person.objects.filter(pk=pk).first(); plain.append(time.perf_counter() - t)
        t = time.perf_counter(); access = child_access(fresh, pk); scope.append(time.perf_counter() - t)
        t = time.perf_counter()
        with transaction.atomic():
            record_view(user=fresh, child=access.child, request=FakeRequest())
        audit.append(time.perf_counter() - t)
        t = time.perf_counter(); response = client.get(f"/children/{pk}/"); page.append(time.perf_counter() - t)
        assert response.status_code == 200, response.status_code
    # What scoping and audit ADD: the scoped opening less a plain fetch of the same child, plus the entry.
    added = [s - p + a for s, p, a in zip(scope, plain, audit)]
    out[username] = {"children_in_scope": len(pks), "scope": ms(scope), "plain": ms(plain), "audit": ms(audit),
                     "scope_plus_audit": ms(added), "page": ms(page)}
print(json.dumps(out))
"""


def run(database: str, reuse: bool) -> dict:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.dev", PYTHONPATH=f"{ROOT}:{ROOT / 'src'}")
    if database == "sqlite":
        path = Path(tempfile.gettempdir()) / "grip-bench-access.sqlite3"
        if not reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        env["GRIP_SQLITE_PATH"] = str(path)
        env.pop("DATABASE_URL", None)
    else:
        name = PG_URL.rsplit("/", 1)[1]
        if not reuse:
            subprocess.run(
                ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True
            )
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {name}"], check=True)
        env["DATABASE_URL"] = PG_URL
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    if not reuse:
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
    parser.add_argument("--reuse", action="store_true", help="use the database a previous run seeded")
    args = parser.parse_args()
    print(f"# {date.today()} · {platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()}")
    print(
        "| database | user | children in scope | plain fetch p50 ms | scoped open p50/p95 ms | audit p50/p95 ms "
        "| added by scope+audit p50/p95 ms | page p50/p95 ms | target met |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for database in ["sqlite", "postgresql"] if args.database == "both" else [args.database]:
        for user, r in run(database, args.reuse).items():
            added = r["scope_plus_audit"]["p95"]
            print(
                f"| {database} | {user} | {r['children_in_scope']:,} | {r['plain']['p50']:.2f} | "
                f"{r['scope']['p50']:.2f} / {r['scope']['p95']:.2f} | "
                f"{r['audit']['p50']:.2f} / {r['audit']['p95']:.2f} | "
                f"{r['scope_plus_audit']['p50']:.2f} / {added:.2f} | "
                f"{r['page']['p50']:.1f} / {r['page']['p95']:.1f} | {'yes' if added < 5 else 'NO'} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
