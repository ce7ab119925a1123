"""Reads for the system administrator's access pages. They name people (staff) and identify a
child only by their record number: the administrator sees no child's record (scope gives them
none), so nothing here names a child or shows their details."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from grip.access.models import AccessException, RestrictedRecord, RoleGrant

RECENT_EXCEPTIONS = 200


def users_and_roles() -> QuerySet:
    """Every user with their role grants and worker (for the leaving date), by username."""
    return (
        get_user_model()
        .objects.select_related("worker")
        .prefetch_related(Prefetch("role_grants", queryset=RoleGrant.objects.order_by("role")))
        .order_by("username")
    )


def restricted_records() -> QuerySet[RestrictedRecord]:
    now = timezone.now()
    return (
        RestrictedRecord.objects.select_related("restricted_by")
        .prefetch_related("named_users")
        .annotate(current_exceptions=Count("exceptions", filter=Q(exceptions__expires_at__gt=now)))
        .order_by("child_id")
    )


def exceptions() -> QuerySet[AccessException]:
    """The latest exceptions, current and ended, newest first."""
    return AccessException.objects.select_related("user", "granted_by", "revoked_by", "restriction").order_by(
        "-granted_at"
    )[:RECENT_EXCEPTIONS]
