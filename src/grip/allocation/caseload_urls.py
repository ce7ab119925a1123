"""Caseload pages, included at /caseloads/ (config/urls.py). A team or a worker is chosen with a
query parameter (?team=, ?worker=), never a path parameter: only a child's `pk` goes in a path."""

from django.urls import path

from . import caseload_views

app_name = "caseloads"

urlpatterns = [
    path("", caseload_views.overview, name="overview"),
    path("mine/", caseload_views.mine, name="mine"),
    path("team/", caseload_views.team, name="team"),
    path("worker/", caseload_views.worker, name="worker"),
]
