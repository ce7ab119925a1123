"""The audit log: an append-only, signed, chained record of who saw or did what, when, from where.

Each entry's hash is an HMAC, under a key kept outside the database, of the previous entry's hash
and the entry's own fields (see `grip.audit.chain`), so altering, removing or reordering any entry
breaks the chain from that point on, nobody without the key can re-sign it, and `grip
audit_verify` finds it; signed checkpoints kept outside the database (grip.audit.checkpoints)
show when entries were cut from the end. The database refuses UPDATE and DELETE on the table
too (migration 0002); the model and its queryset refuse them first, with a clearer message.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

GENESIS_HASH = "0" * 64  # the "previous hash" of the first entry in a chain


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit entry through the ORM."""


class AuditEntryQuerySet(models.QuerySet):
    # Bulk operations skip save()/delete(), so they are refused here as well.
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit entries cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit entries cannot be deleted.")

    def bulk_create(self, *args: Any, **kwargs: Any) -> list:
        raise AppendOnlyError("Audit entries are written one at a time by grip.audit.services.record.")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit entries cannot be changed.")


class AuditEntry(models.Model):
    # Given by record(), not the database: the chain's next position, 1, 2, 3, ... without gaps.
    id = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True, help_text="The actor's username at the time.")
    verb = models.CharField(max_length=40, db_index=True)
    target_type = models.CharField(max_length=100, blank=True, help_text="app_label.model of the target.")
    target_id = models.CharField(max_length=64, blank=True)
    # Indexed with `at` below (for "who has viewed this child"), so no index of its own.
    child = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        # No database constraint: the log outlives the records it is about, and must never block,
        # or be cascaded by, a change to them.
        db_constraint=False,
        on_delete=models.PROTECT,
        related_name="audit_entries",
        db_index=False,
    )
    payload = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True, help_text="HMAC-SHA256 signature (grip.audit.chain).")
    key_id = models.CharField(max_length=32, help_text="Which of GRIP_AUDIT_KEYS signed the entry.")

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["child", "at"], name="audit_entry_child_at"),
            models.Index(fields=["actor_label", "at"], name="audit_entry_actor_at"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_label or 'system'} {self.verb} {self.target_type} {self.target_id} at {self.at}"

    def save(self, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit entries cannot be changed.")
        if not self.hash:
            raise AppendOnlyError("Audit entries are written by grip.audit.services.record, which chains them.")
        kwargs["force_insert"] = True  # the id is given (the chain's next), so never try an UPDATE first
        super().save(**kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit entries cannot be deleted.")


class AuditChainHead(models.Model):
    """The one row saying which entry ends the chain. Locking it serialises appends, so two
    writers can never both chain onto the same entry. It is not trusted to say where the log
    ends: anyone who can delete entries can move it too; signed checkpoints say that."""

    ROW_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=ROW_ID)
    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_chain_head_single_row")]

    def __str__(self) -> str:
        return f"Audit chain ends at entry {self.last_id}"
