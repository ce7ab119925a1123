"""The keys that sign audit entries and checkpoints: held in settings (from the environment), never
in the database, so someone who can write to the database still cannot forge a signature.

GRIP_AUDIT_KEYS maps key ids to secrets; GRIP_AUDIT_KEY_ID names the one new signatures use.
Every entry and checkpoint records its key's id, so after a rotation the older keys, kept in
GRIP_AUDIT_KEYS, still verify what they signed (config/settings/audit_keys.py, docs/security.md).
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class UnknownKeyError(LookupError):
    """A signature names a key id that these settings do not hold."""


def signing_key() -> tuple[str, bytes]:
    """(id, secret) of the key that signs new entries and checkpoints."""
    key_id = settings.GRIP_AUDIT_KEY_ID
    try:
        return key_id, key_for(key_id)
    except UnknownKeyError:
        raise ImproperlyConfigured(f"GRIP_AUDIT_KEY_ID {key_id!r} is not one of GRIP_AUDIT_KEYS.") from None


def key_for(key_id: str) -> bytes:
    """The secret of `key_id`; UnknownKeyError if these settings do not hold it."""
    secret = settings.GRIP_AUDIT_KEYS.get(key_id)
    if secret is None:
        raise UnknownKeyError(key_id)
    return secret.encode("utf-8") if isinstance(secret, str) else bytes(secret)


def sign(key: bytes, message: str) -> str:
    """HMAC-SHA256 of `message` under `key`, in hex."""
    mac = _keyed(key).copy()  # the key's padding is hashed once, not on every entry
    mac.update(message.encode("utf-8"))
    return mac.hexdigest()


def same(signature: str, expected: str) -> bool:
    return hmac.compare_digest(signature, expected)


@lru_cache(maxsize=16)
def _keyed(key: bytes) -> hmac.HMAC:
    return hmac.new(key, digestmod=hashlib.sha256)
