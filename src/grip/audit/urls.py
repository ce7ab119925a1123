from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_log, name="log"),
    path("children/<int:pk>/viewers/", views.child_viewers, name="child-viewers"),
    path("children/<int:pk>/subject-access/", views.subject_access, name="subject-access"),
]
