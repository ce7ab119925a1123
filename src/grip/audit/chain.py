"""How an audit entry's signature is made, and how a payload is made safe to sign.

hash = HMAC-SHA256(key, previous_hash + canonical JSON of the entry's fields), the key being the one
the entry's key_id names in settings (grip.audit.keys): without it nobody can make an entry, or
re-make the entries after an altered one, that verifies. The JSON has sorted keys, no spaces, ids
as strings, the time in UTC ISO 8601 with microseconds and the IP address in Python's canonical form.
Every value is put in that form both when writing and when verifying, so the hash is the same
whichever database stored the entry and however it prints a time or an address.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from .keys import sign

# The fields a hash covers, in the names of AuditEntry's columns.
HASHED_FIELDS = (
    "id",
    "at",
    "actor_id",
    "actor_label",
    "verb",
    "target_type",
    "target_id",
    "child_id",
    "payload",
    "ip_address",
    "user_agent",
    "key_id",
)


def clean_text(value: str) -> str:
    # PostgreSQL text and jsonb cannot hold NUL; drop it on every database alike.
    return value.replace("\x00", "")


def plain_payload(value: Any) -> Any:
    """`value` as JSON that reads back identically from SQLite and PostgreSQL: dict keys as text,
    dates, decimals, UUIDs and non-whole numbers as text (jsonb rewrites 1e20 as
    100000000000000000000, which would change the hash), tuples and sets as lists."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 2**53 else repr(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, Mapping):
        return {clean_text(str(k)): plain_payload(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [plain_payload(v) for v in items]
    raise TypeError(f"An audit payload cannot hold a {type(value).__name__}: pass plain data (ids, text, numbers).")


def canonical_ip(value: str | None) -> str | None:
    if not value:
        return None
    return str(ipaddress.ip_address(value))


def utc_iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _id_text(value: Any) -> str | None:
    return None if value is None else str(value)


def entry_hash(previous_hash: str, fields: Mapping[str, Any], *, key: bytes) -> str:
    """The signature ("hash") of an entry whose columns (by HASHED_FIELDS name) are `fields`,
    under `key` (the secret of fields["key_id"])."""
    document = {
        "id": _id_text(fields["id"]),
        "at": utc_iso(fields["at"]),
        "actor_id": _id_text(fields["actor_id"]),
        "actor_label": fields["actor_label"],
        "verb": fields["verb"],
        "target_type": fields["target_type"],
        "target_id": fields["target_id"],
        "child_id": _id_text(fields["child_id"]),
        "payload": fields["payload"],
        "ip_address": canonical_ip(fields["ip_address"]),
        "user_agent": fields["user_agent"],
        "key_id": fields["key_id"],
    }
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return sign(key, previous_hash + text)
