"""The recording pages, under /children/<pk>/record/ (config/urls.py): each records one step of a
child's case through grip.cases.services. The two first steps (a strategy discussion, starting an
assessment) keep their older addresses in grip.web.urls."""

from django.urls import path  # noqa: F401 - the areas add their paths below

app_name = "recording"

urlpatterns: list = []
