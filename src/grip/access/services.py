"""Writes about access: granting roles, restricting a child's record, granting an exception.

Each is one durable transaction with its audit entry written inside it.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from grip.access.models import AccessException, RestrictedRecord, RoleGrant
from grip.access.roles import MANAGERS, Role, has_role
from grip.people.models import Person


@transaction.atomic(durable=True)
def role_grant(*, user, role: Role, by) -> RoleGrant:
    """Give `user` the role; only a system administrator may."""
    if not has_role(by, Role.SYSTEM_ADMINISTRATOR):
        raise ValidationError("Only a system administrator can grant roles.")
    grant, _ = RoleGrant.objects.get_or_create(user=user, role=Role(role))
    user.__dict__.pop("_grip_roles", None)
    _audit().record(actor=by, verb="role_granted", target=grant, payload={"user": user.pk, "role": str(role)})
    return grant


@transaction.atomic(durable=True)
def record_restrict(*, child: Person, reason: str, named_users: list, by) -> RestrictedRecord:
    """Make a child's record visible only to the named people (the restricting manager among them)."""
    if not has_role(by, *MANAGERS):
        raise ValidationError("Only a manager can restrict a record.")
    if len(reason.strip()) < 10:
        raise ValidationError({"reason": "Say why the record is restricted, in at least 10 characters."})
    restriction, _ = RestrictedRecord.objects.update_or_create(
        child=child, defaults={"reason": reason.strip(), "restricted_by": by}
    )
    restriction.named_users.set({*named_users, by})
    _audit().record(
        actor=by,
        verb="restricted",
        target=restriction,
        child=child,
        payload={"named_users": sorted(u.pk for u in restriction.named_users.all())},
    )
    return restriction


@transaction.atomic(durable=True)
def access_exception_grant(
    *, restriction: RestrictedRecord, user, reason: str, expires_at: datetime, by
) -> AccessException:
    """Let `user` open a restricted record until `expires_at`; they give a reason at each opening."""
    if not restriction.named_users.filter(pk=by.pk).exists() or not has_role(by, *MANAGERS):
        raise ValidationError("Only a manager named on the restricted record can grant an exception.")
    if expires_at <= timezone.now():
        raise ValidationError({"expires_at": "An exception must end in the future."})
    if len(reason.strip()) < 10:
        raise ValidationError({"reason": "Say why the exception is needed, in at least 10 characters."})
    exception = AccessException.objects.create(
        restriction=restriction, user=user, granted_by=by, expires_at=expires_at, reason=reason.strip()
    )
    _audit().record(
        actor=by,
        verb="exception_granted",
        target=exception,
        child=restriction.child,
        payload={"user": user.pk, "expires_at": expires_at.isoformat()},
    )
    return exception


def _audit():
    # Imported when first used: the audit app depends on people and access models being loaded.
    from grip.audit import services

    return services
