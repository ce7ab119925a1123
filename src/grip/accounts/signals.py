"""Sign-in, failed sign-in and sign-out go to the audit log (verbs: signed_in, sign_in_failed, signed_out)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from grip.audit import services as audit

OIDC_BACKEND = "grip.accounts.oidc.CouncilAccountBackend"


def sign_in_method(user) -> str:
    return "council account" if getattr(user, "backend", "") == OIDC_BACKEND else "password"


@receiver(user_logged_in, dispatch_uid="grip.accounts.signed_in")
def signed_in(sender, request, user, **kwargs):
    audit.record(actor=user, verb="signed_in", target=user, payload={"method": sign_in_method(user)}, request=request)


@receiver(user_login_failed, dispatch_uid="grip.accounts.sign_in_failed")
def sign_in_failed(sender, credentials, request=None, **kwargs):
    # Only the username typed: Django masks the password, and other credentials (an OIDC nonce,
    # a PKCE verifier) have no place in a log.
    username = str(credentials.get("username") or "")[:150]
    locked_out = bool(getattr(request, "axes_locked_out", False))
    audit.record(
        actor=None, verb="sign_in_failed", payload={"username": username, "locked_out": locked_out}, request=request
    )


@receiver(user_logged_out, dispatch_uid="grip.accounts.signed_out")
def signed_out(sender, request, user, **kwargs):
    if user is None:  # signing out when not signed in
        return
    audit.record(actor=user, verb="signed_out", target=user, request=request)
