"""Chase lists and the daily digest: the right items on the right person's list, gone the moment
the clock stops, escalated past the configured point, and e-mailed once a day however often the
job runs."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from grip.access.roles import Role
from grip.cases.models import Assessment
from grip.chasing import digest, lists
from grip.chasing.models import DigestSent
from grip.workforce.models import Supervision
from tests.allocation.conftest import user_with
from tests.cases.factories import AllocationFactory, AssessmentFactory, CINEpisodeFactory
from tests.people.factories import ChildFactory

pytestmark = pytest.mark.django_db


def assessment_case(service, name: str, *, days_ago: int, worker_key: str | None = "ada"):
    """A child referred `days_ago` days ago whose assessment is not yet authorised."""
    child = ChildFactory(first_name=name, last_name="Chase")
    episode = CINEpisodeFactory(child=child, referral_date=service.today - timedelta(days=days_ago))
    AssessmentFactory(episode=episode, started_on=episode.referral_date, authorised_on=None)
    if worker_key:
        worker = service.workers[worker_key]
        AllocationFactory(child=child, worker=worker, team=worker.team, started_on=episode.referral_date)
    return child


def assessment_items(items):
    return {(i.child.pk, i.obligation.status) for i in items if i.obligation.rule == "assessment"}


def test_a_workers_list_has_their_cases_overdue_and_due_soon_and_not_their_colleagues(service):
    late = assessment_case(service, "Late", days_ago=90)
    soon = assessment_case(service, "Soon", days_ago=60)  # 45 working days fall due within the week
    assessment_case(service, "Other", days_ago=90, worker_key="ben")
    items = lists.for_worker(worker=service.workers["ada"], on=service.today)
    found = assessment_items(items)
    assert (late.pk, "overdue") in found
    assert {pk for pk, _s in found} <= {late.pk, soon.pk}
    overdue = next(i for i in items if i.child == late and i.obligation.rule == "assessment")
    assert overdue.holder == service.workers["ada"] and overdue.obligation.days_over > 0


def test_recording_the_event_that_stops_the_clock_takes_the_item_off_at_once(service):
    late = assessment_case(service, "Late", days_ago=90)
    assert assessment_items(lists.for_worker(worker=service.workers["ada"], on=service.today))
    Assessment.objects.filter(episode__child=late).update(authorised_on=service.today)
    assert not assessment_items(lists.for_worker(worker=service.workers["ada"], on=service.today))


def test_a_team_list_includes_unallocated_cases_waiting_in_its_queue(service):
    held = assessment_case(service, "Held", days_ago=90)
    waiting = assessment_case(service, "Waiting", days_ago=90, worker_key=None)
    AllocationFactory(
        child=waiting,
        worker=service.workers["ben"],
        team=service.assessment,
        started_on=service.today - timedelta(days=80),
        ended_on=service.today - timedelta(days=20),
    )
    items = lists.for_teams(teams=[service.assessment.pk], on=service.today)
    assert {held.pk, waiting.pk} <= {pk for pk, _s in assessment_items(items)}
    unheld = next(i for i in items if i.child == waiting)
    assert unheld.holder is None and unheld.team == service.assessment
    assert not assessment_items(lists.for_teams(teams=[service.protection.pk], on=service.today))


def test_only_items_overdue_past_the_escalation_point_reach_the_service_managers_list(service):
    days = lists.chasing().escalate_after_days
    long_late = assessment_case(service, "Long", days_ago=120)
    items = lists.for_teams(teams=[service.assessment.pk], on=service.today, escalated_only=True)
    assert all(i.obligation.days_over > days for i in items)
    assert long_late.pk in {i.child.pk for i in items if i.child}
    just_late = assessment_case(service, "Just", days_ago=66)
    item = next(i for i in lists.for_worker(worker=service.workers["ada"], on=service.today) if i.child == just_late)
    assert item.escalated == (item.obligation.days_over > days)


def test_the_chase_pages_for_each_role(client, service):
    late = assessment_case(service, "Late", days_ago=90)
    client.force_login(service.users["ada"])
    page = client.get(reverse("chase:mine")).content.decode()
    assert f'data-child="{late.pk}" data-status="overdue"' in page
    client.force_login(service.manager)
    assert f'data-child="{late.pk}"' in client.get(reverse("chase:team")).content.decode()
    assert client.get(reverse("chase:team"), {"team": service.elsewhere.pk}).status_code == 404
    client.force_login(service.service_manager)
    assert f'data-child="{late.pk}"' in client.get(reverse("chase:service")).content.decode()
    client.force_login(service.users["performance"])
    response = client.get(reverse("chase:authority"), {"rule": "assessment", "download": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["LA child ID"], r["Status"], r["Held by"]) for r in rows] == [(late.la_child_id, "Overdue", "Ada Shaw")]


def test_the_digest_goes_once_a_day_however_often_the_job_runs(service, settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assessment_case(service, "Late", days_ago=90)
    service.users["ada"].email = "ada@example.org"
    service.users["ada"].save()
    service.manager.email = "tm@example.org"
    service.manager.save()
    first = digest.send_digests(on=service.today)
    assert first.sent == 2
    to = sorted(m.to[0] for m in mail.outbox)
    assert to == ["ada@example.org", "tm@example.org"]
    ada = next(m for m in mail.outbox if m.to == ["ada@example.org"])
    assert "Late Chase" in ada.body and "Assessment completed, overdue by" in ada.body
    second = digest.send_digests(on=service.today)
    assert (second.sent, second.already_sent) == (0, 2)
    call_command("send_digests")
    assert len(mail.outbox) == 2
    assert DigestSent.objects.filter(day=service.today, sent_at__isnull=False).count() == 2


def test_a_digest_that_fails_to_send_is_retried_by_the_next_run(service, settings, monkeypatch):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assessment_case(service, "Late", days_ago=90)
    service.users["ada"].email = "ada@example.org"
    service.users["ada"].save()

    def broken(*_args, **_kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr(digest, "send_mail", broken)
    assert digest.send_digests(on=service.today).failed == 1
    assert not DigestSent.objects.exists()
    monkeypatch.undo()
    assert digest.send_digests(on=service.today).sent == 1


def test_nobody_with_nothing_on_their_list_is_sent_a_digest(service, settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    Supervision.objects.create(worker=service.workers["ada"], held_on=service.today)  # supervised: nothing due
    service.users["ada"].email = "ada@example.org"
    service.users["ada"].save()
    assert digest.send_digests(on=service.today).sent == 0
    assert mail.outbox == []


def test_the_job_can_be_queued_as_a_task(service, settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assessment_case(service, "Late", days_ago=90)
    service.users["ada"].email = "ada@example.org"
    service.users["ada"].save()
    call_command("send_digests", "--enqueue")  # the test settings run tasks at once
    assert [m.to for m in mail.outbox] == [["ada@example.org"]]


def test_a_team_manager_without_a_worker_sees_an_explanation(client, service):
    lone = user_with("lone", Role.TEAM_MANAGER)
    client.force_login(lone)
    assert "not linked to a worker" in client.get(reverse("chase:team")).content.decode()
