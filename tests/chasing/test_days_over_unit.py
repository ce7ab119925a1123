"""Days over are counted and shown in the rule's own unit (issue 11): working days for a deadline
in working days, calendar days otherwise, and the page, the digest and the download say which."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from grip.chasing import digest
from grip.core.calendar import authority_calendar
from grip.timescales.engine import Obligation

from .test_lists_and_digest import assessment_case

pytestmark = pytest.mark.django_db


def obligation(days_over: int, unit: str) -> Obligation:
    day = date(2026, 3, 2)
    return Obligation(
        key="k", rule="r", title="t", child_id=None, worker_id=None, record_id=1, occurrence=1,
        clock_started_by="x", clock_started_on=day, due=day, due_at=None, met_on=None, met_at=None,
        status="overdue", days_over=days_over, days_over_unit=unit,
    )  # fmt: skip


def test_days_over_say_their_unit():
    assert obligation(1, "working_days").days_over_text == "1 working day"
    assert obligation(3, "working_days").days_over_text == "3 working days"
    assert obligation(1, "calendar_days").days_over_text == "1 day"
    assert obligation(12, "calendar_days").days_over_text == "12 days"


def test_an_overdue_assessment_is_shown_overdue_by_working_days(client, service, settings):
    late = assessment_case(service, "Late", days_ago=90)
    client.force_login(service.users["ada"])
    page = client.get(reverse("chase:mine")).content.decode()

    # 45 working days from the referral, then working days from the due date to today. 90 calendar
    # days ago always spans weekends, so the count in working days is smaller than in days.
    cal = authority_calendar()
    due = cal.add_working_days(late.cin_episodes.get().referral_date, 45)
    working = cal.working_days_between(due, service.today)
    assert working < (service.today - due).days
    assert f"by {working} working day" in page

    client.force_login(service.users["performance"])
    response = client.get(reverse("chase:authority"), {"rule": "assessment", "download": "csv"})
    [row] = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert (row["Days over"], row["Counted in"]) == (str(working), "working days")

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    service.users["ada"].email = "ada@example.org"
    service.users["ada"].save()
    digest.send_digests(on=service.today)
    ada = next(m for m in mail.outbox if m.to == ["ada@example.org"])
    assert f"Assessment completed, overdue by {working} working day" in ada.body
