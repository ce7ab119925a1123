"""Every view declares who may reach it; the access matrix test fails for a view that does not.

    @access_rule(CHILD)                      # signed in, and `pk` is a child in the user's scope
    @access_rule(SIGNED_IN)                  # any signed-in user
    @access_rule(ROLES, roles=SEE_CASELOADS.roles)  # signed in with a role that has the capability
                                             # (grip.access.capabilities); others get 404
    @access_rule(CONTACT)                    # signed in, and `pk` is a contact the user may see
    @access_rule(PUBLIC)                     # sign-in pages and the like
    @access_rule(PARTNER_TOKEN)              # an API view class: an organisation's API token, no session

The decorator enforces the sign-in and role parts; for CHILD the view must load the child through
`grip.access.opening.opens_child_record` (scope through `child_access`, which makes an out-of-scope
child "not found"; the reason for a restricted record; the audit entries), and for
CONTACT through `grip.frontdoor.selectors.contacts_visible_to`. PARTNER_TOKEN is for Django REST framework
view classes (grip.api): the token is checked by the view's authentication and permission classes,
and the view loads records only through the token's organisation (another's is "not found"). A
view class may also be PUBLIC (the API schema); the decorator then only labels the class.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from grip.access.roles import Role, has_role

PUBLIC, SIGNED_IN, ROLES, CHILD, CONTACT = "public", "signed_in", "roles", "child", "contact"
PARTNER_TOKEN = "partner_token"  # authenticated by an organisation's API token (grip.api.authentication)
KINDS = (PUBLIC, SIGNED_IN, ROLES, CHILD, CONTACT, PARTNER_TOKEN)


@dataclass(frozen=True)
class AccessRule:
    kind: str
    roles: frozenset[Role] = frozenset()
    method: str = "GET"  # how the access matrix test calls the view


def access_rule(kind: str, *, roles: Iterable[Role] = (), method: str = "GET") -> Callable:
    rule = AccessRule(kind, frozenset(roles), method)
    if kind not in KINDS:
        raise ValueError(f"Unknown access rule {kind!r}")
    if kind == ROLES and not rule.roles:
        raise ValueError("A ROLES rule needs the roles")

    def decorate(view: Callable) -> Callable:
        if isinstance(view, type):  # a class-based (REST framework) view: its own classes enforce the rule
            if kind not in (PUBLIC, PARTNER_TOKEN):
                raise ValueError(f"A view class can be PUBLIC or PARTNER_TOKEN, not {kind!r}")
            view.access_rule = rule
            return view
        if kind == PARTNER_TOKEN:
            raise ValueError("PARTNER_TOKEN is for REST framework view classes that check the token")

        @wraps(view)
        def guarded(request, *args, **kwargs):
            if kind != PUBLIC and not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if rule.roles and not has_role(request.user, *rule.roles):
                raise Http404("Page not found")
            return view(request, *args, **kwargs)

        guarded.access_rule = rule
        return guarded

    return decorate
