"""`grip audit_verify`: check the audit log's signed chain, and its end against the signed
checkpoints kept outside the database, and say whether it is intact."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from django.core.management.base import CommandError
from django_typer.management import TyperCommand

from grip.audit.services import verify_chain


class Command(TyperCommand):
    help = "Check that no audit entry has been altered, removed or reordered (exits non-zero if one has)."

    def handle(
        self,
        batch_size: Annotated[int, typer.Option(help="Entries read per query", min=1)] = 5000,
        checkpoints: Annotated[
            Path | None,
            typer.Option(help="Checkpoint file to check against (default: GRIP_AUDIT_CHECKPOINT_PATH), e.g. a copy"),
        ] = None,
    ) -> None:
        report = verify_chain(batch_size=batch_size, checkpoints=checkpoints)
        if not report.ok:
            raise CommandError(str(report))
        self.stdout.write(str(report))
