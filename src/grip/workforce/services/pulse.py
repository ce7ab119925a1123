"""Answering the staff pulse survey (grip.workforce.pulse): once a month, by any member of staff.
What is kept of the person is only that they answered that month; the answers are stored apart,
with the month and their team, and the audit entry says they answered, never what."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from grip.audit import services as audit
from grip.workforce.pulse import SCALE, PulseAnswer, PulseAnswered, month_of, pulse_survey

ALREADY = "You have already answered this month’s survey. Thank you."


@transaction.atomic(durable=True)
def pulse_survey_answer(*, answers: dict[str, int], by) -> None:
    """`by` answers this month's survey: a score from 1 to 5 for every statement."""
    month = month_of(timezone.localdate())
    survey = pulse_survey()
    for question in survey.questions:
        if answers.get(question.key) not in SCALE:
            raise ValidationError({question.key: f"Choose how far you agree: {question.text.lower()}"})
    unknown = set(answers) - {q.key for q in survey.questions}
    if unknown:
        raise ValidationError({"__all__": "Answer only this month’s statements."})
    try:
        with transaction.atomic():
            PulseAnswered.objects.create(user=by, month=month)
    except IntegrityError:
        raise ValidationError({"__all__": ALREADY}) from None
    worker = getattr(by, "worker", None)
    team_id = worker.team_id if worker is not None else None
    PulseAnswer.objects.bulk_create(
        [PulseAnswer(month=month, team_id=team_id, question=q.key, score=answers[q.key]) for q in survey.questions]
    )
    audit.record(actor=by, verb="pulse_survey_answered", payload={"month": month.strftime("%Y-%m")})


def answered_this_month(user) -> bool:
    return PulseAnswered.objects.filter(user=user, month=month_of(timezone.localdate())).exists()
