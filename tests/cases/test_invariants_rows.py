"""The valid rows the invariant tests (``test_invariants_*.py``) build on are valid."""

from __future__ import annotations

import pytest

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
    LookedAfterEpisode,
    LookedAfterReview,
    MissingEpisode,
    Section47Enquiry,
    StrategyDiscussion,
    Visit,
)

from .invariants_support import (
    assessment,
    care_leaver_contact,
    care_plan,
    cin_plan,
    closed_care_leaver,
    closed_cin,
    closed_cp_plan,
    closed_early_help,
    closed_looked_after,
    conference,
    core_group,
    health_assessment,
    looked_after_review,
    missing,
    section47,
    strategy,
    visit,
)

pytestmark = pytest.mark.django_db


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
