"""Signed checkpoints of where the audit log ends, kept outside the database.

The database cannot vouch for its own end: whoever can delete the last entries can move the
chain head back too. So `grip audit_checkpoint` (run from cron, every few minutes) appends one
line to GRIP_AUDIT_CHECKPOINT_PATH, a file the deployment keeps where the database's users cannot
rewrite it (an append-only file, another host, a log store):

    {"at": "2026-12-06T09:30:00.000000+00:00", "key_id": "k1", "last_hash": "...", "last_id": 57,
     "signature": "<HMAC-SHA256 of the other four>"}

and logs the same line (logger "grip.audit.checkpoints"), so a deployment that ships its logs
elsewhere holds a second copy. `grip audit_verify` then checks the log against every checkpoint:
it must reach the furthest one, and hold the very entry each one saw. Entries removed since the
last checkpoint cannot be told apart from entries never written: checkpoint as often as that
window allows.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .chain import HASHED_FIELDS, entry_hash, utc_iso
from .keys import UnknownKeyError, key_for, same, sign, signing_key
from .models import GENESIS_HASH, AuditEntry

logger = logging.getLogger("grip.audit.checkpoints")
# Signed text starts with this, so a checkpoint's signature can never pass as an entry's.
DOMAIN = "grip-audit-checkpoint\n"
FIELDS = ("at", "key_id", "last_hash", "last_id", "signature")


class CheckpointError(Exception):
    """The checkpoint file holds a line that is not a checkpoint signed with Grip's keys."""


class CheckpointRefused(Exception):
    """No checkpoint written: the entry it would vouch for does not verify."""


@dataclass(frozen=True)
class Checkpoint:
    last_id: int
    last_hash: str
    at: datetime
    key_id: str
    signature: str = ""
    line: int = 0  # its line in the file, when read from one

    def signed_text(self) -> str:
        fields = {"at": utc_iso(self.at), "key_id": self.key_id, "last_hash": self.last_hash, "last_id": self.last_id}
        return DOMAIN + json.dumps(fields, sort_keys=True, separators=(",", ":"))

    def as_line(self) -> str:
        return json.dumps(
            {"at": utc_iso(self.at), "key_id": self.key_id, "last_hash": self.last_hash, "last_id": self.last_id}
            | {"signature": self.signature},
            sort_keys=True,
        )

    @property
    def when(self) -> str:
        return self.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def checkpoint_path() -> Path:
    return Path(settings.GRIP_AUDIT_CHECKPOINT_PATH)


def write_checkpoint(*, path: Path | None = None) -> Checkpoint:
    """Append a signed checkpoint of the last committed entry to `path` (the settings' by default).

    Raises CheckpointRefused, writing nothing, if that entry's own signature does not verify: a
    checkpoint must never vouch for a forged end."""
    last = AuditEntry.objects.order_by("-id").values(*HASHED_FIELDS, "previous_hash", "hash").first()
    if last is not None:
        try:
            intact = same(entry_hash(last["previous_hash"], last, key=key_for(last["key_id"])), last["hash"])
        except UnknownKeyError:
            intact = False
        if not intact:
            raise CheckpointRefused(
                f"entry {last['id']}'s signature does not match: no checkpoint written (run grip audit_verify)."
            )
    key_id, key = signing_key()
    checkpoint = Checkpoint(
        last_id=last["id"] if last else 0,
        last_hash=last["hash"] if last else GENESIS_HASH,
        at=timezone.now(),
        key_id=key_id,
    )
    checkpoint = replace(checkpoint, signature=sign(key, checkpoint.signed_text()))
    target = path or checkpoint_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    # Append only, one write per line, on disk before we say it is written.
    with target.open("a", encoding="utf-8") as file:
        file.write(checkpoint.as_line() + "\n")
        file.flush()
        os.fsync(file.fileno())
    logger.info("audit checkpoint %s", checkpoint.as_line())
    return checkpoint


def read_checkpoints(path: Path | None = None) -> list[Checkpoint]:
    """Every checkpoint in `path` (none if there is no file), each one's signature checked.
    CheckpointError names the first line that is not a checkpoint signed with these keys."""
    source = path or checkpoint_path()
    if not source.exists():
        return []
    checkpoints = []
    with source.open(encoding="utf-8") as file:
        for number, text in enumerate(file, start=1):
            if text.strip():
                checkpoints.append(_parse(text, number, source))
    return checkpoints


def _parse(text: str, number: int, source: Path) -> Checkpoint:
    where = f"line {number} of {source}"
    try:
        fields = json.loads(text)
        checkpoint = Checkpoint(
            last_id=int(fields["last_id"]),
            last_hash=str(fields["last_hash"]),
            at=datetime.fromisoformat(fields["at"]),
            key_id=str(fields["key_id"]),
            signature=str(fields["signature"]),
            line=number,
        )
    except (ValueError, TypeError, KeyError):
        raise CheckpointError(f"{where} is not a checkpoint (it should have {', '.join(FIELDS)})") from None
    if checkpoint.at.tzinfo is None:
        raise CheckpointError(f"{where} is not a checkpoint (its time has no time zone)")
    try:
        key = key_for(checkpoint.key_id)
    except UnknownKeyError:
        raise CheckpointError(
            f"the checkpoint on {where} was signed with key {checkpoint.key_id!r}, which is not in GRIP_AUDIT_KEYS"
        ) from None
    if not same(sign(key, checkpoint.signed_text()), checkpoint.signature):
        raise CheckpointError(
            f"the checkpoint on {where} (entry {checkpoint.last_id}, {checkpoint.when}) has a signature that does "
            "not match: it was altered, or not written by Grip"
        )
    return checkpoint
