"""Steps the two-factor tests share: codes from an app, and setting one up through the pages."""

import re

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

TWO_FACTOR = "/account/two-factor/"
RECOVERY_SIGN_IN = "/account/two-factor/recovery/"
RECOVERY_CODES = "/account/two-factor/recovery-codes/"
NEW_APP = "/account/two-factor/new-app/"
CODE = re.compile(r"<code[^>]*>([a-z0-9]{5}-[a-z0-9]{5})</code>")


def code_for(device: TOTPDevice) -> str:
    """The code the app shows now (a device accepts each time step's code once)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def recovery_codes_in(html: str) -> list[str]:
    return CODE.findall(html)


def set_up_with_the_pages(client, user) -> tuple[TOTPDevice, list[str]]:
    """Open the set-up page, confirm the app's code; the app (a device) and the codes shown."""
    client.get(TWO_FACTOR)
    pending = TOTPDevice.objects.get(pk=client.session["grip_pending_authenticator"])
    response = client.post(TWO_FACTOR, {"code": code_for(pending), "next": "/"})
    assert response.status_code == 200, response.status_code
    pending.refresh_from_db()
    return pending, recovery_codes_in(response.content.decode())
