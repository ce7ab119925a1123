"""The `large-la` profile against Birmingham (LA 330), as the DfE's own files publish it.

The generated authority is simulated in memory (no database) for the latest reporting year the
files hold, with a fixed seed, and measured the DfE's way (grip.seed.calibration). The published
figures are read straight from ../shared/reference/dfe-published/ (grip.seed.published), never
from the generator's parameter file; the few measures those files lack are England figures from
../shared/reference/statutory-framework.md, and the legal status mix is from the DfE's release.

This test also produces the "How close it comes" table of docs/synthetic-authority.md and fails
if the committed table differs. After changing the generator, rewrite the table with:

    GRIP_WRITE_CALIBRATION=1 .venv/bin/python -m pytest tests/seed/test_calibration.py

About a minute (one large-la simulation, ~1 GB). It needs no database, so it runs once, on the
SQLite pass of the suite, and skips on PostgreSQL. It skips when ../shared is absent.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from django.db import connection

from grip.seed import published
from grip.seed.calibration import Check, calibration_measures, documented_table, render_table, replace_table
from grip.seed.parameters import load_parameters
from grip.seed.simulate import SeedRequest, simulate_authority

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="in memory, no database: runs once, on the SQLite pass"
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "synthetic-authority.md"
LA_CODE = "330"  # Birmingham
SEED = 1
# Legal status at 31 March is in neither the vendored files nor the framework: the DfE's release
# (explore-education-statistics.service.gov.uk, children looked after in England 2020) gives 77%
# on a care order, 17% voluntary (s20), 6% on a placement order.
CLA_2020 = "England, DfE CLA 2020 release (not vendored)"

# The tolerances. Each row: generated measure, published figure (a key of grip.seed.published, or
# a number with its source), label, tolerance, relative? (else absolute), unit.
# Rates get absolute tolerances in points; counts relative ones. Wider where the generated measure
# only approximates the published one (noted).
TOLERANCES: list[tuple[str, str | tuple[float, str], str, float, bool, str]] = [
    ("referrals_in_year", "referrals", "referrals in the year", 0.08, True, "count"),
    ("rereferral_rate", "rereferral_rate", "re-referrals within 12 months", 0.03, False, "rate"),
    # England: C2 is not among the vendored files.
    ("assessments_within_45_wd", "assessments_within_45_wd", "assessments within 45 WD of start", 0.03, False, "rate"),
    # England ratios: Birmingham's C4 figures are not vendored. The front door draws section 47s
    # from strategy discussions, so the ratio moves with that work: a wide tolerance.
    ("s47_per_referral", "s47_per_referral", "section 47 enquiries per referral", 0.08, False, "rate"),
    ("icpc_per_s47", "icpc_per_s47", "initial conferences per section 47", 0.05, False, "rate"),
    ("icpc_within_15_wd", "icpc_within_15_wd", "initial conferences within 15 WD of s47 start", 0.04, False, "rate"),
    ("cin_open_at_end", "cin_at_31_march", "children in need at 31 March", 0.15, True, "count"),
    ("cp_plans_starting_in_year", "cp_plans_starting", "CP plans starting in the year", 0.15, True, "count"),
    ("cp_rate_per_10k", "cp_rate_per_10k", "CP plans at 31 March per 10,000 children", 0.15, True, "per10k"),
    ("second_or_subsequent_cp_plan", "cp_second_or_subsequent", "second or subsequent CP plans", 0.05, False, "rate"),
    ("cp_open_2_years_plus", "cp_2_years_plus", "CP plans at 31 March lasting 2 years or more", 0.015, False, "rate"),
    ("cla_rate_per_10k", "cla_rate_per_10k", "looked after at 31 March per 10,000 children", 0.12, True, "per10k"),
    ("looked_after_starts_in_year", "cla_starts", "started to be looked after in the year", 0.25, True, "count"),
    ("legal_status_care order", (0.77, CLA_2020), "looked after on a care order", 0.06, False, "rate"),
    ("legal_status_voluntary (s20)", (0.17, CLA_2020), "looked after under s20 (voluntary)", 0.06, False, "rate"),
    ("legal_status_placement order", (0.06, CLA_2020), "looked after on a placement order", 0.05, False, "rate"),
    ("cla_3_placements_in_year", "cla_3_placements", "looked after, 3+ placements in the year", 0.03, False, "rate"),
    # The DfE cohort: 17-21 with a birthday in the year; counted here from the generated birthdays.
    ("care_leavers_17_21", "care_leavers_17_21", "care leavers aged 17 to 21", 0.25, True, "count"),
    ("privately_fostered_factor", "privately_fostered_factor", "assessments: privately fostered", 0.005, False, "rate"),
    # Workforce: the census is at 30 September; measured here at the end of the year (31 March).
    ("social_worker_fte_in_post", "sw_fte_in_post", "social worker FTE in post (employed)", 0.05, True, "count"),
    ("agency_rate", "agency_rate", "agency rate (FTE)", 0.02, False, "rate"),
    ("vacancy_rate", "vacancy_rate", "vacancy rate (FTE)", 0.03, False, "rate"),
    ("turnover_rate", "turnover_rate", "turnover rate (FTE)", 0.03, False, "rate"),
    ("sickness_absence_rate", "absence_rate", "sickness absence rate", 0.01, False, "rate"),
    ("caseload_per_case_holding_fte", "caseload_fte", "caseload per case-holding FTE", 0.2, True, "number"),
]


@pytest.fixture(scope="module")
def calibration() -> tuple[str, list[Check]]:
    if not published.available():
        pytest.skip(f"the DfE's files are not available: {published.dfe_dir()}")
    year = published.latest_year()
    end = date(year, 3, 31)
    figures = published.authority(LA_CODE, year) | published.england_from_framework()
    profile = load_parameters().profile("large-la")
    store = simulate_authority(SeedRequest(seed=SEED, scale=profile["scale"], years=profile["years"], end=end))
    generated = calibration_measures(store, end=end, population=figures["population_0_17"].value * profile["scale"])
    del store
    checks = []
    for measure, target, label, tolerance, relative, unit in TOLERANCES:
        if isinstance(target, str):
            value, source = figures[target].value, figures[target].source
            if not source.startswith("England"):
                source = f"{figures['name'].source} {year}, {source}"
        else:
            value, source = target
        checks.append(Check(label, generated[measure], value, tolerance, relative, unit, source))
    heading = (
        f"`large-la`, seed {SEED}, {profile['years']} years to 31 March {year}, measured for the year ending then, "
        f"against {figures['name'].source} (LA {LA_CODE}) as the DfE published it for {year - 1}-{year % 100:02d}."
    )
    return heading + "\n\n" + render_table(checks), checks


@pytest.mark.parametrize("row", TOLERANCES, ids=[row[2] for row in TOLERANCES])
def test_large_la_is_within_tolerance_of_birmingham(calibration, row):
    _table, checks = calibration
    check = next(c for c in checks if c.label == row[2])
    assert check.within, (
        f"{check.label}: generated {check.show(check.generated)}, published {check.show(check.target)} "
        f"({check.source}), tolerance {check.tolerance_text}"
    )


def test_the_documented_table_is_what_the_calibration_produces(calibration):
    table, _checks = calibration
    if os.environ.get("GRIP_WRITE_CALIBRATION"):
        DOC.write_text(replace_table(DOC.read_text(encoding="utf-8"), table), encoding="utf-8")
    assert documented_table(DOC) == table, (
        "docs/synthetic-authority.md is not what the calibration produces: rewrite it with "
        "GRIP_WRITE_CALIBRATION=1 .venv/bin/python -m pytest tests/seed/test_calibration.py"
    )
