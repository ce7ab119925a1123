"""Where a person stands with their second factor (reads only)."""

from __future__ import annotations

from dataclasses import dataclass

from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import RecoveryCodes


@dataclass(frozen=True)
class SecondFactor:
    authenticator: TOTPDevice | None  # the confirmed authenticator app, if set up
    recovery_codes: RecoveryCodes | None  # the set of recovery codes, if ever made

    @property
    def may_set_up_with_password(self) -> bool:
        """Whether signing in with the password alone is enough to set up an authenticator app.

        Only for someone who has never set up a second factor, or whose second factor a system
        administrator has reset (which removes both the app and the recovery codes). Anyone else
        proves they hold the second factor first: a code from the app or a recovery code."""
        return self.authenticator is None and self.recovery_codes is None

    @property
    def codes_left(self) -> int:
        return self.recovery_codes.codes_left() if self.recovery_codes is not None else 0


def second_factor_of(user) -> SecondFactor:
    return SecondFactor(
        authenticator=TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first(),
        recovery_codes=RecoveryCodes.objects.filter(user=user).first(),
    )
