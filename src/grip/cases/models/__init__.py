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
    PathwayPlanKind,
    PathwayPlanReview,
)
from .care_planning import CareProceedings, PersonalEducationPlan, PlacementPlan
from .cin_review import CINPlanReview
from .early_help import EarlyHelpAssessment, EarlyHelpEpisode, TafPlan, TeamAroundFamilyMeeting
from .leaving_care import CareLeaverAccommodation, PathwayNeedsAssessment
from .need import Assessment, CINEpisode, CINPlan
from .private_fostering import PrivateFosteringArrangement
from .protection import (
    ChildProtectionConference,
    ChildProtectionPlan,
    CoreGroupMeeting,
    Section47Enquiry,
    StrategyDiscussion,
)
from .reviewing_officer import IRO_ROLE, IROAssignment
from .visits import CaseNote, Visit

__all__ = [
    "Assessment",
    "CareLeaverAccommodation",
    "CareLeaverContact",
    "CareLeaverEpisode",
    "CarePlan",
    "CareProceedings",
    "CaseNote",
    "ChildProtectionConference",
    "ChildProtectionPlan",
    "CINEpisode",
    "CINPlan",
    "CINPlanReview",
    "CoreGroupMeeting",
    "EarlyHelpAssessment",
    "EarlyHelpEpisode",
    "HealthAssessment",
    "HealthAssessmentType",
    "IRO_ROLE",
    "IROAssignment",
    "LookedAfterEpisode",
    "LookedAfterReview",
    "MissingEpisode",
    "PathwayNeedsAssessment",
    "PathwayPlanKind",
    "PathwayPlanReview",
    "PersonalEducationPlan",
    "PlacementPlan",
    "PrivateFosteringArrangement",
    "Section47Enquiry",
    "TafPlan",
    "TeamAroundFamilyMeeting",
    "StrategyDiscussion",
    "Visit",
]
