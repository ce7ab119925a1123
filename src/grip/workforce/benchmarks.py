"""The published workforce census figures the authority's own are compared with: its own, England's,
its region's and its ten statistical neighbours', for the latest year published.

Read straight from the DfE's files in `../shared/reference/dfe-published/` (GRIP_SHARED_DIR
overrides where `shared` is): the children's social work workforce indicators
(csww_indicators_2017_to_2025.csv, one row per authority, region and England per year) and the
statistical neighbours (sn_model_2025_wide.csv: SN_1 to SN_10 for each authority). The authority
is settings.GRIP_AUTHORITY_LA_CODE. Read once per process (the files change only with a release).
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings

INDICATORS = "csww_indicators_2017_to_2025.csv"
NEIGHBOURS = "sn_model_2025_wide.csv"
NEIGHBOUR_COUNT = 10  # the DfE statistical neighbour model names ten (SN_1 to SN_10)
SUPPRESSED = {"c", "z", "x", "u", "k", ":", ".", ""}

# The census measure (grip.workforce.census key) each published column is, as DfE names them.
COLUMNS = {
    "fte_in_post": "inpost_fte",
    "headcount": "inpost_headcount",
    "agency_fte": "agency_fte",
    "agency_rate": "agency_rate_fte",
    "vacancies": "vacancy_fte",
    "vacancy_rate": "vacancy_rate_fte",
    "covered_by_agency": "vacancy_agency_cover_rate_fte",
    "starters": "starters_fte",
    "leavers": "leavers_fte",
    "turnover_rate": "turnover_rate_fte",
    "days_lost": "working_days_lost_fte",
    "absence_rate": "absence_rate_fte",
    "caseload": "caseload_fte",
}
# The measures that compare across authorities of different sizes: rates and caseload.
COMPARABLE = ("agency_rate", "vacancy_rate", "covered_by_agency", "turnover_rate", "absence_rate", "caseload")


def dfe_dir() -> Path:
    shared = os.environ.get("GRIP_SHARED_DIR") or Path(settings.BASE_DIR).parent / "shared"
    return Path(shared) / "reference" / "dfe-published"


def available() -> bool:
    return (dfe_dir() / INDICATORS).is_file() and (dfe_dir() / NEIGHBOURS).is_file()


def _rows(name: str) -> list[dict[str, str]]:
    with open(dfe_dir() / name, newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def number(text: str) -> Decimal | None:
    text = (text or "").strip().replace(",", "")
    return None if text.lower() in SUPPRESSED else Decimal(text)


@dataclass(frozen=True)
class Published:
    """One place's published figures for a year, by census measure key (None: suppressed or absent)."""

    name: str
    figures: dict[str, Decimal | None]

    def __getitem__(self, key: str) -> Decimal | None:
        return self.figures.get(key)


@dataclass(frozen=True)
class Benchmarks:
    year: int
    authority: Published
    england: Published
    region: Published
    neighbours: tuple[Published, ...]

    def neighbours_mean(self, key: str) -> Decimal | None:
        """The plain mean of the neighbours' published figures (those not suppressed), to one place."""
        values = [n[key] for n in self.neighbours if n[key] is not None]
        if not values:
            return None
        return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.1"))


def _published(row: dict[str, str], name: str) -> Published:
    return Published(name, {key: number(row.get(column, "")) for key, column in COLUMNS.items()})


def workforce_benchmarks(la_code: str | None = None, year: int | None = None) -> Benchmarks | None:
    """The published figures beside the authority's (settings.GRIP_AUTHORITY_LA_CODE unless
    `la_code`), for `year` or the latest year published; None if the files are not there or
    the authority is not in them."""
    if not available():
        return None
    return _benchmarks(la_code or settings.GRIP_AUTHORITY_LA_CODE, year)


@cache
def _benchmarks(la_code: str, year: int | None) -> Benchmarks | None:
    rows = _rows(INDICATORS)
    year = year or max(int(r["time_period"]) for r in rows)
    of_year = [r for r in rows if r["time_period"] == str(year)]
    local = {r["old_la_code"]: r for r in of_year if r["geographic_level"] == "Local authority"}
    own = local.get(la_code)
    if own is None:
        return None
    england = next(r for r in of_year if r["geographic_level"] == "National")
    region = next(r for r in of_year if r["geographic_level"] == "Regional" and r["region_code"] == own["region_code"])
    model = next((r for r in _rows(NEIGHBOURS) if r["old_la_code"] == la_code), None)
    codes = [model[f"SN_{i}"].strip() for i in range(1, NEIGHBOUR_COUNT + 1)] if model else []
    neighbours = tuple(_published(local[c], local[c]["la_name"]) for c in codes if c in local)
    return Benchmarks(
        year=year,
        authority=_published(own, own["la_name"]),
        england=_published(england, "England"),
        region=_published(region, region["region_name"]),
        neighbours=neighbours,
    )
