from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("audit/", include("grip.audit.urls")),
    path("contacts/", include("grip.frontdoor.urls")),
    path("", include("grip.web.urls")),
]
