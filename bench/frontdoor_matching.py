"""Benchmark: "who is this child?" at the front door, at large-la scale.

Seeds the Birmingham-sized authority (large-la, 3 years; ~440,000 people, ~236,000 children) into a
fresh database, then takes 500 of its children, changes what a referrer would say about each the
way referrers get it wrong (deterministically: a typo in a name, a nickname, first and last names
swapped, a hyphenated surname, no date of birth, day and month swapped, a digit or a year out, no
postcode, ...; sometimes an identifier) and times `find_candidates` for each with the front door's
scope (the whole authority). Reports p50/p95 time and how often the true child is the top
candidate, in the top 5, and in the list at all. Target (issue 4): p95 under 150 ms on SQLite and
PostgreSQL.

    .venv/bin/python bench/frontdoor_matching.py [--database sqlite|postgresql|both] [--reuse]
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
CHILDREN = 500

CHILD = r"""
import json, random, statistics, sys, time
from datetime import timedelta
import django
django.setup()
from django.contrib.auth import get_user_model
from grip.access.scope import children_visible_to
from grip.frontdoor.match_scoring import name_variants
from grip.frontdoor.matching import NamedChild, find_candidates
from grip.people.models import Person
from grip.seed.demo import ensure_demo_users

ensure_demo_users()
user = get_user_model().objects.select_related("worker__team").get(username="frontdoor")
rng = random.Random(1)
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def typo(name):
    # One slip of the keyboard anywhere in the name: a letter wrong, left out, doubled or two swapped.
    i = rng.randrange(len(name))
    kind = rng.choice(["wrong", "missing", "extra", "swapped"])
    if kind == "swapped" and i < len(name) - 1:
        return name[:i] + name[i + 1] + name[i] + name[i + 2:]
    if kind == "missing" and len(name) > 3:
        return name[:i] + name[i + 1:]
    if kind == "extra":
        return name[:i] + name[i] + name[i:]
    letter = rng.choice(LETTERS.replace(name[i].lower(), ""))
    return name[:i] + (letter.upper() if i == 0 else letter) + name[i + 1:]


def one_digit_out(day):
    while True:
        text = f"{day:%Y%m%d}"
        i = rng.choice([3, 5, 6, 7])  # last digit of the year, of the month, either digit of the day
        text = text[:i] + rng.choice("0123456789".replace(text[i], "")) + text[i + 1:]
        try:
            return day.replace(year=int(text[:4]), month=int(text[4:6]), day=int(text[6:]))
        except ValueError:
            continue


def as_referred(child, surnames):
    first, last, changes = child.first_name, child.last_name, []
    variants = sorted(name_variants().get(first.lower(), ()))
    if variants and rng.random() < 0.15:
        first, changes = rng.choice(variants).title(), [*changes, "nickname"]
    elif rng.random() < 0.3:
        first, changes = typo(first), [*changes, "first name typo"]
    if rng.random() < 0.25:
        last, changes = typo(last), [*changes, "surname typo"]
    elif rng.random() < 0.05:
        last, changes = f"{last}-{rng.choice(surnames)}", [*changes, "double-barrelled surname"]
    if rng.random() < 0.05:
        first, last, changes = last, first, [*changes, "names swapped"]
    dob, expected, u = child.date_of_birth, None, rng.random()
    if dob is None:
        expected = child.expected_date_of_birth + timedelta(days=rng.randint(-10, 10))
    elif u < 0.15:
        dob, changes = None, [*changes, "no date of birth"]
    elif u < 0.25 and dob.day <= 12 and dob.day != dob.month:
        dob, changes = dob.replace(day=dob.month, month=dob.day), [*changes, "day and month swapped"]
    elif u < 0.35:
        dob, changes = one_digit_out(dob), [*changes, "date of birth a digit out"]
    elif u < 0.40:
        dob, changes = dob.replace(year=dob.year + rng.choice([-1, 1])), [*changes, "date of birth a year out"]
    u = rng.random()
    postcode = "" if u < 0.3 else child.postcode.replace(" ", "").lower() if u < 0.4 else child.postcode
    named = NamedChild(
        first_name=first,
        last_name=last,
        date_of_birth=dob,
        expected_date_of_birth=expected,
        sex=child.sex if rng.random() < 0.8 else "",
        postcode=postcode,
        address=child.address if rng.random() < 0.5 else "",
        nhs_number=child.nhs_number if rng.random() < 0.1 else "",
        upn=child.upn if rng.random() < 0.05 else "",
        la_child_id=child.la_child_id if rng.random() < 0.03 else "",
    )
    return named, changes


pks = sorted(Person.objects.filter(la_child_id__isnull=False).values_list("pk", flat=True))
sample = Person.objects.in_bulk(rng.sample(pks, int(sys.argv[1])))
surnames = sorted({child.last_name for child in sample.values()})
within = children_visible_to(user)
cases = [(pk, *as_referred(child, surnames)) for pk, child in sorted(sample.items())]
find_candidates(named=cases[0][1], within=within)  # warm up: code, caches, the variants file
times, ranks = [], []
for pk, named, changes in cases:
    started = time.perf_counter()
    found = find_candidates(named=named, within=within)
    times.append(time.perf_counter() - started)
    order = [c.child.pk for c in found]
    given_id = bool(named.nhs_number or named.upn or named.la_child_id)
    ranks.append((order.index(pk) + 1 if pk in order else None, given_id, changes))
times.sort()


def share(rows, within_rank):
    return 100 * sum(1 for r, *_ in rows if r is not None and r <= within_rank) / max(1, len(rows))


fuzzy = [r for r in ranks if not r[1]]
missed = [r[2] for r in ranks if r[0] != 1][:15]
print(json.dumps({
    "children": len(pks), "n": len(cases), "with_identifier": len(ranks) - len(fuzzy),
    "p50": statistics.median(times) * 1000, "p95": times[int(len(times) * 0.95) - 1] * 1000,
    "top1": share(ranks, 1), "top5": share(ranks, 5), "listed": share(ranks, 10),
    "fuzzy_top1": share(fuzzy, 1), "fuzzy_top5": share(fuzzy, 5), "missed_examples": missed,
}))
"""


def run(database: str, reuse: bool, children: int) -> dict:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.dev", PYTHONPATH=f"{ROOT}:{ROOT / 'src'}")
    if database == "sqlite":
        path = Path(tempfile.gettempdir()) / "grip-bench-frontdoor.sqlite3"
        if not reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        env["GRIP_SQLITE_PATH"] = str(path)
        env.pop("DATABASE_URL", None)
    else:
        name = PG_URL.rsplit("/", 1)[1]
        if not reuse:
            for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
                subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)
        env["DATABASE_URL"] = PG_URL
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    if not reuse:
        seed = ["seed", "--profile", "large-la", "--seed", "1", "--end-date", "2026-03-31"]
        subprocess.run([*manage, *seed], env=env, check=True, cwd=ROOT, capture_output=True)
    command = [sys.executable, "-c", CHILD, str(children)]
    out = subprocess.run(command, env=env, check=True, cwd=ROOT, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--reuse", action="store_true", help="use the database a previous run seeded")
    parser.add_argument("--children", type=int, default=CHILDREN)
    parser.add_argument("--verbose", action="store_true", help="also print some children not found first")
    args = parser.parse_args()
    print(f"# {date.today()} · {platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()}")
    print(
        "| database | children | searches (with an identifier) | p50 ms | p95 ms | top 1 | top 5 | listed "
        "| top 1 / top 5 without identifier | target met |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for database in ["sqlite", "postgresql"] if args.database == "both" else [args.database]:
        r = run(database, args.reuse, args.children)
        print(
            f"| {database} | {r['children']:,} | {r['n']} ({r['with_identifier']}) | {r['p50']:.1f} | {r['p95']:.1f} "
            f"| {r['top1']:.1f}% | {r['top5']:.1f}% | {r['listed']:.1f}% "
            f"| {r['fuzzy_top1']:.1f}% / {r['fuzzy_top5']:.1f}% | {'yes' if r['p95'] < 150 else 'NO'} |",
            flush=True,
        )
        if args.verbose:
            for changes in r["missed_examples"]:
                print(f"  not first: {', '.join(changes) or 'no changes'}")


if __name__ == "__main__":
    main()
