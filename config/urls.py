from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("access/", include("grip.access.urls")),
    path("api/", include("grip.api.urls")),
    path("audit/", include("grip.access.audit_urls")),
    path("caseloads/", include("grip.caseloads.urls")),
    path("allocation/", include("grip.allocation.urls")),
    path("chase/", include("grip.chasing.urls")),
    path("workforce/", include("grip.workforce.urls")),
    path("", include("grip.recording.urls")),
    path("", include("grip.frontdoor.urls")),
    path("", include("grip.web.urls")),
]
