"""Writes about a person's second factor and council account, each one durable transaction with its
audit entry written inside it. Recovery codes are returned in plain text once, to be shown once;
only their hashes are kept."""

from __future__ import annotations

import secrets

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from grip.access.capabilities import RESET_A_SECOND_FACTOR
from grip.audit import services as audit_log

from .models import (
    RECOVERY_CODE_ALPHABET,
    RECOVERY_CODE_LENGTH,
    CouncilAccount,
    RecoveryCode,
    RecoveryCodes,
    normalised_recovery_code,
)

RECOVERY_CODE_COUNT = 10
RESET_REASON_MIN = 10


@transaction.atomic(durable=True)
def authenticator_set_up(*, user, device: TOTPDevice, request=None) -> list[str]:
    """Confirm `device` as the person's authenticator app (its code has been checked) and give them
    a new set of recovery codes, returned in plain text to be shown once.

    Only for someone who may set up with the password alone (grip.accounts.selectors); replacing
    an app goes through `authenticator_replace`."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    if (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or RecoveryCodes.objects.filter(user=user).exists()
    ):
        raise ValidationError("You have already set up a second factor.")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    # Any other half-finished set-up (another browser's QR code) stops working now.
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    codes = _new_recovery_codes(user)
    audit_log.record(
        actor=user, verb="second_factor_set_up", target=user, payload={"recovery_codes": len(codes)}, request=request
    )
    return codes


@transaction.atomic(durable=True)
def recovery_codes_regenerate(*, user, request=None) -> list[str]:
    """Replace the person's recovery codes with a new set (the caller has checked a code from their
    authenticator app); the old codes stop working."""
    codes = _new_recovery_codes(user)
    audit_log.record(
        actor=user,
        verb="recovery_codes_regenerated",
        target=user,
        payload={"recovery_codes": len(codes)},
        request=request,
    )
    return codes


@transaction.atomic(durable=True)
def recovery_code_use(*, user, code: str, request=None) -> RecoveryCodes | None:
    """Use one of the person's recovery codes up; the set if it was one of theirs, else None.

    A wrong code counts towards the wait before the next try, as for the authenticator app."""
    recovery_codes = RecoveryCodes.objects.select_for_update().filter(user=user).first()
    if recovery_codes is None or not recovery_codes.verify_token(code):
        return None
    audit_log.record(
        actor=user,
        verb="recovery_code_used",
        target=user,
        payload={"codes_left": recovery_codes.codes_left()},
        request=request,
    )
    return recovery_codes


@transaction.atomic(durable=True)
def authenticator_replace(*, user, new_device: TOTPDevice, proved_with: str, request=None) -> TOTPDevice:
    """Make `new_device` (its code checked) the person's authenticator app, in place of the old one.

    `proved_with` says how they proved they hold the second factor ("authenticator app" or
    "recovery code"): the caller has checked it; a password alone is never enough."""
    if proved_with not in ("authenticator app", "recovery code"):
        raise ValidationError("Replacing an authenticator app needs a code from it or a recovery code.")
    new_device = TOTPDevice.objects.select_for_update().get(pk=new_device.pk, user=user, confirmed=False)
    TOTPDevice.objects.filter(user=user).exclude(pk=new_device.pk).delete()
    new_device.confirmed = True
    new_device.save(update_fields=["confirmed"])
    RecoveryCodes.objects.get_or_create(user=user, defaults={"name": "Recovery codes"})
    audit_log.record(
        actor=user, verb="authenticator_replaced", target=user, payload={"proved_with": proved_with}, request=request
    )
    return new_device


@transaction.atomic(durable=True)
def second_factor_reset(*, user, reason: str, by, request=None) -> None:
    """A system administrator removes a person's authenticator app and recovery codes (a lost
    phone, say): at their next sign-in they set up a new app with their password. Every session
    of theirs verified with the old factor must enter a code again."""
    if not RESET_A_SECOND_FACTOR.held_by(by):
        raise ValidationError("Only a system administrator can reset someone's second factor.")
    if user.pk == by.pk:
        raise ValidationError(
            {"username": "You cannot reset your own second factor. Ask another system administrator."}
        )
    reason = " ".join(reason.split())
    if len(reason) < RESET_REASON_MIN:
        raise ValidationError({"reason": f"Say why you are resetting it, in at least {RESET_REASON_MIN} characters"})
    had_app = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    codes_left = sum(set_.codes_left() for set_ in RecoveryCodes.objects.filter(user=user))
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCodes.objects.filter(user=user).delete()
    audit_log.record(
        actor=by,
        verb="second_factor_reset",
        target=user,
        payload={"reason": reason, "had_authenticator": had_app, "recovery_codes_left": codes_left},
        request=request,
    )


@transaction.atomic(durable=True)
def council_account_link(*, user, subject: str, claim: str, by=None, request=None) -> CouncilAccount:
    """Link the council account with this subject to `user`, once: single sign-on finds them by it
    from now on. `by` is None when linked at the person's own first council sign-in."""
    subject = subject.strip()
    if not subject:
        raise ValidationError("A council account needs its subject.")
    if CouncilAccount.objects.filter(subject=subject).exists():
        raise ValidationError("That council account is already linked to a Grip user.")
    if CouncilAccount.objects.filter(user=user).exists():
        raise ValidationError("This Grip user is already linked to another council account.")
    link = CouncilAccount.objects.create(user=user, subject=subject, claim=claim, linked_by=by)
    audit_log.record(
        actor=by or user,
        verb="council_account_linked",
        target=user,
        payload={"claim": claim, "subject": subject, "how": "by an administrator" if by else "at first sign-in"},
        request=request,
    )
    return link


def _new_recovery_codes(user) -> list[str]:
    recovery_codes, _ = RecoveryCodes.objects.get_or_create(user=user, defaults={"name": "Recovery codes"})
    recovery_codes.codes.all().delete()
    plain = [
        "".join(secrets.choice(RECOVERY_CODE_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=recovery_codes, code_hash=make_password(normalised_recovery_code(code))) for code in plain
    )
    recovery_codes.throttle_reset()
    half = RECOVERY_CODE_LENGTH // 2
    return [f"{code[:half]}-{code[half:]}" for code in plain]
