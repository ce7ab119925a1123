"""Invariants of the child's journey records: bad data is refused, with a clear message.

Every constraint is tested twice:

1. the DATABASE refuses the row even when the ORM's validation is bypassed
   (``objects.create`` / ``bulk_create`` / ``QuerySet.update`` raise ``IntegrityError``), and the
   error names the constraint, so the test cannot pass on some unrelated failure;
2. ``full_clean()`` raises ``ValidationError`` carrying the constraint's plain-English
   ``violation_error_message``.

Code lists are read straight from the CSV files in ``grip/reference/codelists`` (not through
``grip.core.codelists``: see ``grip.core.testing``), so the tests also catch a CHECK constraint
left stale by a list change.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import models, transaction
from hypothesis import given
from hypothesis import strategies as st

from grip.cases.models import (
    Assessment,
    CareLeaverContact,
    CareLeaverEpisode,
    CarePlan,
    ChildProtectionConference,
    ChildProtectionPlan,
    CINEpisode,
    CINPlan,
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
from grip.core.testing import (
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
from grip.people.models import Person

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------- helpers


_child_numbers = itertools.count(1)


def make_child(**kwargs: Any) -> Person:
    n = next(_child_numbers)
    fields = {
        "la_child_id": f"INV{n:06d}",
        "first_name": "Test",
        "last_name": f"Child{n}",
        "date_of_birth": date(2015, 5, 1),
    }
    return Person.objects.create(**(fields | kwargs))


def open_cin(child: Person, **kwargs: Any) -> CINEpisode:
    fields = {"child": child, "referral_date": date(2024, 1, 10), "referral_source": "1A"}
    return CINEpisode.objects.create(**(fields | kwargs))


@pytest.fixture
def world() -> SimpleNamespace:
    child = make_child()
    episode = open_cin(child)
    plan = ChildProtectionPlan.objects.create(
        episode=episode, started_on=date(2024, 2, 1), initial_category="NEG", latest_category="NEG"
    )
    care_leaver = CareLeaverEpisode.objects.create(child=make_child(), started_on=date(2024, 1, 1))
    return SimpleNamespace(child=child, episode=episode, plan=plan, care_leaver=care_leaver)


# Valid rows, closed where the model has a closed state, so several can exist side by side.


def closed_cin(w) -> dict:
    return {
        "child": w.child,
        "referral_date": date(2023, 1, 10),
        "referral_source": "1A",
        "primary_need": "N1",
        "closure_date": date(2023, 6, 1),
        "closure_reason": "RC1",
    }


def closed_early_help(w) -> dict:
    return {
        "child": w.child,
        "started_on": date(2023, 1, 1),
        "ended_on": date(2023, 3, 1),
        "closure_reason": "NEEDS_MET",
    }


def closed_looked_after(w) -> dict:
    return {
        "child": w.child,
        "started_on": date(2023, 1, 1),
        "reason_new_episode": "S",
        "legal_status": "C2",
        "category_of_need": "N1",
        "placement_type": "U1",
        "placement_provider": "PR1",
        "ended_on": date(2023, 9, 1),
        "reason_ceased": "E11",
        "reason_place_change": "",
    }


def closed_cp_plan(w) -> dict:
    return {
        "episode": w.episode,
        "started_on": date(2024, 2, 1),
        "ended_on": date(2024, 8, 1),
        "initial_category": "NEG",
        "latest_category": "EMO",
    }


def assessment(w) -> dict:
    return {"episode": w.episode, "started_on": date(2024, 1, 12), "authorised_on": date(2024, 2, 20)}


def cin_plan(w) -> dict:
    return {"episode": w.episode, "started_on": date(2024, 2, 1), "ended_on": date(2024, 5, 1)}


def strategy(w) -> dict:
    return {"episode": w.episode, "held_on": date(2024, 1, 11), "outcome": "S47"}


def section47(w) -> dict:
    return {"episode": w.episode, "started_on": date(2024, 1, 11), "completed_on": date(2024, 1, 20), "outcome": "ICPC"}


def conference(w) -> dict:
    return {"episode": w.episode, "conference_type": "RCPC", "plan": w.plan, "held_on": date(2024, 5, 1)}


def looked_after_review(w) -> dict:
    return {"child": w.child, "held_on": date(2024, 3, 1), "participation": "PN1"}


def missing(w) -> dict:
    return {
        "child": w.child,
        "missing_type": "M",
        "started_at": datetime(2024, 3, 1, 22, 0, tzinfo=UTC),
        "ended_at": datetime(2024, 3, 2, 9, 30, tzinfo=UTC),
        "return_interview_offered": True,
        "return_interview_at": datetime(2024, 3, 4, 15, 0, tzinfo=UTC),
    }


def missing_still_away(w) -> dict:
    return missing(w) | {"ended_at": None}


def closed_care_leaver(w) -> dict:
    return {"child": w.child, "started_on": date(2022, 1, 1), "ended_on": date(2023, 1, 1)}


def care_leaver_contact(w) -> dict:
    return {
        "care_leaver": w.care_leaver,
        "contact_on": date(2024, 4, 1),
        "in_touch": "YES",
        "activity": "F1",
        "accommodation": "B1",
    }


def visit(w) -> dict:
    return {
        "child": w.child,
        "visit_type": "CIN",
        "visited_on": date(2024, 2, 3),
        "child_seen": True,
        "seen_alone": True,
    }


def health_assessment(w) -> dict:
    return {"child": w.child, "held_on": date(2024, 3, 1), "assessment_type": "IHA"}


def care_plan(w) -> dict:
    episode = LookedAfterEpisode.objects.create(**closed_looked_after(w))
    return {"child": w.child, "episode": episode, "made_on": date(2023, 1, 1)}


def core_group(w) -> dict:
    return {"plan": w.plan, "held_on": date(2024, 2, 12)}


def test_the_valid_rows_used_below_are_valid(world):
    for model, base in [
        (CINEpisode, closed_cin),
        (EarlyHelpEpisode, closed_early_help),
        (LookedAfterEpisode, closed_looked_after),
        (ChildProtectionPlan, closed_cp_plan),
        (Assessment, assessment),
        (CINPlan, cin_plan),
        (StrategyDiscussion, strategy),
        (Section47Enquiry, section47),
        (ChildProtectionConference, conference),
        (LookedAfterReview, looked_after_review),
        (MissingEpisode, missing),
        (CareLeaverEpisode, closed_care_leaver),
        (CareLeaverContact, care_leaver_contact),
        (Visit, visit),
        (HealthAssessment, health_assessment),
        (CarePlan, care_plan),
        (CoreGroupMeeting, core_group),
    ]:
        model(**base(world)).full_clean()
        model.objects.create(**base(world))


# --------------------------------------------------------------------------- dates in order


@dataclass(frozen=True)
class Ordered:
    model: type[models.Model]
    base: Callable
    earlier: str
    later: str
    message: str

    def __str__(self) -> str:
        return f"{self.model.__name__}.{self.later}"


ORDERED = [
    Ordered(
        CINEpisode, closed_cin, "referral_date", "closure_date", "A CIN episode cannot close before its referral date."
    ),
    Ordered(EarlyHelpEpisode, closed_early_help, "started_on", "ended_on", "Early help cannot end before it starts."),
    Ordered(
        Assessment, assessment, "started_on", "authorised_on", "An assessment cannot be authorised before it starts."
    ),
    Ordered(CINPlan, cin_plan, "started_on", "ended_on", "A CIN plan cannot end before it starts."),
    Ordered(
        Section47Enquiry,
        section47,
        "started_on",
        "completed_on",
        "A section 47 enquiry cannot finish before it starts.",
    ),
    Ordered(
        ChildProtectionPlan,
        closed_cp_plan,
        "started_on",
        "ended_on",
        "A child protection plan cannot end before it starts.",
    ),
    Ordered(
        LookedAfterEpisode, closed_looked_after, "started_on", "ended_on", "An episode cannot end before it starts."
    ),
    Ordered(MissingEpisode, missing, "started_at", "ended_at", "A child cannot return before they went missing."),
    Ordered(MissingEpisode, missing, "ended_at", "return_interview_at", "A return interview follows the return."),
    Ordered(
        MissingEpisode,
        missing_still_away,
        "started_at",
        "return_interview_at",
        "A return interview follows the return.",
    ),
    Ordered(
        CareLeaverEpisode,
        closed_care_leaver,
        "started_on",
        "ended_on",
        "Care leaver support cannot end before it starts.",
    ),
]


def _step_back(value: date | datetime) -> date | datetime:
    return value - (timedelta(minutes=1) if isinstance(value, datetime) else timedelta(days=1))


@pytest.mark.parametrize("rule", ORDERED, ids=str)
def test_database_refuses_dates_out_of_order(world, rule):
    fields = rule.base(world)
    fields[rule.later] = _step_back(fields[rule.earlier])
    db_refuses(rule.model, fields, f"cases_{rule.model._meta.model_name}_{rule.later}_after_{rule.earlier}")


@pytest.mark.parametrize("rule", ORDERED, ids=str)
def test_full_clean_refuses_dates_out_of_order(world, rule):
    fields = rule.base(world)
    fields[rule.later] = _step_back(fields[rule.earlier])
    clean_refuses(rule.model(**fields), rule.message)


@pytest.mark.parametrize("rule", ORDERED, ids=str)
def test_same_day_and_open_ended_are_in_order(world, rule):
    fields = rule.base(world)
    fields[rule.later] = fields[rule.earlier]
    rule.model(**fields).full_clean()
    rule.model.objects.create(**fields)


def test_a_return_interview_cannot_precede_going_missing_even_before_the_return(world):
    """With ended_at empty the ended_at rule is vacuous; the started_at rule still applies."""
    fields = missing_still_away(world) | {"return_interview_at": datetime(2024, 2, 1, tzinfo=UTC)}
    db_refuses(MissingEpisode, fields, "cases_missingepisode_return_interview_at_after_started_at")
    clean_refuses(MissingEpisode(**fields), "A return interview follows the return.")


def test_database_refuses_dates_out_of_order_via_bulk_create_and_update(world):
    db_refuses_action(
        lambda: CINPlan.objects.bulk_create(
            [
                CINPlan(episode=world.episode, started_on=date(2024, 2, 1), ended_on=date(2024, 3, 1)),
                CINPlan(episode=world.episode, started_on=date(2024, 2, 1), ended_on=date(2024, 1, 31)),
            ]
        ),
        "cases_cinplan_ended_on_after_started_on",
    )
    assert not CINPlan.objects.exists()

    plan = CINPlan.objects.create(**cin_plan(world))
    db_refuses_action(
        lambda: CINPlan.objects.filter(pk=plan.pk).update(ended_on=date(2024, 1, 1)),
        "cases_cinplan_ended_on_after_started_on",
    )


def test_assessment_cannot_start_before_the_referral_in_full_clean(world):
    """A cross-table rule (assessment vs its episode), so full_clean() only: no CHECK can see it."""
    fields = assessment(world) | {"started_on": date(2024, 1, 9), "authorised_on": None}
    clean_refuses(Assessment(**fields), "An assessment cannot start before the referral date.", "started_on")
    Assessment(**(fields | {"started_on": date(2024, 1, 10)})).full_clean()


# --------------------------------------------------------------------------- closure reason iff closed


@dataclass(frozen=True)
class Closure:
    model: type[models.Model]
    base: Callable
    date_field: str
    reason_field: str
    constraint: str
    message: str

    def __str__(self) -> str:
        return self.model.__name__


CLOSURES = [
    Closure(
        CINEpisode,
        closed_cin,
        "closure_date",
        "closure_reason",
        "cases_cinepisode_closure_has_reason",
        "A closed CIN episode needs a reason for closure, and an open one has none.",
    ),
    Closure(
        LookedAfterEpisode,
        closed_looked_after,
        "ended_on",
        "reason_ceased",
        "cases_lookedafterepisode_end_has_reason",
        "An ended episode needs a reason it ceased (REC), and an open one has none.",
    ),
    Closure(
        EarlyHelpEpisode,
        closed_early_help,
        "ended_on",
        "closure_reason",
        "cases_earlyhelp_closure_has_reason",
        "An ended early help episode needs a reason, and only an ended one has one.",
    ),
]


@pytest.mark.parametrize("rule", CLOSURES, ids=str)
@pytest.mark.parametrize("missing", ["reason", "closure"], ids=["closed-without-reason", "reason-without-closure"])
def test_a_closure_without_a_reason_or_a_reason_without_closure_is_refused(world, rule, missing):
    fields = rule.base(world) | ({rule.reason_field: ""} if missing == "reason" else {rule.date_field: None})
    db_refuses(rule.model, fields, rule.constraint)
    clean_refuses(rule.model(**fields), rule.message)


@pytest.mark.parametrize("rule", CLOSURES, ids=str)
def test_open_without_reason_and_closed_with_reason_are_accepted(world, rule):
    closed = rule.base(world)
    rule.model(**closed).full_clean()
    rule.model.objects.create(**closed)
    opened = closed | {rule.date_field: None, rule.reason_field: "", "child": make_child()}
    rule.model(**opened).full_clean()
    rule.model.objects.create(**opened)


# --------------------------------------------------------------------------- at most one open


@dataclass(frozen=True)
class OneOpen:
    model: type[models.Model]
    owner_field: str
    make_owner: Callable[[], Any]
    open_fields: Callable[[Any], dict]
    close: dict
    constraint: str
    sqlite_unique: str
    message: str

    def __str__(self) -> str:
        return self.model.__name__


ONE_OPEN = [
    OneOpen(
        CINEpisode,
        "child",
        make_child,
        lambda child: {"child": child, "referral_date": date(2024, 1, 10), "referral_source": "1A"},
        {"closure_date": date(2024, 3, 1), "closure_reason": "RC8"},
        "cases_one_open_cin_episode_per_child",
        "UNIQUE constraint failed: cases_cinepisode.child_id",
        "This child already has an open CIN episode.",
    ),
    OneOpen(
        ChildProtectionPlan,
        "episode",
        lambda: open_cin(make_child()),
        lambda episode: {
            "episode": episode,
            "started_on": date(2024, 2, 1),
            "initial_category": "PHY",
            "latest_category": "PHY",
        },
        {"ended_on": date(2024, 3, 1)},
        "cases_one_open_cp_plan_per_episode",
        "UNIQUE constraint failed: cases_childprotectionplan.episode_id",
        "This child already has an open child protection plan.",
    ),
    OneOpen(
        LookedAfterEpisode,
        "child",
        make_child,
        lambda child: {
            "child": child,
            "started_on": date(2024, 1, 10),
            "reason_new_episode": "S",
            "legal_status": "V2",
            "category_of_need": "N1",
            "placement_type": "U1",
        },
        {"ended_on": date(2024, 3, 1), "reason_ceased": "E13"},
        "cases_one_open_looked_after_episode_per_child",
        "UNIQUE constraint failed: cases_lookedafterepisode.child_id",
        "This child already has an open looked-after episode.",
    ),
    OneOpen(
        CareLeaverEpisode,
        "child",
        make_child,
        lambda child: {"child": child, "started_on": date(2024, 1, 10)},
        {"ended_on": date(2024, 3, 1)},
        "cases_one_open_care_leaver_episode_per_child",
        "UNIQUE constraint failed: cases_careleaverepisode.child_id",
        "This young person already has open care leaver support.",
    ),
]


@pytest.mark.parametrize("rule", ONE_OPEN, ids=str)
def test_second_open_one_is_refused(rule):
    owner = rule.make_owner()
    rule.model.objects.create(**rule.open_fields(owner))
    second = rule.open_fields(owner)
    db_refuses(rule.model, second, rule.constraint, rule.sqlite_unique)
    clean_refuses(rule.model(**second), rule.message)


@pytest.mark.parametrize("rule", ONE_OPEN, ids=str)
def test_two_open_ones_in_one_bulk_create_are_refused(rule):
    owner = rule.make_owner()
    db_refuses_action(
        lambda: rule.model.objects.bulk_create(
            [rule.model(**rule.open_fields(owner)), rule.model(**rule.open_fields(owner))]
        ),
        rule.constraint,
        rule.sqlite_unique,
    )
    assert not rule.model.objects.filter(**{rule.owner_field: owner}).exists()


@pytest.mark.parametrize("rule", ONE_OPEN, ids=str)
def test_a_new_one_after_the_first_closes_is_accepted(rule):
    owner = rule.make_owner()
    first = rule.model.objects.create(**rule.open_fields(owner))
    for name, value in rule.close.items():
        setattr(first, name, value)
    first.full_clean()
    first.save()
    second = rule.model(**rule.open_fields(owner))
    second.full_clean()
    second.save()
    closed_again = rule.model(**(rule.open_fields(owner) | rule.close))
    closed_again.full_clean()
    closed_again.save()
    assert rule.model.objects.filter(**{rule.owner_field: owner}).count() == 3


@pytest.mark.parametrize("rule", ONE_OPEN, ids=str)
def test_open_ones_of_different_owners_are_independent(rule):
    for owner in (rule.make_owner(), rule.make_owner()):
        row = rule.model(**rule.open_fields(owner))
        row.full_clean()
        row.save()


@pytest.mark.parametrize("rule", ONE_OPEN, ids=str)
def test_reopening_a_closed_one_while_another_is_open_is_refused(rule):
    owner = rule.make_owner()
    closed = rule.model.objects.create(**(rule.open_fields(owner) | rule.close))
    rule.model.objects.create(**rule.open_fields(owner))
    reopen = {name: (None if isinstance(value, date) else "") for name, value in rule.close.items()}
    db_refuses_action(
        lambda: rule.model.objects.filter(pk=closed.pk).update(**reopen), rule.constraint, rule.sqlite_unique
    )
    for name, value in reopen.items():
        setattr(closed, name, value)
    clean_refuses(closed, rule.message)


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


@pytest.mark.parametrize("rule", CODED, ids=str)
def test_every_code_in_the_list_is_accepted(world, rule):
    rows = [rule.model(**(rule.base(world) | {rule.field: code})) for code in csv_codes(rule.list_name)]
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
        row = rule.model(**(rule.base(world) | {rule.field: code}))
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


def test_factors_are_recorded_only_once_authorised(world):
    fields = assessment(world) | {"authorised_on": None, "factors": ["1A"]}
    clean_refuses(Assessment(**fields), "Factors are recorded when the assessment is authorised.", "factors")


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


def test_deleting_an_episode_keeps_its_care_plan(world):
    plan = CarePlan.objects.create(**care_plan(world))
    plan.episode.delete()
    plan.refresh_from_db()
    assert plan.episode is None


def test_a_plans_core_groups_go_with_it(world):
    CoreGroupMeeting.objects.create(**core_group(world))
    world.plan.delete()
    assert not CoreGroupMeeting.objects.exists()
