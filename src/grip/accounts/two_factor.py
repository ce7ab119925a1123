"""The second factor: set up an authenticator app (TOTP) and get recovery codes, then enter a code
from the app (or a recovery code) at each sign-in. Replacing the app needs a code from it or a
recovery code (grip.accounts.new_app); only a system administrator's reset lets someone set up again
with their password alone (grip.accounts.reset)."""

import math
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from markupsafe import Markup

from . import services
from .forms import CodeForm
from .selectors import SecondFactor, second_factor_of

DEVICE_NAME = "Authenticator app"
PENDING_SESSION_KEY = "grip_pending_authenticator"


def qr_code_svg(data: str) -> Markup:
    """An inline SVG QR code (no style attributes, so the Content Security Policy allows it)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathFillImage)
    svg = image.to_string(encoding="unicode")
    labelled = svg.replace("<svg ", '<svg role="img" aria-label="QR code to scan with your authenticator app" ', 1)
    return Markup(labelled)  # noqa: S704 (made by qrcode from our own data, not user input)


def secret_text(device: TOTPDevice) -> str:
    """The secret as authenticator apps ask for it when typed in: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    return target if allowed else settings.LOGIN_REDIRECT_URL


def wait_message(details: dict) -> str:
    """After a wrong code the device makes you wait (1, 2, 4, 8... seconds) before the next one."""
    locked_until = (details or {}).get("locked_until")
    wait = max(1, math.ceil((locked_until - timezone.now()).total_seconds())) if locked_until else 60
    if wait < 120:
        when = "1 second" if wait == 1 else f"{wait} seconds"
    else:
        when = f"{math.ceil(wait / 60)} minutes"
    return f"Wait {when} before entering another code"


def pending_device(request) -> TOTPDevice:
    """The authenticator app being set up in this browser session.

    Its QR code stays the same until it is confirmed, and no other session (someone else holding
    the password) is ever shown the same key: each gets its own, and confirming one removes the rest."""
    pk = request.session.get(PENDING_SESSION_KEY)
    device = TOTPDevice.objects.filter(pk=pk, user=request.user, confirmed=False).first() if pk else None
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name=DEVICE_NAME, confirmed=False)
        request.session[PENDING_SESSION_KEY] = device.pk
    return device


def checked(form, field: str, device, code: str, wrong: str) -> bool:
    """Whether `code` is right for `device`, with the wait or the error put on the form if not."""
    allowed, details = device.verify_is_allowed()
    if not allowed:
        form.add_error(field, wait_message(details))
        return False
    if device.verify_token(code):
        return True
    form.add_error(field, wrong)
    return False


def with_next(name: str, request) -> str:
    return reverse(name) + "?" + urlencode({"next": safe_next(request)})


def show_recovery_codes(request, codes: list[str], *, first: bool, next_url: str):
    """The new recovery codes, shown on this one page and never again (only their hashes are kept)."""
    context = {"codes": codes, "first": first, "next": next_url}
    response = render(request, "accounts/recovery_codes_new.html", context)
    response["Cache-Control"] = "no-store"
    return response


def two_factor(request):
    """Set up an authenticator app (the first time) or enter the code it shows (every sign-in)."""
    if getattr(request.user, "is_verified", lambda: False)():
        return redirect(safe_next(request))
    state = second_factor_of(request.user)
    if state.authenticator is not None:
        return enter_code(request, state)
    if state.may_set_up_with_password:
        return set_up(request)
    # They had a second factor and the app is gone, but no administrator has reset it: a recovery
    # code lets them set up a new app; the password alone does not.
    return redirect(with_next("web:two-factor-new-app", request))


def set_up(request):
    device = pending_device(request)
    form = CodeForm(request.POST or None)
    wrong = "That code is not right. Enter the code your authenticator app shows now"
    if request.method == "POST" and form.is_valid() and checked(form, "code", device, form.cleaned_data["code"], wrong):
        try:
            codes = services.authenticator_set_up(user=request.user, device=device, request=request)
        except ValidationError:  # another session finished setting up first
            return redirect(with_next("web:two-factor", request))
        request.session.pop(PENDING_SESSION_KEY, None)
        otp_login(request, device)
        return show_recovery_codes(request, codes, first=True, next_url=safe_next(request))
    context = {
        "form": form,
        "next": safe_next(request),
        "qr_code": qr_code_svg(device.config_url),
        "secret": secret_text(device),
    }
    return render(request, "accounts/two_factor_setup.html", context)


def enter_code(request, state: SecondFactor):
    device = state.authenticator
    form = CodeForm(request.POST or None)
    wrong = "That code is not right. Enter the code your authenticator app shows now"
    if request.method == "POST" and form.is_valid() and checked(form, "code", device, form.cleaned_data["code"], wrong):
        otp_login(request, device)
        return redirect(safe_next(request))
    context = {"form": form, "next": safe_next(request), "codes_left": state.codes_left}
    return render(request, "accounts/two_factor_verify.html", context)
