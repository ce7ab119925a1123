"""What the benchmarks share: a large-la database on SQLite or PostgreSQL (seeded once and reused),
running a measuring script against it in a child process, and percentiles.

    from common import database_env, ensure_seeded, run_child
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
END_DATE = "2026-03-31"  # a fixed end date, so figures from different days compare


def database_env(database: str, name: str) -> dict[str, str]:
    """The environment for a child process using the benchmark database `name` on `database`."""
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.dev", PYTHONPATH=f"{ROOT}:{ROOT / 'src'}")
    if database == "sqlite":
        env["GRIP_SQLITE_PATH"] = str(Path(tempfile.gettempdir()) / f"{name}.sqlite3")
        env.pop("DATABASE_URL", None)
    else:
        env["DATABASE_URL"] = os.environ.get(
            f"GRIP_BENCH_POSTGRES_{name.upper()}", f"postgres://postgres@127.0.0.1:5432/{name}"
        )
    return env


def _fresh(database: str, env: dict[str, str]) -> None:
    if database == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(env["GRIP_SQLITE_PATH"] + suffix).unlink(missing_ok=True)
        return
    name = env["DATABASE_URL"].rsplit("/", 1)[1]
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc"]
    subprocess.run([*psql, f"DROP DATABASE IF EXISTS {name}"], check=True)
    subprocess.run([*psql, f"CREATE DATABASE {name}"], check=True)


def ensure_seeded(database: str, name: str, *, reseed: bool = False) -> dict[str, str]:
    """Migrate the benchmark database and seed large-la into it unless it already holds it."""
    env = database_env(database, name)
    manage = [sys.executable, str(ROOT / "manage.py")]
    if reseed:
        _fresh(database, env)
    elif database == "postgresql":
        exists = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{name}'"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if not exists:
            _fresh(database, env)
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    probe = "import django; django.setup(); from grip.people.models import Person; print(Person.objects.exists())"
    seeded = subprocess.run(
        [sys.executable, "-c", probe], env=env, check=True, cwd=ROOT, capture_output=True, text=True
    )
    if seeded.stdout.strip().splitlines()[-1] != "True":
        subprocess.run(
            [*manage, "seed", "--profile", "large-la", "--seed", "1", "--end-date", END_DATE],
            env=env,
            check=True,
            cwd=ROOT,
            capture_output=True,
        )
        if database == "postgresql":
            # What autovacuum does soon after a load this size: statistics for the planner and the
            # visibility map that lets a covering index answer without visiting the table.
            name = env["DATABASE_URL"].rsplit("/", 1)[1]
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", "VACUUM ANALYZE", name], check=True)
    return env


def run_child(script: str, env: dict[str, str], *args: str) -> dict:
    """Run `script` (Python source) in a child process; it prints one JSON object last."""
    out = subprocess.run([sys.executable, "-c", script, *args], env=env, cwd=ROOT, capture_output=True, text=True)
    if out.returncode:
        sys.stderr.write(out.stderr[-3000:])
        raise SystemExit(f"the measuring script stopped (exit status {out.returncode})")
    return json.loads(out.stdout.strip().splitlines()[-1])


PERCENTILES = r"""
import statistics
def ms(xs):
    xs = sorted(xs)
    return round(statistics.median(xs) * 1000, 1), round(xs[max(0, int(len(xs) * 0.95) - 1)] * 1000, 1)
"""
