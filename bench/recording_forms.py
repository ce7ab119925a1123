"""Benchmark: recording the work (issue 14) at large-la scale, one person and several at once.

Seeds large-la (Birmingham-sized) into the benchmark database, or reuses it, then with Django's
test client, as the lead social worker of each child (signed in as them), times: opening the visit
form; recording a visit (a POST that saves it, audits it and redirects); writing a case note; and
opening a looked-after review form. Each request does everything a browser's would: sign-in,
scope, opening the record (audited), the form, the service's transaction with its audit entry.
Then WORKERS people record visits at the same time (threads, each with its own connection), to
see the audit log's single chain under concurrent writes. Target (issue 14): p95 under 150 ms.

    .venv/bin/python bench/recording_forms.py [--database sqlite|postgresql|both] [--reseed]
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
import json, sys, threading, time
from datetime import date, timedelta
import django
django.setup()
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse
from grip.access.models import RoleGrant
from grip.access.roles import Role
from grip.allocation.selectors import current_leads
from grip.cases.models import CaseNote, ChildProtectionPlan, LookedAfterEpisode, Visit
from grip.workforce.models import Worker

settings.ALLOWED_HOSTS = ["*"]
REPEATS = 100
WORKERS = 4
on = date.fromisoformat(sys.argv[1])
User = get_user_model()


def client_for(worker):
    # The worker's own sign-in, a social worker: scope is what their allocations give them.
    if worker.user_id is None:
        worker.user = User.objects.create(username=f"bench-{worker.pk}")
        worker.save(update_fields=["user"])
    RoleGrant.objects.get_or_create(user_id=worker.user_id, role=Role.SOCIAL_WORKER)
    client = Client()
    client.force_login(User.objects.get(pk=worker.user_id))
    return client


def held(children):
    leads = current_leads(on=on, children=children)
    return [(child, leads[child].worker_id) for child in children if child in leads]


def visit(day, kind):
    return {"visited_day": day.day, "visited_month": day.month, "visited_year": day.year, "visit_type": kind,
            "child_seen": "yes", "seen_alone": "yes", "place": "At home",
            "child_said": "Said school is going better and she likes her new teacher."}


def free_day(child, kind):
    # A recent day with no visit of this kind recorded for the child (one a day of each kind).
    taken = set(Visit.objects.filter(child_id=child, visit_type=kind).values_list("visited_on", flat=True))
    return next(on - timedelta(days=d) for d in range(1, 60) if on - timedelta(days=d) not in taken)


def timed(fn):
    t = time.perf_counter()
    response = fn()
    return time.perf_counter() - t, response


# What an earlier run of this benchmark recorded goes first, so each run records the same visits.
Visit.objects.filter(recorded_by__username__startswith="bench-").delete()
CaseNote.objects.filter(recorded_by__username__startswith="bench-").delete()

with time_machine.travel(on.isoformat() + " 12:00", tick=True):
    on_plan = list(ChildProtectionPlan.objects.filter(started_on__lte=on, ended_on__isnull=True)
                   .values_list("episode__child_id", flat=True).distinct()[:2000])
    cp = held(on_plan)[: REPEATS + WORKERS * 25]
    looked_after = list(LookedAfterEpisode.objects.filter(started_on__lte=on, ended_on__isnull=True)
                        .values_list("child_id", flat=True).distinct()[:1000])
    lac = held(looked_after)[:REPEATS]
    workers = {w.pk: w for w in Worker.objects.filter(pk__in={w for _c, w in cp + lac})}
    clients = {pk: client_for(w) for pk, w in workers.items()}
    results = {"children on a plan (held)": len(cp), "children looked after (held)": len(lac)}
    yesterday = on - timedelta(days=1)
    times = {"visit form (GET)": [], "record a visit (POST)": [], "write a case note (POST)": [],
             "looked-after review form (GET)": []}
    for child, worker in cp[:REPEATS]:
        client = clients[worker]
        url = reverse("recording:visit-new", args=[child])
        took, r = timed(lambda: client.get(url)); assert r.status_code == 200, r.status_code
        times["visit form (GET)"].append(took)
        day = free_day(child, "CP")
        took, r = timed(lambda: client.post(url, visit(day, "CP")))
        assert r.status_code == 302, r.content.decode().split("govuk-error-summary__list")[-1][:600]
        times["record a visit (POST)"].append(took)
        note = {"noted_day": yesterday.day, "noted_month": yesterday.month, "noted_year": yesterday.year,
                "note_type": "PHON", "text": "Called mum to arrange the next visit; she agreed Thursday after school."}
        took, r = timed(lambda: client.post(reverse("recording:case-note-new", args=[child]), note))
        assert r.status_code == 302, r.status_code
        times["write a case note (POST)"].append(took)
    for child, worker in lac:
        took, r = timed(lambda: clients[worker].get(reverse("recording:care-review", args=[child])))
        assert r.status_code == 200, r.status_code
        times["looked-after review form (GET)"].append(took)
    for name, xs in times.items():
        results[name] = ms(xs)

    # Several people at once: WORKERS threads, each recording visits on its own 25 children.
    together, errors = [], []
    rest = [(child, worker, free_day(child, "CP")) for child, worker in cp[REPEATS:]]
    def person(share):
        try:
            for child, worker, day in share:
                client = client_for(workers[worker])
                url = reverse("recording:visit-new", args=[child])
                took, r = timed(lambda: client.post(url, visit(day, "CP")))
                if r.status_code != 302:
                    errors.append(r.status_code)
                together.append(took)
        finally:
            connection.close()
    shares = [rest[i::WORKERS] for i in range(WORKERS)]
    threads = [threading.Thread(target=person, args=(s,)) for s in shares]
    start = time.perf_counter()
    for t in threads: t.start()
    for t in threads: t.join()
    elapsed = time.perf_counter() - start
    results[f"record a visit, {WORKERS} people at once (POST)"] = ms(together) if together else [0, 0]
    results[f"{WORKERS} people at once: visits a second"] = round(len(together) / elapsed, 1)
    results[f"{WORKERS} people at once: errors"] = len(errors)
print(json.dumps(results))
"""
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="postgresql")
    parser.add_argument("--reseed", action="store_true", help="seed large-la afresh")
    args = parser.parse_args()
    from common import END_DATE

    print(f"# {date.today()} · {platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()}")
    print("| database | measure | p50 ms | p95 ms | target met |")
    print("| --- | --- | ---: | ---: | --- |")
    for database in ["sqlite", "postgresql"] if args.database == "both" else [args.database]:
        env = ensure_seeded(database, "grip_bench_large", reseed=args.reseed)
        r = run_child(CHILD, env, END_DATE)
        for name, value in r.items():
            if isinstance(value, list):
                p50, p95 = value
                print(f"| {database} | {name} | {p50} | {p95} | {'yes' if p95 < 150 else 'NO'} |", flush=True)
            else:
                print(f"| {database} | {name}: {value} | | | |", flush=True)


if __name__ == "__main__":
    main()
