"""Rate limits (django-ratelimit's counters), by name, with the rates in settings.GRIP_RATE_LIMITS
("120/m": 120 a minute; empty or missing: no limit). docs/operations.md says how to set them."""

from __future__ import annotations

from django.conf import settings
from django_ratelimit.core import get_usage


def seconds_until_allowed(request, *, name: str, key: str) -> int | None:
    """Count this request against the limit `name` for `key`; None if it is within the limit, else
    the seconds until the limit's window ends."""
    rate = (getattr(settings, "GRIP_RATE_LIMITS", {}) or {}).get(name) or None
    if rate is None:
        return None
    usage = get_usage(request, group=f"grip.{name}", key=lambda _group, _request: key, rate=rate, increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    return max(int(usage["time_left"]), 1)
