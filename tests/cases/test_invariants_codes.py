"""Invariants of the child's journey records, code lists and other field rules: bad data is refused,
with a clear message.

Each constraint is tested twice, in the database and by ``full_clean()``: see ``invariants_support``.

Code lists are read straight from the CSV files in ``grip/reference/codelists`` (not through
``grip.core.codelists``: see ``tests.invariants``), so the tests also catch a CHECK constraint
left stale by a list change.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError
from hypothesis import given
from hypothesis import strategies as st

from grip.cases.models import (
    Assessment,
    CareLeaverContact,
    CarePlan,
    ChildProtectionConference,
    ChildProtectionPlan,
    CINEpisode,
    CoreGroupMeeting,
    EarlyHelpEpisode,
    HealthAssessment,
    HealthAssessmentType,
    LookedAfterEpisode,
    LookedAfterReview,
    MissingEpisode,
    Section47Enquiry,
    StrategyDiscussion,
    Visit,
)
from tests.invariants import (
    CODELISTS,
    HYPOTHESIS,
    choice_error,
    clean_refuses,
    code_list_error,
    constraint_refuses,
    csv_codes,
    db_refuses,
    db_refuses_action,
    refuses_bad_choice,
)

from .invariants_support import (
    assessment,
    care_leaver_contact,
    care_plan,
    closed_cin,
    closed_cp_plan,
    closed_early_help,
    closed_looked_after,
    conference,
    core_group,
    health_assessment,
    looked_after_review,
    make_child,
    missing,
    section47,
    strategy,
    visit,
)

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------- code lists


@dataclass(frozen=True)
class Coded:
    model: type[models.Model]
    field: str
    list_name: str
    base: Callable

    def __str__(self) -> str:
        return f"{self.model.__name__}.{self.field}"

    @property
    def constraint(self) -> str:
        return f"cases_{self.model._meta.model_name}_{self.field}_code"

    @property
    def max_length(self) -> int:
        return self.model._meta.get_field(self.field).max_length

    @property
    def required(self) -> bool:
        return not self.model._meta.get_field(self.field).blank


CODED = [
    Coded(CINEpisode, "referral_source", "referral_source", closed_cin),
    Coded(CINEpisode, "primary_need", "primary_need", closed_cin),
    Coded(CINEpisode, "closure_reason", "closure_reason", closed_cin),
    Coded(EarlyHelpEpisode, "closure_reason", "early_help_closure", closed_early_help),
    Coded(StrategyDiscussion, "outcome", "strategy_outcome", strategy),
    Coded(Section47Enquiry, "outcome", "s47_outcome", section47),
    Coded(ChildProtectionPlan, "initial_category", "category_of_abuse", closed_cp_plan),
    Coded(ChildProtectionPlan, "latest_category", "category_of_abuse", closed_cp_plan),
    Coded(ChildProtectionConference, "conference_type", "conference_type", conference),
    Coded(LookedAfterEpisode, "reason_new_episode", "reason_new_episode", closed_looked_after),
    Coded(LookedAfterEpisode, "legal_status", "legal_status", closed_looked_after),
    Coded(LookedAfterEpisode, "category_of_need", "cla_category_of_need", closed_looked_after),
    Coded(LookedAfterEpisode, "placement_type", "placement_type", closed_looked_after),
    Coded(LookedAfterEpisode, "placement_provider", "placement_provider", closed_looked_after),
    Coded(LookedAfterEpisode, "reason_ceased", "reason_episode_ceased", closed_looked_after),
    Coded(LookedAfterEpisode, "reason_place_change", "reason_place_change", closed_looked_after),
    Coded(LookedAfterReview, "participation", "review_participation", looked_after_review),
    Coded(MissingEpisode, "missing_type", "missing_type", missing),
    Coded(CareLeaverContact, "in_touch", "care_leaver_in_touch", care_leaver_contact),
    Coded(CareLeaverContact, "activity", "care_leaver_activity", care_leaver_contact),
    Coded(CareLeaverContact, "accommodation", "care_leaver_accommodation", care_leaver_contact),
    Coded(Visit, "visit_type", "visit_type", visit),
]

BAD_CODES = ["ZZ", "zz", "n1", " N1", "X"]  # unknown, lower case, padded


def _bad_values(rule: Coded) -> list[str]:
    good = set(csv_codes(rule.list_name))
    values = [v for v in BAD_CODES if len(v) <= rule.max_length and v not in good]
    values += [c.lower() for c in sorted(good) if c.lower() not in good][:1]  # codes are case-sensitive
    return values


@pytest.mark.parametrize("rule", CODED, ids=str)
def test_database_refuses_a_code_not_in_the_list(world, rule):
    for bad in _bad_values(rule):
        db_refuses(rule.model, rule.base(world) | {rule.field: bad}, rule.constraint)
    if rule.required:
        db_refuses(rule.model, rule.base(world) | {rule.field: ""}, rule.constraint)


@pytest.mark.parametrize("rule", CODED, ids=str)
def test_full_clean_refuses_a_code_not_in_the_list(world, rule):
    for bad in _bad_values(rule):
        instance = rule.model(**(rule.base(world) | {rule.field: bad}))
        clean_refuses(instance, choice_error(bad), rule.field)
        # The field's choices catch it first; the constraint's own message is the code-list one.
        constraint_refuses(instance, rule.constraint, code_list_error(rule.field, rule.list_name))
    if rule.required:
        clean_refuses(rule.model(**(rule.base(world) | {rule.field: ""})), "This field cannot be blank.", rule.field)


def _first_year(list_name: str) -> dict[str, str]:
    """code -> the first collection year it may be used in, for lists whose codes came later
    (read from the CSV's valid_from column, not through grip.core.codelists)."""
    with open(CODELISTS / f"{list_name}.csv", newline="", encoding="utf-8") as fh:
        return {row["code"]: row["valid_from"] for row in csv.DictReader(fh) if row.get("valid_from")}


def _what_the_code_needs(rule: Coded, code: str) -> dict:
    """The other fields a code needs: its year (below), and for a care leaver who has died or
    returned home, no activity or accommodation (SSDA903 validation rule 344, a CHECK constraint)."""
    if rule.model is CareLeaverContact and rule.field == "in_touch" and code in ("DIED", "RHOM"):
        return {"activity": "", "accommodation": ""}
    return _of_its_year(rule, code)


def _of_its_year(rule: Coded, code: str) -> dict:
    """A looked-after episode dated in a year its placement code may be used in (a code new in
    2025-26 is refused for an episode of 2023: tests/cases/test_codes_of_their_year.py)."""
    first = _first_year(rule.list_name).get(code) if rule.model is LookedAfterEpisode else None
    if not first:
        return {}
    start = date(int(first[:4]), 4, 1)
    return {"started_on": start, "ended_on": start + timedelta(days=90)}


@pytest.mark.parametrize("rule", CODED, ids=str)
def test_every_code_in_the_list_is_accepted(world, rule):
    rows = [
        rule.model(**(rule.base(world) | {rule.field: code} | _what_the_code_needs(rule, code)))
        for code in csv_codes(rule.list_name)
    ]
    for row in rows:
        row.full_clean()
    rule.model.objects.bulk_create(rows)
    stored = set(rule.model.objects.values_list(rule.field, flat=True))
    assert set(csv_codes(rule.list_name)) <= stored


@HYPOTHESIS
@given(data=st.data())
def test_any_code_sampled_from_the_csv_is_accepted(world, data):
    rule = data.draw(st.sampled_from(CODED), label="field")
    code = data.draw(st.sampled_from(csv_codes(rule.list_name)), label="code")
    with transaction.atomic():
        row = rule.model(**(rule.base(world) | {rule.field: code} | _what_the_code_needs(rule, code)))
        row.full_clean()
        row.save()
        transaction.set_rollback(True)


_CODE_TEXT = st.characters(codec="utf-8", exclude_characters="\x00", exclude_categories=["Cs"])


@HYPOTHESIS
@given(data=st.data())
def test_any_value_outside_the_csv_is_refused(world, data):
    rule = data.draw(st.sampled_from(CODED), label="field")
    good = set(csv_codes(rule.list_name))
    bad = data.draw(
        st.text(_CODE_TEXT, min_size=0 if rule.required else 1, max_size=rule.max_length).filter(
            lambda v: v not in good
        ),
        label="value",
    )
    with transaction.atomic():
        instance = rule.model(**(rule.base(world) | {rule.field: bad}))
        with pytest.raises(ValidationError) as caught:
            instance.full_clean()
        assert rule.field in caught.value.message_dict
        db_refuses_action(instance.save, rule.constraint)
        transaction.set_rollback(True)


@pytest.mark.parametrize("code", ["N9", "N0"])
def test_looked_after_category_of_need_is_n1_to_n8_only(world, code):
    """SSDA903 episode column CIN takes N1-N8; the CIN census's N9 and N0 are not looked-after needs."""
    assert code in csv_codes("primary_need")
    fields = closed_looked_after(world) | {"category_of_need": code}
    db_refuses(LookedAfterEpisode, fields, "cases_lookedafterepisode_category_of_need_code")
    clean_refuses(LookedAfterEpisode(**fields), f"Value {code!r} is not a valid choice.", "category_of_need")


# --------------------------------------------------------------------------- assessment factors (JSON)

FACTOR_MESSAGE = "Not in the list “Factors identified at the end of assessment”: {}."


@pytest.mark.parametrize(
    ("factors", "message"),
    [
        (["1A", "ZZ"], FACTOR_MESSAGE.format("ZZ")),
        (["18A"], FACTOR_MESSAGE.format("18A")),  # withdrawn code (CIN rule 8945Q)
        (["19A"], FACTOR_MESSAGE.format("19A")),  # withdrawn code (CIN rule 8950Q)
        (["1a"], FACTOR_MESSAGE.format("1a")),
        ([1], FACTOR_MESSAGE.format("1")),
        (["2A", "2A"], "A code is listed twice."),
        ("2A", "Must be a list of codes."),
        ({"2A": True}, "Must be a list of codes."),
    ],
)
def test_full_clean_refuses_bad_assessment_factors(world, factors, message):
    clean_refuses(Assessment(**(assessment(world) | {"factors": factors})), message, "factors")


def test_factors_are_recorded_only_once_completed(world):
    fields = assessment(world) | {"authorised_on": None, "factors": ["1A"]}
    clean_refuses(Assessment(**fields), "Factors are recorded when the assessment is completed.", "factors")


def test_every_assessment_factor_is_accepted(world):
    Assessment(**(assessment(world) | {"factors": csv_codes("assessment_factor")})).full_clean()


@HYPOTHESIS
@given(data=st.data())
def test_factor_lists_are_accepted_exactly_when_every_code_is_in_the_csv(world, data):
    known = csv_codes("assessment_factor")
    factors = data.draw(st.lists(st.sampled_from(known) | st.text(max_size=4), max_size=6, unique=True))
    instance = Assessment(**(assessment(world) | {"factors": factors}))
    if set(factors) <= set(known):
        instance.full_clean()
    else:
        with pytest.raises(ValidationError) as caught:
            instance.full_clean()
        assert caught.value.message_dict["factors"][0].startswith("Not in the list “Factors identified")


# --------------------------------------------------------------------------- conferences and visits


def test_review_conference_needs_a_plan(world):
    fields = conference(world) | {"plan": None}
    db_refuses(ChildProtectionConference, fields, "cases_review_conference_has_plan")
    clean_refuses(
        ChildProtectionConference(**fields), "A review conference reviews a child protection plan: name the plan."
    )


def test_initial_conference_needs_no_plan_and_review_with_plan_is_fine(world):
    for fields in (conference(world) | {"conference_type": "ICPC", "plan": None}, conference(world)):
        ChildProtectionConference(**fields).full_clean()
        ChildProtectionConference.objects.create(**fields)


def test_removing_the_plan_from_a_review_conference_is_refused(world):
    held = ChildProtectionConference.objects.create(**conference(world))
    db_refuses_action(
        lambda: ChildProtectionConference.objects.filter(pk=held.pk).update(plan=None),
        "cases_review_conference_has_plan",
    )


def test_seen_alone_means_seen(world):
    fields = visit(world) | {"child_seen": False, "seen_alone": True}
    db_refuses(Visit, fields, "cases_visit_seen_alone_means_seen")
    clean_refuses(Visit(**fields), "A child seen alone was seen: tick “child seen” too.")


@pytest.mark.parametrize(("seen", "alone"), [(True, True), (True, False), (False, False)])
def test_other_seen_combinations_are_accepted(world, seen, alone):
    fields = visit(world) | {"child_seen": seen, "seen_alone": alone}
    Visit(**fields).full_clean()
    Visit.objects.create(**fields)


# --------------------------------------------------------------------------- health assessments and care plans

HEALTH_TYPE_MESSAGE = "Choose an initial (IHA) or a review (RHA) health assessment."


@pytest.mark.parametrize("bad", ["ZZ", "iha", "Rha", "IH", "", "X"])
def test_an_unknown_health_assessment_type_is_refused(world, bad):
    fields = health_assessment(world) | {"assessment_type": bad}
    refuses_bad_choice(
        HealthAssessment, fields, "assessment_type", "cases_healthassessment_type_known", HEALTH_TYPE_MESSAGE
    )


def test_every_health_assessment_type_is_accepted(world):
    for kind in HealthAssessmentType.values:
        row = HealthAssessment(**(health_assessment(world) | {"assessment_type": kind}))
        row.full_clean()
        row.save()
    assert set(HealthAssessment.objects.values_list("assessment_type", flat=True)) == {"IHA", "RHA"}


def test_changing_a_health_assessment_to_an_unknown_type_is_refused(world):
    held = HealthAssessment.objects.create(**health_assessment(world))
    db_refuses_action(
        lambda: HealthAssessment.objects.filter(pk=held.pk).update(assessment_type="XYZ"),
        "cases_healthassessment_type_known",
    )


def test_a_care_plan_for_another_childs_episode_is_refused_by_full_clean(world):
    fields = care_plan(world) | {"child": make_child()}
    clean_refuses(CarePlan(**fields), "This episode is another child's.", "episode")


def test_a_care_plan_may_be_made_before_its_episode_is_recorded(world):
    row = CarePlan(child=world.child, episode=None, made_on=date(2024, 1, 5))
    row.full_clean()
    row.save()


def test_an_episode_with_a_care_plan_cannot_be_deleted(world):
    # Issue 12: deleting the episode used to empty the plan's link to it; history is kept now.
    plan = CarePlan.objects.create(**care_plan(world))
    with pytest.raises(ProtectedError):
        plan.episode.delete()
    plan.refresh_from_db()
    assert plan.episode is not None


def test_a_plan_with_core_groups_cannot_be_deleted(world):
    # Issue 12: deleting the plan used to delete its core group meetings with it.
    CoreGroupMeeting.objects.create(**core_group(world))
    with pytest.raises(ProtectedError):
        world.plan.delete()
    assert CoreGroupMeeting.objects.exists()
