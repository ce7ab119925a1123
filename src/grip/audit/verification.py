"""Checking the audit log has not been tampered with: `grip audit_verify`.

Three things must hold. Each entry links to the one before it (its previous_hash), and its
signature, made with the key its key_id names (grip.audit.keys), matches its contents: an entry
altered, inserted or re-signed by anyone without the key fails here. The log reaches every signed
checkpoint kept outside the database (grip.audit.checkpoints) and holds there the very entry the
checkpoint saw: entries cut from the end, or a log emptied and begun again, fail here. And it ends
where the chain head row says.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from .chain import HASHED_FIELDS, entry_hash
from .checkpoints import Checkpoint, CheckpointError, checkpoint_path, read_checkpoints
from .keys import UnknownKeyError, key_for, same
from .models import GENESIS_HASH, AuditChainHead, AuditEntry


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    entries_checked: int
    first_bad_id: int | None
    problem: str
    checkpoint: Checkpoint | None = None  # the furthest checkpoint the log was checked against
    checkpoint_path: Path | None = None

    def __str__(self) -> str:
        if self.ok:
            if self.checkpoint is None:
                anchor = f"; no checkpoint in {self.checkpoint_path} to check where it ends"
            else:
                anchor = f", against {self._checkpoint_text()}"
            return f"Audit chain intact: {self.entries_checked} entries checked{anchor}."
        where = f"BROKEN at entry {self.first_bad_id}" if self.first_bad_id is not None else "NOT VERIFIED"
        return f"Audit chain {where}: {self.problem} ({self.entries_checked} entries checked)."

    def _checkpoint_text(self) -> str:
        return f"the checkpoint of {self.checkpoint.when} at entry {self.checkpoint.last_id}"


def verify_chain(
    *, batch_size: int = 5000, checkpoints: Path | None = None, require_checkpoint: bool | None = None
) -> ChainReport:
    """Check every entry in id order (see the module's doc), against the checkpoints in
    `checkpoints` (GRIP_AUDIT_CHECKPOINT_PATH by default). With `require_checkpoint`
    (GRIP_AUDIT_REQUIRE_CHECKPOINT by default) a missing checkpoint fails too. Entries appended
    while this runs (after the head was read) are left for the next run."""
    path = checkpoints or checkpoint_path()
    require = settings.GRIP_AUDIT_REQUIRE_CHECKPOINT if require_checkpoint is None else require_checkpoint

    def broken(entry_id: int | None, problem: str, checked: int) -> ChainReport:
        return ChainReport(False, checked, entry_id, problem, None, path)

    # Checkpoints first, the head second: then every checkpoint read saw only entries up to the head.
    try:
        seen = read_checkpoints(path)
    except CheckpointError as error:
        return broken(None, str(error), 0)
    furthest = max(seen, key=lambda c: c.last_id, default=None)
    seen_at: dict[int, list[Checkpoint]] = defaultdict(list)
    for checkpoint in seen:
        seen_at[checkpoint.last_id].append(checkpoint)
    head = AuditChainHead.objects.filter(pk=AuditChainHead.ROW_ID).values("last_id", "last_hash").first()
    end = None if head is None else max(head["last_id"], furthest.last_id if furthest else 0)

    previous_id, previous_hash, checked = None, GENESIS_HASH, 0
    for row in _entries_up_to(end, batch_size):
        entry_id = row["id"]
        if row["previous_hash"] != previous_hash:
            after = f"entry {previous_id}" if previous_id is not None else "the start of the chain"
            problem = f"entry {entry_id} does not follow {after}: an entry before it is missing or was altered"
            return broken(entry_id, problem, checked)
        try:
            key = key_for(row["key_id"])
        except UnknownKeyError:
            problem = (
                f"entry {entry_id} was signed with key {row['key_id']!r}, which is not in GRIP_AUDIT_KEYS "
                "(restore that key to verify it, or the entry was forged)"
            )
            return broken(entry_id, problem, checked)
        if not same(entry_hash(row["previous_hash"], row, key=key), row["hash"]):
            problem = f"entry {entry_id}'s signature does not match its contents: it was altered or forged"
            return broken(entry_id, problem, checked)
        for checkpoint in seen_at.get(entry_id, ()):
            if checkpoint.last_hash != row["hash"]:
                problem = (
                    f"entry {entry_id} is not the entry the checkpoint of {checkpoint.when} saw there: "
                    "the log was emptied or rewritten and begun again"
                )
                return broken(entry_id, problem, checked)
        previous_id, previous_hash, checked = entry_id, row["hash"], checked + 1

    last = previous_id or 0
    if furthest is not None and last < furthest.last_id:
        ends = "the log is empty" if last == 0 else f"the log ends at entry {last}"
        problem = (
            f"{ends} but the checkpoint of {furthest.when} saw entry {furthest.last_id}: "
            f"entries {last + 1} to {furthest.last_id} were removed"
        )
        return broken(last + 1, problem, checked)
    if head is None:
        if checked:
            return broken(None, "the chain head row is missing", checked)
    elif last > head["last_id"]:
        problem = f"the chain head says the log ends at entry {head['last_id']} but it goes on to {last}: it was moved"
        return broken(head["last_id"] + 1, problem, checked)
    elif last != head["last_id"] or previous_hash != head["last_hash"]:
        problem = f"the chain should end at entry {head['last_id']} but ends at {previous_id}: entries were removed"
        return broken(last + 1, problem, checked)
    if furthest is None and require:
        problem = (
            f"there is no checkpoint in {path}: nothing outside the database says where the log should end "
            "(run grip audit_checkpoint)"
        )
        return broken(None, problem, checked)
    return ChainReport(True, checked, None, "", furthest, path)


def _entries_up_to(end: int | None, batch_size: int) -> Iterator[dict[str, Any]]:
    """Entries (as dicts of the signed columns) in id order, `batch_size` at a time by keyset."""
    entries = AuditEntry.objects.order_by("id").values(*HASHED_FIELDS, "previous_hash", "hash")
    if end is not None:
        entries = entries.filter(id__lte=end)
    after = 0
    while True:
        batch = list(entries.filter(id__gt=after)[:batch_size])
        yield from batch
        if len(batch) < batch_size:
            return
        after = batch[-1]["id"]
