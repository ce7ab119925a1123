"""Worked examples for the regimes beside looked after (issue 11): CIN plan reviews and CIN visits,
the needs assessment of an eligible child, the personal adviser's visits to accommodated care
leavers and keeping in touch, private fostering visits, unborn children, declined return
interviews and supervision during long-term absence. Every due date is worked by hand in the
comment beside it."""

from datetime import UTC, date, datetime

import pytest
from django.db import IntegrityError, transaction

from grip.cases.models import (
    CareLeaverAccommodation,
    CINPlanReview,
    PathwayNeedsAssessment,
    PrivateFosteringArrangement,
)
from grip.workforce.models import Absence, Asye
from tests.cases.factories import (
    CareLeaverContactFactory,
    CareLeaverEpisodeFactory,
    ChildProtectionPlanFactory,
    CINEpisodeFactory,
    CINPlanFactory,
    LookedAfterEpisodeFactory,
    MissingEpisodeFactory,
    SupervisionFactory,
    VisitFactory,
    WorkerFactory,
)
from tests.people.factories import ChildFactory, UnbornChildFactory

from .support import listed, only, outstanding

pytestmark = pytest.mark.django_db


# --- CIN plan reviews and CIN visits (both local) -------------------------------------------------------


def test_a_cin_plan_review_is_met_by_a_review_of_that_plan_and_not_by_a_visit():
    plan = CINPlanFactory(episode=CINEpisodeFactory(referral_date=date(2026, 2, 2)), started_on=date(2026, 3, 31))
    child = plan.episode.child

    assert only("cin_plan_review", date(2026, 4, 1)).due == date(2026, 6, 30)  # 31 June does not exist

    VisitFactory(child=child, visit_type="CIN", visited_on=date(2026, 6, 1))  # a visit is not a review
    waiting = outstanding("cin_plan_review", date(2026, 6, 2))
    assert (waiting.due, waiting.occurrence) == (date(2026, 6, 30), 1)

    CINPlanReview.objects.create(plan=plan, held_on=date(2026, 6, 1))
    met, nxt = listed("cin_plan_review", date(2026, 6, 1))
    assert (met.status, met.met_on) == ("met_on_time", date(2026, 6, 1))
    assert (nxt.due, nxt.clock_started_by) == (date(2026, 9, 1), "CIN plan review")


def test_a_review_of_another_plan_does_not_meet_this_one():
    episode = CINEpisodeFactory(referral_date=date(2026, 1, 5))
    earlier = CINPlanFactory(episode=episode, started_on=date(2026, 1, 5), ended_on=date(2026, 2, 27))
    plan = CINPlanFactory(episode=episode, started_on=date(2026, 3, 2))
    CINPlanReview.objects.create(plan=earlier, held_on=date(2026, 3, 3))

    o = only("cin_plan_review", date(2026, 3, 3))
    assert (o.record_id, o.met_on, o.due) == (plan.pk, None, date(2026, 6, 2))


def test_cin_visits_are_due_every_6_weeks_and_only_seen_cin_visits_count():
    plan = CINPlanFactory(episode=CINEpisodeFactory(referral_date=date(2026, 3, 2)), started_on=date(2026, 3, 31))
    child = plan.episode.child
    CINPlanReview.objects.create(plan=plan, held_on=date(2026, 4, 20))  # a review is not a visit

    assert only("cin_visit", date(2026, 4, 1)).due == date(2026, 5, 12)  # 31 March + 42 days
    VisitFactory(child=child, visit_type="CIN", visited_on=date(2026, 5, 1), child_seen=False, seen_alone=False)
    VisitFactory(child=child, visit_type="CP", visited_on=date(2026, 5, 4))
    assert outstanding("cin_visit", date(2026, 5, 4)).due == date(2026, 5, 12)

    VisitFactory(child=child, visit_type="CIN", visited_on=date(2026, 5, 5))
    nxt = outstanding("cin_visit", date(2026, 5, 5))
    assert (nxt.due, nxt.clock_started_by) == (date(2026, 6, 16), "Visit")  # 5 May + 42 days


# --- Unborn children: visits run from birth ------------------------------------------------------------


def test_a_pre_birth_plan_has_no_visit_due_until_the_child_is_born():
    child = UnbornChildFactory(expected_date_of_birth=date(2026, 4, 20))
    ChildProtectionPlanFactory(
        episode=CINEpisodeFactory(child=child, referral_date=date(2026, 2, 16)), started_on=date(2026, 3, 2)
    )
    CINPlanFactory(episode=child.cin_episodes.get(), started_on=date(2026, 3, 2))
    VisitFactory(child=child, visit_type="CP", visited_on=date(2026, 3, 10))  # the mother, before the birth

    assert listed("cp_visit", date(2026, 3, 20)) == []
    assert listed("cin_visit", date(2026, 3, 20)) == []
    assert len(listed("cp_review", date(2026, 3, 20))) == 1  # the plan's review is still due

    child.date_of_birth = date(2026, 4, 15)  # born on Wednesday 15 April
    child.save()
    o = only("cp_visit", date(2026, 4, 20))
    # 10 working days from the birth (day 0): 16, 17, 20-24, 27, 28, 29 April.
    assert (o.clock_started_on, o.due, o.met_on) == (date(2026, 4, 15), date(2026, 4, 29), None)
    assert outstanding("cin_visit", date(2026, 4, 20)).due == date(2026, 5, 27)  # 15 April + 6 weeks


# --- Needs assessment of an eligible child (CPPCR 2010 regs 40, 42) ---------------------------------------


def looked_after(child, start: date, end: date | None = None, **codes) -> None:
    ended = {"ended_on": end, "reason_ceased": "E4A"} if end else {}
    LookedAfterEpisodeFactory(child=child, started_on=start, **ended, **codes)


def test_a_child_in_care_since_15_is_eligible_at_16_and_assessed_within_3_months():
    child = ChildFactory(date_of_birth=date(2010, 5, 10))
    looked_after(child, date(2026, 1, 5))  # 13 weeks reached on 6 April 2026, before the 16th birthday

    assert listed("pathway_needs_assessment", date(2026, 5, 9)) == []
    o = only("pathway_needs_assessment", date(2026, 5, 11))
    assert (o.clock_started_on, o.due, o.clock_started_by) == (
        date(2026, 5, 10),
        date(2026, 8, 10),
        "Became an eligible child",
    )

    PathwayNeedsAssessment.objects.create(child=child, completed_on=date(2026, 7, 1))
    assert only("pathway_needs_assessment", date(2026, 7, 1)).status == "met_on_time"


def test_a_child_first_in_care_at_16_is_eligible_once_looked_after_13_weeks():
    child = ChildFactory(date_of_birth=date(2009, 9, 1))
    looked_after(child, date(2026, 2, 2))  # 2 February + 91 days = 4 May 2026

    assert listed("pathway_needs_assessment", date(2026, 5, 3)) == []
    assert only("pathway_needs_assessment", date(2026, 5, 4)).due == date(2026, 8, 4)


def test_periods_since_14_add_up_and_short_breaks_do_not_count():
    child = ChildFactory(date_of_birth=date(2010, 3, 1))  # 14 on 1 March 2024, 16 on 1 March 2026
    looked_after(child, date(2023, 6, 5), date(2023, 9, 4))  # before 14: not counted
    looked_after(child, date(2024, 6, 3), date(2024, 7, 1))  # 28 days
    looked_after(child, date(2025, 1, 6), date(2025, 12, 1), legal_status="V3")  # short breaks: reg 40(2)
    looked_after(child, date(2026, 3, 2))  # 63 more days: 2 March + 63 = 4 May 2026

    assert listed("pathway_needs_assessment", date(2026, 5, 3)) == []
    assert only("pathway_needs_assessment", date(2026, 5, 4)).due == date(2026, 8, 4)


def test_no_needs_assessment_is_chased_once_the_child_has_left_care():
    child = ChildFactory(date_of_birth=date(2010, 5, 10))
    looked_after(child, date(2026, 1, 5), date(2026, 6, 1))

    assert len(listed("pathway_needs_assessment", date(2026, 5, 31))) == 1
    assert listed("pathway_needs_assessment", date(2026, 6, 1)) == []


# --- Care leavers: the reg 8(2) visit only when accommodated; keeping in touch separately ------------------


def test_the_personal_adviser_visits_accommodation_the_authority_provides():
    leaver = CareLeaverEpisodeFactory(started_on=date(2026, 1, 5))
    child = leaver.child
    CareLeaverContactFactory(care_leaver=leaver, contact_on=date(2026, 1, 20))

    assert listed("care_leaver_visit", date(2026, 2, 1)) == []  # not accommodated by the authority

    CareLeaverAccommodation.objects.create(
        care_leaver=leaver, provided_under="S23B", provided_from=date(2026, 2, 2), provided_to=date(2026, 5, 1)
    )
    assert only("care_leaver_visit", date(2026, 2, 2)).due == date(2026, 2, 9)  # within 7 days

    VisitFactory(child=child, visit_type="CL", visited_on=date(2026, 2, 6))
    met, nxt = listed("care_leaver_visit", date(2026, 2, 6))
    assert (met.status, nxt.due, nxt.clock_started_by) == ("met_on_time", date(2026, 4, 6), "Visit")  # 2 months

    assert listed("care_leaver_visit", date(2026, 5, 2)) == []  # no longer provided: no visit due


def test_keeping_in_touch_every_8_weeks_counts_only_contacts_in_touch():
    leaver = CareLeaverEpisodeFactory(started_on=date(2025, 12, 31))
    assert only("care_leaver_in_touch", date(2026, 1, 2)).due == date(2026, 2, 25)  # 31 December + 56 days

    CareLeaverContactFactory(
        care_leaver=leaver, contact_on=date(2026, 2, 20), in_touch="NO", activity="", accommodation=""
    )
    assert outstanding("care_leaver_in_touch", date(2026, 2, 20)).due == date(2026, 2, 25)

    CareLeaverContactFactory(care_leaver=leaver, contact_on=date(2026, 2, 24))
    assert outstanding("care_leaver_in_touch", date(2026, 2, 24)).due == date(2026, 4, 21)  # 24 Feb + 56 days
    assert listed("care_leaver_visit", date(2026, 2, 24)) == []  # keeping in touch is not the reg 8 visit


def test_no_contact_is_due_once_support_has_ended():
    CareLeaverEpisodeFactory(started_on=date(2025, 12, 31), ended_on=date(2026, 2, 1))

    assert listed("care_leaver_in_touch", date(2026, 2, 2)) == []


# --- Private fostering (Children (Private Arrangements for Fostering) Regulations 2005) -------------------


def test_a_privately_fostered_child_is_visited_in_7_working_days_then_6_weekly_then_12_weekly():
    child = ChildFactory(date_of_birth=date(2014, 6, 1))  # no CIN case: the arrangement is enough
    PrivateFosteringArrangement.objects.create(child=child, notified_on=date(2026, 3, 2))

    first = only("private_fostering_visit", date(2026, 3, 2))
    assert (first.due, first.clock_started_by) == (date(2026, 3, 11), "Private fostering notified")  # 7 WD

    VisitFactory(child=child, visit_type="PF", visited_on=date(2026, 3, 9), child_seen=False, seen_alone=False)
    VisitFactory(child=child, visit_type="CIN", visited_on=date(2026, 3, 9))
    assert outstanding("private_fostering_visit", date(2026, 3, 9)).due == date(2026, 3, 11)

    VisitFactory(child=child, visit_type="PF", visited_on=date(2026, 3, 10))
    assert outstanding("private_fostering_visit", date(2026, 3, 10)).due == date(2026, 4, 21)  # + 6 weeks
    VisitFactory(child=child, visit_type="PF", visited_on=date(2027, 2, 22))  # in the first year: 6 weeks
    assert outstanding("private_fostering_visit", date(2027, 2, 22)).due == date(2027, 4, 5)
    VisitFactory(child=child, visit_type="PF", visited_on=date(2027, 4, 5))  # second year: 12 weeks
    assert outstanding("private_fostering_visit", date(2027, 4, 5)).due == date(2027, 6, 28)


def test_no_private_fostering_visit_is_due_once_the_arrangement_has_ended():
    child = ChildFactory(date_of_birth=date(2014, 6, 1))
    PrivateFosteringArrangement.objects.create(child=child, notified_on=date(2026, 3, 2), ended_on=date(2026, 3, 6))

    assert len(listed("private_fostering_visit", date(2026, 3, 5))) == 1
    assert listed("private_fostering_visit", date(2026, 3, 6)) == []


# --- Return home interview offered and declined (DfE 2014 guidance) ----------------------------------------


def test_a_declined_return_interview_stops_the_72_hour_clock():
    returned = datetime(2026, 3, 27, 23, 30, tzinfo=UTC)
    child = LookedAfterEpisodeFactory(started_on=date(2026, 1, 5)).child
    MissingEpisodeFactory(
        child=child,
        started_at=datetime(2026, 3, 27, 18, tzinfo=UTC),
        ended_at=returned,
        return_interview_offered=True,
        return_interview_at=datetime(2026, 3, 28, 10, tzinfo=UTC),
        return_interview_outcome="DECLINED",
    )

    o = only("return_home_interview", date(2026, 3, 28))
    assert (o.status, o.met_on) == ("met_on_time", date(2026, 3, 28))


def test_a_declined_interview_was_offered_and_has_a_time():
    with pytest.raises(IntegrityError), transaction.atomic():
        MissingEpisodeFactory(return_interview_offered=False, return_interview_outcome="DECLINED")
    with pytest.raises(IntegrityError), transaction.atomic():
        MissingEpisodeFactory(return_interview_at=None, return_interview_outcome="DECLINED")
    with pytest.raises(IntegrityError), transaction.atomic():
        MissingEpisodeFactory(return_interview_outcome="REFUSED")  # not a code of the list


# --- Supervision is not chased during long-term absence (local threshold: 20 working days) ---------------


def test_supervision_is_not_chased_once_an_absence_has_lasted_20_working_days():
    worker = WorkerFactory(role="SW", started_on=date(2026, 1, 5))
    mine = {"workers": [worker.pk]}
    absence = Absence.objects.create(worker=worker, absence_type="SICKNESS", started_on=date(2026, 1, 26))

    # Due 5 February. Day 20 of the absence (day 0 Monday 26 January) is Monday 23 February.
    assert only("supervision", date(2026, 2, 20), **mine).status == "overdue"
    assert listed("supervision", date(2026, 2, 23), **mine) == []

    absence.ended_on = date(2026, 3, 6)
    absence.save()
    back = only("supervision", date(2026, 3, 9), **mine)
    assert (back.status, back.due) == ("overdue", date(2026, 2, 5))


def test_long_term_sickness_and_parental_leave_pause_supervision_from_the_first_day():
    sick = WorkerFactory(role="ASYE", started_on=date(2026, 1, 5))
    Asye.objects.create(worker=sick, started_on=date(2026, 1, 5))
    on_leave = WorkerFactory(role="SW", started_on=date(2026, 1, 5))
    holiday = WorkerFactory(role="SW", started_on=date(2026, 1, 5))
    Absence.objects.create(worker=sick, absence_type="LONG_TERM_SICKNESS", started_on=date(2026, 2, 2))
    Absence.objects.create(worker=on_leave, absence_type="PARENTAL", started_on=date(2026, 2, 2))
    Absence.objects.create(worker=holiday, absence_type="ANNUAL_LEAVE", started_on=date(2026, 2, 2))
    SupervisionFactory(worker=sick, supervisor=None, held_on=date(2026, 1, 9))  # met before the absence

    found = listed("supervision", date(2026, 2, 10)) + listed("supervision_asye", date(2026, 2, 10))
    assert {o.worker_id for o in found if o.met_on is None} == {holiday.pk}


# --- Each rule's basis -----------------------------------------------------------------------------------
# Written from the sources, not from the file: WT = Working Together to Safeguard Children 2023
# (statutory guidance); regulations are statute; the LGA employer standards are a sector standard;
# a DfE statistic is a measure; an interval no national source sets is local.

EXPECTED_BASIS = {
    "contact_decision": "guidance",  # WT ch.3: decision within one working day
    "assessment": "guidance",  # WT: 45 working days from referral
    "assessment_dfe": "measure",  # DfE CIN statistics table C2
    "icpc": "guidance",  # WT: 15 working days from the strategy discussion
    "icpc_dfe": "measure",  # DfE CIN statistics table C4
    "core_group_first": "guidance",  # WT: 10 working days from the ICPC
    "cp_review": "guidance",  # WT: 3 months, then 6 months
    "cp_visit": "local",  # no statutory minimum for CP visits
    "cin_plan_review": "local",  # WT: "regularly", no interval
    "cin_visit": "local",  # no national CIN visiting frequency
    "return_home_interview": "guidance",  # DfE statutory guidance on missing children, 2014
    "pathway_plan_review": "statute",  # Care Leavers (England) Regs 2010 reg 7
    "pathway_needs_assessment": "statute",  # CPPCR 2010 reg 42(1)
    "care_leaver_visit": "statute",  # Care Leavers (England) Regs 2010 reg 8(2)
    "care_leaver_in_touch": "local",  # s23C(2) duty to keep in touch has no interval
    "private_fostering_visit": "statute",  # Children (Private Arrangements for Fostering) Regs 2005 regs 7, 8
    "supervision_asye": "standard",  # LGA Standards for employers of social workers, Standard 5
    "supervision": "local",  # no national interval past the ASYE
}


def test_each_rule_outside_the_looked_after_regime_has_the_right_basis():
    from grip.timescales.rules import rule_book

    book = rule_book()
    assert {key: book.get(key).basis for key in EXPECTED_BASIS} == EXPECTED_BASIS
    local = {key for key in EXPECTED_BASIS if book.get(key).local}
    assert local == {"cp_visit", "cin_plan_review", "cin_visit", "care_leaver_in_touch", "supervision"}


# --- The new rule fields and the long-term absence file are checked on load ------------------------------


def test_a_bad_pause_or_birth_field_is_refused_with_the_rule_and_field_named(tmp_path):
    import copy
    import tomllib

    from grip.timescales.pauses import load_long_term_absence
    from grip.timescales.rules import RULES_FILE, RulesFileError, parse_rules

    with open(RULES_FILE, "rb") as fh:
        shipped = tomllib.load(fh)

    def error(key: str, **fields) -> str:
        data = copy.deepcopy(shipped)
        next(r for r in data["rule"] if r["key"] == key).update(fields)
        with pytest.raises(RulesFileError) as caught:
            parse_rules(data, where="rules.toml")
        return str(caught.value)

    assert "rule 'supervision': field 'paused_while': unknown value 'holiday'" in error(
        "supervision", paused_while="holiday"
    )
    assert "rule 'cp_visit': field 'paused_while': long_term_absence pauses a worker's rules" in error(
        "cp_visit", paused_while="long_term_absence"
    )
    assert "rule 'supervision': field 'from_birth': in_post has no date of birth" in error(
        "supervision", from_birth=True
    )

    bad = tmp_path / "long_term_absence.toml"
    bad.write_text('after = { amount = 20, unit = "fortnights" }\ncounted = ["SICKNESS"]\n')
    with pytest.raises(RulesFileError, match="after.unit"):
        load_long_term_absence(bad)
    bad.write_text('after = { amount = 20, unit = "working_days" }\ncounted = ["FLU"]\n')
    with pytest.raises(RulesFileError, match="'counted': not a code of absence_type: 'FLU'"):
        load_long_term_absence(bad)


def test_the_system_check_reads_the_long_term_absence_file(monkeypatch, tmp_path):
    from grip.timescales import pauses
    from grip.timescales.apps import check_rules_file

    assert check_rules_file() == []
    bad = tmp_path / "long_term_absence.toml"
    bad.write_text("after = 20\n")
    monkeypatch.setattr(pauses, "ABSENCE_FILE", bad)
    [error] = check_rules_file()
    assert error.id == "timescales.E002" and "field 'after'" in error.msg
