from django.urls import include, path

from . import children, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    # Sign-in, sign-out, password change, two-factor and single sign-on (grip.accounts).
    path("", include("grip.accounts.urls")),
    path("children/", children.child_search, name="child-search"),
    path("children/<int:pk>/", children.child_record, name="child-record"),
]
