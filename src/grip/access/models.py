"""Who holds which role; restricted records and the people allowed to open them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from grip.access.roles import Role
from grip.core.formatting import long_date


class RoleGrant(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=40, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="access_role_granted_once"),
            models.CheckConstraint(
                condition=Q(role__in=Role.values),
                name="access_role_known",
                violation_error_message="Choose one of Grip's roles.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} is {self.get_role_display()}"


class PartnerMembership(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_membership")
    organisation = models.ForeignKey("frontdoor.PartnerOrganisation", on_delete=models.PROTECT, related_name="members")

    def __str__(self) -> str:
        return f"{self.user} of {self.organisation}"


class RestrictedRecord(models.Model):
    """A child's record visible only to named people (e.g. a relative works in the service, adoption,
    a high-profile case). Others may open it only with a granted exception, giving a reason each time."""

    child = models.OneToOneField("people.Person", on_delete=models.CASCADE, related_name="restriction")
    reason = models.CharField(max_length=300)
    restricted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    restricted_at = models.DateTimeField(auto_now_add=True)
    named_users = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="restricted_records_named", blank=True)

    def __str__(self) -> str:
        return f"Restricted: {self.child}"


class AccessException(models.Model):
    """Permission, granted by a manager, for one person to open one restricted record until a date."""

    restriction = models.ForeignKey(RestrictedRecord, on_delete=models.CASCADE, related_name="exceptions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_exceptions")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(help_text="When it ends; set to the moment it was revoked, if it was.")
    reason = models.CharField(max_length=300)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("granted_at")),
                name="access_exception_expires_after_grant",
                violation_error_message="An exception must expire after it is granted.",
            ),
        ]

    def __str__(self) -> str:
        until = f"{long_date(self.expires_at)} {self.expires_at:%H:%M}"
        return f"{self.user} may open {self.restriction.child} until {until}"
