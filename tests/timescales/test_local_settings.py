"""Local settings change a local rule without code, and cannot change a national one."""

from datetime import date

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from grip.timescales.models import TimescaleSetting
from grip.timescales.rules import RulesFileError, apply_settings, check_setting, rule_book
from tests.cases.factories import (
    AssessmentFactory,
    ChildProtectionPlanFactory,
    CINEpisodeFactory,
    SupervisionFactory,
    VisitFactory,
    WorkerFactory,
)

from .support import listed, only, outstanding

pytestmark = pytest.mark.django_db


def test_a_local_setting_changes_the_cp_visit_interval_for_every_visit():
    plan = ChildProtectionPlanFactory(started_on=date(2026, 3, 2))
    assert only("cp_visit", date(2026, 3, 2)).due == date(2026, 3, 16)  # the file's 10 working days

    setting = TimescaleSetting(rule="cp_visit", amount=5, unit="working_days")
    setting.full_clean()
    setting.save()

    assert only("cp_visit", date(2026, 3, 2)).due == date(2026, 3, 9)
    VisitFactory(child=plan.episode.child, visit_type="CP", visited_on=date(2026, 3, 6))
    assert outstanding("cp_visit", date(2026, 3, 6)).due == date(2026, 3, 13)  # and every one after


def test_a_local_setting_can_use_another_unit():
    worker = WorkerFactory(role="SW", started_on=date(2026, 1, 5))
    TimescaleSetting.objects.create(rule="supervision", amount=4, unit="weeks")
    SupervisionFactory(worker=worker, supervisor=None, held_on=date(2026, 1, 30))

    assert outstanding("supervision", date(2026, 1, 30), workers=[worker.pk]).due == date(2026, 2, 27)


def test_a_local_rule_can_be_switched_off():
    ChildProtectionPlanFactory(started_on=date(2026, 3, 2))
    TimescaleSetting.objects.create(rule="cp_visit", amount=10, unit="working_days", enabled=False)

    assert listed("cp_visit", date(2026, 3, 2)) == []


def test_a_national_rule_cannot_be_changed_locally():
    setting = TimescaleSetting(rule="assessment", amount=60, unit="working_days")

    with pytest.raises(ValidationError, match="national"):
        setting.full_clean()


def test_a_national_setting_saved_anyway_is_ignored_by_the_engine():
    episode = CINEpisodeFactory(referral_date=date(2025, 12, 19))
    AssessmentFactory(episode=episode, started_on=date(2025, 12, 19), authorised_on=None, factors=[])
    TimescaleSetting.objects.bulk_create([TimescaleSetting(rule="assessment", amount=60, unit="working_days")])
    TimescaleSetting.objects.bulk_create([TimescaleSetting(rule="icpc", amount=1, unit="weeks", enabled=False)])

    assert only("assessment", date(2026, 1, 5)).due == date(2026, 2, 25)


@pytest.mark.parametrize(
    ("rule", "amount", "unit", "message"),
    [
        ("no_such_rule", 5, "weeks", "No timescale rule called 'no_such_rule'"),
        ("cp_visit", 72, "hours", "unit 'hours' is not one of"),
        ("cp_visit", 0, "weeks", "above 0"),
    ],
)
def test_a_setting_the_engine_cannot_use_is_refused(rule, amount, unit, message):
    with pytest.raises(RulesFileError, match=message):
        check_setting(rule_key=rule, amount=amount, unit=unit)


def test_a_bad_row_leaves_the_files_figure_in_force():
    book = apply_settings(rule_book(), [("cp_visit", 0, "weeks", True)])

    assert book.get("cp_visit").first.amount == 10


def test_changes_are_kept_in_the_history_and_the_admin_shows_it():
    setting = TimescaleSetting.objects.create(rule="cin_plan_review", amount=3, unit="months")
    setting.amount = 2
    setting.save()

    assert [h.amount for h in setting.history.order_by("history_date")] == [3, 2]
    assert isinstance(admin.site._registry[TimescaleSetting], SimpleHistoryAdmin)
    assert str(setting) == "cin_plan_review: 2 months"
