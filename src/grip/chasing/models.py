"""A record of each daily digest sent, so the job that sends them can run twice without sending twice."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DigestSent(models.Model):
    """One user's digest for one day. The row is inserted, the e-mail sent, the row marked sent and
    the send audited in one transaction; the unique constraint is what makes a second run (or a
    second worker running at the same time, which waits on the insert) skip it. A send that fails
    rolls the row back, so a re-run retries."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests")
    day = models.DateField()
    claimed_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    overdue = models.PositiveIntegerField(default=0)
    due_soon = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day", "user_id"]
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="chasing_one_digest_per_user_per_day")]

    def __str__(self) -> str:
        return f"Digest for {self.user} on {self.day}"
