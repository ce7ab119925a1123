"""Benchmark: recording the work (issue 14) at large-la scale, one person and several at once.

Seeds large-la (Birmingham-sized) into the benchmark database, or reuses it, then with Django's
test client, as the lead social worker of each child (signed in as them), times: opening the visit
form; recording a visit (a POST that saves it, audits it and redirects); writing a case note; and
opening a looked-after review form. Each request does everything a browser's would: sign-in,
scope, opening the record (audited), the form, the service's transaction with its audit entry.
Then WORKERS people record visits at the same time (threads, each with its own connection), to
see the audit log's single chain under concurrent writes. Then (AREAS) one form of each area
recorded since, on children waiting for it today: opened, checked where it is a decision, recorded;
My week; and four people at once recording five of every form each. Both record into a fresh copy
of the benchmark database (scratch_copy), so every run records the same steps on the same children.
Target (issue 14): p95 under 150 ms.

    .venv/bin/python bench/recording_forms.py [--database sqlite|postgresql|both] [--reseed]
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import subprocess
from datetime import date
from pathlib import Path

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
    # A worker who has left holds no role, so cannot sign in (grip.access.leaving): in post only.
    leads = current_leads(on=on, children=children)
    gone = set(Worker.objects.filter(pk__in={l.worker_id for l in leads.values()}, left_on__lte=on)
               .values_list("pk", flat=True))
    return [(c, leads[c].worker_id) for c in children if c in leads and leads[c].worker_id not in gone]


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

# The forms of every area recorded since (protection, looked after, care leavers, early help,
# closure) and My week, each on children waiting for it today, as whoever records it.
AREAS = (
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
from django.db.models import Exists, OuterRef
from django.test import Client
from django.urls import reverse
from grip.access.models import RoleGrant
from grip.access.roles import Role
from grip.allocation.selectors import current_leads
from grip.cases.models import (Assessment, CareLeaverEpisode, CarePlan, ChildProtectionConference, ChildProtectionPlan,
                               CINEpisode, CoreGroupMeeting, EarlyHelpEpisode, LookedAfterEpisode,
                               Section47Enquiry, StrategyDiscussion)
from grip.cases.models.protection import ICPC_NEEDED
from grip.workforce.models import Worker

settings.ALLOWED_HOSTS = ["*"]
REPEATS = 100  # children recorded on by one person, for each form (fewer if fewer are waiting)
WORKERS = 4  # people at once
EACH = 5  # forms of each kind each of them records at once
on = date.fromisoformat(sys.argv[1])
User = get_user_model()


def user_for(worker, role):
    # The worker's own sign-in with `role`: scope is what their allocations and team give them.
    if worker.user_id is None:
        worker.user = User.objects.create(username=f"bench-{worker.pk}")
        worker.save(update_fields=["user"])
    RoleGrant.objects.get_or_create(user_id=worker.user_id, role=role)
    return User.objects.get(pk=worker.user_id)


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def in_post(workers):
    # A worker who has left holds no role, so cannot sign in (grip.access.leaving).
    return set(Worker.objects.filter(pk__in=workers).exclude(left_on__lte=on).values_list("pk", flat=True))


def held(children, limit):
    # Children with a lead worker in post today, with that worker's pk.
    children = list(children[: limit * 3])
    leads = current_leads(on=on, children=children)
    working = in_post({lead.worker_id for lead in leads.values()})
    return [(c, leads[c].worker_id) for c in children if c in leads and leads[c].worker_id in working][:limit]


def managed(children, limit):
    # Children with a lead worker today, with the pk of their team's manager (a team manager closes).
    children = list(children[: limit * 3])
    leads = current_leads(on=on, children=children)
    managers = dict(Worker.objects.filter(role="TM", team_id__in={l.team_id for l in leads.values()})
                    .exclude(left_on__lte=on).order_by("-pk").values_list("team_id", "pk"))
    return [(c, managers[leads[c].team_id]) for c in children if c in leads and leads[c].team_id in managers][:limit]


def day(prefix, when):
    return {f"{prefix}_day": when.day, f"{prefix}_month": when.month, f"{prefix}_year": when.year}


def timed(fn):
    t = time.perf_counter()
    response = fn()
    return time.perf_counter() - t, response


taken = set()  # children already chosen for a form: each child has one step recorded, so none interferes


def child_ids(rows, field):
    ids = rows.order_by(field).values_list(field, flat=True).distinct()[: (REPEATS + WORKERS * EACH) * 6]
    return [c for c in ids if c not in taken]


def chosen(children):
    taken.update(c for c, _w in children)
    return children


with time_machine.travel(on.isoformat() + " 12:00", tick=True):
    wanted = REPEATS + WORKERS * EACH
    open_cin = CINEpisode.objects.filter(closure_date__isnull=True, referral_nfa=False)
    looked_after = LookedAfterEpisode.objects.filter(started_on__lte=on, ended_on__isnull=True)
    on_plan = ChildProtectionPlan.objects.filter(started_on__lte=on, ended_on__isnull=True,
                                                 episode__closure_date__isnull=True)
    conference = {**day("held", on), "chair": "Rita Chairwoman", "attended_by": ["SOCIAL_CARE", "PARENT", "POLICE"],
                  "attendee_names": "Mother; PC Jones", "participation": "ATTENDED_SPOKE", "outcome": "PLAN",
                  "category": "EMO"}
    care = {**day("started", on), "legal_status": "V2", "category_of_need": "N1", "placement_type": "U3",
            "provider": "PR1", "placement_postcode": "zx1 1zz", "home_postcode": ""}
    waiting_s47 = Section47Enquiry.objects.filter(episode__closure_date__isnull=True, completed_on__isnull=True,
                                                  started_on__lte=on)
    waiting_icpc = (Section47Enquiry.objects.filter(episode__closure_date__isnull=True, outcome=ICPC_NEEDED,
                                                    completed_on__lte=on)
                    .exclude(conferences__conference_type="ICPC"))
    met_today = CoreGroupMeeting.objects.filter(plan=OuterRef("pk"), held_on=on)
    planned_today = CarePlan.objects.filter(child=OuterRef("child_id"), made_on=on)
    episode_has = lambda rows: Exists(rows.filter(episode=OuterRef("pk")))
    closable = open_cin.exclude(episode_has(ChildProtectionPlan.objects.filter(ended_on__isnull=True))).exclude(
        Exists(LookedAfterEpisode.objects.filter(child=OuterRef("child_id"), ended_on__isnull=True))
    ).exclude(episode_has(Assessment.objects.filter(authorised_on__isnull=True))).exclude(
        episode_has(Section47Enquiry.objects.filter(completed_on__isnull=True))
    ).exclude(episode_has(StrategyDiscussion.objects.filter(held_at__isnull=True)))
    open_early_help = EarlyHelpEpisode.objects.filter(ended_on__isnull=True, started_on__lte=on)
    never_looked_after = open_cin.exclude(Exists(LookedAfterEpisode.objects.filter(child=OuterRef("child_id"))))
    # Each form: (name, url name, checked first?, the role that records it, children, the answers)
    forms = [
        ("section 47 outcome", "recording:protection-section47-outcome", True, Role.SOCIAL_WORKER,
         chosen(held(child_ids(waiting_s47, "episode__child_id"), wanted)), {**day("completed", on), "outcome": "CIN"}),
        ("initial conference", "recording:protection-initial-conference", True, Role.SOCIAL_WORKER,
         chosen(held(child_ids(waiting_icpc, "episode__child_id"), wanted)), conference),
        ("core group", "recording:protection-core-group", False, Role.SOCIAL_WORKER,
         chosen(held(child_ids(on_plan.exclude(Exists(met_today)), "episode__child_id"), wanted)),
         {**day("held", on), "attended_by": ["PARENT", "HEALTH"], "attendee_names": "Mother; health visitor"}),
        ("becoming looked after", "recording:care-start", True, Role.SOCIAL_WORKER,
         chosen(held(child_ids(never_looked_after, "child_id"), wanted)), care),
        ("care plan", "recording:care-plan", False, Role.SOCIAL_WORKER,
         chosen(held(child_ids(looked_after.exclude(Exists(planned_today)), "child_id"), wanted)), day("made", on)),
        ("care leaver contact", "recording:leaving-care-contact", False, Role.SOCIAL_WORKER,
         chosen(held(child_ids(CareLeaverEpisode.objects.filter(ended_on__isnull=True), "child_id"), wanted)),
         {**day("contact", on), "in_touch": "YES", "activity": "F4", "accommodation": "E1", "provided_under": "NO"}),
        ("early help TAF meeting", "recording:early-help-meeting", False, Role.FRONT_DOOR_PRACTITIONER,
         chosen([(c, None) for c in child_ids(open_early_help, "child_id")[:wanted]]),
         {**day("held", on), "attended_by": ["PARENT", "CHILD", "SCHOOL"], "notes": "School to offer breakfast club."}),
        ("case closure", "recording:case-close", True, Role.TEAM_MANAGER,
         chosen(managed(child_ids(closable, "child_id"), wanted)), {**day("closed", on), "reason": "RC7"}),
    ]
    # Early help is worked by the front door's practitioners (who see every child), not allocated.
    front_door = User.objects.create(username="bench-front-door")
    RoleGrant.objects.create(user=front_door, role=Role.FRONT_DOOR_PRACTITIONER)
    workers = {w.pk: w for w in Worker.objects.filter(pk__in={w for f in forms for _c, w in f[4] if w})}
    users = {}
    for name, _url, _checked, role, children, _answers in forms:
        for _child, worker in children:
            users[(worker, role)] = front_door if worker is None else user_for(workers[worker], role)
    results = {f"children waiting for {f[0]}": len(f[4]) for f in forms}

    def record(client, url, checked, answers, times):
        # GET the form; POST it (a decision: to its check-your-answers page, then POST it from there).
        took, r = timed(lambda: client.get(url)); assert r.status_code == 200, (url, r.status_code)
        times["GET"].append(took)
        if checked:
            took, r = timed(lambda: client.post(url, answers))
            assert r.status_code == 200 and "check" in r.content.decode(), (url, r.status_code)
            times["check (POST)"].append(took)
            answers = {**answers, "step": "check"}
        took, r = timed(lambda: client.post(url, answers))
        assert r.status_code == 302, (url, r.content.decode().split("govuk-error-summary__list")[-1][:600])
        times["record (POST)"].append(took)

    refused = []
    for name, url_name, checked, role, children, answers in forms:
        times = {"GET": [], "check (POST)": [], "record (POST)": []}
        for child, worker in children[:REPEATS]:
            try:
                record(client_of(users[(worker, role)]), reverse(url_name, args=[child]), checked, answers, times)
            except AssertionError as error:
                refused.append(str(error)[:300])
        for kind, xs in times.items():
            if xs:
                results[f"{name}: {kind}"] = ms(xs)

    # My week: each worker's week, as the chase list computes it today.
    week = [user_for(w, Role.SOCIAL_WORKER) for w in list(workers.values())[:REPEATS]]
    times = []
    for user in week:
        client = client_of(user)
        took, r = timed(lambda: client.get(reverse("web:my-week"))); assert r.status_code == 200, r.status_code
        times.append(took)
    results[f"My week (GET, {len(week)} workers)"] = ms(times)

    # Several people at once: WORKERS threads, each recording EACH of every form on its own children.
    together, errors = {"GET": [], "check (POST)": [], "record (POST)": []}, []
    def person(n):
        try:
            for name, url_name, checked, role, children, answers in forms:
                for child, worker in children[REPEATS:][n::WORKERS]:
                    try:
                        record(client_of(users[(worker, role)]), reverse(url_name, args=[child]), checked, answers,
                               together)
                    except AssertionError as error:
                        errors.append(str(error)[:300])
        finally:
            connection.close()
    threads = [threading.Thread(target=person, args=(n,)) for n in range(WORKERS)]
    for t in threads: t.start()
    for t in threads: t.join()
    for kind, xs in together.items():
        if xs:
            results[f"every form, {WORKERS} people at once: {kind}"] = ms(xs)
    results["one person: errors"] = len(refused)
    results[f"{WORKERS} people at once: errors"] = len(errors)
    if refused or errors:
        results["first error"] = (refused + errors)[0]
print(json.dumps(results))
"""
)


def scratch_copy(database: str, env: dict[str, str]) -> dict[str, str]:
    """A fresh copy of the seeded benchmark database to record into, so every run records the
    same steps on the same children (a recorded step is no longer waiting)."""
    env = dict(env)
    if database == "sqlite":
        copy = env["GRIP_SQLITE_PATH"].replace(".sqlite3", "_recording.sqlite3")
        for suffix in ("", "-wal", "-shm"):
            Path(copy + suffix).unlink(missing_ok=True)
        with sqlite3.connect(env["GRIP_SQLITE_PATH"]) as source, sqlite3.connect(copy) as target:
            source.backup(target)
        env["GRIP_SQLITE_PATH"] = copy
        return env
    base, name = env["DATABASE_URL"].rsplit("/", 1)
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc"]
    subprocess.run([*psql, f"DROP DATABASE IF EXISTS {name}_recording"], check=True)
    subprocess.run([*psql, f"CREATE DATABASE {name}_recording TEMPLATE {name}"], check=True)
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", "ANALYZE", f"{name}_recording"], check=True)
    env["DATABASE_URL"] = f"{base}/{name}_recording"
    return env


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
        env = scratch_copy(database, ensure_seeded(database, "grip_bench_large", reseed=args.reseed))
        r = run_child(CHILD, env, END_DATE) | run_child(AREAS, env, END_DATE)
        for name, value in r.items():
            if isinstance(value, list):
                p50, p95 = value
                print(f"| {database} | {name} | {p50} | {p95} | {'yes' if p95 < 150 else 'NO'} |", flush=True)
            else:
                print(f"| {database} | {name}: {value} | | | |", flush=True)


if __name__ == "__main__":
    main()
