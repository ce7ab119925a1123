"""The address a request came from, for the sign-in lockout.

Behind GRIP_PROXY_COUNT reverse proxies (a load balancer, a gateway), each appends the address it
saw to X-Forwarded-For, so the client is the GRIP_PROXY_COUNT-th address from the right; anything
further left was written by the client and could be forged. With no proxies, only REMOTE_ADDR.
"""

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
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
