"""Django's admin app with Grip's site (grip.web.admin_site): named in INSTALLED_APPS in place of
"django.contrib.admin". Kept apart so that loading the app list imports no models."""

from django.contrib.admin.apps import AdminConfig


class GripAdminConfig(AdminConfig):
    default_site = "grip.web.admin_site.GripAdminSite"
