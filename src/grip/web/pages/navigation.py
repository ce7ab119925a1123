"""The service navigation: the sections of Grip a signed-in user may open, and the one they are in.

A section is shown only if its page's own access rule (grip.access.decorators) lets the user in,
so the navigation can never offer a page that answers "not found", and a page's roles are written
in one place. "My cases" and "Due and overdue" are not offered to partner agency users, who hold
no cases (as on the home page).

Every page's template gets it as ``service_navigation(request)`` from the context processor
`context` (TEMPLATES OPTIONS "context_processors").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.urls import resolve, reverse

from grip.access.decorators import AccessRule
from grip.access.roles import Role, has_role, roles_of


@dataclass(frozen=True)
class Section:
    text: str
    view: str  # the URL name of the section's page
    covers: tuple[str, ...] = ()  # URL paths (prefixes) of the pages that belong to the section
    staff_only: bool = False


SECTIONS = (
    Section("Home", "web:home"),
    Section("Children search", "web:child-search", covers=("/children/",)),
    Section("Front door", "frontdoor:queue", covers=("/front-door/",)),
    Section("My cases", "caseloads:mine", covers=("/caseloads/mine/",), staff_only=True),
    Section("Due and overdue", "chase:mine", covers=("/chase/",), staff_only=True),
    Section("Unallocated", "allocation:register", covers=("/allocation/",)),
    Section("Caseloads", "caseloads:overview", covers=("/caseloads/",)),
)


@cache
def _page(view: str) -> tuple[str, AccessRule]:
    path = reverse(view)
    return path, resolve(path).func.access_rule


def _may_open(user, rule: AccessRule) -> bool:
    """The role part of the page's rule, as `grip.access.decorators.access_rule` checks it."""
    return not rule.roles or has_role(user, *rule.roles)


def _current_section(request_path: str) -> str | None:
    """The view of the section this page belongs to: the page itself, else the most specific
    section whose paths cover it (/caseloads/mine/ is "My cases", not "Caseloads")."""
    for section in SECTIONS:
        if _page(section.view)[0] == request_path:
            return section.view
    covering = [(len(prefix), s.view) for s in SECTIONS for prefix in s.covers if request_path.startswith(prefix)]
    return max(covering)[1] if covering else None


def navigation(request) -> list[dict]:
    """The items of govukServiceNavigation for this request's user (none before sign-in)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    partner_only = roles_of(user) == {Role.PARTNER_AGENCY_USER}
    current = _current_section(request.path)
    items = []
    for section in SECTIONS:
        path, rule = _page(section.view)
        if (section.staff_only and partner_only) or not _may_open(user, rule):
            continue
        items.append({"href": path, "text": section.text, "active": section.view == current})
    if Role.SYSTEM_ADMINISTRATOR in roles_of(user):  # the Django admin is theirs alone (grip.web.admin_site)
        items.append({"href": reverse("admin:index"), "text": "Admin", "active": request.path.startswith("/admin/")})
    return items


def context(request) -> dict:
    """The Jinja2 context processor: ``service_navigation(request)`` for layout.html."""
    return {"service_navigation": navigation}
