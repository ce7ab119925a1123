from django.urls import path

from . import views

app_name = "chase"

urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("team/", views.team, name="team"),
    path("service/", views.service, name="service"),
    path("", views.authority, name="authority"),
]
