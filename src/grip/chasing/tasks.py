"""The daily digest as a background job (django.tasks; run by `manage.py db_worker`)."""

from __future__ import annotations

from datetime import date

from django.tasks import task

from grip.chasing.digest import send_digests


@task
def send_daily_digests(on: str | None = None) -> dict:
    result = send_digests(on=date.fromisoformat(on) if on else None)
    return {"sent": result.sent, "already_sent": result.already_sent, "failed": result.failed}
