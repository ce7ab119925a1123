"""Setting a worker's supervision frequency: the service's checks and history, the page a team
manager uses, and the chase list following at once. Uses tests/allocation/conftest.py's small
service (`tm` manages Assessment North: Ada and Ben; Dee is in another service area)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from grip.audit.models import AuditEntry
from grip.timescales.engine import obligations
from grip.workforce import services
from grip.workforce.models import SupervisionFrequency
from tests.cases.factories import SupervisionFactory

pytestmark = pytest.mark.django_db


def _date(prefix: str, day) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def test_setting_a_frequency_ends_the_one_before_and_back_to_the_standard_ends_it(service):
    ada, today = service.workers["ada"], service.today
    first = services.supervision_frequency_set(
        worker=ada,
        frequency="weekly",
        reason="New to child protection",
        from_on=today - timedelta(days=20),
        by=service.manager,
    )
    second = services.supervision_frequency_set(
        worker=ada, frequency="fortnightly", reason="Settled in", from_on=today - timedelta(days=10), by=service.manager
    )
    first.refresh_from_db()
    assert (first.amount, first.unit, first.ended_on) == (1, "weeks", today - timedelta(days=10))
    assert (second.amount, second.unit, second.ended_on) == (2, "weeks", None)
    assert (
        services.supervision_frequency_set(
            worker=ada, frequency="standard", reason="Doing well", from_on=today, by=service.manager
        )
        is None
    )
    second.refresh_from_db()
    assert second.ended_on == today
    assert SupervisionFrequency.objects.filter(worker=ada, ended_on__isnull=True).count() == 0
    entries = AuditEntry.objects.filter(verb="supervision_frequency_set").order_by("pk")
    assert [e.payload["frequency"] for e in entries] == ["weekly", "fortnightly", "standard"]


@pytest.mark.parametrize(
    ("frequency", "reason", "days_ago", "field"),
    [
        ("hourly", "Why not", 0, "frequency"),
        ("weekly", "  ", 0, "reason"),
        ("weekly", "Extra support", -1, "from_on"),  # tomorrow
    ],
)
def test_refused_with_the_field_named(service, frequency, reason, days_ago, field):
    with pytest.raises(ValidationError) as refused:
        services.supervision_frequency_set(
            worker=service.workers["ada"],
            frequency=frequency,
            reason=reason,
            from_on=service.today - timedelta(days=days_ago),
            by=service.manager,
        )
    assert field in refused.value.message_dict


def test_no_change_on_or_before_the_last_one_and_no_standard_without_an_own_frequency(service):
    ada, today = service.workers["ada"], service.today
    with pytest.raises(ValidationError) as refused:
        services.supervision_frequency_set(
            worker=ada, frequency="standard", reason="x", from_on=today, by=service.manager
        )
    assert "frequency" in refused.value.message_dict
    services.supervision_frequency_set(worker=ada, frequency="weekly", reason="x", from_on=today, by=service.manager)
    with pytest.raises(ValidationError) as refused:
        services.supervision_frequency_set(
            worker=ada, frequency="monthly", reason="x", from_on=today - timedelta(days=1), by=service.manager
        )
    assert "from_on" in refused.value.message_dict


def test_only_a_manager_of_the_workers_team(service):
    with pytest.raises(PermissionDenied):
        services.supervision_frequency_set(
            worker=service.workers["dee"], frequency="weekly", reason="x", from_on=service.today, by=service.manager
        )


def test_the_page_sets_it_and_the_supervision_clock_follows_at_once(client, service):
    """Ada (in post since 6 Jan 2020) was last supervised 20 days ago: monthly, the next is not yet
    due; set fortnightly from today, it was due 6 days ago (20 - 14) and is overdue."""
    ada, today = service.workers["ada"], service.today
    SupervisionFactory(worker=ada, supervisor=service.workers["tm"], held_on=today - timedelta(days=20))

    def outstanding():
        return [o for o in obligations(on=today, workers=[ada.pk], rule_keys=["supervision"]) if o.met_on is None]

    assert [o.status for o in outstanding()] != ["overdue"]
    client.force_login(service.manager)
    url = f"{reverse('workforce:supervision_frequency')}?worker={ada.pk}"
    page = client.get(url)
    assert page.status_code == 200 and "Supervised by the employer standard" in page.content.decode()

    refused = client.post(url, {"worker": ada.pk, "frequency": "fortnightly", "reason": ""} | _date("from", today))
    assert refused.status_code == 400 and "Enter the reason" in refused.content.decode()

    form = {"worker": ada.pk, "frequency": "fortnightly", "reason": "Complex case in court"} | _date("from", today)
    done = client.post(url, form)
    assert done.status_code == 302
    (due,) = outstanding()
    assert (due.status, due.due) == ("overdue", today - timedelta(days=6))
    shown = client.get(url).content.decode()
    assert "Supervised fortnightly since" in shown and "Complex case in court" in shown


def test_another_teams_worker_is_not_found(client, service):
    client.force_login(service.manager)
    url = f"{reverse('workforce:supervision_frequency')}?worker={service.workers['dee'].pk}"
    assert client.get(url).status_code == 404
