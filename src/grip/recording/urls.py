"""The recording pages, under /children/<pk>/record/ (config/urls.py): each records one step of a
child's case through grip.cases.services. The two first steps (a strategy discussion, starting an
assessment) keep their older addresses in grip.web.urls."""

from django.urls import path

from . import care, missing, placements

app_name = "recording"

urlpatterns: list = [
    # A looked-after child's care
    path("children/<int:pk>/record/care/review/", care.review, name="care-review"),
    path("children/<int:pk>/record/care/placement/", placements.placement_change, name="care-placement"),
    path("children/<int:pk>/record/care/health/", care.health_assessment, name="care-health"),
    path("children/<int:pk>/record/care/education/", care.education_plan, name="care-education"),
    path("children/<int:pk>/record/care/missing/", missing.missing, name="care-missing"),
    path("children/<int:pk>/record/care/return-interview/", missing.return_interview, name="care-return-interview"),
]
