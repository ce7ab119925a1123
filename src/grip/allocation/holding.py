"""Who may hold a case, and whose holding makes a case allocated: rules read from
reference/allocation/case_holding.toml, which names their sources.

- `counts_as_allocated(role)`: a lead allocation to a worker in this role makes the case allocated.
  The unallocated register, the caseload pages and the census caseload measure all ask this, so
  they agree on a case held by a team manager.
- `may_hold(stage=..., role=..., qualified=...)`: whether such a worker may hold a case at this
  stage (a child on a child protection plan, or looked after, needs a qualified social worker).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from grip.cases.selectors import OPEN_STAGES
from grip.core.codelists import codelist
from grip.core.reference import named_source, read_reference, reference_file

RULES_FILE = reference_file("allocation/case_holding.toml")


class HoldingRulesError(ValueError):
    """The case-holding rules file is wrong; the message names the key."""


@dataclass(frozen=True)
class StageRule:
    roles: frozenset[str]
    qualified_social_worker: bool
    source: str


@dataclass(frozen=True)
class HoldingRules:
    not_allocated_roles: frozenset[str]  # a lead allocation to these roles leaves a case unallocated
    stages: dict[str, StageRule]  # stages only some workers may hold
    allocated_source: str

    def counts_as_allocated(self, role: str) -> bool:
        return role not in self.not_allocated_roles

    def may_hold(self, *, stage: str, role: str, qualified: bool) -> bool:
        rule = self.stages.get(stage)
        if rule is None:
            return True
        return role in rule.roles and (qualified or not rule.qualified_social_worker)


def _roles(value: object, key: str) -> frozenset[str]:
    known = codelist("worker_role")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise HoldingRulesError(f"{key}: a list of worker roles is needed, not {value!r}")
    unknown = [v for v in value if v not in known]
    if unknown:
        raise HoldingRulesError(f"{key}: {unknown[0]!r} is not a worker role ({', '.join(known.codes)})")
    return frozenset(value)


def load_rules(path: Path = RULES_FILE) -> HoldingRules:
    """Read and check the rules. Raises HoldingRulesError naming the bad key."""
    raw = read_reference(path, error=HoldingRulesError)
    allocated = raw.get("counts_as_allocated")
    if not isinstance(allocated, dict):
        raise HoldingRulesError("counts_as_allocated: missing, or not a table")
    not_allocated = _roles(allocated.get("not_when_held_by"), "counts_as_allocated.not_when_held_by")
    allocated_source = named_source(allocated, key="counts_as_allocated", path=path, error=HoldingRulesError)
    stages_table = raw.get("stages", {})
    if not isinstance(stages_table, dict):
        raise HoldingRulesError("stages: not a table")
    stages: dict[str, StageRule] = {}
    for stage, entry in stages_table.items():
        key = f"stages.{stage}"
        if stage not in OPEN_STAGES:
            raise HoldingRulesError(f"{key}: not a stage with an open case ({', '.join(sorted(OPEN_STAGES))})")
        if not isinstance(entry, dict):
            raise HoldingRulesError(f"{key}: not a table")
        qualified = entry.get("qualified_social_worker")
        if not isinstance(qualified, bool):
            raise HoldingRulesError(f"{key}.qualified_social_worker: true or false, not {qualified!r}")
        roles = _roles(entry.get("roles"), f"{key}.roles")
        if not roles:
            raise HoldingRulesError(f"{key}.roles: at least one role must be able to hold the case")
        stages[stage] = StageRule(roles, qualified, named_source(entry, key=key, path=path, error=HoldingRulesError))
    return HoldingRules(not_allocated, stages, allocated_source)


@cache
def holding_rules() -> HoldingRules:
    return load_rules()
