"""The rules file: what it ships, and the specific error a bad edit gets."""

import copy
import tomllib

import pytest
from django.core import checks

from grip.timescales import rules as rules_module
from grip.timescales.apps import check_rules_file
from grip.timescales.rules import RULES_FILE, Interval, RulesFileError, load_rules, parse_rules, rule_book

with open(RULES_FILE, "rb") as fh:
    SHIPPED = tomllib.load(fh)

EXPECTED = {
    "contact_decision": (1, "working_days"),
    "assessment": (45, "working_days"),
    "assessment_dfe": (45, "working_days"),
    "icpc": (15, "working_days"),
    "icpc_dfe": (15, "working_days"),
    "core_group_first": (10, "working_days"),
    "cp_review": (3, "months"),
    "cp_visit": (10, "working_days"),
    "cin_plan_review": (3, "months"),
    "care_plan": (10, "working_days"),
    "looked_after_review": (20, "working_days"),
    "looked_after_visit": (1, "weeks"),
    "looked_after_visit_interim_order_at_home": (1, "weeks"),
    "looked_after_visit_care_order_at_home": (1, "weeks"),
    "health_assessment": (20, "working_days"),
    "return_home_interview": (72, "hours"),
    "pathway_plan_review": (6, "months"),
    "supervision_asye": (1, "weeks"),
    "supervision": (1, "months"),
    # Care regimes (issue 11)
    "short_breaks_review": (3, "months"),
    "short_breaks_visit": (3, "months"),
    "short_breaks_care_plan": (10, "working_days"),
    "adoption_review": (4, "weeks"),
    "adoption_visit": (1, "weeks"),
    "looked_after_visit_temporary_approval": (1, "weeks"),
    "placement_plan": (5, "working_days"),
    "personal_education_plan": (10, "working_days"),
    "personal_education_plan_review": (3, "months"),
    "care_proceedings": (181, "calendar_days"),
    "police_protection_limit": (3, "calendar_days"),
    "emergency_protection_order_limit": (15, "calendar_days"),
    "strategy_discussion_held": (1, "working_days"),
    # Issue 11: the care leaver contact rule is split into the reg 8(2) visit and keeping in touch.
    "cin_visit": (6, "weeks"),
    "pathway_needs_assessment": (3, "months"),
    "care_leaver_visit": (7, "calendar_days"),
    "care_leaver_in_touch": (8, "weeks"),
    "private_fostering_visit": (7, "working_days"),
    # Children on remand (CPPCR 2010 Part 8A)
    "care_plan_remand_local_authority": (5, "working_days"),
    "detention_placement_plan": (10, "working_days"),
}


def raw() -> dict:
    return copy.deepcopy(SHIPPED)


def rule(data: dict, key: str) -> dict:
    return next(r for r in data["rule"] if r["key"] == key)


def error_for(data: dict) -> str:
    with pytest.raises(RulesFileError) as caught:
        parse_rules(data, where="rules.toml")
    return str(caught.value)


def test_the_shipped_file_loads_with_every_rule_and_its_figure():
    book = rule_book()

    assert {r.key: (r.first.amount, r.first.unit) for r in book.rules} == EXPECTED
    assert book.due_soon_working_days == 5
    assert all(r.source and r.title for r in book.rules)


def test_later_intervals_come_from_the_file():
    book = rule_book()

    assert [p.interval for p in book.get("cp_review").repeat] == [Interval(6, "months")]
    review = book.get("looked_after_review")
    assert (review.then, [p.interval for p in review.repeat]) == ((Interval(3, "months"),), [Interval(6, "months")])
    health = book.get("health_assessment").repeat
    assert [(p.interval, p.age_under) for p in health] == [(Interval(6, "months"), 5), (Interval(12, "months"), None)]
    visits = book.get("looked_after_visit").repeat
    assert [p.interval for p in visits] == [Interval(6, "weeks"), Interval(3, "months"), Interval(6, "weeks")]
    assert visits[0].within == Interval(12, "months")
    assert visits[1].attributes == {"placement_type": frozenset({"U1", "U4"})}


def test_only_the_local_policies_are_local():
    assert {r.key for r in rule_book().rules if r.local} == {
        "cp_visit",
        "cin_plan_review",
        "supervision",
        "personal_education_plan_review",
        "strategy_discussion_held",
        "cin_visit",
        "care_leaver_in_touch",
    }


def test_each_care_regime_rule_has_the_basis_of_its_source():
    # Statute: regulations and Acts; guidance: statutory guidance; local: the authority's choice.
    book = rule_book()
    basis = {key: book.get(key).basis for key in EXPECTED if key.startswith(("short_breaks", "adoption"))}
    assert set(basis.values()) == {"statute"}
    assert book.get("personal_education_plan").basis == "guidance"
    assert (book.get("personal_education_plan_review").basis, book.get("personal_education_plan_review").local) == (
        "local",
        True,
    )
    for key in ("placement_plan", "care_proceedings", "looked_after_visit_temporary_approval", "care_plan"):
        assert book.get(key).basis == "statute", key
    # The looked-after rules that were there before: regulations, and the statutory guidance on children
    # who go missing.
    for key in ("looked_after_review", "looked_after_visit", "looked_after_visit_interim_order_at_home"):
        assert book.get(key).basis == "statute", key
    for key in ("looked_after_visit_care_order_at_home", "health_assessment"):
        assert book.get(key).basis == "statute", key
    assert book.get("return_home_interview").basis == "guidance"
    errors = {r.key for r in book.rules if r.kind == "error"}
    assert errors == {"police_protection_limit", "emergency_protection_order_limit"}


def test_only_local_rules_use_the_authority_calendar():
    # Changed by ADR 0014: the file's default used to be the authority calendar for every rule
    # but the two DfE measures. Local closure days never stretch a national deadline.
    book = rule_book()
    assert {r.key for r in book.rules if r.calendar == "authority"} == {r.key for r in book.rules if r.local}
    assert {r.key for r in book.rules if r.calendar == "authority"} == {
        "cp_visit",
        "cin_plan_review",
        "cin_visit",
        "care_leaver_in_touch",
        "supervision",
        "personal_education_plan_review",
        "strategy_discussion_held",
    }
    for key in ("contact_decision", "assessment", "assessment_dfe", "icpc", "icpc_dfe", "looked_after_review"):
        assert book.get(key).calendar == "england"


def test_a_national_rule_cannot_use_the_authority_calendar():
    data = raw()
    rule(data, "assessment").update(calendar="authority")
    with pytest.raises(RulesFileError, match="rule 'assessment': field 'calendar': only a local rule"):
        parse_rules(data)
    data = raw()
    rule(data, "cp_visit").update(calendar="england")  # a local rule may choose the national one
    assert parse_rules(data).get("cp_visit").calendar == "england"
    data = raw()
    data["settings"]["calendar"] = "authority"
    with pytest.raises(RulesFileError, match=r"\[settings\] field 'calendar': there is no default calendar"):
        parse_rules(data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: rule(d, "assessment").update(unit="fortnights"),
            "rule 'assessment': field 'unit': unknown unit 'fortnights'",
        ),
        (
            lambda d: rule(d, "assessment").update(amount=0),
            "rule 'assessment': field 'amount': expected a whole number above 0, got 0",
        ),
        (lambda d: rule(d, "assessment").update(amount=True), "rule 'assessment': field 'amount'"),
        (
            lambda d: rule(d, "assessment").update(start="referal"),
            "rule 'assessment': field 'start': unknown start event 'referal'",
        ),
        (
            lambda d: rule(d, "assessment").update(stop="assessment_finished"),
            "rule 'assessment': field 'stop': unknown stop event 'assessment_finished'",
        ),
        (
            lambda d: rule(d, "assessment").update(stop="supervision"),
            "rule 'assessment': field 'stop': supervision is about a worker",
        ),
        (
            lambda d: rule(d, "assessment").update(link="plan"),
            "rule 'assessment': field 'link': 'plan' does not link referral to assessment_authorised",
        ),
        (lambda d: rule(d, "assessment").update(ammount=45), "rule 'assessment': unknown field(s) ammount"),
        (lambda d: rule(d, "assessment").pop("source"), "rule 'assessment': field 'source': required text is missing"),
        (lambda d: rule(d, "assessment").update(basis="law"), "rule 'assessment': field 'basis': unknown value 'law'"),
        (
            lambda d: rule(d, "assessment").update(calendar="scotland"),
            "rule 'assessment': field 'calendar': unknown value 'scotland'",
        ),
        (
            lambda d: rule(d, "assessment").update(key="icpc"),
            "rule 'icpc': field 'key': the key is used by another rule",
        ),
        (
            lambda d: rule(d, "assessment").update(key="Assessment 2"),
            "rule 2: field 'key': expected lower_case_words, got 'Assessment 2'",
        ),
        (
            lambda d: rule(d, "cp_visit").update(stop_filter={"visit_type": ["CPX"]}),
            "rule 'cp_visit': field 'stop_filter'.visit_type: not a code of visit_type: 'CPX'",
        ),
        (
            lambda d: rule(d, "cp_visit").update(stop_filter={"colour": ["red"]}),
            "rule 'cp_visit': field 'stop_filter': visit has no field 'colour'",
        ),
        (
            lambda d: rule(d, "cp_visit").update(stop_filter={"child_seen": ["yes"]}),
            "rule 'cp_visit': field 'stop_filter'.child_seen: not a code of child_seen: 'yes'",
        ),
        (
            lambda d: rule(d, "looked_after_visit").update(except_for=[{"legal_status": ["V9"]}]),
            "rule 'looked_after_visit': field 'except_for'.legal_status: not a code of legal_status: 'V9'",
        ),
        (
            lambda d: rule(d, "looked_after_visit")["repeat"].reverse(),
            "rule 'looked_after_visit': field 'repeat': the last interval must have no condition",
        ),
        (
            lambda d: rule(d, "looked_after_visit")["repeat"][0].update(unit="days"),
            "rule 'looked_after_visit': field 'repeat[0].unit': unknown unit 'days'",
        ),
        (
            lambda d: rule(d, "looked_after_visit")["repeat"][0]["within"].update(unit="hours"),
            "rule 'looked_after_visit': field 'repeat[0].within.unit': hours are not a span",
        ),
        (
            lambda d: rule(d, "looked_after_visit_interim_order_at_home")["repeat"][0].update(before_first="review"),
            "field 'repeat[0].before_first': unknown event 'review'",
        ),
        (
            lambda d: rule(d, "supervision_asye")["repeat"][0].update(age_under=5),
            "rule 'supervision_asye': field 'repeat[0].age_under': asye_started has no date of birth",
        ),
        (
            lambda d: rule(d, "cp_visit").update(repeat=[{"amount": 10, "unit": "working_days"}]),
            "rule 'cp_visit': field 'local': a local rule is one-off or 'repeat = true'",
        ),
        (
            lambda d: rule(d, "assessment").update(unit="hours"),
            "rule 'assessment': field 'unit': hours need a one-off rule",
        ),
        (
            lambda d: rule(d, "return_home_interview").update(repeat=True),
            "rule 'return_home_interview': field 'unit': hours need a one-off rule",
        ),
        (
            lambda d: rule(d, "assessment").update(then=[{"amount": 3, "unit": "months"}]),
            "rule 'assessment': field 'then': a rule with later occurrences needs 'repeat'",
        ),
        (
            lambda d: rule(d, "adoption_visit").update(until_first="referral"),
            "rule 'adoption_visit': field 'until_first': unknown event 'referral'",
        ),
        (
            lambda d: rule(d, "care_plan").update(except_during="visit"),
            "rule 'care_plan': field 'except_during': 'visit' is not a start event with a span",
        ),
        (
            lambda d: rule(d, "supervision").update(age_from=5),
            "rule 'supervision': field 'age_from': in_post has no date of birth",
        ),
        (
            lambda d: rule(d, "police_protection_limit").update(kind="warning"),
            "rule 'police_protection_limit': field 'kind': unknown value 'warning'",
        ),
        (
            lambda d: d["regimes"].update(short_breaks=["V9"]),
            "[regimes] field 'short_breaks': not a code of legal_status",
        ),
        (
            lambda d: d["regimes"].update(placed_for_adoption="A3"),
            "[regimes] field 'placed_for_adoption': expected a list",
        ),
        (lambda d: d["regimes"].update(adoption=["A3"]), "[regimes]: unknown field(s) adoption"),
        (
            lambda d: rule(d, "assessment").update(local="yes"),
            "rule 'assessment': field 'local': expected true or false",
        ),
        (lambda d: d["settings"].update(due_soon_working_days=-1), "[settings] field 'due_soon_working_days'"),
        (lambda d: d.update(rules=[]), "unknown section(s) rules"),
        (lambda d: d.update(rule=[]), "no [[rule]] entries"),
    ],
)
def test_a_bad_rule_gets_an_error_naming_the_rule_and_the_field(change, message):
    data = raw()
    change(data)

    assert message in error_for(data)


def test_a_file_that_is_not_toml_says_so(tmp_path):
    bad = tmp_path / "rules.toml"
    bad.write_text("[[rule]\nkey = 1\n")

    with pytest.raises(RulesFileError, match="not valid TOML"):
        load_rules(bad)


def test_the_system_check_reports_a_bad_rules_file(tmp_path, monkeypatch):
    bad = tmp_path / "rules.toml"
    bad.write_text(RULES_FILE.read_text().replace('unit = "working_days"', 'unit = "workdays"', 1))
    monkeypatch.setattr(rules_module, "RULES_FILE", bad)

    [error] = check_rules_file()

    assert isinstance(error, checks.Error) and error.id == "timescales.E001"
    assert "rule 'contact_decision': field 'unit': unknown unit 'workdays'" in error.msg


def test_the_system_check_passes_the_shipped_file():
    assert check_rules_file() == []
