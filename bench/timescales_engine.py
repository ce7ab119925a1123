"""Benchmark: every statutory obligation of every open case at large-la scale (issue 6).

Seeds the Birmingham-sized authority (large-la, 3 years to 31 March 2026, seed 1) into a SQLite
file and a PostgreSQL database with --seed, or reuses them. Then, in a fresh process, times
`grip.timescales.engine.obligations(on=2026-03-31)` — every rule, every child with an open case,
every contact at the front door and every worker — 5 times after one warm-up run (which reads the
authority calendar), and the same with a year of met obligations (`since` = 1 April 2025), the
history a trend chart needs. Target: the full computation under 10 seconds on SQLite and on
PostgreSQL.

    .venv/bin/python bench/timescales_engine.py [--database sqlite|postgresql|both] [--seed]
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
PG_URL = os.environ.get("GRIP_BENCH_POSTGRES_TS", "postgres://postgres@127.0.0.1:5432/grip_bench_timescales")
SQLITE = Path(os.environ.get("GRIP_BENCH_SQLITE_TS", Path(tempfile.gettempdir()) / "grip-bench-timescales.sqlite3"))
END = "2026-03-31"
TARGET_SECONDS = 10.0

CHILD = r"""
import collections, json, statistics, sys, time
from datetime import date
import django
django.setup()
from grip.timescales.engine import obligations

on = date.fromisoformat(sys.argv[1])
since = date(on.year - 1, on.month, on.day) if on.month != 2 or on.day != 29 else date(on.year - 1, 2, 28)


def timed(**kwargs):
    times, found = [], None
    obligations(on=on, **kwargs)  # warm-up: the authority calendar is read once per process
    for _ in range(5):
        started = time.perf_counter()
        found = obligations(on=on, **kwargs)
        times.append(time.perf_counter() - started)
    return times, found


now_times, now = timed()
history_times, history = timed(since=since)
print(json.dumps({
    "obligations": len(now),
    "children": len({o.child_id for o in now if o.child_id is not None}),
    "workers": len({o.worker_id for o in now if o.worker_id is not None}),
    "statuses": collections.Counter(o.status for o in now),
    "times": now_times,
    "history_obligations": len(history),
    "history_times": history_times,
}))
"""


def environment(database: str) -> dict[str, str]:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.dev", PYTHONPATH=f"{ROOT}:{ROOT / 'src'}")
    if database == "sqlite":
        env["GRIP_SQLITE_PATH"] = str(SQLITE)
        env.pop("DATABASE_URL", None)
    else:
        env["DATABASE_URL"] = PG_URL
    return env


def seed(database: str, env: dict[str, str]) -> None:
    if database == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE}{suffix}").unlink(missing_ok=True)
    else:
        name = PG_URL.rsplit("/", 1)[1]
        for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [*manage, "seed", "--profile", "large-la", "--seed", "1", "--end-date", END],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
    )


def run(database: str, *, reseed: bool) -> dict:
    env = environment(database)
    if reseed:
        seed(database, env)
    else:
        subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    out = subprocess.run(
        [sys.executable, "-c", CHILD, END], env=env, check=True, cwd=ROOT, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--seed", action="store_true", help="seed large-la first (otherwise reuse the last seeding)")
    args = parser.parse_args()
    print(f"# {date.today()} · {platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()}")
    print(
        "| database | obligations | children | workers | seconds min / median / max "
        "| with a year's history: obligations, median s | target met |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for database in ["sqlite", "postgresql"] if args.database == "both" else [args.database]:
        r = run(database, reseed=args.seed)
        times, history = sorted(r["times"]), sorted(r["history_times"])
        worst = max(times[-1], history[-1])
        print(
            f"| {database} | {r['obligations']:,} | {r['children']:,} | {r['workers']:,} "
            f"| {times[0]:.2f} / {times[len(times) // 2]:.2f} / {times[-1]:.2f} "
            f"| {r['history_obligations']:,}, {history[len(history) // 2]:.2f} "
            f"| {'yes' if worst < TARGET_SECONDS else 'NO'} |",
            flush=True,
        )
        print(f"<!-- {database} statuses: {json.dumps(r['statuses'], sort_keys=True)} -->", flush=True)


if __name__ == "__main__":
    main()
