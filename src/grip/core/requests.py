"""Reading a request: a number from its query string, and the address it came from.

The address: behind GRIP_PROXY_COUNT reverse proxies (a load balancer, a gateway), each appends
the address it saw to X-Forwarded-For, so the client is the GRIP_PROXY_COUNT-th address from the
right; anything further left was written by the client and could be forged. With no proxies, only
REMOTE_ADDR. The sign-in lockout, the audit log and the security log all use it."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def whole_number(request: HttpRequest, name: str) -> int | None:
    """`?name=12` as 12; absent, empty or not plain digits (a filter typed wrong) as None."""
    value = request.GET.get(name, "").strip()
    return int(value) if value.isascii() and value.isdigit() else None


def client_address(request: HttpRequest) -> str | None:
    """The client's address (see the module docstring), or None."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = getattr(settings, "GRIP_PROXY_COUNT", 0)
    if not proxies:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
