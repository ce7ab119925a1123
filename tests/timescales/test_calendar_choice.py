"""Which working-day calendar each rule runs on (ADR 0014, docs/working-days.md).

Local closure days (LocalClosureDay) never stretch a statutory, guidance, standard or DfE-measure
deadline: only local rules use the authority's calendar. Bank holidays over Christmas 2025: Thu 25
and Fri 26 Dec, Thu 1 Jan 2026. The authority closes Mon 29, Tue 30 and Wed 31 Dec 2025.
"""

from datetime import date

import pytest

from grip.core.models import LocalClosureDay
from tests.cases.factories import (
    AssessmentFactory,
    ChildProtectionPlanFactory,
    CINEpisodeFactory,
    ContactFactory,
    at,
)

from .support import only

pytestmark = pytest.mark.django_db

CLOSED = [date(2025, 12, 29), date(2025, 12, 30), date(2025, 12, 31)]


def close_between_christmas_and_new_year() -> None:
    for day in CLOSED:
        LocalClosureDay.objects.create(date=day, reason="Christmas closure")


@pytest.mark.parametrize("closed", [False, True])
def test_a_closure_inside_an_assessments_45_working_days_does_not_move_its_due_date(closed):
    # Referral Fri 19 Dec 2025 (day 0): 45 working days, bank holidays left out, is Wed 25 Feb
    # 2026 (docs/working-days.md); closure days or not.
    if closed:
        close_between_christmas_and_new_year()
    episode = CINEpisodeFactory(referral_date=date(2025, 12, 19))
    AssessmentFactory(episode=episode, started_on=date(2025, 12, 19), authorised_on=None, factors=[])

    assert only("assessment", date(2026, 1, 5)).due == date(2026, 2, 25)
    assert only("assessment_dfe", date(2026, 1, 5)).due == date(2026, 2, 25)


@pytest.mark.parametrize(("closed", "due"), [(False, date(2026, 1, 8)), (True, date(2026, 1, 13))])
def test_a_closure_moves_a_local_rules_due_date(closed, due):
    # A CP plan from Mon 22 Dec 2025 (day 0), CP visits every 10 working days (local policy):
    # 23 Dec = 1, 24 = 2, 29 = 3, 30 = 4, 31 = 5, Fri 2 Jan = 6, 5 = 7, 6 = 8, 7 = 9, Thu 8 Jan = 10.
    # With 29-31 Dec closed: Fri 2 Jan = 3, 5 = 4, 6 = 5, 7 = 6, 8 = 7, 9 = 8, 12 = 9, Tue 13 Jan = 10.
    if closed:
        close_between_christmas_and_new_year()
    ChildProtectionPlanFactory(started_on=date(2025, 12, 22))

    assert only("cp_visit", date(2025, 12, 22)).due == due


def test_a_closure_does_not_move_the_contact_decision():
    # A contact on Christmas Eve is decided by the end of Mon 29 Dec, closed or not.
    close_between_christmas_and_new_year()
    ContactFactory(received_at=at(date(2025, 12, 24), 16), decided_at=None, outcome="")

    assert only("contact_decision", date(2025, 12, 24)).due == date(2025, 12, 29)
