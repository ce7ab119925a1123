"""Nothing of this app is in the Django admin: its records are children's records and their
journey, read only through scope (with every view audited) and changed only through the services.
grip.web.admin_site refuses them (docs/adr/0017-django-admin-and-access-pages.md)."""
