"""Access policy read from reference/access/exceptions.toml, which names its source."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from django.utils import timezone

from grip.core.reference import named_source, read_reference, reference_file

POLICY_FILE = reference_file("access/exceptions.toml")


class AccessPolicyError(ValueError):
    """The access policy file is wrong; the message names the key."""


@dataclass(frozen=True)
class ExceptionPolicy:
    longest_days: int  # an exception may expire at most this many days from today
    source: str


def load_exception_policy(path: Path = POLICY_FILE) -> ExceptionPolicy:
    raw = read_reference(path, error=AccessPolicyError)
    table = raw.get("exceptions")
    if not isinstance(table, dict):
        raise AccessPolicyError("exceptions: missing, or not a table")
    days = table.get("longest_days")
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 366:
        raise AccessPolicyError(f"exceptions.longest_days: a whole number of days from 1 to 366, not {days!r}")
    source = named_source(table, key="exceptions", path=path, error=AccessPolicyError)
    return ExceptionPolicy(longest_days=days, source=source)


@cache
def exception_policy() -> ExceptionPolicy:
    return load_exception_policy()


def latest_exception_expiry() -> datetime:
    """The latest moment an exception granted now may last to: the end of the day `longest_days`
    from today."""
    last_day = timezone.localdate() + timedelta(days=exception_policy().longest_days)
    return timezone.make_aware(datetime.combine(last_day + timedelta(days=1), datetime.min.time()))
