"""The staff pulse survey: anonymous by its schema, answered once a month, and reported only for
groups of five or more. Uses tests/allocation/conftest.py's small service: Assessment North (Ada,
Ben, Tam, Sam), Child Protection North (Cy, Pat), Assessment South (Dee)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from grip.audit.models import AuditEntry
from grip.workforce import services
from grip.workforce.models import Team
from grip.workforce.pulse import PulseAnswer, PulseAnswered, month_of, pulse_results, pulse_survey
from tests.allocation.conftest import user_with
from tests.cases.factories import WorkerFactory

pytestmark = pytest.mark.django_db


def answers(score: int) -> dict[str, int]:
    return {q.key: score for q in pulse_survey().questions}


def test_an_answer_row_cannot_be_tied_to_a_person():
    """The schema itself: no field of an answer refers to a user or worker, none holds a time, and
    its key is random (not a sequence that could be matched to the order people answered)."""
    fields = {f.name: f for f in PulseAnswer._meta.get_fields()}
    assert set(fields) == {"id", "month", "team", "question", "score"}
    assert fields["team"].related_model is Team
    assert fields["month"].get_internal_type() == "DateField"
    assert fields["id"].get_internal_type() == "UUIDField"
    # Who answered holds no answers.
    assert {f.name for f in PulseAnswered._meta.get_fields()} == {"id", "user", "month"}


def test_answering_keeps_that_they_answered_apart_from_the_answers(service):
    ada = service.users["ada"]
    services.pulse_survey_answer(answers=answers(4), by=ada)
    month = month_of(timezone.localdate())
    assert list(PulseAnswered.objects.values_list("user", "month")) == [(ada.pk, month)]
    stored = PulseAnswer.objects.all()
    assert {(a.month, a.team_id, a.score) for a in stored} == {(month, service.assessment.pk, 4)}
    assert stored.count() == len(pulse_survey().questions)
    entry = AuditEntry.objects.get(verb="pulse_survey_answered")
    assert entry.payload == {"month": month.strftime("%Y-%m")}  # that they answered, not what


def test_once_a_month(service):
    ada = service.users["ada"]
    services.pulse_survey_answer(answers=answers(4), by=ada)
    with pytest.raises(ValidationError, match="already answered"):
        services.pulse_survey_answer(answers=answers(2), by=ada)
    assert PulseAnswer.objects.count() == len(pulse_survey().questions)


def test_every_statement_needs_a_score_on_the_scale(service):
    partial = answers(3)
    partial[pulse_survey().questions[0].key] = 6
    with pytest.raises(ValidationError):
        services.pulse_survey_answer(answers=partial, by=service.users["ada"])
    assert not PulseAnswered.objects.exists()


def test_results_only_for_groups_of_five_or_more(service):
    """Five people in Assessment North answer (scores 1, 2, 3, 4, 5: average 3.0), one in Child
    Protection North (score 5). North has 6 responses: average (15 + 5) / 6 = 3.3; the authority
    the same; Child Protection North's single response is not shown, nor Assessment South's none."""
    a, cp = service.assessment, service.protection
    for i, score in enumerate([1, 2, 3, 4, 5]):
        person = user_with(f"staff{i}", "social_worker", WorkerFactory(team=a))
        services.pulse_survey_answer(answers=answers(score), by=person)
    services.pulse_survey_answer(answers=answers(5), by=user_with("cyu", "social_worker", service.workers["cy"]))

    month = month_of(timezone.localdate())
    teams = Team.objects.select_related("service_area").order_by("service_area__name", "name")
    results = {(g.kind, g.name): g.months[0] for g in pulse_results(months=[month], teams=teams)}
    key = pulse_survey().questions[0].key
    assert (
        results[("authority", "The whole authority")].responses,
        results[("authority", "The whole authority")].averages[key],
    ) == (6, 3.3)
    assert results[("service area", "North")].averages[key] == 3.3
    assert results[("team", a.name)].averages[key] == 3.0
    assert results[("team", cp.name)].too_few
    assert results[("service area", "South")].too_few
    assert results[("team", service.elsewhere.name)].too_few


def test_the_pages(client, service):
    client.force_login(service.users["ada"])
    url = reverse("workforce:pulse")
    assert "Send my answers" in client.get(url).content.decode()
    form = {key: str(score) for key, score in answers(4).items()}
    assert client.post(url, form).status_code == 302
    assert 'data-testid="answered"' in client.get(url).content.decode()
    assert client.post(url, {key: "1" for key in form}).status_code == 200  # answered: nothing more kept
    assert PulseAnswer.objects.filter(score=1).count() == 0

    client.force_login(service.manager)
    page = client.get(reverse("workforce:pulse_results")).content.decode()
    assert "Fewer than 5 responses" in page and "3.0" not in page
