from django.urls import path

from . import views

app_name = "allocation"

urlpatterns = [
    path("unallocated/", views.register, name="register"),
    path("reallocations/", views.reallocations, name="reallocations"),
    path("reconciliation/", views.reconciliation_check, name="reconciliation"),
    path("queue/", views.team_queue, name="queue"),
    path("children/<int:pk>/", views.child_allocation, name="child"),
]
