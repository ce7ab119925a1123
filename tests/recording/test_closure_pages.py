"""Closing a child's case through its page: the form, a check-your-answers step, then the CIN
episode closes with its census reason, the running child in need plan ends that day, the lead
allocation ends, and what was chased on the case leaves every chase list at once. Refusals come
back on the form with their plain-English messages, and nothing changes.

Hand-worked dates: Ada's case was referred 120 days ago; its child in need plan started 100 days
ago. Visits to a child on a CIN plan are due every 6 weeks from the plan's start (local rule
cin_visit: 42 days, none recorded), so one was due 58 days ago; the plan's review is due 3 months
after its start (local rule cin_plan_review: about 91 days), so about 9 days ago. Both are overdue
today, and neither is due once the plan and the case have ended.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from grip.allocation.models import Allocation, Transfer
from grip.allocation.register import reconciliation
from grip.audit.models import AuditEntry
from grip.cases.models import CINEpisode, CINPlan
from grip.chasing import lists
from tests.allocation.conftest import route_to_queue
from tests.cases.factories import (
    AllocationFactory,
    AssessmentFactory,
    ChildProtectionPlanFactory,
    CINEpisodeFactory,
    CINPlanFactory,
    LookedAfterEpisodeFactory,
)
from tests.people.factories import ChildFactory

pytestmark = pytest.mark.django_db

CHASED_ON_A_CIN_PLAN = ("cin_visit", "cin_plan_review")


def day_fields(prefix: str, day) -> dict:
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


def adas_case(service, name: str = "Closing", *, plan: bool = True):
    """A child in need case held by Ada, referred 120 days ago, an authorised assessment, and (if
    `plan`) a CIN plan since 100 days ago."""
    child = ChildFactory(first_name=name, last_name="Case")
    episode = CINEpisodeFactory(child=child, referral_date=service.today - timedelta(days=120))
    AssessmentFactory(
        episode=episode, started_on=episode.referral_date, authorised_on=service.today - timedelta(days=101)
    )
    if plan:
        CINPlanFactory(episode=episode, started_on=service.today - timedelta(days=100))
    ada = service.workers["ada"]
    AllocationFactory(child=child, worker=ada, team=ada.team, started_on=episode.referral_date)
    return child, episode


def chased(items, child) -> set[str]:
    return {i.obligation.rule for i in items if i.child == child}


def close(client, child, day, reason: str, step: str = "check"):
    return client.post(
        reverse("recording:case-close", args=[child.pk]), {**day_fields("closed", day), "reason": reason, "step": step}
    )


def refusal(response) -> str:
    assert response.status_code == 400, response.status_code
    return response.text


def test_the_record_offers_closing_to_the_manager_not_to_the_social_worker(client, service):
    child, _episode = adas_case(service)
    client.force_login(service.manager)
    assert (
        reverse("recording:case-close", args=[child.pk])
        in client.get(reverse("web:child-record", args=[child.pk])).text
    )
    client.force_login(service.users["ada"])
    record = client.get(reverse("web:child-record", args=[child.pk])).text
    assert reverse("recording:case-close", args=[child.pk]) not in record
    assert client.get(reverse("recording:case-close", args=[child.pk])).status_code == 404


def test_a_closure_is_checked_changed_and_then_recorded(client, service):
    child, episode = adas_case(service)
    client.force_login(service.manager)
    url = reverse("recording:case-close", args=[child.pk])
    yesterday = service.today - timedelta(days=1)

    checking = client.post(url, {**day_fields("closed", yesterday), "reason": "RC7"})
    assert checking.status_code == 200
    assert "Check the case closure" in checking.text
    assert f"{yesterday.day} {yesterday:%B %Y}" in checking.text
    assert "RC7: Services ceased for any other reason, including child no longer in need" in checking.text
    assert "ends Ada Shaw’s allocation" in checking.text
    assert CINEpisode.objects.get(pk=episode.pk).closure_date is None  # nothing recorded yet

    changing = client.post(url, {**day_fields("closed", yesterday), "reason": "RC7", "step": "change"})
    assert changing.status_code == 200 and "Date the case closed" in changing.text
    assert f'value="{yesterday.day}"' in changing.text and 'value="RC7" checked' in changing.text

    done = close(client, child, yesterday, "RC7")
    assert done.status_code == 302 and done.url == reverse("web:child-record", args=[child.pk])
    episode.refresh_from_db()
    assert (episode.closure_date, episode.closure_reason) == (yesterday, "RC7")
    assert CINPlan.objects.get(episode=episode).ended_on == yesterday
    assert Allocation.objects.get(child=child).ended_on == yesterday
    verbs = set(AuditEntry.objects.filter(child=child, actor=service.manager).values_list("verb", flat=True))
    assert {"case_closed", "cin_plan_ended", "allocation_ended"} <= verbs
    shown = client.get(url).text
    assert "has no open child in need case" in shown
    assert "by tm on" in shown  # the earlier closures say who closed it (the user, tm), and when


def test_what_was_chased_on_the_closed_case_leaves_every_chase_list(client, service):
    child, _episode = adas_case(service)
    ada, team = service.workers["ada"], [service.assessment.pk]
    assert chased(lists.for_worker(worker=ada, on=service.today), child) >= set(CHASED_ON_A_CIN_PLAN)
    assert chased(lists.for_teams(teams=team, on=service.today), child) >= set(CHASED_ON_A_CIN_PLAN)

    client.force_login(service.manager)
    assert close(client, child, service.today, "RC7").status_code == 302

    assert chased(lists.for_worker(worker=ada, on=service.today), child) == set()
    assert chased(lists.for_teams(teams=team, on=service.today), child) == set()
    assert not chased(lists.for_authority(on=service.today), child) & set(CHASED_ON_A_CIN_PLAN)
    assert not [d for d in reconciliation(on=service.today) if d.child == child]  # not "closed, still allocated"


def test_dates_in_the_future_before_the_referral_or_before_the_last_event_are_refused(client, service):
    child, episode = adas_case(service)
    client.force_login(service.manager)
    tomorrow = service.today + timedelta(days=1)
    assert "The closure date cannot be in the future." in refusal(close(client, child, tomorrow, "RC7"))
    before = service.today - timedelta(days=121)
    referred = service.today - timedelta(days=120)
    assert f"A case cannot close before its referral ({referred:%d/%m/%Y})." in refusal(
        close(client, child, before, "RC7")
    )
    plan_start = service.today - timedelta(days=100)
    text = refusal(close(client, child, plan_start - timedelta(days=1), "RC7"))
    assert (
        f"A case cannot close before its last recorded event: child in need plan started on {plan_start:%d/%m/%Y}."
        in text
    )
    assert f'value="{(plan_start - timedelta(days=1)).day}"' in text  # what was typed stays
    episode.refresh_from_db()
    assert episode.closure_date is None and Allocation.objects.get(child=child).ended_on is None


def test_a_child_protection_plan_or_care_keeps_the_case_open_whatever_the_reason(client, service):
    child, episode = adas_case(service, "Protected", plan=False)
    ChildProtectionPlanFactory(episode=episode, started_on=service.today - timedelta(days=60))
    client.force_login(service.manager)
    started = service.today - timedelta(days=60)
    for reason in ("RC7", "RC4"):
        text = refusal(close(client, child, service.today, reason))
        assert f"Protected Case is on a child protection plan (since {started:%d/%m/%Y})" in text

    cared_for, _episode = adas_case(service, "Cared", plan=False)
    LookedAfterEpisodeFactory(child=cared_for, started_on=service.today - timedelta(days=30))
    for reason in ("RC1", "RC3", "RC7"):
        text = refusal(close(client, cared_for, service.today, reason))
        assert "Cared Case is looked after: record that they ceased to be looked after before closing the case." in text
    assert not CINEpisode.objects.filter(closure_date__isnull=False).exists()


def test_closed_after_assessment_needs_an_assessment_and_no_plan(client, service):
    client.force_login(service.manager)
    planned, _episode = adas_case(service, "Planned")
    text = refusal(close(client, planned, service.today, "RC8"))
    assert "This case had a child in need plan, so it did not close after assessment: choose another reason." in text

    child = ChildFactory(first_name="Unassessed", last_name="Case")
    CINEpisodeFactory(child=child, referral_date=service.today - timedelta(days=10))
    AllocationFactory(child=child, worker=service.workers["ada"], team=service.assessment, started_on=service.today)
    text = refusal(close(client, child, service.today, "RC9"))
    assert "“Case closed after assessment, referred to early help” needs an assessment" in text


def test_an_assessment_waiting_for_authorisation_keeps_the_case_open(client, service):
    child, episode = adas_case(service, "Waiting", plan=False)
    AssessmentFactory(episode=episode, started_on=service.today - timedelta(days=20), authorised_on=None, factors=[])
    client.force_login(service.manager)
    started = service.today - timedelta(days=20)
    text = refusal(close(client, child, service.today, "RC8"))
    assert f"The assessment started on {started:%d/%m/%Y} is not authorised" in text


def test_closed_after_assessment_with_no_plan_closes(client, service):
    child, episode = adas_case(service, "Assessed", plan=False)
    client.force_login(service.manager)
    assert close(client, child, service.today, "RC8").status_code == 302
    episode.refresh_from_db()
    assert (episode.closure_date, episode.closure_reason) == (service.today, "RC8")


def test_only_a_manager_of_the_holders_team_closes_it_and_a_waiting_transfer_is_withdrawn(client, service):
    child, episode = adas_case(service, "Moving")
    route_to_queue(child, service.protection, on=service.today)  # in the protection manager's reach now
    client.force_login(service.protection_manager)
    text = refusal(close(client, child, service.today, "RC7"))
    assert "Only a manager of Assessment North can close this case." in text
    episode.refresh_from_db()
    assert episode.closure_date is None

    client.force_login(service.manager)
    assert close(client, child, service.today, "RC7").status_code == 302
    transfer = Transfer.objects.get(child=child)
    assert (transfer.outcome, transfer.decided_by) == (Transfer.Outcome.WITHDRAWN, service.manager)
