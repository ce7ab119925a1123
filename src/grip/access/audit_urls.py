"""The audit log's pages, included at /audit/ (config/urls.py); URL names keep the "audit" namespace."""

from django.urls import path

from grip.access import audit_views as views

app_name = "audit"

urlpatterns = [
    path("", views.audit_log, name="log"),
    path("children/<int:pk>/viewers/", views.child_viewers, name="child-viewers"),
    path("children/<int:pk>/subject-access/", views.subject_access, name="subject-access"),
]
