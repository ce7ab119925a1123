"""Caseload pages, included at /caseloads/ (config/urls.py). A team or a worker is chosen with a
query parameter (?team=, ?worker=), never a path parameter: only a child's `pk` goes in a path."""

from django.urls import path

from . import views

app_name = "caseloads"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("mine/", views.mine, name="mine"),
    path("team/", views.team, name="team"),
    path("worker/", views.worker, name="worker"),
]
