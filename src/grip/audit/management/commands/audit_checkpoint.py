"""`grip audit_checkpoint`: append a signed checkpoint of where the audit log ends to the
checkpoint file (GRIP_AUDIT_CHECKPOINT_PATH). Run it from cron every few minutes."""

from __future__ import annotations

from django.core.management.base import CommandError
from django_typer.management import TyperCommand

from grip.audit.checkpoints import CheckpointRefused, checkpoint_path, write_checkpoint


class Command(TyperCommand):
    help = "Append a signed checkpoint of the audit log's last entry to GRIP_AUDIT_CHECKPOINT_PATH."

    def handle(self) -> None:
        try:
            checkpoint = write_checkpoint()
        except CheckpointRefused as error:
            raise CommandError(str(error)) from None
        where = checkpoint_path()
        self.stdout.write(f"Checkpoint at entry {checkpoint.last_id} ({checkpoint.when}) appended to {where}.")
