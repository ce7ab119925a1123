"""Writes about access: granting and revoking roles, restricting a child's record and lifting the
restriction, granting and revoking an exception to open a restricted record.

Each is one durable transaction with its audit entry written inside it. Bad input raises a
ValidationError naming the field (the pages put it in the GOV.UK error summary) and changes nothing.
The system administrator does all of these (the /access/ pages); a manager named on a restricted
record may also restrict, lift, and grant or revoke exceptions to it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from grip.access.capabilities import MANAGE_ACCESS, RESTRICT_A_RECORD
from grip.access.leaving import has_left
from grip.access.models import AccessException, RestrictedRecord, RoleGrant
from grip.access.policy import exception_policy, latest_exception_expiry
from grip.access.roles import Role
from grip.audit import services as audit
from grip.core.formatting import long_date
from grip.people.models import Person

MIN_REASON = 10


def _name(user) -> str:
    return user.get_username()


def _require_system_administrator(by, doing: str) -> None:
    if not MANAGE_ACCESS.held_by(by):
        raise ValidationError(f"Only a system administrator can {doing}.")


def _forget_roles(user) -> None:
    user.__dict__.pop("_grip_roles", None)


def _may_manage_restriction(by, restriction: RestrictedRecord) -> bool:
    return MANAGE_ACCESS.held_by(by) or (
        RESTRICT_A_RECORD.held_by(by) and restriction.named_users.filter(pk=by.pk).exists()
    )


def _reason(reason: str, why: str) -> str:
    if len(reason.strip()) < MIN_REASON:
        raise ValidationError({"reason": f"Say why {why}, in at least {MIN_REASON} characters."})
    return reason.strip()


# --- roles ------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def role_grant(*, user, role: Role, by) -> RoleGrant:
    """Give `user` the role; only a system administrator may."""
    _require_system_administrator(by, "grant roles")
    role = Role(role)
    if has_left(user):
        raise ValidationError({"user": f"{_name(user)} has left: their leaving date has passed."})
    if RoleGrant.objects.filter(user=user, role=role).exists():
        raise ValidationError({"role": f"{_name(user)} already holds the role {role.label}."})
    grant = RoleGrant.objects.create(user=user, role=role)
    _forget_roles(user)
    audit.record(actor=by, verb="role_granted", target=grant, payload={"user": user.pk, "role": str(role)})
    return grant


@transaction.atomic(durable=True)
def role_revoke(*, user, role: Role, by) -> None:
    """Take the role from `user`; only a system administrator may, and not their own."""
    _require_system_administrator(by, "revoke roles")
    role = Role(role)
    grant = RoleGrant.objects.select_for_update().filter(user=user, role=role).first()
    if grant is None:
        raise ValidationError({"role": f"{_name(user)} does not hold the role {role.label}."})
    if user.pk == by.pk and role == Role.SYSTEM_ADMINISTRATOR:
        raise ValidationError(
            {"role": "You cannot revoke your own system administrator role: ask another system administrator."}
        )
    audit.record(actor=by, verb="role_revoked", target=grant, payload={"user": user.pk, "role": str(role)})
    grant.delete()
    _forget_roles(user)


# --- restricted records -----------------------------------------------------------------------


@transaction.atomic(durable=True)
def record_restrict(*, child: Person, reason: str, named_users: list, by) -> RestrictedRecord:
    """Make a child's record visible only to the named people. A manager restricting it is named
    too; a system administrator (who sees no child's record) is not, and must name someone."""
    administrator = MANAGE_ACCESS.held_by(by)
    if not administrator and not RESTRICT_A_RECORD.held_by(by):
        raise ValidationError("Only a manager or a system administrator can restrict a record.")
    if RestrictedRecord.objects.select_for_update().filter(child=child).exists():
        raise ValidationError({"child": f"Record {child.pk} is already restricted."})
    reason = _reason(reason, "the record is restricted")
    named = set(named_users) if administrator else {*named_users, by}
    if not named:
        raise ValidationError({"named_users": "Name at least one person who may see the record."})
    leavers = sorted(_name(u) for u in named if has_left(u))
    if leavers:
        raise ValidationError({"named_users": f"{', '.join(leavers)} has left: name people still in post."})
    restriction = RestrictedRecord.objects.create(child=child, reason=reason, restricted_by=by)
    restriction.named_users.set(named)
    audit.record(
        actor=by,
        verb="restricted",
        target=restriction,
        child=child,
        payload={"named_users": sorted(u.pk for u in named)},
    )
    return restriction


@transaction.atomic(durable=True)
def record_unrestrict(*, child: Person, by) -> None:
    """Lift the restriction on a child's record; its exceptions end with it (the audit log keeps
    who was named and which exceptions there were)."""
    restriction = RestrictedRecord.objects.select_for_update().filter(child=child).first()
    if restriction is None:
        if not (MANAGE_ACCESS.held_by(by) or RESTRICT_A_RECORD.held_by(by)):
            raise ValidationError("Only a manager or a system administrator can lift a restriction.")
        raise ValidationError({"child": f"Record {child.pk} is not restricted."})
    if not _may_manage_restriction(by, restriction):
        raise ValidationError("Only a system administrator or a manager named on the record can lift it.")
    payload = {
        "named_users": sorted(restriction.named_users.values_list("pk", flat=True)),
        "exceptions": sorted(restriction.exceptions.values_list("pk", flat=True)),
        "reason": restriction.reason,
    }
    audit.record(actor=by, verb="unrestricted", target=restriction, child=child, payload=payload)
    restriction.delete()


# --- exceptions -------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def access_exception_grant(
    *, restriction: RestrictedRecord, user, reason: str, expires_at: datetime, by
) -> AccessException:
    """Let `user` open a restricted record until `expires_at`; they give a reason at each opening."""
    if not _may_manage_restriction(by, restriction):
        raise ValidationError(
            "Only a manager named on the restricted record, or a system administrator, can grant an exception."
        )
    now = timezone.now()
    if expires_at <= now:
        raise ValidationError({"expires_at": "An exception must end in the future."})
    if expires_at > latest_exception_expiry():
        days = exception_policy().longest_days
        last = timezone.localtime(latest_exception_expiry() - timedelta(seconds=1))
        raise ValidationError(
            {"expires_at": f"An exception can last at most {days} days: choose {long_date(last)} or earlier."}
        )
    reason = _reason(reason, "the exception is needed")
    if restriction.named_users.filter(pk=user.pk).exists():
        raise ValidationError({"user": f"{_name(user)} is named on this record: they need no exception."})
    if has_left(user):
        raise ValidationError({"user": f"{_name(user)} has left: their leaving date has passed."})
    current = restriction.exceptions.filter(user=user, expires_at__gt=now).first()
    if current is not None:
        until = timezone.localtime(current.expires_at)
        raise ValidationError(
            {"user": f"{_name(user)} already has an exception for this record until {long_date(until)} {until:%H:%M}."}
        )
    exception = AccessException.objects.create(
        restriction=restriction, user=user, granted_by=by, expires_at=expires_at, reason=reason
    )
    audit.record(
        actor=by,
        verb="exception_granted",
        target=exception,
        child=restriction.child,
        payload={"user": user.pk, "expires_at": expires_at.isoformat()},
    )
    return exception


@transaction.atomic(durable=True)
def access_exception_revoke(*, exception: AccessException, by) -> AccessException:
    """End an exception now; the row stays, marked revoked (its original expiry is in the audit log)."""
    exception = AccessException.objects.select_for_update().select_related("restriction").get(pk=exception.pk)
    if not _may_manage_restriction(by, exception.restriction):
        raise ValidationError(
            "Only a manager named on the restricted record, or a system administrator, can revoke an exception."
        )
    now = timezone.now()
    if exception.expires_at <= now:
        raise ValidationError({"exception": "This exception has already ended."})
    payload = {"user": exception.user_id, "was_to_expire_at": exception.expires_at.isoformat()}
    exception.revoked_at = now
    # Ends now; the database holds an exception to ending after it began, even if revoked at once.
    exception.expires_at = max(now, exception.granted_at + timedelta(microseconds=1))
    exception.revoked_by = by
    exception.save(update_fields=["expires_at", "revoked_at", "revoked_by"])
    audit.record(
        actor=by, verb="exception_revoked", target=exception, child=exception.restriction.child, payload=payload
    )
    return exception
