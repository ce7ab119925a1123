from django.urls import include, path

from . import case_steps, children, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    # Sign-in, sign-out, password change, two-factor and single sign-on (grip.accounts).
    path("", include("grip.accounts.urls")),
    path("children/", children.child_search, name="child-search"),
    path("children/<int:pk>/", children.child_record, name="child-record"),
    path("children/<int:pk>/strategy-discussion/", case_steps.strategy_discussion, name="strategy-discussion"),
    path("children/<int:pk>/assessment/start/", case_steps.assessment_start, name="assessment-start"),
]
