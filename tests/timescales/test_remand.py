"""Worked examples for children on remand (issue 11): the Care Planning, Placement and Case Review
(England) Regulations 2010, Part 8A (regs 47A-47C), as the rules file reads it (its "Children on
remand" block says which parts rest on the regulation's text and which on the Family Rights Group's
statement of it).

SSDA903 legal status J1 is a remand; the placement type says where to: R5 (young offender institution)
is youth detention accommodation (YDA), K1 (secure children's home) may be either, any other placement
is remand to local authority accommodation.

Bank holidays: Good Friday 3 and Easter Monday 6 April 2026. Every expected date is worked by hand in
the comment beside it.
"""

import csv
from datetime import date
from pathlib import Path

import pytest

from grip.cases.models import CarePlan, PlacementPlan
from grip.timescales.rules import rule_book
from tests.cases.factories import LookedAfterEpisodeFactory, VisitFactory
from tests.people.factories import ChildFactory

from .support import listed, only, outstanding

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 30)  # the remand (Monday before Easter)
# 5 working days from Mon 30 March (day 0): Tue 31 (1), Wed 1 Apr (2), Thu 2 (3), Good Friday 3 and
# Easter Monday 6 are not working days, Tue 7 (4), Wed 8 (5).
FIFTH_WORKING_DAY = date(2026, 4, 8)
# 10 working days: ... Wed 8 (5), Thu 9 (6), Fri 10 (7), Mon 13 (8), Tue 14 (9), Wed 15 (10).
TENTH_WORKING_DAY = date(2026, 4, 15)


def remanded(child=None, *, on: date = MONDAY, placement_type: str, rne: str = "S", **kwargs):
    return LookedAfterEpisodeFactory(
        child=child or ChildFactory(),
        started_on=on,
        legal_status="J1",
        placement_type=placement_type,
        reason_new_episode=rne,
        **kwargs,
    )


def section_20(child):
    """Accommodated under section 20 from Mon 5 January 2026 until the remand."""
    return LookedAfterEpisodeFactory(
        child=child,
        started_on=date(2026, 1, 5),
        ended_on=MONDAY,
        reason_ceased="X1",
        legal_status="V2",
        placement_type="U6",
    )


# --- Remand to local authority accommodation, not looked after before ------------------------------------


def test_a_child_looked_after_only_because_remanded_to_local_authority_accommodation_has_5_working_days():
    episode = remanded(placement_type="U6")  # remanded to local authority foster care

    o = only("care_plan_remand_local_authority", MONDAY)
    assert (o.due, o.clock_started_by) == (FIFTH_WORKING_DAY, "Became looked after")
    # Not the ordinary reg 4(2) clock of 10 working days (which would be due Wed 15 April).
    assert listed("care_plan", MONDAY) == []

    # No plan by the end of Wed 8 April: overdue on Thu 9 April by 1 working day.
    o = outstanding("care_plan_remand_local_authority", date(2026, 4, 9))
    assert (o.status, o.days_over) == ("overdue", 1)

    # Made on Tue 7 April: on time. The placement plan keeps reg 9's 5 working days (also Wed 8 April).
    CarePlan.objects.create(child=episode.child, episode=episode, made_on=date(2026, 4, 7))
    o = only("care_plan_remand_local_authority", date(2026, 4, 9), since=MONDAY)
    assert (o.met_on, o.status) == (date(2026, 4, 7), "met_on_time")
    assert only("placement_plan", MONDAY).due == FIFTH_WORKING_DAY


def test_a_looked_after_child_later_remanded_to_local_authority_accommodation_keeps_the_ordinary_care_plan():
    child = ChildFactory()
    section_20(child)
    remanded(child, placement_type="K2", rne="B")

    # The period of care began on Mon 5 January 2026 under section 20, not with the remand: reg 4(2)'s
    # 10 working days from then: 6 (1), 7, 8, 9 (4), 12 (5) ... 16 (9), Mon 19 January (10).
    assert listed("care_plan_remand_local_authority", MONDAY, since=date(2026, 1, 1)) == []
    assert only("care_plan", date(2026, 1, 5)).due == date(2026, 1, 19)


# --- Remand to youth detention accommodation -------------------------------------------------------------


def test_a_child_looked_after_only_because_remanded_to_youth_detention_has_a_detention_placement_plan():
    episode = remanded(placement_type="R5")

    # reg 47A(2)(c): the care plan and the placement plan are read as the detention placement plan.
    assert listed("care_plan", MONDAY) == []
    assert listed("placement_plan", MONDAY) == []
    o = only("detention_placement_plan", MONDAY)
    assert (o.due, o.clock_started_by) == (TENTH_WORKING_DAY, "Placement started")

    # Agreed on Tue 14 April, the 9th working day: on time.
    PlacementPlan.objects.create(child=episode.child, episode=episode, agreed_on=date(2026, 4, 14))
    o = only("detention_placement_plan", date(2026, 4, 16), since=MONDAY)
    assert (o.met_on, o.status) == (date(2026, 4, 14), "met_on_time")


def test_a_looked_after_child_remanded_to_youth_detention():
    child = ChildFactory()
    first = section_20(child)
    CarePlan.objects.create(child=child, episode=first, made_on=date(2026, 1, 5))
    PlacementPlan.objects.create(child=child, episode=first, agreed_on=date(2026, 1, 5))
    remand = remanded(child, placement_type="R5", rne="B")

    # The detention placement plan takes the place of the remand placement's placement plan: due the
    # 10th working day from the remand, Wed 15 April, and met by the plan for the remand agreed Thu 9
    # April (which reg 9's 5 working days, Wed 8 April, would have counted late).
    PlacementPlan.objects.create(child=child, episode=remand, agreed_on=date(2026, 4, 9))
    o = only("detention_placement_plan", date(2026, 4, 16), since=MONDAY)
    assert (o.record_id, o.due, o.met_on, o.status) == (remand.pk, TENTH_WORKING_DAY, date(2026, 4, 9), "met_on_time")
    plans = listed("placement_plan", date(2026, 4, 16), since=date(2026, 1, 1))
    assert [p.record_id for p in plans] == [first.pk]

    # Looked after before the remand: the care plan is the ordinary one, made on Mon 5 January.
    o = only("care_plan", date(2026, 4, 16), since=date(2026, 1, 1))
    assert (o.met_on, o.status) == (date(2026, 1, 5), "met_on_time")

    # reg 47A(2)(b): "placed" is read as "remanded", so reg 28(2)'s first visit is due within one week
    # of the remand (Mon 30 March + 1 calendar week = Mon 6 April).
    VisitFactory(child=child, visit_type="LAC", visited_on=date(2026, 1, 9))
    visits = listed("looked_after_visit", MONDAY)
    assert [v.due for v in visits if v.record_id == remand.pk] == [date(2026, 4, 6)]


def test_a_remand_to_a_secure_childrens_home_keeps_the_ordinary_rules():
    # K1 may be a remand to youth detention accommodation or a remand to local authority accommodation
    # placed in secure accommodation: the episode cannot tell, so no Part 8A rule is applied.
    remanded(placement_type="K1")

    assert only("care_plan", MONDAY).due == TENTH_WORKING_DAY
    assert only("placement_plan", MONDAY).due == FIFTH_WORKING_DAY
    assert listed("care_plan_remand_local_authority", MONDAY) == []
    assert listed("detention_placement_plan", MONDAY) == []


# --- The codes ----------------------------------------------------------------------------------------------


def test_every_placement_type_is_read_as_one_kind_of_remand_or_left_to_the_ordinary_rules():
    # The list of placement types for remand to local authority accommodation is every code of the
    # SSDA903 placement type list except K1 and R5, in both rules that carry it.
    codes_file = Path(__file__).parents[2] / "src" / "grip" / "reference" / "codelists" / "placement_type.csv"
    with codes_file.open(encoding="utf-8") as f:
        every = {row["code"] for row in csv.DictReader(f)}
    book = rule_book()
    (local_authority,) = book.get("care_plan_remand_local_authority").applies_to
    assert local_authority["legal_status"] == {"J1"}
    assert local_authority["placement_type"] == every - {"K1", "R5"}
    assert {"legal_status": {"J1"}, "placement_type": local_authority["placement_type"]} in [
        dict(e) for e in book.get("care_plan").except_for
    ]
    assert book.get("detention_placement_plan").applies_to == ({"legal_status": {"J1"}, "placement_type": {"R5"}},)
