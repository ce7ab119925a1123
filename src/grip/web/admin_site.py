"""The Django admin, as Grip mounts it (docs/adr/0017-django-admin-and-access-pages.md).

- Only a system administrator (the role, not Django's staff or superuser flags) reaches it; any
  other signed-in user gets "not found", and signing in is Grip's own page (second factor, lockout,
  audit), never the admin's.
- Children's records and every journey record are not in it at all (JOURNEY_APPS): reading them
  there would go round scope and the audit log of views, changing them round the services.
  Registering one fails at start-up.
- Everything it does change (teams, workers, local settings) is written to the audit log in the
  same transaction as the change.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.http import Http404
from django.urls import reverse

from grip.access.capabilities import ADMINISTER_GRIP
from grip.audit import services as audit

# Apps whose models are a child's record, their journey, or the log of them.
JOURNEY_APPS = frozenset({"people", "frontdoor", "cases", "allocation", "audit"})


def is_system_administrator(request) -> bool:
    user = request.user
    return user.is_active and ADMINISTER_GRIP.held_by(user)


class AuditedModelAdmin(admin.ModelAdmin):
    """A model admin whose permissions are the system administrator's role and whose every change
    is in the audit log, written inside the change's transaction."""

    def has_module_permission(self, request):
        return is_system_administrator(request)

    def has_view_permission(self, request, obj=None):
        return is_system_administrator(request)

    def has_add_permission(self, request):
        return is_system_administrator(request)

    def has_change_permission(self, request, obj=None):
        return is_system_administrator(request)

    def has_delete_permission(self, request, obj=None):
        return is_system_administrator(request)

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            payload = {"fields": sorted(form.changed_data)} if change else {}
            audit.record(
                actor=request.user, verb="admin_changed" if change else "admin_added", target=obj, payload=payload
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit.record(actor=request.user, verb="admin_deleted", target=obj, payload={"record": str(obj)})
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                audit.record(actor=request.user, verb="admin_deleted", target=obj, payload={"record": str(obj)})
            super().delete_queryset(request, queryset)


class GripAdminSite(admin.AdminSite):
    site_header = "Grip administration"
    site_title = "Grip administration"

    def has_permission(self, request):
        return is_system_administrator(request)

    def admin_view(self, view, cacheable=False):
        guarded = super().admin_view(view, cacheable)

        @wraps(guarded)
        def only_system_administrators(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise Http404("Page not found")  # other roles get no admin, and no hint of one
            return guarded(request, *args, **kwargs)

        return only_system_administrators

    def login(self, request, extra_context=None):
        """Grip's own sign-in page (second factor, lockout, audit), then back here."""
        if request.user.is_authenticated:
            raise Http404("Page not found")
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))

    def register(self, model_or_iterable, admin_class=None, **options):
        models = [model_or_iterable] if isinstance(model_or_iterable, type) else list(model_or_iterable)
        for model in models:
            if model._meta.app_label in JOURNEY_APPS:
                raise ImproperlyConfigured(
                    f"{model._meta.label} is a child's record or journey: it is not in the Django admin "
                    "(docs/adr/0017-django-admin-and-access-pages.md)."
                )
        base = admin_class or admin.ModelAdmin
        audited = type(base.__name__, (AuditedModelAdmin, base), {"__module__": base.__module__})
        super().register(model_or_iterable, audited, **options)
