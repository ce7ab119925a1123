"""Who may hold a case, and whether a manager's holding counts as allocated (issue 11, "The data
model"), from reference/allocation/case_holding.toml.

- A child on a child protection plan, or looked after, held by someone who is not a qualified social
  worker is flagged on the reconciliation page.
- A case held only by a team manager is unallocated, as the unallocated-cases measure defines it
  (shared/reference/kpi-catalogue.md: "Allocation to a team, duty desk or manager counts as
  unallocated"): it is on the register, and the caseload pages agree (not in anyone's caseload,
  said to be on the register).
"""

from __future__ import annotations

import csv
import tomllib
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse

from grip.allocation.holding import RULES_FILE, HoldingRulesError, holding_rules, load_rules
from grip.allocation.register import reconciliation, unallocated_register
from grip.allocation.selectors import unallocated_children
from grip.caseloads.counting import team_caseloads, worker_caseloads
from tests.cases.factories import (
    AllocationFactory,
    CareLeaverEpisodeFactory,
    ChildProtectionPlanFactory,
    CINEpisodeFactory,
    EarlyHelpEpisodeFactory,
    LookedAfterEpisodeFactory,
    WorkerFactory,
)
from tests.people.factories import ChildFactory

from .test_views import rows

pytestmark = pytest.mark.django_db

REFERENCE = Path(__file__).resolve().parents[2] / "src" / "grip" / "reference"
# The project's shared reference folder, beside the repository (or beside the worktrees' folder).
SHARED = next((p / "shared" for p in Path(__file__).resolve().parents if (p / "shared" / "reference").is_dir()), None)
KPI_CATALOGUE = (SHARED or Path("/nonexistent")) / "reference" / "kpi-catalogue.md"


# ------------------------------------------------------------------------------ the rules file


def test_the_rules_name_their_sources_and_the_managers():
    rules = holding_rules()
    assert rules.not_allocated_roles == {"TM", "SM"}
    assert "kpi-catalogue" in rules.allocated_source
    assert set(rules.stages) == {"child_protection", "looked_after"}
    for stage in rules.stages.values():
        assert stage.qualified_social_worker
        assert "Working Together" in stage.source or "Care Planning" in stage.source


def test_only_registered_social_work_roles_may_hold_protection_and_care_cases():
    """Checked against the worker_role list's own note on which roles are social workers, and the
    workforce census roles in caseloads.toml: not the rules under test."""
    with open(REFERENCE / "codelists" / "worker_role.csv", newline="", encoding="utf-8") as fh:
        every_role = {row["code"] for row in csv.DictReader(fh)}
    # index.toml worker_role: "FSW and PA are not registered social work roles", and an IRO "holds no cases"
    not_social_workers = {"FSW", "PA", "IRO"}
    with open(REFERENCE / "caseloads" / "caseloads.toml", "rb") as fh:
        census_roles = set(tomllib.load(fh)["census"]["social_worker_roles"])
    assert census_roles == every_role - not_social_workers
    for stage in holding_rules().stages.values():
        assert stage.roles == census_roles


def test_the_catalogue_says_a_managers_holding_is_unallocated():
    if not KPI_CATALOGUE.exists():
        pytest.skip("shared reference not available")
    text = KPI_CATALOGUE.read_text(encoding="utf-8")
    assert "Allocation to a team, duty desk or manager counts as unallocated." in text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('not_when_held_by = ["TM", "SM"]', 'not_when_held_by = ["BOSS"]'), "'BOSS' is not a worker role"),
        (("[stages.looked_after]", "[stages.adopted]"), "stages.adopted: not a stage with an open case"),
        (("qualified_social_worker = true", 'qualified_social_worker = "yes"'), "true or false, not 'yes'"),
        (('source = "shared/reference/kpi', 'old = "shared/reference/kpi'), "counts_as_allocated.source"),
    ],
)
def test_a_bad_rules_file_is_refused_naming_the_key(tmp_path, change, message):
    old, new = change
    text = RULES_FILE.read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "case_holding.toml"
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(HoldingRulesError) as caught:
        load_rules(bad)
    assert message in str(caught.value)


# ------------------------------------------------------------------------------ who may hold a case


def _child_at(stage: str, today):
    child = ChildFactory()
    started = today - timedelta(days=40)
    if stage == "child_protection":
        ChildProtectionPlanFactory(episode=CINEpisodeFactory(child=child, referral_date=started), started_on=started)
    elif stage == "looked_after":
        LookedAfterEpisodeFactory(child=child, started_on=started)
    elif stage == "child_in_need":
        CINEpisodeFactory(child=child, referral_date=started)
    elif stage == "care_leaver":
        CareLeaverEpisodeFactory(child=child, started_on=started)
    else:
        EarlyHelpEpisodeFactory(child=child, started_on=started)
    return child


def _flagged(today) -> dict[int, str]:
    return {d.child.pk: d.detail for d in reconciliation(on=today) if d.kind == "held_by_someone_who_may_not"}


@pytest.mark.parametrize(
    ("stage", "role", "qualified", "flagged"),
    [
        ("child_protection", "FSW", False, True),
        ("looked_after", "PA", False, True),
        ("looked_after", "FSW", False, True),
        ("child_protection", "SW", False, True),  # a social worker's post, but not recorded as qualified
        ("child_protection", "SW", True, False),
        ("looked_after", "ASYE", True, False),  # newly qualified is qualified
        ("child_protection", "TM", True, False),
        ("child_in_need", "FSW", False, False),
        ("early_help", "FSW", False, False),
        ("care_leaver", "PA", False, False),
    ],
)
def test_a_protection_or_care_case_held_by_someone_not_a_social_worker_is_flagged(
    service, stage, role, qualified, flagged
):
    worker = WorkerFactory(team=service.assessment, role=role, is_qualified_social_worker=qualified)
    child = _child_at(stage, service.today)
    AllocationFactory(child=child, worker=worker, started_on=service.today - timedelta(days=20))
    found = _flagged(service.today)
    assert (child.pk in found) is flagged
    if flagged:
        assert str(worker) in found[child.pk]


def test_an_ended_allocation_or_a_closed_case_is_not_flagged(service):
    fsw = WorkerFactory(team=service.assessment, role="FSW", is_qualified_social_worker=False)
    handed_on = _child_at("child_protection", service.today)
    AllocationFactory(
        child=handed_on,
        worker=fsw,
        started_on=service.today - timedelta(days=30),
        ended_on=service.today - timedelta(days=5),
    )
    AllocationFactory(child=handed_on, worker=service.workers["ada"], started_on=service.today - timedelta(days=5))
    assert _flagged(service.today) == {}


def test_the_reconciliation_page_lists_the_case(client, service):
    fsw = WorkerFactory(first_name="Fay", last_name="Support", team=service.assessment, role="FSW")
    fsw.is_qualified_social_worker = False
    fsw.save()
    child = _child_at("looked_after", service.today)
    AllocationFactory(child=child, worker=fsw, started_on=service.today - timedelta(days=3))
    client.force_login(service.users["performance"])
    response = client.get(reverse("allocation:reconciliation"))
    page = response.content.decode()
    assert child.pk in rows(response, "disagreement")
    assert 'data-testid="count-held_by_someone_who_may_not">1<' in page
    assert "Fay Support (Family support worker, not a qualified social worker)" in page


# ------------------------------------------------------------------------------ a manager holding a case


def test_a_case_held_only_by_a_team_manager_is_on_the_register_and_in_no_caseload(service):
    """The register and the caseloads agree: the child counts once, as unallocated."""
    tm = service.workers["tm"]
    child = service.open_case("Held", days_ago=30)
    AllocationFactory(child=child, worker=tm, started_on=service.today - timedelta(days=12))

    register = {row.child_id: row for row in unallocated_register(on=service.today, overdue=lambda **_: {})}
    assert set(register) == {child.pk}
    row = register[child.pk]
    assert row.holder == tm
    assert row.team == service.assessment  # in the queue of the manager's team
    assert row.since == service.today - timedelta(days=30)  # no allocation that counted: since it opened

    mine = worker_caseloads(workers=[tm], on=service.today)[0]
    assert (mine.children, mine.weighted, mine.held_unallocated) == (0, 0, 1)
    team = team_caseloads(teams=[service.assessment], on=service.today)[0]
    assert team.children == 0 and team.held_unallocated == 1


def test_register_and_team_caseload_add_up_to_the_open_cases(service):
    """Every open case is counted exactly once: in a worker's caseload, or on the register."""
    held_by_ada = service.open_case("Ada's")
    AllocationFactory(child=held_by_ada, worker=service.workers["ada"], started_on=service.today - timedelta(days=5))
    held_by_tm = service.open_case("Manager's")
    AllocationFactory(child=held_by_tm, worker=service.workers["tm"], started_on=service.today - timedelta(days=5))
    held_by_sm = service.open_case("Service manager's")
    AllocationFactory(child=held_by_sm, worker=service.workers["sm"], started_on=service.today - timedelta(days=5))
    nobody = service.open_case("Nobody's")

    register = set(unallocated_children(on=service.today))
    assert register == {held_by_tm.pk, held_by_sm.pk, nobody.pk}
    team = team_caseloads(teams=[service.assessment], on=service.today)[0]
    assert team.children == 1 and team.held_unallocated == 2
    assert team.children + len(register) == 4


def test_unallocated_since_the_social_worker_handed_the_case_to_the_manager(service):
    child = service.open_case("Handed", days_ago=60)
    handover = service.today - timedelta(days=9)
    AllocationFactory(
        child=child, worker=service.workers["ada"], started_on=service.today - timedelta(days=50), ended_on=handover
    )
    AllocationFactory(child=child, worker=service.workers["tm"], started_on=handover)
    (row,) = unallocated_register(on=service.today, overdue=lambda **_: {})
    assert (row.since, row.days) == (handover, 9)
    assert row.last_worker == service.workers["ada"] and row.holder == service.workers["tm"]


def test_the_register_page_and_the_team_caseload_page_agree(client, service):
    child = service.open_case("Agreed", days_ago=20)
    AllocationFactory(child=child, worker=service.workers["tm"], started_on=service.today - timedelta(days=2))
    client.force_login(service.users["director"])
    register = client.get(reverse("allocation:register"))
    assert rows(register) == {child.pk}
    assert 'data-testid="held-by-manager"' in register.content.decode()
    team = client.get(reverse("caseloads:team") + f"?team={service.assessment.pk}").content.decode()
    assert 'data-testid="held-unallocated">1 child is held by a manager' in team
    assert "0 children held" in team


def test_the_managers_own_caseload_page_says_the_case_is_unallocated(client, service):
    child = service.open_case("Mine", days_ago=20)
    AllocationFactory(child=child, worker=service.workers["tm"], started_on=service.today - timedelta(days=2))
    client.force_login(service.users["director"])
    page = client.get(reverse("caseloads:worker") + f"?worker={service.workers['tm'].pk}").content.decode()
    assert "Held, but unallocated" in page
    assert "1 held as a manager" in page
    assert child.pk in rows(client.get(reverse("allocation:register")))
