"""The recording pages, under /children/<pk>/record/ (config/urls.py): each records one step of a
child's case through grip.cases.services. The two first steps (a strategy discussion, starting an
assessment) keep their older addresses in grip.web.urls. A manager's queue of assessments to
authorise is /record/assessments-to-authorise/."""

from django.urls import path

from grip.recording import (
    assessments,
    care,
    early_help,
    early_help_end,
    missing,
    notes,
    placements,
    plans,
    queue,
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
    # A looked-after child's care
    path("children/<int:pk>/record/care/review/", care.review, name="care-review"),
    path("children/<int:pk>/record/care/placement/", placements.placement_change, name="care-placement"),
    path("children/<int:pk>/record/care/health/", care.health_assessment, name="care-health"),
    path("children/<int:pk>/record/care/education/", care.education_plan, name="care-education"),
    path("children/<int:pk>/record/care/missing/", missing.missing, name="care-missing"),
    path("children/<int:pk>/record/care/return-interview/", missing.return_interview, name="care-return-interview"),
    # Early help
    path("children/<int:pk>/record/early-help/", early_help.early_help, name="early-help"),
    path("children/<int:pk>/record/early-help/assessment/", early_help.assessment, name="early-help-assessment"),
    path("children/<int:pk>/record/early-help/meeting/", early_help.meeting, name="early-help-meeting"),
    path("children/<int:pk>/record/early-help/review/", early_help.review, name="early-help-review"),
    path("children/<int:pk>/record/early-help/close/", early_help_end.close, name="early-help-close"),
    path("children/<int:pk>/record/early-help/step-up/", early_help_end.step_up, name="early-help-step-up"),
]
