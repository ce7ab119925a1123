from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("v1/contacts/", views.ContactReportCreate.as_view(), name="contact-report-create"),
    path("v1/contacts/<str:reference>/", views.ContactReportDetail.as_view(), name="contact-report-detail"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(), name="docs"),
]
