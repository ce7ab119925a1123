"""A worker's leaving date ends their access on that day (issue 12).

From `Worker.left_on` on, the person holds no role (so scope gives them no child, named or
excepted), cannot sign in, and a session they already have ends at its next request
(grip.accounts.backends and grip.accounts.middleware). The day before, everything still works.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone


def has_left(user, *, on: date | None = None) -> bool:
    """Whether `user` is a worker whose leaving date is `on` (default today) or earlier."""
    if not getattr(user, "is_authenticated", False):
        return False
    worker = getattr(user, "worker", None)  # cached on the user, including "no worker"
    return worker is not None and worker.has_left_by(on or timezone.localdate())
