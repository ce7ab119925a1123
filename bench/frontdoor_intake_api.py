"""Benchmark: the partner intake API's throughput (issue 4: at least 100 contacts a second on this
2-core machine, on SQLite and on PostgreSQL).

For each database: a fresh one (a new SQLite file; PostgreSQL database `grip_bench_api`), migrated,
with one partner organisation and its API token; then Grip under gunicorn (2 sync workers, DEBUG
off) on 127.0.0.1, and N valid contact reports POSTed to /api/v1/contacts/ from a pool of client
threads on the same machine, each with its own Idempotency-Key, reporter and children (so no
duplicates). Every answer must be 201 and the database must then hold exactly the reports sent.
Reports contacts/second (reports, each naming one or two children) and latency p50/p95/p99, and
how much CPU went to Grip (gunicorn), to its database (SQLite runs inside gunicorn; PostgreSQL's
backends for this database), to the client, and to anything else running on the machine at the
same time: figures taken while other work ran are not comparable.

    .venv/bin/python bench/frontdoor_intake_api.py [--database sqlite|postgresql|both] [-n 3000]
        [--threads 8] [--workers 2] [--seed-profile large-la]

Only 127.0.0.1 is ever contacted; the loop is bounded by -n.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("GRIP_BENCH_POSTGRES_API", "postgres://postgres@127.0.0.1:5432/grip_bench_api")
HOST = "127.0.0.1"
TARGET = 100.0  # contacts a second (issue 4)

SETUP = r"""
import django
django.setup()
from grip.api.authentication import partner_token_create
from grip.frontdoor.models import PartnerOrganisation
police, _ = PartnerOrganisation.objects.get_or_create(name="Bench Police", defaults={"referral_source": "6"})
print(partner_token_create(organisation=police, name="bench")[1])
"""

COUNT = r"""
import django
django.setup()
from grip.frontdoor.models import Contact, ContactReport
print(ContactReport.objects.filter(route="API").count(), Contact.objects.filter(route="API").count())
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def body(i: int) -> bytes:
    """A valid report; every fifth names two siblings. Names are unique, so none is a duplicate."""
    children = [{"first_name": f"Child{i}", "last_name": f"Bench{i}", "date_of_birth": "2015-06-01", "sex": "F"}]
    if i % 5 == 0:
        children.append({"first_name": f"Sibling{i}", "last_name": f"Bench{i}", "date_of_birth": "2018-02-11"})
    return json.dumps(
        {
            "reporter": {"name": f"PC Bench {i}", "role": "Constable", "phone": "0121 496 0000"},
            "concerns": "Attended a domestic incident at the family home; the children were present.",
            "concern_categories": ["DOMESTIC_ABUSE"],
            "consent": "NOT_SOUGHT_RISK",
            "urgency": "SAME_DAY",
            "children": children,
        }
    ).encode()


class Client:
    """One keep-alive HTTP connection per thread (gunicorn's sync workers close it after each answer;
    http.client then reconnects, as a real partner system would)."""

    local = threading.local()

    def __init__(self, port: int, key: str):
        self.port, self.key = port, key

    def post(self, i: int) -> tuple[int, float]:
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = self.local.conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        headers = {
            "Authorization": f"Bearer {self.key}",
            "Content-Type": "application/json",
            "Idempotency-Key": str(uuid.uuid4()),
        }
        start = time.perf_counter()
        try:
            conn.request("POST", "/api/v1/contacts/", body=body(i), headers=headers)
            response = conn.getresponse()
            response.read()
        except (ConnectionError, http.client.HTTPException):
            conn.close()
            self.local.conn = None
            raise
        return response.status, time.perf_counter() - start


def _cpu_seconds() -> dict[int, tuple[int, str, float]]:
    """pid -> (parent pid, command line, CPU seconds used so far), for every process."""
    found = {}
    tick = os.sysconf("SC_CLK_TCK")
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        found[int(pid)] = (int(fields[1]), command, (int(fields[11]) + int(fields[12])) / tick)
    return found


def cpu_split(before: dict, after: dict, *, server_pid: int, database_name: str) -> dict[str, float]:
    """CPU seconds used between two snapshots, by Grip, its PostgreSQL backends, this client, others."""
    split = {"grip": 0.0, "postgresql": 0.0, "client": 0.0, "other": 0.0}
    for pid, (parent, command, seconds) in after.items():
        used = seconds - (before[pid][2] if pid in before and before[pid][1] == command else 0.0)
        if pid == server_pid or parent == server_pid:
            split["grip"] += used
        elif command.startswith("postgres:") and f" {database_name} " in command:
            split["postgresql"] += used
        elif pid == os.getpid():
            split["client"] += used
        else:
            split["other"] += used
    return split


def wait_for(port: int, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/api/v1/contacts/")  # 401 without a key: cheap, and proves Django is up
            if conn.getresponse().status == 401:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer in time")


def environment(database: str) -> dict:
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings.base",  # DEBUG off, as in production (without HTTPS redirects)
        PYTHONPATH=f"{ROOT}:{ROOT / 'src'}",
        GRIP_ALLOWED_HOSTS=HOST,
        GRIP_RATE_LIMIT_PARTNER_API="",  # one key sends them all: the per-key limit would cap the figure
    )
    if database == "sqlite":
        path = Path(tempfile.gettempdir()) / "grip-bench-api.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        env["GRIP_SQLITE_PATH"] = str(path)
        env.pop("DATABASE_URL", None)
    else:
        name = PG_URL.rsplit("/", 1)[1]
        for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
            subprocess.run(["psql", "-h", HOST, "-U", "postgres", "-qc", sql], check=True)
        env["DATABASE_URL"] = PG_URL
    return env


def run(database: str, *, n: int, threads: int, workers: int, seed_profile: str | None) -> dict:
    env = environment(database)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    if seed_profile:
        subprocess.run(
            [*manage, "seed", "--profile", seed_profile, "--seed", "1", "--end-date", "2026-03-31"],
            env=env,
            check=True,
            cwd=ROOT,
            capture_output=True,
        )
    key = (
        subprocess.run([sys.executable, "-c", SETUP], env=env, check=True, cwd=ROOT, capture_output=True, text=True)
        .stdout.strip()
        .splitlines()[-1]
    )
    port = free_port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [
            str(gunicorn),
            "config.wsgi:application",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        wait_for(port, server)
        client = Client(port, key)
        with ThreadPoolExecutor(threads) as pool:  # warm-up: imports, connections, first queries
            warm = list(pool.map(client.post, range(-threads * 4, 0)))
            before = _cpu_seconds()
            start = time.perf_counter()
            results = list(pool.map(client.post, range(n)))
            elapsed = time.perf_counter() - start
            cpu = cpu_split(before, _cpu_seconds(), server_pid=server.pid, database_name=PG_URL.rsplit("/", 1)[1])
    finally:
        server.terminate()
        server.wait(timeout=30)
    statuses = {s: sum(1 for r, _ in [*warm, *results] if r == s) for s in {r for r, _ in [*warm, *results]}}
    counts = subprocess.run(
        [sys.executable, "-c", COUNT], env=env, check=True, cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    latencies = sorted(t for _, t in results)
    return {
        "n": n,
        "statuses": statuses,
        "sent": n + len(warm),
        "reports_in_database": int(counts[0]),
        "contacts_in_database": int(counts[1]),
        "seconds": elapsed,
        "per_second": n / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "cpu": {k: v / elapsed for k, v in cpu.items()},  # cores busy, on average
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("-n", type=int, default=3000, help="reports to send (default 3000)")
    parser.add_argument("--threads", type=int, default=8, help="client threads (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--seed-profile", help="seed this profile first (e.g. large-la) instead of an empty database")
    args = parser.parse_args()
    if not 1 <= args.n <= 100_000:
        parser.error("-n must be between 1 and 100000")
    print(f"# {date.today()} · {platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()}")
    print(f"# gunicorn {args.workers} sync workers, {args.threads} client threads, {args.n} reports")
    print(
        "| database | reports | seconds | contacts/s | p50 ms | p95 ms | p99 ms | all 201 and saved "
        "| cores busy: Grip / PostgreSQL / client / other | target met |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |")
    for database in ["sqlite", "postgresql"] if args.database == "both" else [args.database]:
        r = run(database, n=args.n, threads=args.threads, workers=args.workers, seed_profile=args.seed_profile)
        ok = r["statuses"] == {201: r["sent"]} and r["reports_in_database"] == r["sent"]
        cores = " / ".join(f"{r['cpu'][k]:.2f}" for k in ("grip", "postgresql", "client", "other"))
        print(
            f"| {database} | {r['n']:,} | {r['seconds']:.1f} | {r['per_second']:.0f} | {r['p50']:.1f} | "
            f"{r['p95']:.1f} | {r['p99']:.1f} | {'yes' if ok else 'NO: ' + json.dumps(r['statuses'])} | {cores} | "
            f"{'yes' if ok and r['per_second'] >= TARGET else 'NO'} |",
            flush=True,
        )
        if r["cpu"]["other"] > 0.1:
            print(
                f"# {database}: other work used {r['cpu']['other']:.2f} cores meanwhile: run again on a quiet machine"
            )


if __name__ == "__main__":
    main()
