"""Code lists carry validity periods (issue 11, "The data model"): a historic episode with a
retired code is stored for the year it belongs to, while a new record uses the codes of its own
collection year. The expected lists are copied from the DfE validator's own code lists for each
year (data-to-insight/csc-validator-be-903, rule 146, read at the files named below), and the
labels of the retired codes from the DfE guide's code set as carried in shared/peer-data: not from
the code under test.
"""

from __future__ import annotations

import csv
import difflib
import re
from datetime import date
from pathlib import Path

import pytest

from grip.core.codelists import check_valid_on, choices, codelist, collection_year

HERE = Path(__file__).resolve()
SHARED = next((p / "shared" for p in HERE.parents if (p / "shared" / "peer-data").is_dir()), None)

# Rule 146 "Placement type code is not a valid code", its code_list in each upstream file.
RULE_146_LAC2022_23 = (  # lac_validator/rules/lac2022_23/rule_146.py (used for lac2022_23 and lac2023_24)
    "A3 A4 A5 A6 H5 K1 K2 P1 P2 P3 R1 R2 R3 R5 S1 T0 T1 T2 T3 T4 U1 U2 U3 U4 U5 U6 Z1"
)
RULE_146_LAC2024_25 = (  # lac_validator/rules/lac2024_25/rule_146.py (it writes K3 as "k3")
    "A3 A4 A5 A6 H5 K1 K2 K3 P1 P2 P3 R1 R2 R3 R5 S1 T0 T1 T2 T3 T4 U1 U2 U3 U4 U5 U6 Z1"
)
RULE_146_LAC2025_26 = (  # lac_validator/rules/lac2025_26/rule_146.py (used for lac2025_26 and lac2026_27)
    "A3 A4 A5 A6 K1 K2 K3 P1 P3 R1 R2 R3 R5 S1 T0 T1 T2 T3 T4 U1 U2 U3 U4 U5 U6 Z11 Z12 Z13 Z14"
)
RULESET_FILE = {
    "2022-23": ("lac2022_23/rule_146.py", RULE_146_LAC2022_23),
    "2023-24": ("lac2022_23/rule_146.py", RULE_146_LAC2022_23),
    "2024-25": ("lac2024_25/rule_146.py", RULE_146_LAC2024_25),
    "2025-26": ("lac2025_26/rule_146.py", RULE_146_LAC2025_26),
    "2026-27": ("lac2025_26/rule_146.py", RULE_146_LAC2025_26),
}


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (date(2025, 3, 31), "2024-25"),
        (date(2025, 4, 1), "2025-26"),
        (date(2026, 1, 15), "2025-26"),
        (date(1999, 12, 31), "1999-00"),
        (date(2000, 4, 1), "2000-01"),
    ],
)
def test_the_collection_year_runs_april_to_march(day, year):
    assert collection_year(day) == year


@pytest.mark.parametrize("year", sorted(RULESET_FILE))
def test_placement_types_valid_each_year_are_the_validators_list_of_that_year(year):
    _file, expected = RULESET_FILE[year]
    assert set(codelist("placement_type").codes_in(year)) == set(expected.split())


@pytest.mark.parametrize("year", sorted(RULESET_FILE))
def test_the_validator_uses_that_rule_file_that_year(year):
    """The ruleset registry (peer-data derived table) names the file each year's rule 146 is in."""
    if SHARED is None:
        pytest.skip("shared reference not available")
    ruleset = f"lac{year[:4]}_{year[-2:]}"  # 2025-26 -> lac2025_26
    path = SHARED / "peer-data" / "csc-validator-be-903" / "derived" / f"ssda903_rules_{ruleset}.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        defined_in = {row["code"]: row["defined_in"] for row in csv.DictReader(fh)}
    assert defined_in["146"].endswith(RULESET_FILE[year][0])


def test_every_code_ever_valid_is_in_the_list_so_historic_episodes_can_be_stored():
    every = set(RULE_146_LAC2022_23.split()) | set(RULE_146_LAC2024_25.split()) | set(RULE_146_LAC2025_26.split())
    assert set(codelist("placement_type").codes) == every


def _guide_code_set() -> dict[str, str]:
    """The DfE guide's placement code set (pre-2025-26, with H5, P2 and Z1) as carried in the
    Standard Safeguarding Dataset specification (item CLAP004A)."""
    if SHARED is None:
        pytest.skip("shared reference not available")
    path = SHARED / "peer-data" / "ssd-data-model" / "docs" / "admin" / "data_objects_specification.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        cell = next(c for row in csv.reader(fh) for c in row if "A3 - " in c and "Z1 - Other placements" in c)
    found = {}
    for line in cell.splitlines():
        match = re.match(r"^([A-Z]\d+) - (.+)$", line.strip())
        if match:
            found[match.group(1)] = match.group(2).strip()
    return found


def _plain(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("-", " ").casefold().split())


def test_retired_codes_carry_the_dfe_wording():
    guide = _guide_code_set()
    labels = codelist("placement_type").codes
    for code in ("H5", "P2", "Z1"):
        assert _plain(labels[code]) == _plain(guide[code])


def test_every_label_matches_the_dfe_wording_closely():
    """Our labels shorten the guide's (no statute references), so a close match, not an equal one."""
    guide = _guide_code_set()
    labels = codelist("placement_type").codes
    shared = set(guide) & set(labels)
    assert len(shared) == 27
    for code in shared:
        ours, theirs = _plain(labels[code]), _plain(guide[code])
        ratio = difflib.SequenceMatcher(None, ours, theirs[: len(ours) + 15]).ratio()
        assert ratio > 0.75, f"{code}: {labels[code]!r} vs {guide[code]!r} ({ratio:.2f})"


@pytest.mark.parametrize(
    ("code", "day", "ok"),
    [
        ("Z1", date(2024, 6, 1), True),  # a 2024-25 episode keeps its code
        ("Z1", date(2025, 3, 31), True),
        ("Z1", date(2025, 4, 1), False),  # from 2025-26 "other" is Z11-Z14
        ("H5", date(2022, 1, 10), True),
        ("H5", date(2025, 9, 1), False),
        ("Z11", date(2025, 4, 1), True),
        ("Z11", date(2025, 3, 31), False),
        ("K3", date(2024, 4, 1), True),
        ("K3", date(2024, 3, 31), False),
        ("U4", date(2012, 5, 5), True),
        ("U4", date(2026, 5, 5), True),
    ],
)
def test_a_code_is_checked_against_the_year_of_the_record(code, day, ok):
    message = check_valid_on("placement_type", code, day)
    assert (message is None) is ok
    if not ok:
        assert code in message and collection_year(day) in message


def test_the_refusal_says_what_the_code_was_valid_for_and_what_is_new():
    message = check_valid_on("placement_type", "Z1", date(2025, 6, 1))
    assert message.startswith("Z1 (Other placements")
    assert "valid until 2024-25, not in 2025-26, the collection year of 01/06/2025" in message
    assert "Codes new in 2025-26: Z11, Z12, Z13, Z14." in message


def test_a_form_for_a_new_record_offers_only_the_codes_of_its_year():
    now = {code for code, _text in choices("placement_type", on=date(2025, 6, 1))}
    then = {code for code, _text in choices("placement_type", on=date(2024, 6, 1))}
    assert now == set(RULE_146_LAC2025_26.split())
    assert then == set(RULE_146_LAC2024_25.split())
    every = {code for code, _text in choices("placement_type")}  # the model field: all of them
    assert every == now | then
