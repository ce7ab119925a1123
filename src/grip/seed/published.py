"""What the DfE published about one authority, read straight from its own files.

The files are the DfE's CSVs in `../shared/reference/dfe-published/` (children in need, children
looked after, care leavers, the social work workforce, ONS population), copied unchanged. Where
they hold no figure for a measure (assessment and ICPC timeliness, section 47s), the England
figure is read from `../shared/reference/statutory-framework.md`, which quotes the DfE tables
(C2, C4) that are not vendored. Nothing here comes from the generator's parameter file: this is
what the generator is checked against.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

SUPPRESSED = {"c", "z", "x", "u", "k", ":", ".", ""}


def shared_dir() -> Path:
    """`../shared` beside the repository (as the code list tests find it); GRIP_SHARED_DIR overrides
    it for a checkout elsewhere (a git worktree)."""
    return Path(os.environ.get("GRIP_SHARED_DIR") or Path(settings.BASE_DIR).parent / "shared")


def dfe_dir() -> Path:
    return shared_dir() / "reference" / "dfe-published"


def framework_file() -> Path:
    return shared_dir() / "reference" / "statutory-framework.md"


def available() -> bool:
    return dfe_dir().is_dir() and framework_file().is_file()


@dataclass(frozen=True)
class Figure:
    value: float
    source: str  # the file (and column) it was read from


def _rows(name: str) -> list[dict[str, str]]:
    with open(dfe_dir() / name, newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def _number(text: str) -> float | None:
    text = text.strip().replace(",", "")
    return None if text.lower() in SUPPRESSED else float(text)


def latest_year() -> int:
    """The latest reporting year of the referrals file (C1): the year the calibration is run for."""
    return max(int(r["time_period"]) for r in _rows("c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"))


def _la_rows(name: str, la_code: str, year: int) -> list[dict[str, str]]:
    return [
        r
        for r in _rows(name)
        if r["geographic_level"] == "Local authority" and r["old_la_code"] == la_code and r["time_period"] == str(year)
    ]


def _one(name: str, la_code: str, year: int, **where: str) -> dict[str, str]:
    rows = [r for r in _la_rows(name, la_code, year) if all(r[k] == v for k, v in where.items())]
    if len(rows) != 1:
        raise LookupError(f"{name}: {len(rows)} rows for LA {la_code}, {year}, {where}")
    return rows[0]


def authority(la_code: str, year: int) -> dict[str, Figure]:
    """The authority's published figures for the reporting year ending 31 March `year` (the
    workforce census: 30 September of that year)."""
    out: dict[str, Figure] = {}

    def put(key: str, value: float | None, source: str) -> None:
        if value is not None:
            out[key] = Figure(value, source)

    c1 = _one("c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv", la_code, year)
    out["name"] = Figure(0, c1["la_name"])
    put("referrals", _number(c1["referral_count"]), "C1 referral_count")
    put("rereferral_rate", _number(c1["rereferral_percent"]) / 100, "C1 rereferral_percent")
    b1 = _one("b1_children_in_need_2013_to_2025.csv", la_code, year)
    put("cin_at_31_march", _number(b1["At31_episodes"]), "B1 At31_episodes")
    d3 = _one("d3_cpps_subsequent_plan_2013_to_2025.csv", la_code, year)
    put("cp_plans_starting", _number(d3["CPP_start"]), "D3 CPP_start")
    put("cp_second_or_subsequent", _number(d3["CPP_subsequent_percent"]) / 100, "D3 CPP_subsequent_percent")
    d5 = _one("d5_cpps_at31march_by_duration_2013_to_2025.csv", la_code, year)
    put("cp_at_31_march", _number(d5["CPP_At31"]), "D5 CPP_At31")
    put("cp_2_years_plus", _number(d5["2_years_or_more_percent"]) / 100, "D5 2_years_or_more_percent")
    cla = {r["population_type"]: r for r in _la_rows("cla_number_and_rate_per_10k_children.csv", la_code, year)}
    at31 = cla["Children looked after on 31 March each year"]
    population = _number(at31["population_estimate"])
    put("population_0_17", population, "CLA population_estimate (ONS mid-year, 0-17)")
    put("cla_at_31_march", _number(at31["children_count"]), "CLA children_count")
    put("cla_rate_per_10k", _number(at31["rate_per_10000"]), "CLA rate_per_10000")
    starting = cla["Children starting to be looked after each year"]
    put("cla_starts", _number(starting["children_count"]), "CLA children_count (starting)")
    if population:
        out["cp_rate_per_10k"] = Figure(out["cp_at_31_march"].value / population * 10_000, "D5 CPP_At31 / ONS 0-17")
    stability = _one(
        "la_cla_placement_stability.csv",
        la_code,
        year,
        cla_group="CLA on 31 March",
        placement_stability="With 3 or more placements during the year",
    )
    put("cla_3_placements", _number(stability["children_percent"]) / 100, "placement stability, 3+ in the year")
    leavers = 0.0
    for age in ("17 to 18 years", "19 to 21 years"):
        row = _one("la_care_leavers_activity.csv", la_code, year, care_leaver_age=age, breakdown="Total")
        leavers += _number(row["care_leaver_count"]) or 0
    put("care_leavers_17_21", leavers, "care leavers activity, Total 17-18 + 19-21")
    c3 = _one("c3_factors_identified_at_end_of_assessment_2018_to_2025.csv", la_code, year)
    with_factors, private = _number(c3["Episodes_with_assessment_factor"]), _number(c3["Privately_fostered"])
    if with_factors and private is not None:
        out["privately_fostered_factor"] = Figure(private / with_factors, "C3 Privately_fostered / episodes")
    w = _one("csww_indicators_2017_to_2025.csv", la_code, year)
    put("sw_fte_in_post", _number(w["inpost_fte"]), "CSWW inpost_fte")
    put("agency_rate", _percent(w["agency_rate_fte"]), "CSWW agency_rate_fte")
    put("vacancy_rate", _percent(w["vacancy_rate_fte"]), "CSWW vacancy_rate_fte")
    put("turnover_rate", _percent(w["turnover_rate_fte"]), "CSWW turnover_rate_fte")
    put("caseload_fte", _number(w["caseload_fte"]), "CSWW caseload_fte")
    put("absence_rate", _percent(w["absence_rate_fte"]), "CSWW absence_rate_fte")
    return out


def _percent(text: str) -> float | None:
    value = _number(text)
    return None if value is None else value / 100


def _framework_line(starts: str) -> str:
    for line in framework_file().read_text(encoding="utf-8").splitlines():
        if line.startswith(starts):
            return line
    raise LookupError(f"statutory-framework.md: no line starting {starts!r}")


def _ratio(line: str) -> tuple[float, float]:
    """The first 'numerator/denominator' (e.g. 555,820/648,830) in a line."""
    found = re.search(r"([\d,]{4,})\s*/\s*([\d,]{4,})", line)
    if not found:
        raise LookupError(f"statutory-framework.md: no ratio in {line[:60]!r}")
    return float(found[1].replace(",", "")), float(found[2].replace(",", ""))


def england_from_framework() -> dict[str, Figure]:
    """England figures the vendored DfE files lack, as statutory-framework.md quotes them (2025)."""
    source = "England, statutory-framework.md"
    a, b = _ratio(_framework_line("| Assessments completed within 45 WD"))
    out = {"assessments_within_45_wd": Figure(a / b, f"{source} s2.1 (DfE C2)")}
    a, b = _ratio(_framework_line("| ICPC within 15 WD"))
    out["icpc_within_15_wd"] = Figure(a / b, f"{source} s2.1 (DfE C4)")
    s47, icpcs = _ratio(_framework_line("| Section 47 enquiries / ICPCs").split("|")[3])
    england_referrals = _framework_line("| Referrals in year").split("|")[3]  # "632,830 (621,880)"
    referrals = float(re.match(r"\s*([\d,]+)", england_referrals)[1].replace(",", ""))
    out["s47_per_referral"] = Figure(s47 / referrals, f"{source} s3 (DfE C4 / C1)")
    out["icpc_per_s47"] = Figure(icpcs / s47, f"{source} s3 (DfE C4)")
    return out
