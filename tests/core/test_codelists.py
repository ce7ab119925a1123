"""Tests for the code-list data files (grip/reference/codelists) and their loader.

No database: the lists are plain files. The cross-checks against the national standards read the
reference files in ../shared beside the repository (peer-data copied from open repositories) and
are skipped when that folder is absent.
"""

from __future__ import annotations

import ast
import csv
import re
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from grip.core.codelists import (
    CODELIST_DIR,
    UnknownCodeList,
    all_codelists,
    choices,
    codelist,
    codes,
    label,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
SRC = REPO_ROOT / "src" / "grip"
# The shared reference folder beside the repository (or beside the folder of its worktrees).
SHARED = next(
    (p / "shared" for p in REPO_ROOT.parents if (p / "shared" / "peer-data").is_dir()), REPO_ROOT.parent / "shared"
)
PEER = SHARED / "peer-data"
CIN_XSD = PEER / "liia-tools/liiatools/spec/cin_census/CIN_schema_2024.xsd"
CIN_SAMPLES = PEER / "csc-validator-be-cin/fake_data"
RULES_903 = PEER / "csc-validator-be-903/derived/ssda903_rules_lac2025_26.csv"
FAKE_903 = PEER / "csc-validator-be-903/tests/fake_data"
XS = "{http://www.w3.org/2001/XMLSchema}"

META_KEYS = ("title", "standard", "item", "collection_year", "source", "file")
STANDARDS = {"CIN census", "SSDA903", "Children's social work workforce census", "Grip local"}

NATIONAL = {
    "leaving_reason",
    "start_origin",
    "referral_source",
    "primary_need",
    "closure_reason",
    "assessment_factor",
    "category_of_abuse",
    "ethnicity",
    "disability",
    "sex",
    "gender_current",
    "upn_unknown",
    "legal_status",
    "placement_type",
    "placement_provider",
    "reason_new_episode",
    "reason_episode_ceased",
    "reason_place_change",
    "review_participation",
    "care_leaver_in_touch",
    "care_leaver_activity",
    "care_leaver_accommodation",
    "missing_type",
    "sdq_reason",
    "previous_permanence",
    "cla_category_of_need",
}
LOCAL = {
    "post_filling_basis",
    "contact_outcome",
    "contact_route",
    "visit_type",
    "case_note_type",
    "relationship_type",
    "worker_role",
    "employment_type",
    "absence_type",
    "conference_type",
    "early_help_closure",
    "strategy_outcome",
    "s47_outcome",
    "assessment_outcome",
    "concern_category",
    "consent",
    "urgency",
    "mash_agency",
    "carer_approval",
    "strategy_agency",
    # Issue 11
    "return_interview_outcome",
    "leaving_care_accommodation_duty",
    # Issue 14: why a care leaver's support ended (no national list)
    "care_leaver_support_ended",
    # Issue 14: early help
    "early_help_organisation",
    "taf_attendee",
    "early_help_review_outcome",
    # Issue 14: child protection conferences (no national lists)
    "conference_participation",
    "conference_attendee",
    "conference_outcome",
    "cp_plan_end_reason",
    # Issue 15: absence and supervision
    "sickness_reason",
    "supervision_type",
}


def _index() -> dict[str, dict]:
    with open(CODELIST_DIR / "index.toml", "rb") as fh:
        return tomllib.load(fh)


def _rows(name: str) -> list[list[str]]:
    with open(CODELIST_DIR / _index()[name]["file"], newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def _shared(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"reference file not available: {path}")
    return path


# ------------------------------------------------------------------------------------ the files


def test_every_required_list_is_in_the_index():
    missing = (NATIONAL | LOCAL) - set(_index())
    assert not missing, f"not in index.toml: {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(_index()))
def test_index_entry_has_the_metadata(name):
    meta = _index()[name]
    for key in META_KEYS:
        assert isinstance(meta.get(key), str) and meta[key].strip(), f"{name}: no {key}"
    assert meta["standard"] in STANDARDS
    assert meta["file"] == f"{name}.csv"
    assert (CODELIST_DIR / meta["file"]).is_file()
    if meta["standard"] == "Grip local":
        assert name in LOCAL
    else:
        assert name in NATIONAL
        assert re.fullmatch(r"20\d\d-\d\d", meta["collection_year"])


@pytest.mark.parametrize("name", sorted(_index()))
def test_csv_has_unique_non_empty_codes_and_labels(name):
    header, *rows = _rows(name)
    # Lists whose codes came or went carry each code's first and last collection year.
    assert header in (["code", "label"], ["code", "label", "valid_from", "valid_to"])
    assert rows, f"{name} is empty"
    for row in rows:
        assert len(row) == len(header), f"{name}: {row}"
        code, text = row[:2]
        for year in row[2:]:
            assert year == "" or re.fullmatch(r"20\d\d-\d\d", year), f"{name}: bad year {year!r} for {code}"
        assert code and code == code.strip() and " " not in code, f"{name}: bad code {code!r}"
        assert text and text == text.strip(), f"{name}: bad label for {code}"
    assert len({row[0] for row in rows}) == len(rows), f"{name}: a code is listed twice"
    assert len({row[1] for row in rows}) == len(rows), f"{name}: a label is listed twice"


def test_every_list_loads_through_the_loader():
    loaded = {cl.name: cl for cl in all_codelists()}
    assert set(loaded) == set(_index())
    for name, cl in loaded.items():
        assert list(cl.codes) == [row[0] for row in _rows(name)[1:]]
        assert cl.collection_year and cl.source and cl.title


def test_loader_helpers():
    assert label("primary_need", "N4") == "Family in acute stress"
    assert label("primary_need", "") == ""
    assert label("primary_need", "N42") == "N42"
    rc8 = ("RC8", "RC8: Case closed after assessment, no further action")
    assert rc8 in choices("closure_reason")
    assert "E4A" in codelist("reason_episode_ceased")
    with pytest.raises(UnknownCodeList):
        codelist("no_such_list")


def _coded_fields() -> list[tuple[Path, str, str, int]]:
    """(file, function, list name, max_length) for every coded_field/in_codelist call in the app."""
    found = []
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts or "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            fn = node.func.id
            pos = {"coded_field": 0, "in_codelist": 1, "validate_code_list": 1}.get(fn)
            if pos is None or len(node.args) <= pos or not isinstance(node.args[pos], ast.Constant):
                continue
            max_length = 8  # coded_field's default
            for kw in node.keywords:
                if kw.arg == "max_length" and isinstance(kw.value, ast.Constant):
                    max_length = kw.value.value
            found.append((path, fn, node.args[pos].value, max_length))
    return found


def test_every_list_the_models_use_exists_and_its_codes_fit_the_field():
    index = _index()
    for path, fn, name, max_length in _coded_fields():
        where = f"{path.relative_to(REPO_ROOT)} {fn}({name!r})"
        assert name in index, f"{where}: no such code list"
        if fn == "coded_field":
            too_long = [c for c in codes(name) if len(c) > max_length]
            assert not too_long, f"{where}: codes longer than max_length={max_length}: {too_long}"


# ------------------------------------------------------------------- spot checks: exact values


@pytest.mark.parametrize(
    ("name", "code", "text"),
    [
        ("referral_source", "1A", "Individual – family member, relative or carer"),
        ("referral_source", "10", "Unknown"),
        ("primary_need", "N0", "Not stated"),
        ("closure_reason", "RC9", "Case closed after assessment, referred to early help"),
        ("assessment_factor", "20", "Other"),
        ("category_of_abuse", "MUL", "Multiple/not recommended"),
        ("ethnicity", "WROM", "Gypsy/Roma"),
        ("disability", "DDA", "Other"),
        ("sex", "F", "Female"),
        ("gender_current", "9", "Indeterminate"),
        ("legal_status", "C2", "Full care order"),
        ("placement_type", "R5", "Young offender institution or prison"),
        ("placement_provider", "PR4", "Private provision"),
        ("reason_new_episode", "S", "Started to be looked after"),
        ("reason_episode_ceased", "E2", "Died"),
        ("reason_place_change", "ALLEG", "Allegation (s47)"),
        ("care_leaver_accommodation", "Z1", "With former foster carers – suitable"),
        ("missing_type", "A", "Away from placement without authorisation"),
        ("previous_permanence", "P1", "Adoption"),
        ("contact_outcome", "STRAT", "Strategy discussion / immediate protection"),
        ("visit_type", "LAC", "Looked-after child visit"),
        ("conference_type", "ICPC", "Initial child protection conference"),
    ],
)
def test_spot_labels(name, code, text):
    assert codelist(name).codes[code] == text


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("primary_need", [f"N{i}" for i in range(1, 10)] + ["N0"]),
        ("closure_reason", [f"RC{i}" for i in range(1, 10)]),
        ("category_of_abuse", ["NEG", "PHY", "EMO", "SAB", "MUL"]),
        ("sex", ["M", "F", "U"]),
        ("gender_current", ["0", "1", "2", "9"]),
        ("upn_unknown", [f"UN{i}" for i in range(1, 8)]),
        ("review_participation", [f"PN{i}" for i in range(8)]),
        ("missing_type", ["M", "A"]),
        ("sdq_reason", [f"SDQ{i}" for i in range(1, 6)]),
        ("previous_permanence", ["P1", "P2", "P3", "P4", "Z1"]),
        ("care_leaver_in_touch", ["YES", "NO", "DIED", "REFU", "NREQ", "RHOM"]),
        ("contact_outcome", ["NFA", "IA", "EH", "REF", "STRAT", "PASSED"]),
        ("visit_type", ["CIN", "CP", "LAC", "CL", "PF"]),  # PF: private fostering (issue 11)
        ("conference_type", ["ICPC", "RCPC"]),
        ("s47_outcome", ["ICPC", "CIN", "NFA"]),
    ],
)
def test_exact_code_sets(name, expected):
    assert codes(name) == expected


def test_assessment_factors_include_the_later_additions():
    factors = set(codes("assessment_factor"))
    assert {"21", "22A", "23A", "24A", "18B", "18C", "19B", "19C", "8B", "8F"} <= factors
    # CIN rules 8945Q/8950Q: 18A and 19A must not be used; 8A was never a code.
    assert not {"18A", "19A", "8A"} & factors


# The SSDA903 valid-value lists, as coded in data-to-insight/csc-validator-be-903 (the rule file
# named against each list, registered for the lac2025_26 ruleset).
VALIDATOR_903 = {
    "legal_status": ("144", "C1 C2 D1 E1 V2 V3 V4 J1 J2 J3 L1 L2 L3"),
    "reason_new_episode": ("143", "S P L T U B"),
    "placement_type": (
        "146",
        "A3 A4 A5 A6 K1 K2 K3 P1 P3 R1 R2 R3 R5 S1 T0 T1 T2 T3 T4 U1 U2 U3 U4 U5 U6 Z11 Z12 Z13 Z14",
    ),
    "placement_provider": ("178", "PR0 PR1 PR2 PR3 PR4 PR5"),
    "reason_episode_ceased": (
        "149",
        "E11 E12 E2 E3 E4A E4B E13 E41 E45 E46 E47 E48 E5 E6 E7 E8 E9 E14 E15 E16 E17 X1",
    ),
    "reason_place_change": (
        "1009",
        "CARPL CLOSE ALLEG STAND APPRR CREQB CREQO CHILD LAREQ PLACE CUSTOD OTHER",
    ),
    "review_participation": ("167", "PN0 PN1 PN2 PN3 PN4 PN5 PN6 PN7"),
    "care_leaver_in_touch": ("131", "YES NO DIED REFU NREQ RHOM"),
    "care_leaver_activity": ("132", "F1 P1 F2 P2 F4 P4 F5 P5 G4 G5 G6 0"),
    "care_leaver_accommodation": (
        "133",
        "B1 B2 C1 C2 D1 D2 E1 E2 G1 G2 H1 H2 K1 K2 R1 R2 S2 T1 T2 U1 U2 V1 V2 W1 W2 X2 Y1 Y2 Z1 Z2 0",
    ),
    "missing_type": ("1006", "M A"),
    "sdq_reason": ("196", "SDQ1 SDQ2 SDQ3 SDQ4 SDQ5"),
    "previous_permanence": ("631", "P1 P2 P3 P4 Z1"),
    "ethnicity": (
        "103",
        "WBRI WIRI WOTH WIRT WROM MWBC MWBA MWAS MOTH AIND APKN ABAN AOTH BCRB BAFR BOTH CHNE OOTH REFU NOBT",
    ),
    "sex": ("101", "M F U"),
}


@pytest.mark.parametrize("name", sorted(VALIDATOR_903))
def test_903_lists_match_the_validator_code_lists(name):
    rule, expected = VALIDATOR_903[name]
    assert set(codelist(name).codes_in("2025-26")) == set(expected.split())
    assert rule in codelist(name).source


def test_placement_types_are_the_2025_26_list():
    place = set(codelist("placement_type").codes_in("2025-26"))
    assert {"Z11", "Z12", "Z13", "Z14", "K3"} <= place
    assert not {"H5", "P2", "Z1"} & place
    # The retired codes stay in the list, for the episodes of the years they were valid in.
    assert {"H5", "P2", "Z1"} <= set(codes("placement_type"))


# ----------------------------------------------------- cross-checks against the reference files


def _xsd_enumerations(type_name: str) -> dict[str, str]:
    root = ET.parse(_shared(CIN_XSD)).getroot()
    node = root.find(f"{XS}simpleType[@name='{type_name}']")
    assert node is not None, f"{type_name} not in {CIN_XSD.name}"
    out = {}
    for enum in node.iter(f"{XS}enumeration"):
        doc = enum.find(f"{XS}annotation/{XS}documentation")
        out[enum.get("value")] = " ".join(doc.text.split()) if doc is not None else ""
    return out


CIN_TYPES = {
    "referral_source": "referralsourcetype",
    "primary_need": "primaryneedcodetype",
    "closure_reason": "reasonforclosuretype",
    "assessment_factor": "assessmentfactorstype",
    "category_of_abuse": "categoryofabuse",
    "ethnicity": "ethnicitytype",
    "disability": "disabilitytype",
    "upn_unknown": "unknownupntype",
    "gender_current": "gendertype",
}
# Lists whose labels are the XSD's documentation word for word (ignoring capitals).
CIN_VERBATIM = {
    "primary_need",
    "closure_reason",
    "assessment_factor",
    "category_of_abuse",
    "ethnicity",
    "disability",
    "gender_current",
}


@pytest.mark.parametrize("name", sorted(CIN_TYPES))
def test_cin_list_matches_the_xsd_enumeration(name):
    xsd = _xsd_enumerations(CIN_TYPES[name])
    assert set(codes(name)) == set(xsd)
    assert CIN_XSD.name in codelist(name).source
    if name in CIN_VERBATIM:
        ours = {code: text.casefold() for code, text in codelist(name).codes.items()}
        assert ours == {code: text.casefold() for code, text in xsd.items()}


def test_cin_sample_files_use_only_listed_codes():
    elements = {
        "ReferralSource": "referral_source",
        "PrimaryNeedCode": "primary_need",
        "ReasonForClosure": "closure_reason",
        "Ethnicity": "ethnicity",
        "Disability": "disability",
        "InitialCategoryOfAbuse": "category_of_abuse",
        "LatestCategoryOfAbuse": "category_of_abuse",
        "UPNunknown": "upn_unknown",
        "GenderCurrent": "gender_current",
    }
    seen = 0
    for sample in ("CIN_Census_2026.xml", "fake_CIN_data.xml"):
        for el in ET.parse(_shared(CIN_SAMPLES / sample)).getroot().iter():
            if el.tag in elements and el.text and el.text.strip():
                seen += 1
                value = el.text.strip()
                assert value in codelist(elements[el.tag]), f"{sample}: {el.tag}={value}"
    assert seen > 100


def test_cin_2026_sample_uses_the_sex_codes():
    root = ET.parse(_shared(CIN_SAMPLES / "CIN_Census_2026.xml")).getroot()
    values = {el.text.strip() for el in root.iter("Sex")}
    # The synthetic sample has one valid (M) and one legacy GenderCurrent value (1).
    assert values & set(codes("sex")) == {"M"}


def _rule_messages() -> dict[str, str]:
    with open(_shared(RULES_903), newline="", encoding="utf-8") as fh:
        return {row["code"]: row["message"] for row in csv.DictReader(fh)}


@pytest.mark.parametrize(
    ("rule", "name", "pattern"),
    [
        ("168", "upn_unknown", r"UN\d+"),
        ("580", "reason_episode_ceased", r"E\d+"),
        ("516", "reason_episode_ceased", r"E4[5-8]"),
        ("516", "placement_type", r"U\d"),
        ("529", "placement_type", r"\b[APKU]\d\b"),
        ("529", "placement_provider", r"PR\d"),
        ("550", "placement_provider", r"PR\d"),
        ("379", "placement_type", r"T\d"),
        ("398", "legal_status", r"V\d"),
        ("446", "legal_status", r"\bE1\b"),
        ("635", "previous_permanence", r"Z1"),
    ],
)
def test_codes_named_in_903_rule_messages_are_listed(rule, name, pattern):
    message = _rule_messages()[rule]
    found = set(re.findall(pattern, message))
    assert found, f"rule {rule} no longer names {pattern}: {message}"
    assert found <= set(codes(name)), f"rule {rule}: {found - set(codes(name))} not in {name}"


def test_2025_26_placement_rule_is_the_2025_26_version():
    with open(_shared(RULES_903), newline="", encoding="utf-8") as fh:
        rules = {row["code"]: row["defined_in"] for row in csv.DictReader(fh)}
    assert rules["146"].endswith("lac2025_26/rule_146.py")
    assert rules["178"].endswith("lac2025_26/rule_178.py")


@pytest.mark.parametrize(
    ("fake_file", "column", "name"),
    [
        ("episodes.csv", "RNE", "reason_new_episode"),
        ("episodes.csv", "LS", "legal_status"),
        ("episodes.csv", "PLACE_PROVIDER", "placement_provider"),
        ("episodes.csv", "REC", "reason_episode_ceased"),
        ("episodes.csv", "REASON_PLACE_CHANGE", "reason_place_change"),
        ("reviews.csv", "REVIEW_CODE", "review_participation"),
        ("oc3.csv", "IN_TOUCH", "care_leaver_in_touch"),
        ("missing.csv", "MISSING", "missing_type"),
        ("oc2.csv", "SDQ_REASON", "sdq_reason"),
        ("header.csv", "ETHNIC", "ethnicity"),
    ],
)
def test_903_sample_data_covers_exactly_the_list(fake_file, column, name):
    with open(_shared(FAKE_903 / fake_file), newline="", encoding="utf-8") as fh:
        values = {row[column] for row in csv.DictReader(fh)} - {""}
    assert values == set(codes(name))


def test_903_sample_placements_differ_only_by_the_2025_26_changes():
    with open(_shared(FAKE_903 / "episodes.csv"), newline="", encoding="utf-8") as fh:
        sample = {row["PLACE"] for row in csv.DictReader(fh)} - {""}
    listed = set(codelist("placement_type").codes_in("2025-26"))
    assert sample - listed == {"H5", "P2", "Z1"}  # the sample predates 2025-26
    assert listed - sample == {"K3", "Z11", "Z12", "Z13", "Z14"}
    assert sample <= set(codes("placement_type"))  # so the sample's episodes can be stored


def test_looked_after_category_of_need_is_primary_need_n1_to_n8():
    """SSDA903 episode column CIN takes N1-N8 only (903 rule 145), with the CIN census wording."""
    primary = codelist("primary_need").codes
    assert codelist("cla_category_of_need").codes == {f"N{i}": primary[f"N{i}"] for i in range(1, 9)}
