"""The second factor: set up an authenticator app (TOTP), then enter its code at each sign-in."""

import math
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from markupsafe import Markup

from .forms import CodeForm

DEVICE_NAME = "Authenticator app"


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


def two_factor(request):
    """Set up an authenticator app (the first time) or enter the code it shows (every sign-in)."""
    user = request.user
    if getattr(user, "is_verified", lambda: False)():
        return redirect(safe_next(request))
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    setting_up = device is None
    if setting_up:
        # One unconfirmed device per person, so the QR code stays the same until they confirm it.
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
        device = device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)

    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, details = device.verify_is_allowed()
        if not allowed:
            form.add_error("code", wait_message(details))
        elif device.verify_token(form.cleaned_data["code"]):
            if setting_up:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(safe_next(request))
        else:
            form.add_error("code", "That code is not right. Enter the code your authenticator app shows now")

    context = {"form": form, "setting_up": setting_up, "next": safe_next(request)}
    if setting_up:
        context |= {"qr_code": qr_code_svg(device.config_url), "secret": secret_text(device)}
    template = "accounts/two_factor_setup.html" if setting_up else "accounts/two_factor_verify.html"
    return render(request, template, context)
