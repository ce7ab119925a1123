"""Seeding as a use case: simulate, then write, in one transaction, and say what was made."""

from __future__ import annotations

import csv
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings

from grip.seed.parameters import load_parameters
from grip.seed.simulate import SeedRequest, simulate_authority
from grip.seed.writer import (
    AuditedDataRefused,
    refuse_if_audited,
    tables_hold_data,
    write_to_database,
    write_to_parquet,
)

Progress = Callable[[str, float], None]
DFE_REFERRALS = (
    Path(settings.BASE_DIR).parent
    / "shared"
    / "reference"
    / "dfe-published"
    / "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
)
BUNDLED_REFERRALS = Path(__file__).resolve().parent.parent / "reference" / "seed" / "england_referrals_2025.csv"


class SeedRefused(Exception):
    pass


@dataclass
class SeedSummary:
    rows: int
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)
    where: str = "the database"

    def describe(self) -> str:
        lines = [f"Wrote {self.rows:,} rows to {self.where} in {self.seconds:.1f} s."]
        lines += [f"  {label:<34} {n:>10,}" for label, n in self.counts.items() if n]
        return "\n".join(lines)


def seed_authority(
    *,
    profile: str,
    seed: int,
    end: date,
    years: int | None = None,
    replace: bool = False,
    scale: float | None = None,
    progress: Progress | None = None,
) -> SeedSummary:
    params = load_parameters()
    settings_for = params.profile(profile)
    request = SeedRequest(
        seed=seed,
        scale=scale if scale is not None else settings_for["scale"],
        years=years or settings_for["years"],
        end=end,
    )
    started = time.perf_counter()
    if tables_hold_data() and not replace:
        raise SeedRefused("The database already holds children or workers: run with --replace to start again.")
    if replace:
        try:
            refuse_if_audited()
        except AuditedDataRefused as refused:
            raise SeedRefused(str(refused)) from None
    store = simulate_authority(request, params=params, progress=progress)
    written = write_to_database(
        store, replace=replace
    )  # one transaction: the old authority goes only if the new one lands
    return SeedSummary(
        rows=written,
        seconds=time.perf_counter() - started,
        counts={spec.label: len(rows) for spec, rows in store.tables()},
    )


def england_authorities() -> list[tuple[str, str, int, float]]:
    """(LA code, name, referrals, re-referral rate) for every English authority, 2024-25 (DfE table C1)."""
    with open(BUNDLED_REFERRALS, newline="", encoding="utf-8") as fh:
        return [
            (r["old_la_code"], r["la_name"], int(r["referral_count"]), float(r["rereferral_percent"]) / 100)
            for r in csv.DictReader(fh)
        ]


def seed_england(
    *,
    seed: int,
    end: date,
    years: int,
    folder: Path,
    limit: int | None = None,
    scale: float | None = None,
    progress: Progress | None = None,
) -> SeedSummary:
    """Every English authority as Parquet files (one per table per authority), each calibrated on
    its own published referral volume and re-referral rate."""
    params = load_parameters()
    base_referrals = params.section("volumes")["referrals_per_year"]
    authorities = england_authorities()[:limit] if limit else england_authorities()
    started, rows = time.perf_counter(), 0
    counts: dict[str, int] = {}
    for i, (code, _name, referrals, rereferral) in enumerate(authorities):
        if progress:
            progress(f"authority {code}", i / len(authorities))
        params.raw["referrals"]["rereferral_within_12_months"] = rereferral
        la_scale = referrals / base_referrals * (scale if scale is not None else 1.0)
        store = simulate_authority(SeedRequest(seed=seed + i, scale=la_scale, years=years, end=end), params=params)
        rows += write_to_parquet(store, folder, authority_code=code)
        for spec, table_rows in store.tables():
            counts[spec.label] = counts.get(spec.label, 0) + len(table_rows)
    load_parameters.cache_clear()
    return SeedSummary(rows=rows, seconds=time.perf_counter() - started, counts=counts, where=str(folder))
