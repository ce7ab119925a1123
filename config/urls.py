from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("grip.api.urls")),
    path("audit/", include("grip.audit.urls")),
    path("", include("grip.frontdoor.urls")),
    path("", include("grip.web.urls")),
]
