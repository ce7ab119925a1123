"""The keys that sign the audit log (docs/security.md), read from the environment, never the database.

    GRIP_AUDIT_KEY       "<key id>:<secret>", the key new entries and checkpoints are signed with
    GRIP_AUDIT_OLD_KEYS  "<key id>:<secret>,<key id>:<secret>", earlier keys, kept to verify what
                         they signed (every entry records the id of its key)

A secret is at least 32 characters (e.g. `python -c "import secrets; print(secrets.token_urlsafe(48))"`).
Without GRIP_AUDIT_KEY the dev and test settings use DEV_KEYS below, which are not secret; the
production settings refuse to start.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

DEV_KEY_ID = "dev"
DEV_KEYS = {DEV_KEY_ID: "dev-only-NOT-SECRET-audit-key-anyone-can-forge-entries-signed-with-it"}
MIN_SECRET_LENGTH = 32


def audit_keys(environ: Mapping[str, str], *, production: bool) -> tuple[str, dict[str, str]]:
    """(id of the key to sign with, {key id: secret} of every key to verify with)."""
    current = environ.get("GRIP_AUDIT_KEY", "").strip()
    if not current:
        if production:
            raise ImproperlyConfigured(
                "GRIP_AUDIT_KEY must be set in the environment for production settings, as '<key id>:<secret>' "
                "(the key that signs the audit log; see docs/security.md)."
            )
        return DEV_KEY_ID, dict(DEV_KEYS)
    key_id, secret = _pair(current, "GRIP_AUDIT_KEY")
    keys = {key_id: secret}
    for item in filter(None, (part.strip() for part in environ.get("GRIP_AUDIT_OLD_KEYS", "").split(","))):
        old_id, old_secret = _pair(item, "GRIP_AUDIT_OLD_KEYS")
        if old_id in keys:
            raise ImproperlyConfigured(f"GRIP_AUDIT_OLD_KEYS names the audit key id {old_id!r} twice.")
        keys[old_id] = old_secret
    return key_id, keys


def _pair(text: str, name: str) -> tuple[str, str]:
    key_id, _, secret = text.partition(":")
    key_id, secret = key_id.strip(), secret.strip()
    if not key_id or not secret:
        raise ImproperlyConfigured(f"{name} must be '<key id>:<secret>', not {text[:8]!r}...")
    if secret in DEV_KEYS.values() or key_id == DEV_KEY_ID:
        raise ImproperlyConfigured(f"{name} must not be the development audit key.")
    if len(secret) < MIN_SECRET_LENGTH:
        raise ImproperlyConfigured(f"{name}: audit key {key_id!r} needs a secret of {MIN_SECRET_LENGTH}+ characters.")
    return key_id, secret
