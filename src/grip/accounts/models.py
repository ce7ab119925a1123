"""What the accounts app stores: a person's recovery codes and the council account linked to them."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.db import models
from django.utils import timezone
from django_otp.models import Device, ThrottlingMixin

RECOVERY_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper without doubt
RECOVERY_CODE_LENGTH = 10


def normalised_recovery_code(text: str) -> str:
    """A recovery code as stored: lower case, without the spaces and hyphen people type or copy."""
    return "".join(ch for ch in text.lower() if ch not in " -\t\n")


class RecoveryCodes(ThrottlingMixin, Device):
    """A person's single-use recovery codes, one set per person.

    A django-otp device, so that signing in with a recovery code marks the session verified just as
    the authenticator app does. Each code is stored hashed with Django's password hashers (Argon2 in
    production), so a copy of the database does not give anyone a way in.
    """

    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "recovery codes"
        verbose_name_plural = "recovery codes"
        constraints = [models.UniqueConstraint(fields=["user"], name="accounts_one_set_of_recovery_codes")]

    def get_throttle_factor(self) -> int:
        # After a wrong code, wait 1, 2, 4, 8... seconds before the next try, as for the app.
        return getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1)

    def codes_left(self) -> int:
        return self.codes.filter(used_at=None).count()

    def verify_token(self, token) -> bool:
        """Whether `token` is one of the unused codes; if it is, it is used up."""
        allowed, _details = self.verify_is_allowed()
        if not allowed:
            return False
        typed = normalised_recovery_code(str(token))
        match = next((code for code in self.codes.filter(used_at=None) if check_password(typed, code.code_hash)), None)
        if match is None:
            self.throttle_increment()
            return False
        match.used_at = timezone.now()
        match.save(update_fields=["used_at"])
        self.throttle_reset()
        return True


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodes, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=128)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Recovery code {'used' if self.used_at else 'unused'}"


class CouncilAccount(models.Model):
    """The council account (OpenID Connect subject) linked to a Grip user.

    Once linked, single sign-on finds the person by this subject, never by their e-mail address, so
    an e-mail claim changed in the directory cannot sign anyone in as someone else.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="council_account")
    subject = models.CharField(max_length=255, unique=True)
    claim = models.CharField(max_length=40, help_text="The claim the subject was read from: sub, or oid for Entra ID.")
    linked_at = models.DateTimeField(default=timezone.now)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.user} is council account {self.claim}={self.subject}"
