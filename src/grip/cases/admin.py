"""Admin for the journey records: every model, searchable by the child's identifiers."""

from django.contrib import admin

from grip.cases import models

CHILD_SEARCH = ["child__la_child_id", "child__last_name"]
EPISODE_SEARCH = ["episode__child__la_child_id", "episode__child__last_name"]


def _register(model, *, display, search, raw):
    admin.site.register(
        model,
        type(
            f"{model.__name__}Admin",
            (admin.ModelAdmin,),
            {"list_display": display, "search_fields": search, "raw_id_fields": raw},
        ),
    )


for model, display in [
    (models.EarlyHelpEpisode, ["child", "started_on", "ended_on", "closure_reason"]),
    (
        models.CINEpisode,
        ["child", "referral_date", "referral_source", "primary_need", "closure_date", "closure_reason"],
    ),
    (models.LookedAfterEpisode, ["child", "started_on", "legal_status", "placement_type", "ended_on", "reason_ceased"]),
    (models.LookedAfterReview, ["child", "held_on", "participation"]),
    (models.CarePlan, ["child", "made_on", "episode"]),
    (models.HealthAssessment, ["child", "assessment_type", "held_on"]),
    (
        models.MissingEpisode,
        ["child", "missing_type", "started_at", "ended_at", "return_interview_at", "return_interview_outcome"],
    ),
    (models.CareLeaverEpisode, ["child", "started_on", "ended_on"]),
    (models.Visit, ["child", "visit_type", "visited_on", "worker", "child_seen", "seen_alone"]),
]:
    raw = (
        ["child"]
        + (["contact"] if hasattr(model, "contact_id") else [])
        + (["worker"] if model is models.Visit else [])
        + (["episode"] if model is models.CarePlan else [])
    )
    _register(model, display=display, search=CHILD_SEARCH, raw=raw)

for model, display, raw in [
    (models.Assessment, ["episode", "started_on", "authorised_on"], ["episode"]),
    (models.CINPlan, ["episode", "started_on", "ended_on"], ["episode"]),
    (models.StrategyDiscussion, ["episode", "requested_at", "held_at", "outcome"], ["episode", "contact"]),
    (models.Section47Enquiry, ["episode", "started_on", "completed_on", "outcome"], ["episode", "strategy_discussion"]),
    (
        models.ChildProtectionPlan,
        ["episode", "started_on", "ended_on", "initial_category", "latest_category"],
        ["episode"],
    ),
    (models.ChildProtectionConference, ["episode", "conference_type", "held_on"], ["episode", "section47", "plan"]),
]:
    _register(model, display=display, search=EPISODE_SEARCH, raw=raw)

admin.site.register(
    models.CoreGroupMeeting,
    type(
        "CoreGroupMeetingAdmin",
        (admin.ModelAdmin,),
        {
            "list_display": ["plan", "held_on"],
            "search_fields": ["plan__episode__child__la_child_id", "plan__episode__child__last_name"],
            "raw_id_fields": ["plan"],
        },
    ),
)
admin.site.register(
    models.CareLeaverContact,
    type(
        "CareLeaverContactAdmin",
        (admin.ModelAdmin,),
        {
            "list_display": ["care_leaver", "contact_on", "in_touch", "activity", "accommodation"],
            "raw_id_fields": ["care_leaver"],
        },
    ),
)
admin.site.register(
    models.PathwayPlanReview,
    type(
        "PathwayPlanReviewAdmin",
        (admin.ModelAdmin,),
        {"list_display": ["care_leaver", "held_on"], "raw_id_fields": ["care_leaver"]},
    ),
)

# Care planning records (issue 11).
for model, display, raw in [
    (models.PlacementPlan, ["child", "episode", "agreed_on"], ["child", "episode"]),
    (models.PersonalEducationPlan, ["child", "held_on"], ["child"]),
    (models.CareProceedings, ["child", "issued_on", "concluded_on"], ["child"]),
]:
    _register(model, display=display, search=CHILD_SEARCH, raw=raw)

# Issue 11: the records of the regimes beside looked after.
_register(models.PathwayNeedsAssessment, display=["child", "completed_on"], search=CHILD_SEARCH, raw=["child"])
_register(
    models.PrivateFosteringArrangement, display=["child", "notified_on", "ended_on"], search=CHILD_SEARCH, raw=["child"]
)
_register(
    models.CINPlanReview,
    display=["plan", "held_on"],
    search=["plan__episode__child__la_child_id", "plan__episode__child__last_name"],
    raw=["plan"],
)
_register(
    models.CareLeaverAccommodation,
    display=["care_leaver", "provided_under", "provided_from", "provided_to"],
    search=["care_leaver__child__la_child_id", "care_leaver__child__last_name"],
    raw=["care_leaver"],
)
