"""The URLs of Grip's shared pages (grip.web.pages), of signing in (grip.accounts), of the first
case steps (grip.recording.case_steps) and of a worker's week (grip.chasing.week)."""

from django.urls import include, path

from grip.chasing import week
from grip.recording import case_steps
from grip.web.pages import children, home

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    # Sign-in, sign-out, password change, two-factor and single sign-on (grip.accounts).
    path("", include("grip.accounts.urls")),
    path("children/", children.child_search, name="child-search"),
    path("children/<int:pk>/", children.child_record, name="child-record"),
    path("children/<int:pk>/strategy-discussion/", case_steps.strategy_discussion, name="strategy-discussion"),
    path("children/<int:pk>/assessment/start/", case_steps.assessment_start, name="assessment-start"),
    path("record/my-week/", week.my_week, name="my-week"),
]
