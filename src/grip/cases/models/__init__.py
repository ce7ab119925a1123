"""The child's journey, in the words of the CIN census, SSDA903 and Ofsted's Annex A."""

from .care import (
    CareLeaverContact,
    CareLeaverEpisode,
    CarePlan,
    HealthAssessment,
    HealthAssessmentType,
    LookedAfterEpisode,
    LookedAfterReview,
    MissingEpisode,
    PathwayPlanReview,
)
from .care_planning import CareProceedings, PersonalEducationPlan, PlacementPlan
from .need import Assessment, CINEpisode, CINPlan, EarlyHelpEpisode
from .protection import (
    ChildProtectionConference,
    ChildProtectionPlan,
    CoreGroupMeeting,
    Section47Enquiry,
    StrategyDiscussion,
)
from .visits import Visit

__all__ = [
    "Assessment",
    "CareLeaverContact",
    "CareLeaverEpisode",
    "CarePlan",
    "CareProceedings",
    "ChildProtectionConference",
    "ChildProtectionPlan",
    "CINEpisode",
    "CINPlan",
    "CoreGroupMeeting",
    "EarlyHelpEpisode",
    "HealthAssessment",
    "HealthAssessmentType",
    "LookedAfterEpisode",
    "LookedAfterReview",
    "MissingEpisode",
    "PathwayPlanReview",
    "PersonalEducationPlan",
    "PlacementPlan",
    "Section47Enquiry",
    "StrategyDiscussion",
    "Visit",
]
