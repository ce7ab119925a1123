"""The recording pages, under /children/<pk>/record/ (config/urls.py): each records one step of a
child's case through grip.cases.services. The two first steps (a strategy discussion, starting an
assessment) keep their older addresses in grip.web.urls."""

from django.urls import path

from . import notes, visits

app_name = "recording"

urlpatterns: list = [
    path("children/<int:pk>/record/visits/new/", visits.visit_new, name="visit-new"),
    path("children/<int:pk>/record/notes/new/", notes.note_new, name="case-note-new"),
]
