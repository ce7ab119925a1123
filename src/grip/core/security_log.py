"""Errors and security events as JSON lines on standard output (issue 12; docs/operations.md).

One line per event, e.g. {"event": "sign_in_failed", "username": "sw1", "ip": "10.0.0.1",
"level": "warning", "logger": "grip.security", "timestamp": "2026-03-04T10:00:00Z"}. The events:
sign_in_failed, sign_in_locked_out, refused (401/403), rate_limited (429), child_not_found (a 404
on a child's id) and, from Django, every server error with its traceback. Personal data stays out:
a username and an address, never a child's name or a search's words."""

from __future__ import annotations

import structlog

from grip.core.requests import client_address

SECURITY = "grip.security"  # the logger; its level and handler are in config/settings/logs.py
TIMESTAMPED = [
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def configure_structlog() -> None:
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            *TIMESTAMPED,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )


def security_event(event: str, *, request=None, **fields) -> None:
    """Log one security event, with who and from where when there is a request."""
    if request is not None:
        user = getattr(request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            fields.setdefault("user_id", user.pk)
        fields.setdefault("ip", client_address(request))
        fields.setdefault("method", request.method)
        fields.setdefault("path", request.path)
    structlog.get_logger(SECURITY).warning(event, **fields)


def _sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    security_event("sign_in_failed", request=request, username=credentials.get("username", ""))


def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    security_event("sign_in_locked_out", request=request, username=username or "")


def connect_signals() -> None:
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_login_failed

    user_login_failed.connect(_sign_in_failed, dispatch_uid="grip.security.sign_in_failed")
    user_locked_out.connect(_locked_out, dispatch_uid="grip.security.locked_out")


class SecurityEventsMiddleware:
    """Refusals (401, 403), rate limits (429) and a 404 on a child's id, as security events."""

    EVENTS = {401: "refused", 403: "refused", 429: "rate_limited"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        status = response.status_code
        if status in self.EVENTS:
            security_event(self.EVENTS[status], request=request, status=status)
        elif status == 404:
            match = getattr(request, "resolver_match", None)
            if match is not None and "children/<int:pk>" in (match.route or ""):
                # audited: whether grip.access.opening wrote the attempt to the audit log (None: it never
                # got that far, e.g. a role that may not use the page; False: past its rate limit).
                audited = getattr(request, "grip_not_found_audited", None)
                child_id = match.kwargs.get("pk")
                security_event("child_not_found", request=request, status=status, child_id=child_id, audited=audited)
        return response
