"""The system administrator's access pages, under /access/ (names access:...)."""

from django.urls import path

from . import views

app_name = "access"

urlpatterns = [
    path("", views.index, name="index"),
    path("users/", views.users, name="users"),
    path("users/grant/", views.role_grant, name="role-grant"),
    path("users/revoke/", views.role_revoke, name="role-revoke"),
    path("restricted/", views.restricted, name="restricted"),
    path("restricted/restrict/", views.restrict, name="restrict"),
    path("restricted/lift/", views.unrestrict, name="unrestrict"),
    path("exceptions/", views.exceptions, name="exceptions"),
    path("exceptions/grant/", views.exception_grant, name="exception-grant"),
    path("exceptions/revoke/", views.exception_revoke, name="exception-revoke"),
]
