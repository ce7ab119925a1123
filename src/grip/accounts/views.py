"""Signing in and out, the locked-out page and changing a password."""

from datetime import datetime

from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db.models import Max, Q
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils import timezone

from grip.audit import services as audit
from grip.core.formatting import long_date


class LoginView(auth_views.LoginView):
    template_name = "login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sso_enabled"] = settings.GRIP_OIDC_ENABLED
        context["sso_failed"] = self.request.GET.get("sso") == "failed"
        return context


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view keeps this session signed in (update_session_auth_hash); every other session
    of the user ends, because its stored password hash no longer matches."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("web:password-changed")

    def form_valid(self, form):
        response = super().form_valid(form)
        user = self.request.user
        audit.record(actor=user, verb="password_changed", target=user, request=self.request)
        return response


class PasswordChangedView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_changed.html"


def lockout_ends(request, credentials) -> datetime:
    """When the last counted failure for this username or address stops counting."""
    conditions = Q(pk__in=[])
    if username := get_client_username(request, credentials):
        conditions |= Q(username=username)
    if ip_address := getattr(request, "axes_ip_address", None):
        conditions |= Q(ip_address=ip_address)
    latest = AccessAttempt.objects.filter(conditions).aggregate(latest=Max("attempt_time"))["latest"]
    return (latest or timezone.now()) + get_cool_off(request)


def time_of_day(moment: datetime) -> str:
    """GOV.UK style: 9:05am, 3:45pm, midday, midnight; with the date when it is not today."""
    local = timezone.localtime(moment)
    if (local.hour, local.minute) == (12, 0):
        text = "midday"
    elif (local.hour, local.minute) == (0, 0):
        text = "midnight"
    else:
        text = f"{local.hour % 12 or 12}:{local.minute:02d}{'am' if local.hour < 12 else 'pm'}"
    if local.date() != timezone.localdate():
        text += f" on {long_date(local)}"
    return text


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout response (AXES_LOCKOUT_CALLABLE): what happened and when to try again.

    It names neither the account nor the address, so the page tells an attacker nothing new."""
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "minutes": int(cool_off.total_seconds() // 60),
        "try_again_at": time_of_day(lockout_ends(request, credentials)),
    }
    return render(request, "accounts/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
