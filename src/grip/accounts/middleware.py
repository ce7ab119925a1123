"""A second factor for everyone: when GRIP_REQUIRE_SECOND_FACTOR is on, anyone signed in (staff,
partner agency users, administrators, people with no role yet) who has not entered a code from their
authenticator app, or a recovery code, in this session is sent to the two-factor page before anything
else. Organisations' API tokens are not sessions (grip.api) and are not affected."""

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from grip.audit import services as audit

OIDC_BACKEND = "grip.accounts.oidc.CouncilAccountBackend"


def second_factor_required(request) -> bool:
    """Whether this request's user must still enter a code before going on."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return False
    return not (settings.GRIP_OIDC_SATISFIES_OTP and request.session.get(BACKEND_SESSION_KEY) == OIDC_BACKEND)


def always_reachable(path: str) -> bool:
    """Static assets, signing out and the two-factor pages themselves (each asks for its own proof)."""
    open_prefixes = (settings.STATIC_URL, reverse("web:two-factor"))
    return path.startswith(open_prefixes) or path == reverse("web:logout")


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.GRIP_REQUIRE_SECOND_FACTOR
            and not always_reachable(request.path)
            and second_factor_required(request)
        ):
            return send_to_two_factor(request)
        return self.get_response(request)


def send_to_two_factor(request):
    target = reverse("web:two-factor")
    if request.method == "GET":
        target += "?" + urlencode({"next": request.get_full_path()})
    if request.headers.get("HX-Request"):
        # htmx would swap the page into a fragment; ask it to load the whole page instead.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return redirect(target)


class EndedSessionMiddleware:
    """Ends a session whose user may no longer be signed in (their leaving date has come, or their
    account was made inactive): the backends stop loading that user, and this flushes the session
    itself at its next request, so nothing of it lingers. After AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user_id = request.session.get(SESSION_KEY)
        if user_id is not None and not request.user.is_authenticated:
            request.session.flush()
            audit.record(actor=None, verb="session_ended", payload={"user": str(user_id)}, request=request)
        return self.get_response(request)
