"""The system administrator's access pages (/access/): who holds which role, restricted records and
exceptions to them. Thin: each form page checks what was typed, calls a service, and shows the
service's refusal in the GOV.UK error summary (status 400, nothing changed) or goes back to the
list with a notice. Anyone else gets "not found"."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from grip.access import selectors, services
from grip.access.capabilities import MANAGE_ACCESS
from grip.access.decorators import ROLES, access_rule
from grip.access.forms import ExceptionForm, ExceptionRevokeForm, RestrictForm, RoleForm, UnrestrictForm
from grip.access.policy import exception_policy
from grip.access.roles import Role
from grip.core.formatting import long_date
from grip.web.toolkit.forms import show_refusal
from grip.web.toolkit.pages import render_page

# A service's field names, as the forms name them.
FIELD_OF = {"user": "username", "expires_at": "expires_day", "restriction": "child", "exception": "username"}


def _form_page(request, *, form_class, template: str, act: Callable[[dict], str], done: str, **context):
    form = form_class(request.POST if request.method == "POST" else None, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        try:
            notice = act(form.cleaned_data)
        except ValidationError as refused:
            show_refusal(form, refused, FIELD_OF)
        else:
            messages.success(request, notice)
            return redirect(done)
    return render(request, template, {"form": form, **context}, status=400 if form.errors else 200)


@access_rule(ROLES, roles=MANAGE_ACCESS.roles)
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "access/index.html", {})


@access_rule(ROLES, roles=MANAGE_ACCESS.roles)
def users(request: HttpRequest) -> HttpResponse:
    context = {"users": selectors.users_and_roles(), "roles": dict(Role.choices), "today": timezone.localdate()}
    return render_page(request, "access/users.html", context)


@access_rule(ROLES, roles=MANAGE_ACCESS.roles)
@require_http_methods(["GET", "POST"])
def role_grant(request: HttpRequest) -> HttpResponse:
    def act(data):
        services.role_grant(user=data["username"], role=Role(data["role"]), by=request.user)
        return f"{data['username'].username} now holds the role {Role(data['role']).label}."

    return _form_page(request, form_class=RoleForm, template="access/role_grant.html", act=act, done="access:users")


@access_rule(ROLES, roles=MANAGE_ACCESS.roles)
@require_http_methods(["GET", "POST"])
def role_revoke(request: HttpRequest) -> HttpResponse:
    def act(data):
        services.role_revoke(user=data["username"], role=Role(data["role"]), by=request.user)
        return f"{data['username'].username} no longer holds the role {Role(data['role']).label}."

    return _form_page(request, form_class=RoleForm, template="access/role_revoke.html", act=act, done="access:users")


@access_rule(ROLES, roles=MANAGE_ACCESS.roles)
def restricted(request: HttpRequest) -> HttpResponse:
    return render_page(request, "access/restricted.html", {"records": selectors.restricted_records()})


@access_rule(ROLES, roles=MANAGE_ACCESS.roles)
@require_http_methods(["GET", "POST"])
def restrict(request: HttpRequest) -> HttpResponse:
    def act(data):
        services.record_restrict(
            child=data["child"], reason=data["reason"], named_users=data["named_users"], by=request.user
        )
        return f"Record {data['child'].pk} is restricted."

    return _form_page(
        request, form_class=RestrictForm, template="access/restrict.html", act=act, done="access:restricted"
    )


@access_rule(ROLES, roles=MANAGE_ACCESS.roles)
@require_http_methods(["GET", "POST"])
def unrestrict(request: HttpRequest) -> HttpResponse:
    def act(data):
        services.record_unrestrict(child=data["child"], by=request.user)
        return f"Record {data['child'].pk} is no longer restricted."

    return _form_page(
        request, form_class=UnrestrictForm, template="access/unrestrict.html", act=act, done="access:restricted"
    )


@access_rule(ROLES, roles=MANAGE_ACCESS.roles)
def exceptions(request: HttpRequest) -> HttpResponse:
    context = {
        "exceptions": selectors.exceptions(),
        "now": timezone.now(),
        "localtime": timezone.localtime,
    }
    return render_page(request, "access/exceptions.html", context)


@access_rule(ROLES, roles=MANAGE_ACCESS.roles)
@require_http_methods(["GET", "POST"])
def exception_grant(request: HttpRequest) -> HttpResponse:
    def act(data):
        exception = services.access_exception_grant(
            restriction=data["child"].restriction,
            user=data["username"],
            reason=data["reason"],
            expires_at=data["expires_at"],
            by=request.user,
        )
        until = timezone.localtime(exception.expires_at)
        return f"{data['username'].username} may open record {data['child'].pk} until {long_date(until)} {until:%H:%M}."

    return _form_page(
        request,
        form_class=ExceptionForm,
        template="access/exception_grant.html",
        act=act,
        done="access:exceptions",
        longest_days=exception_policy().longest_days,
    )


@access_rule(ROLES, roles=MANAGE_ACCESS.roles)
@require_http_methods(["GET", "POST"])
def exception_revoke(request: HttpRequest) -> HttpResponse:
    def act(data):
        services.access_exception_revoke(exception=data["exception"], by=request.user)
        return f"{data['exception'].user.username} may no longer open record {data['child']}."

    return _form_page(
        request,
        form_class=ExceptionRevokeForm,
        template="access/exception_revoke.html",
        act=act,
        done="access:exceptions",
    )
