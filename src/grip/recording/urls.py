"""The recording pages, under /children/<pk>/record/ (config/urls.py): each records one step of a
child's case through grip.cases.services. The two first steps (a strategy discussion, starting an
assessment) keep their older addresses in grip.web.urls. A manager's queue of assessments to
authorise is /record/assessments-to-authorise/; a manager's absence and supervision pages, and a
worker's confirmation of their supervision, are under /record/ too (grip.recording.absence, .supervision)."""

from django.urls import path

from grip.recording import (
    absence,
    assessments,
    care,
    closure,
    early_help,
    early_help_end,
    leaving_care,
    looked_after,
    missing,
    notes,
    placements,
    plans,
    protection,
    queue,
    supervision,
    visits,
)

app_name = "recording"

urlpatterns: list = [
    path("children/<int:pk>/record/visits/new/", visits.visit_new, name="visit-new"),
    path("children/<int:pk>/record/notes/new/", notes.note_new, name="case-note-new"),
    path("children/<int:pk>/record/assessment/complete/", assessments.assessment_complete, name="assessment-complete"),
    path(
        "children/<int:pk>/record/assessment/authorise/",
        assessments.assessment_authorise,
        name="assessment-authorise",
    ),
    path("record/assessments-to-authorise/", queue.authorisation_queue_page, name="authorisation-queue"),
    path("children/<int:pk>/record/cin-plan/", plans.cin_plan, name="cin-plan"),
    # A child's protection
    path(
        "children/<int:pk>/record/protection/section-47-outcome/",
        protection.section47_outcome,
        name="protection-section47-outcome",
    ),
    path(
        "children/<int:pk>/record/protection/initial-conference/",
        protection.initial_conference,
        name="protection-initial-conference",
    ),
    path(
        "children/<int:pk>/record/protection/review-conference/",
        protection.review_conference,
        name="protection-review-conference",
    ),
    path("children/<int:pk>/record/protection/core-group/", protection.core_group, name="protection-core-group"),
    path("children/<int:pk>/record/close/", closure.case_close, name="case-close"),
    # A looked-after child's care
    path("children/<int:pk>/record/care/start/", looked_after.start, name="care-start"),
    path("children/<int:pk>/record/care/iro/", looked_after.iro, name="care-iro"),
    path("children/<int:pk>/record/care/legal-status/", looked_after.legal_status, name="care-legal-status"),
    path("children/<int:pk>/record/care/care-plan/", looked_after.care_plan, name="care-plan"),
    path("children/<int:pk>/record/care/placement-plan/", looked_after.placement_plan, name="care-placement-plan"),
    path("children/<int:pk>/record/care/end/", looked_after.cease, name="care-end"),
    path("children/<int:pk>/record/care/review/", care.review, name="care-review"),
    path("children/<int:pk>/record/care/placement/", placements.placement_change, name="care-placement"),
    path("children/<int:pk>/record/care/health/", care.health_assessment, name="care-health"),
    path("children/<int:pk>/record/care/education/", care.education_plan, name="care-education"),
    path("children/<int:pk>/record/care/missing/", missing.missing, name="care-missing"),
    path("children/<int:pk>/record/care/return-interview/", missing.return_interview, name="care-return-interview"),
    # A care leaver's support
    path("children/<int:pk>/record/leaving-care/contact/", leaving_care.contact, name="leaving-care-contact"),
    path(
        "children/<int:pk>/record/leaving-care/needs-assessment/",
        leaving_care.needs_assessment,
        name="leaving-care-needs-assessment",
    ),
    path(
        "children/<int:pk>/record/leaving-care/pathway-plan/",
        leaving_care.pathway_plan,
        name="leaving-care-pathway-plan",
    ),
    path("children/<int:pk>/record/leaving-care/end/", leaving_care.end_support, name="leaving-care-end"),
    # Absence and supervision (issue 15): a worker or session is chosen with a query parameter.
    path("record/absence/", absence.absence_new, name="absence-new"),
    path("record/absence/return/", absence.absence_return, name="absence-return"),
    path("record/who-is-off/", absence.who_is_off_page, name="who-is-off"),
    path("record/supervision/", supervision.supervision_new, name="supervision-new"),
    path("record/supervision/confirm/", supervision.supervision_confirm, name="supervision-confirm"),
    path("record/supervision/team/", supervision.supervision_team, name="supervision-team"),
    # Early help
    path("children/<int:pk>/record/early-help/", early_help.early_help, name="early-help"),
    path("children/<int:pk>/record/early-help/assessment/", early_help.assessment, name="early-help-assessment"),
    path("children/<int:pk>/record/early-help/meeting/", early_help.meeting, name="early-help-meeting"),
    path("children/<int:pk>/record/early-help/review/", early_help.review, name="early-help-review"),
    path("children/<int:pk>/record/early-help/close/", early_help_end.close, name="early-help-close"),
    path("children/<int:pk>/record/early-help/step-up/", early_help_end.step_up, name="early-help-step-up"),
]
