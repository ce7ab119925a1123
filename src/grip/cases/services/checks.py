"""Checks every service of a child's case makes the same way: a moment made aware, nothing in the
future, and the CIN episode locked and still open."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from grip.cases.models import CINEpisode


def aware(moment: datetime) -> datetime:
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def not_in_future(when: date | datetime, field: str, what: str) -> None:
    """Refuse a day after today, or a moment after now, with a message on `field`."""
    now = timezone.now() if isinstance(when, datetime) else timezone.localdate()
    if when > now:
        raise ValidationError({field: f"{what} cannot be in the future."})


def open_episode(episode: CINEpisode) -> CINEpisode:
    """The episode, locked for this transaction; refused when it has closed."""
    episode = CINEpisode.objects.select_for_update().get(pk=episode.pk)
    if episode.closure_date is not None:
        raise ValidationError(f"This case closed on {episode.closure_date:%d/%m/%Y}: nothing more can be added to it.")
    return episode
