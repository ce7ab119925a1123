"""A generated authority measured the way the DfE publishes an authority, for calibration.

`calibration_measures` adds to `grip.seed.measures.measure` the measures the DfE's own files hold
for an authority (rates per 10,000, legal status at 31 March, placement stability, the care leaver
cohort, turnover, caseload per case-holding FTE, section 47s per referral). `render_table` writes
the comparison as the Markdown table of docs/synthetic-authority.md ("How close it comes"), which
the calibration test (tests/seed/test_calibration.py) produces and checks.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from grip.seed.measures import measure
from grip.seed.rows import RowStore

SOCIAL_WORK_ROLES = ("SW", "SSW", "ASYE", "AP")  # the CSWW's children and family social workers
# Legal status groups of the DfE's "children looked after at 31 March by legal status".
LEGAL_GROUPS = {
    "care order": ("C1", "C2"),
    "voluntary (s20)": ("V2",),
    "placement order": ("E1", "D1"),
    "detained / youth justice": ("L1", "L2", "L3", "J1", "J2", "J3"),
}
# Placements start with a new period of care or a change of placement (SSDA903 RNE), not a
# change of legal status only (L).
NEW_PLACEMENT = {"S", "P", "B", "T", "U"}
START, END = "<!-- calibration table: start -->", "<!-- calibration table: end -->"


def _rows(store: RowStore, label: str, *names: str) -> list[tuple]:
    return list(zip(*(store.column(label, n) for n in names), strict=True))


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _birthday(birth: date, years: int) -> date:
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:
        return birth.replace(year=birth.year + years, day=28)


def calibration_measures(store: RowStore, *, end: date, population: float) -> dict[str, float]:
    """Everything `measure` gives, and the measures the DfE publishes per authority."""
    out = dict(measure(store, end=end))
    year_start = end - timedelta(days=364)

    def in_year(d: date | None) -> bool:
        return d is not None and year_start <= d <= end

    def open_at(start: date, stop: date | None) -> bool:
        return start <= end and (stop is None or stop > end)

    out["cp_rate_per_10k"] = out["cp_open_at_end"] / population * 10_000
    out["cla_rate_per_10k"] = out["looked_after_at_end"] / population * 10_000

    s47 = sum(in_year(d) for d in store.column("cases.Section47Enquiry", "started_on"))
    icpcs = sum(
        kind == "ICPC" and in_year(held)
        for kind, held in _rows(store, "cases.ChildProtectionConference", "conference_type", "held_on")
    )
    out["section47s_in_year"] = s47
    out["icpcs_in_year"] = icpcs
    out["s47_per_referral"] = s47 / max(1, out["referrals_in_year"])
    out["icpc_per_s47"] = icpcs / max(1, s47)

    factors = [f for a, f in _rows(store, "cases.Assessment", "authorised_on", "factors") if in_year(a) and f]
    out["privately_fostered_factor"] = sum(any(c.startswith("8") for c in f) for f in factors) / max(1, len(factors))

    episodes = _rows(
        store, "cases.LookedAfterEpisode", "child_id", "started_on", "ended_on", "legal_status", "reason_new_episode"
    )
    by_child: dict[int, list[tuple]] = defaultdict(list)
    for child, s, e, legal, rne in episodes:
        by_child[child].append((s, e, legal, rne))
    at_end = {}
    placements_in_year = {}
    for child, spells in by_child.items():
        spells.sort()
        current = [sp for sp in spells if open_at(sp[0], sp[1])]
        if not current:
            continue
        at_end[child] = current[-1][2]
        during = [sp for sp in spells if sp[0] <= end and (sp[1] is None or sp[1] >= year_start)]
        # The placement held when the year began (or the first of the year), then each new one.
        placements_in_year[child] = 1 + sum(sp[3] in NEW_PLACEMENT for sp in during[1:])
    for group, codes in LEGAL_GROUPS.items():
        out[f"legal_status_{group}"] = sum(legal in codes for legal in at_end.values()) / max(1, len(at_end))
    out["cla_3_placements_in_year"] = sum(n >= 3 for n in placements_in_year.values()) / max(1, len(placements_in_year))

    # Care leavers (SSDA903 OC3): those whose 17th to 21st birthday fell in the year and who were
    # care leavers on that birthday.
    births = dict(_rows(store, "people.Person", "id", "date_of_birth"))
    cohort = set()
    ages_at_end: set[int] = set()
    for child, s, e in _rows(store, "cases.CareLeaverEpisode", "child_id", "started_on", "ended_on"):
        birth = births.get(child)
        if birth is None:
            continue
        if open_at(s, e):
            ages_at_end.add(_age(birth, end))
        for age in range(17, 22):
            birthday = _birthday(birth, age)
            if in_year(birthday) and s <= birthday and (e is None or birthday <= e):
                cohort.add(child)
    out["care_leavers_17_21"] = len(cohort)
    out["care_leaver_ages_at_end"] = len(ages_at_end & set(range(17, 22)))

    workers = _rows(store, "workforce.Worker", "id", "role", "employment_type", "fte", "started_on", "left_on")
    social_workers = {w[0]: w for w in workers if w[1] in SOCIAL_WORK_ROLES}
    employed = [w for w in social_workers.values() if w[2] == "PERMANENT"]
    employed_in_post = sum(float(w[3]) for w in employed if w[4] <= end and (w[5] is None or w[5] > end))
    leavers = sum(float(w[3]) for w in employed if in_year(w[5]))
    out["turnover_rate"] = leavers / max(1e-9, employed_in_post)
    cases: dict[int, int] = defaultdict(int)
    for worker, role, s, e in _rows(store, "allocation.Allocation", "worker_id", "role", "started_on", "ended_on"):
        w = social_workers.get(worker)
        if role == "lead" and w is not None and open_at(s, e) and (w[5] is None or w[5] > end):
            cases[worker] += 1
    case_holding_fte = sum(float(social_workers[w][3]) for w in cases)
    out["case_holding_fte"] = case_holding_fte
    out["caseload_per_case_holding_fte"] = sum(cases.values()) / max(1e-9, case_holding_fte)
    return out


@dataclass(frozen=True)
class Check:
    """One row of the calibration: a generated measure against a published figure."""

    label: str
    generated: float
    target: float
    tolerance: float  # absolute for rates, relative for counts
    relative: bool
    unit: str  # "count", "rate" (a share, shown as %), "per10k", "number"
    source: str

    @property
    def within(self) -> bool:
        if self.relative:
            return abs(self.generated - self.target) <= self.tolerance * abs(self.target)
        return abs(self.generated - self.target) <= self.tolerance + 1e-12

    def show(self, value: float) -> str:
        if self.unit == "rate":
            return f"{value:.1%}"
        if self.unit == "count":
            return f"{value:,.0f}"
        return f"{value:,.1f}"

    @property
    def tolerance_text(self) -> str:
        if self.relative:
            return f"±{self.tolerance:.0%}"
        if self.unit == "rate":
            return f"±{self.tolerance * 100:.1f} pts"
        return f"±{self.tolerance:g}"


def render_table(checks: list[Check]) -> str:
    lines = [
        "| measure | generated | published | tolerance | within | source |",
        "| --- | ---: | ---: | ---: | :---: | --- |",
    ]
    for c in checks:
        mark = "yes" if c.within else "**no**"
        lines.append(
            f"| {c.label} | {c.show(c.generated)} | {c.show(c.target)} | {c.tolerance_text} | {mark} | {c.source} |"
        )
    return "\n".join(lines)


def replace_table(document: str, table: str) -> str:
    """`document` with the text between the calibration markers replaced by `table`."""
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(document):
        raise LookupError(f"the document has no {START} ... {END} markers")
    return pattern.sub(lambda _m: f"{START}\n{table}\n{END}", document)


def documented_table(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    found = re.search(re.escape(START) + r"\n(.*?)\n" + re.escape(END), text, re.DOTALL)
    if not found:
        raise LookupError(f"{path} has no {START} ... {END} markers")
    return found[1]
