"""Benchmark: seed the Birmingham-sized authority (large-la, 3 years) on SQLite and on PostgreSQL.

Each run is a fresh process on a fresh database (migrated first, not timed). Reports wall time,
rows written, rows per second and the peak resident memory of the seeding process.
Target (issue 2): under 3 minutes and under 2 GB each, on the 2-core reference machine.

    .venv/bin/python bench/seed_large_la.py                  # both databases
    .venv/bin/python bench/seed_large_la.py --database sqlite
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
PG_URL = os.environ.get("GRIP_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/grip_bench")

CHILD = r"""
import json, resource, sys, time
from datetime import date
import django
django.setup()
from grip.seed.run import seed_authority
started = time.perf_counter()
summary = seed_authority(profile="large-la", seed=int(sys.argv[1]), end=date.fromisoformat(sys.argv[2]), replace=True)
print(json.dumps({"seconds": time.perf_counter() - started, "rows": summary.rows,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(database: str, seed: int, end: str) -> dict:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.dev", PYTHONPATH=f"{ROOT}:{ROOT / 'src'}")
    tmp = None
    if database == "sqlite":
        tmp = tempfile.TemporaryDirectory()
        env["GRIP_SQLITE_PATH"] = str(Path(tmp.name) / "bench.sqlite3")
        env.pop("DATABASE_URL", None)
    else:
        name = PG_URL.rsplit("/", 1)[1]
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True
        )
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {name}"], check=True)
        env["DATABASE_URL"] = PG_URL
    subprocess.run([PYTHON, str(ROOT / "manage.py"), "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    out = subprocess.run(
        [PYTHON, "-c", CHILD, str(seed), end], env=env, check=True, cwd=ROOT, capture_output=True, text=True
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["rows_per_second"] = result["rows"] / result["seconds"]
    result["database"] = database
    if tmp:
        tmp.cleanup()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--end-date", default="2026-03-31")
    args = parser.parse_args()
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    print(f"# {date.today()} · {platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()}")
    print("| database | rows | seconds | rows/s | peak memory (MB) | target met |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for database in databases:
        started = time.perf_counter()
        r = run(database, args.seed, args.end_date)
        ok = r["seconds"] < 180 and r["peak_rss_mb"] < 2048
        print(
            f"| {database} | {r['rows']:,} | {r['seconds']:.1f} | {r['rows_per_second']:,.0f} | "
            f"{r['peak_rss_mb']:,.0f} | {'yes' if ok else 'NO'} |",
            flush=True,
        )
        del started


if __name__ == "__main__":
    main()
