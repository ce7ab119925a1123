"""The caseload configuration (reference/caseloads/caseloads.toml), read and checked: what each
stage's case weighs, the weighted cases a full-time worker in each role may hold, where "near" the
threshold begins, and which roles the workforce census counts. Every figure names its source; a bad
value stops Grip with the key named (CaseloadConfigError)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from grip.cases.selectors import OPEN_STAGES
from grip.core.codelists import codelist
from grip.core.reference import named_source, read_reference, reference_file

RULES_FILE = reference_file("caseloads/caseloads.toml")
HUNDRED = Decimal(100)

UNDER, NEAR, OVER, NO_THRESHOLD = "under", "near", "over", "no_threshold"


class CaseloadConfigError(ValueError):
    """The caseload configuration file is wrong; the message names the key."""


@dataclass(frozen=True)
class CaseloadRules:
    weights: dict[str, Decimal]  # stage -> weight of one case
    thresholds: dict[str, Decimal]  # worker role -> weighted cases a full-time worker may hold
    near_from_percent: Decimal
    census_roles: frozenset[str]
    census_decimal_places: int
    sources: dict[str, str]  # "weights.looked_after", "thresholds.ASYE", "status", "census" -> source

    def threshold(self, role: str, fte: Decimal) -> Decimal | None:
        """The role's threshold scaled by FTE, or None for a role that does not hold cases."""
        full_time = self.thresholds.get(role)
        return None if full_time is None else full_time * fte

    def status(self, weighted: Decimal, threshold: Decimal | None) -> str:
        if threshold is None:
            return NO_THRESHOLD
        if threshold <= 0:
            return OVER if weighted > 0 else UNDER
        percent = weighted * HUNDRED / threshold
        return OVER if percent > HUNDRED else NEAR if percent >= self.near_from_percent else UNDER


def _table(raw: dict, key: str) -> dict:
    value = raw.get(key.rsplit(".", 1)[-1])
    if not isinstance(value, dict):
        raise CaseloadConfigError(f"{key}: missing, or not a table")
    return value


def _number(table: dict, key: str, name: str) -> Decimal:
    value = table.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise CaseloadConfigError(f"{key}.{name}: must be a number, not {value!r}")
    number = Decimal(str(value))
    if not number.is_finite() or number <= 0:
        raise CaseloadConfigError(f"{key}.{name}: must be more than 0, not {value!r}")
    return number


def load_rules(path: Path = RULES_FILE) -> CaseloadRules:
    """Read and check the caseload configuration. Raises CaseloadConfigError naming the bad key."""
    raw = read_reference(path, error=CaseloadConfigError)
    sources: dict[str, str] = {}
    roles = codelist("worker_role")

    weights_table = _table(raw, "weights")
    unknown = sorted(set(weights_table) - OPEN_STAGES)
    if unknown:
        raise CaseloadConfigError(
            f"weights.{unknown[0]}: not a stage with an open case ({', '.join(sorted(OPEN_STAGES))})"
        )
    weights = {}
    for stage in sorted(OPEN_STAGES):
        key = f"weights.{stage}"
        entry = _table(weights_table, key)
        weights[stage] = _number(entry, key, "weight")
        sources[key] = named_source(entry, key=key, path=path, error=CaseloadConfigError)

    thresholds_table = _table(raw, "thresholds")
    direct: dict[str, Decimal] = {}
    shares: dict[str, tuple[str, Decimal]] = {}
    for role, entry in thresholds_table.items():
        key = f"thresholds.{role}"
        if role not in roles:
            raise CaseloadConfigError(f"{key}: {role!r} is not a worker role ({', '.join(roles.codes)})")
        entry = _table(thresholds_table, key)
        sources[key] = named_source(entry, key=key, path=path, error=CaseloadConfigError)
        if ("weighted_cases" in entry) == ("share_of" in entry):
            raise CaseloadConfigError(f"{key}: give either weighted_cases, or share and share_of")
        if "weighted_cases" in entry:
            direct[role] = _number(entry, key, "weighted_cases")
        else:
            shares[role] = (entry["share_of"], _number(entry, key, "share"))
    thresholds = dict(direct)
    for role, (of, share) in shares.items():
        if of not in direct:
            raise CaseloadConfigError(f"thresholds.{role}.share_of: {of!r} has no weighted_cases of its own")
        if share > 1:
            raise CaseloadConfigError(f"thresholds.{role}.share: a protected share is at most 1, not {share}")
        thresholds[role] = direct[of] * share

    status = _table(raw, "status")
    near = _number(status, "status", "near_from_percent")
    if near >= HUNDRED:
        raise CaseloadConfigError(f"status.near_from_percent: must be below 100, not {near}")
    sources["status"] = named_source(status, key="status", path=path, error=CaseloadConfigError)

    census = _table(raw, "census")
    census_roles = census.get("social_worker_roles")
    if not isinstance(census_roles, list) or not census_roles:
        raise CaseloadConfigError("census.social_worker_roles: a list of worker roles is needed")
    for role in census_roles:
        if role not in roles:
            raise CaseloadConfigError(f"census.social_worker_roles: {role!r} is not a worker role")
    places = census.get("decimal_places")
    if isinstance(places, bool) or not isinstance(places, int) or places < 0:
        raise CaseloadConfigError(f"census.decimal_places: a whole number of 0 or more, not {places!r}")
    sources["census"] = named_source(census, key="census", path=path, error=CaseloadConfigError)
    return CaseloadRules(weights, thresholds, near, frozenset(census_roles), places, sources)


@cache
def caseload_rules() -> CaseloadRules:
    return load_rules()
