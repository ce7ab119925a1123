"""Benchmark: every statutory obligation of every open case at large-la scale (issue 6).

Uses the Birmingham-sized authority (large-la, 3 years to 31 March 2026, seed 1) that
`bench/allocation_pages.py` uses (`grip_bench_large` on SQLite and PostgreSQL, seeded once by
`bench/common.py`, afresh with --seed). Then, in a fresh process, times
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
from datetime import date

from common import END_DATE, ensure_seeded, run_child

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
        r = run_child(CHILD, ensure_seeded(database, "grip_bench_large", reseed=args.seed), END_DATE)
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
