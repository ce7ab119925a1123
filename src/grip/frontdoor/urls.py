"""The front door's pages. Included at the site root (config/urls.py: path("", include(...))), since
they live under two prefixes: /contacts/ (submitting and following a contact) and /front-door/
(the front door's own work)."""

from django.urls import path

from . import views

app_name = "frontdoor"

urlpatterns = [
    path("contacts/", views.contact_list, name="contact-list"),
    path("contacts/new/", views.contact_new, name="contact-new"),
    path("contacts/report/", views.contact_report, name="contact-report"),
    path("contacts/<int:pk>/", views.contact_detail, name="contact-detail"),
    path("contacts/<int:pk>/received/", views.contact_received, name="contact-received"),
    path("front-door/", views.front_door, name="front-door"),
    path("front-door/queue/", views.queue, name="queue"),
    path("front-door/contacts/", views.front_door_contacts, name="front-door-contacts"),
    path("front-door/contacts/<int:pk>/", views.front_door_contact, name="front-door-contact"),
]
