"""The assessment pages: the worker completes the assessment and checks the answers before
submitting it; the manager finds it in their queue (oldest first, with the days it has waited),
checks and authorises it; and the moment it is authorised its 45 working days' item leaves the
worker's chase list and the team's.

The service area is tests/allocation/conftest.py's: Ada a social worker and Tam the team manager
of Assessment North; Pat manages Child Protection North.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from grip.audit.models import AuditEntry
from grip.cases.models import Assessment
from grip.chasing import lists
from tests.cases.factories import AllocationFactory, AssessmentFactory, CINEpisodeFactory
from tests.people.factories import ChildFactory

pytestmark = pytest.mark.django_db


def referred(service, name: str, *, days_ago: int, worker: str = "ada"):
    """A child referred `days_ago` days ago, held by `worker`, with an assessment started that day."""
    child = ChildFactory(first_name=name, last_name="Assess")
    episode = CINEpisodeFactory(child=child, referral_date=service.today - timedelta(days=days_ago))
    AssessmentFactory(episode=episode, started_on=episode.referral_date, authorised_on=None, factors=[])
    held_by = service.workers[worker]
    AllocationFactory(child=child, worker=held_by, team=held_by.team, started_on=episode.referral_date)
    return child


def day_fields(prefix: str, day) -> dict:
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


def completion(day, **extra) -> dict:
    return {**day_fields("completed", day), "factors": ["3A", "4B"], "outcome": "CIN_PLAN", **extra}


def assessment_items(items, child):
    return [i for i in items if i.child == child and i.obligation.rule == "assessment"]


def test_completed_checked_submitted_then_authorised_from_the_queue_and_off_both_chase_lists(client, service):
    child = referred(service, "Late", days_ago=90)  # 90 calendar days is well past 45 working days
    ada, tm = service.users["ada"], service.manager
    assert assessment_items(lists.for_worker(worker=service.workers["ada"], on=service.today), child)
    assert assessment_items(lists.for_teams(teams=[service.assessment.pk], on=service.today), child)

    client.force_login(ada)
    complete = reverse("recording:assessment-complete", args=[child.pk])
    check = client.post(complete, completion(service.today))
    assert check.status_code == 200 and "Check your answers before submitting the assessment" in check.text
    assert "Domestic violence: concerns about the child being the subject of domestic violence" in check.text
    assert "Mental health: concerns about the mental health of the parent(s)/carer(s)" in check.text
    assert Assessment.objects.get().submitted_at is None  # nothing saved before it is confirmed

    change = client.post(complete, completion(service.today, step="change"))
    assert "Complete the assessment</h1>" in change.text and 'value="CIN_PLAN" checked' in change.text
    done = client.post(complete, completion(service.today, step="confirm"))
    assert done.status_code == 302
    assessment = Assessment.objects.get()
    assert (assessment.completed_on, assessment.factors, assessment.outcome, assessment.submitted_by) == (
        service.today,
        ["3A", "4B"],
        "CIN_PLAN",
        ada,
    )
    # Submitted is not authorised: the clock still runs.
    assert assessment_items(lists.for_worker(worker=service.workers["ada"], on=service.today), child)

    client.force_login(tm)
    queue = client.get(reverse("recording:authorisation-queue"))
    assert "Late Assess" in queue.text and "Child in need: a child in need plan (section 17)" in queue.text
    authorise = reverse("recording:assessment-authorise", args=[child.pk])
    checked = client.post(authorise, day_fields("authorised", service.today))
    assert checked.status_code == 200 and "Check and authorise the assessment" in checked.text
    assert Assessment.objects.get().authorised_on is None
    authorised = client.post(authorise, {**day_fields("authorised", service.today), "step": "confirm"})
    assert authorised.status_code == 302 and authorised.url == reverse("recording:authorisation-queue")
    assessment.refresh_from_db()
    assert (assessment.authorised_on, assessment.authorised_by) == (service.today, tm)

    assert not assessment_items(lists.for_worker(worker=service.workers["ada"], on=service.today), child)
    assert not assessment_items(lists.for_teams(teams=[service.assessment.pk], on=service.today), child)
    verbs = set(AuditEntry.objects.filter(child=child).values_list("verb", flat=True))
    assert {"assessment_submitted", "assessment_authorised"} <= verbs
    assert "No assessment is waiting for you to authorise." in client.get(reverse("recording:authorisation-queue")).text


def test_a_completion_with_errors_keeps_what_was_typed_and_saves_nothing(client, service):
    child = referred(service, "Typed", days_ago=20)
    client.force_login(service.users["ada"])
    url = reverse("recording:assessment-complete", args=[child.pk])
    future = service.today + timedelta(days=1)
    sent = client.post(url, {**day_fields("completed", future), "factors": ["21", "3A"], "outcome": "NFA"})
    assert sent.status_code == 400
    assert "Date completed must be today or in the past" in sent.text
    assert "“No factors identified” cannot be chosen with another factor" in sent.text
    assert f'value="{future.year}"' in sent.text and 'value="NFA" checked' in sent.text  # what was typed is kept
    # Refused by the service (against the record) when confirmed: before the assessment started.
    early = service.today - timedelta(days=21)
    confirmed = client.post(url, {**completion(early), "step": "confirm"})
    assert confirmed.status_code == 400
    assert f"An assessment cannot be completed before it started ({(early + timedelta(days=1)):%d/%m/%Y})." in (
        confirmed.text
    )
    blank = client.post(url, {**day_fields("completed", service.today), "step": "confirm"})
    assert blank.status_code == 400
    assert "Select the factors identified" in blank.text and "Select the outcome" in blank.text
    assert Assessment.objects.get().submitted_at is None


def test_the_queue_lists_the_managers_teams_oldest_first_with_days_waiting(client, service):
    now = timezone.now()
    older = referred(service, "Older", days_ago=40)
    newer = referred(service, "Newer", days_ago=30, worker="ben")
    elsewhere = referred(service, "Elsewhere", days_ago=30, worker="cy")  # Child Protection North's
    referred(service, "Unsubmitted", days_ago=30)
    for child, days in ((older, 6), (newer, 2), (elsewhere, 9)):
        Assessment.objects.filter(episode__child=child).update(
            completed_on=service.today - timedelta(days=days),
            submitted_at=now - timedelta(days=days),
            submitted_by=service.users["ada"],
            factors=["21"],
            outcome="NFA",
        )
    client.force_login(service.manager)
    page = client.get(reverse("recording:authorisation-queue")).text
    assert "Elsewhere Assess" not in page and "Unsubmitted Assess" not in page
    assert page.index("Older Assess") < page.index("Newer Assess")
    rows = page.split('class="govuk-table__body"')[1].split("</tr>")
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">6</td>' in rows[0]
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">2</td>' in rows[1]

    client.force_login(service.protection_manager)
    theirs = client.get(reverse("recording:authorisation-queue")).text
    assert "Elsewhere Assess" in theirs and "Older Assess" not in theirs


def test_the_worker_who_submitted_cannot_authorise_and_a_social_worker_has_no_authorise_page(client, service):
    child = referred(service, "Own", days_ago=30, worker="tm")
    client.force_login(service.manager)
    url = reverse("recording:assessment-complete", args=[child.pk])
    assert client.post(url, completion(service.today, step="confirm")).status_code == 302
    refused = client.post(
        reverse("recording:assessment-authorise", args=[child.pk]),
        {**day_fields("authorised", service.today), "step": "confirm"},
    )
    assert refused.status_code == 400
    assert "You submitted this assessment: another manager must authorise it." in refused.text
    client.force_login(service.users["ada"])
    assert client.get(reverse("recording:assessment-authorise", args=[child.pk])).status_code == 404
