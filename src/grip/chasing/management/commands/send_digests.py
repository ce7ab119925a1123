"""`grip send_digests`: e-mail each worker and manager their overdue and due-soon items for today.

Run it once a day from cron or a systemd timer (docs/timescales.md). Running it twice sends
nothing twice. With --enqueue it hands the job to the task queue (`manage.py db_worker` runs it).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from django_typer.management import TyperCommand

from grip.chasing.digest import send_digests
from grip.chasing.tasks import send_daily_digests


class Command(TyperCommand):
    help = "Send today's chase-list digests by e-mail (safe to run more than once a day)."

    def handle(
        self,
        on: Annotated[str | None, typer.Option(help="The day (YYYY-MM-DD) to send for; default today")] = None,
        enqueue: Annotated[bool, typer.Option(help="Queue the job for the task worker instead")] = False,
    ) -> None:

        if on is not None:
            try:
                date.fromisoformat(on)
            except ValueError as error:
                raise typer.BadParameter(f"--on must be a date as YYYY-MM-DD, not {on!r}") from error
        if enqueue:
            result = send_daily_digests.enqueue(on)
            self.stdout.write(f"Queued the digest job ({result.id}).")
            return
        outcome = send_digests(on=date.fromisoformat(on) if on else None)
        self.stdout.write(
            f"Sent {outcome.sent} digest(s); {outcome.already_sent} already sent today; {outcome.failed} failed."
        )
