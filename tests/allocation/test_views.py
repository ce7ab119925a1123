"""The allocation pages as a manager uses them: the register with its filters and downloads, the
team queue, the allocation page's actions, the reallocation list and the reconciliation check."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from grip.access.models import RestrictedRecord
from grip.access.roles import Role
from grip.allocation.models import Allocation, Transfer
from grip.audit.models import AuditEntry
from grip.workforce.models import Absence
from tests.cases.factories import AllocationFactory, LookedAfterEpisodeFactory
from tests.people.factories import ChildFactory

from .conftest import user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(service):
    """An open case the assessment team held until its worker's allocation ended; and one new case."""
    held_before = service.open_case("Held", days_ago=40)
    AllocationFactory(
        child=held_before,
        worker=service.workers["ben"],
        team=service.assessment,
        started_on=service.today - timedelta(days=30),
        ended_on=service.today - timedelta(days=6),
    )
    brand_new = ChildFactory(first_name="New", last_name="Case")
    LookedAfterEpisodeFactory(child=brand_new, started_on=service.today - timedelta(days=2))
    return held_before, brand_new


def rows(response, testid: str = "register-row") -> set[int]:
    """The children of the page's rows marked `data-testid=testid` (the pages are Jinja2: no context)."""
    found = re.findall(rf'data-testid="{testid}" data-child="(\d+)"', response.content.decode())
    return {int(pk) for pk in found}


def row_html(response, child) -> str:
    page = response.content.decode()
    start = page.index(f'data-child="{child.pk}"')
    return page[start : page.index("</tr>", start)]


def test_the_register_lists_each_unallocated_case_with_its_wait_queue_and_last_worker(client, service, waiting):
    held_before, brand_new = waiting
    client.force_login(service.users["director"])
    response = client.get(reverse("allocation:register"))
    assert response.status_code == 200
    assert rows(response) == {held_before.pk, brand_new.pk}
    page = response.content.decode()
    assert "2</strong> open cases with no lead worker" in page
    row = " ".join(row_html(response, held_before).split())
    assert 'data-sort-value="6"> 6' in row and "Assessment North" in row and "Ben Ola" in row
    new_row = " ".join(row_html(response, brand_new).split())
    assert 'data-sort-value="2"> 2' in new_row and "Not in a team’s queue" in new_row and "Looked after" in new_row
    entry = AuditEntry.objects.filter(verb="register_viewed").latest("id")
    assert sorted(entry.payload["children"]) == sorted([held_before.pk, brand_new.pk])


def test_the_register_filters_by_team_service_and_stage(client, service, waiting):
    held_before, brand_new = waiting
    client.force_login(service.users["director"])
    url = reverse("allocation:register")
    assert rows(client.get(url, {"team": service.assessment.pk})) == {held_before.pk}
    assert rows(client.get(url, {"team": service.protection.pk})) == set()
    assert rows(client.get(url, {"service": service.assessment.service_area_id})) == {held_before.pk}
    assert rows(client.get(url, {"stage": "looked_after"})) == {brand_new.pk}
    assert rows(client.get(url, {"stage": "not-a-stage", "team": "x"})) == {held_before.pk, brand_new.pk}


def test_a_team_manager_sees_only_their_teams_queue_on_the_register(client, service, waiting):
    held_before, _brand_new = waiting
    client.force_login(service.manager)
    assert rows(client.get(reverse("allocation:register"))) == {held_before.pk}
    client.force_login(service.protection_manager)
    assert rows(client.get(reverse("allocation:register"))) == set()


def test_restricted_cases_are_counted_but_not_listed_for_those_who_may_not_open_them(client, service, waiting):
    held_before, brand_new = waiting
    RestrictedRecord.objects.create(child=brand_new, reason="Staff member's child", restricted_by=service.manager)
    client.force_login(service.users["director"])
    response = client.get(reverse("allocation:register"))
    assert rows(response) == {held_before.pk}
    assert "1 more unallocated case is a restricted record you may not open" in response.content.decode()
    assert brand_new.la_child_id not in response.content.decode()


def test_the_register_downloads_as_csv_and_excel_and_the_export_is_audited(client, service, waiting):
    held_before, _ = waiting
    client.force_login(service.users["performance"])
    response = client.get(reverse("allocation:register"), {"team": service.assessment.pk, "download": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["LA child ID"], r["Days unallocated"], r["Team queue"]) for r in table] == [
        (held_before.la_child_id, "6", "Assessment North")
    ]
    response = client.get(reverse("allocation:register"), {"download": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][:3] == ("LA child ID", "Name", "Stage") and len(values) == 3
    assert AuditEntry.objects.filter(verb="exported", payload__what="unallocated register").count() == 2


def test_a_name_a_spreadsheet_would_run_as_a_formula_is_written_as_text(client, service):
    child = service.open_case("=HYPERLINK(1)")
    client.force_login(service.users["director"])
    response = client.get(reverse("allocation:register"), {"download": "csv"})
    line = next(
        r for r in csv.DictReader(io.StringIO(response.content.decode())) if r["LA child ID"] == child.la_child_id
    )
    assert line["Name"].startswith("'=")


def test_a_manager_allocates_from_the_queue_and_the_case_leaves_the_register(client, service, waiting):
    held_before, _ = waiting
    client.force_login(service.manager)
    queue = client.get(reverse("allocation:queue"))
    assert rows(queue, "queue-row") == {held_before.pk}
    page = reverse("allocation:child", kwargs={"pk": held_before.pk})
    response = client.post(page, {"action": "allocate", "worker": service.workers["ada"].pk, "note": "Duty"})
    assert response.status_code == 302
    assert "is allocated to Ada Shaw" in client.get(page).content.decode()
    assert rows(client.get(reverse("allocation:register"))) == set()


def test_the_allocation_page_says_what_is_wrong_and_changes_nothing(client, service, waiting):
    held_before, _ = waiting
    client.force_login(service.manager)
    page = reverse("allocation:child", kwargs={"pk": held_before.pk})
    response = client.post(page, {"action": "allocate", "worker": service.workers["cy"].pk})  # not their team
    assert response.status_code == 400
    assert "Choose a worker from your teams" in response.content.decode()
    response = client.post(page, {"action": "transfer", "to_team": service.protection.pk, "handover_note": "short"})
    assert "at least 20 characters" in response.content.decode()
    assert not Allocation.objects.filter(child=held_before, ended_on=None).exists()
    assert not Transfer.objects.exists()


def test_a_transfer_is_sent_accepted_by_the_receiving_team_and_shown_in_the_history(client, service):
    child = service.open_case()
    AllocationFactory(child=child, worker=service.workers["ada"], team=service.assessment, started_on=service.today)
    client.force_login(service.manager)
    page = reverse("allocation:child", kwargs={"pk": child.pk})
    note = "ICPC today, plan made under neglect; next core group is due within 10 working days."
    assert (
        client.post(page, {"action": "transfer", "to_team": service.protection.pk, "handover_note": note}).status_code
        == 302
    )
    client.force_login(service.protection_manager)
    queue = client.get(reverse("allocation:queue"))
    assert rows(queue, "incoming-row") == {child.pk}
    assert note in client.get(page).content.decode()
    client.post(page, {"action": "accept", "worker": service.workers["cy"].pk})
    history = client.get(page).content.decode()
    assert "Cy Mann" in history and "Ada Shaw" in history and "Accepted" in history


def test_a_manager_cannot_open_the_allocation_page_of_a_case_outside_their_scope(client, service):
    child = service.open_case()
    AllocationFactory(child=child, worker=service.workers["dee"], team=service.elsewhere, started_on=service.today)
    client.force_login(service.manager)
    assert client.get(reverse("allocation:child", kwargs={"pk": child.pk})).status_code == 404


def test_the_reallocation_list_shows_cases_of_an_absent_worker(client, service):
    child = service.open_case()
    AllocationFactory(child=child, worker=service.workers["ada"], team=service.assessment, started_on=service.today)
    Absence.objects.create(
        worker=service.workers["ada"], absence_type="LONG_TERM_SICKNESS", started_on=service.today - timedelta(days=3)
    )
    client.force_login(service.manager)
    response = client.get(reverse("allocation:reallocations"))
    assert rows(response, "reallocation-row") == {child.pk}
    assert "Long-term sickness" in response.content.decode()


def test_the_reconciliation_page_groups_the_disagreements(client, service):
    child = service.open_case(days_ago=50)
    AllocationFactory(
        child=child,
        worker=service.workers["ada"],
        team=service.assessment,
        started_on=service.today - timedelta(days=40),
        ended_on=service.today - timedelta(days=4),
    )
    client.force_login(service.users["performance"])
    response = client.get(reverse("allocation:reconciliation"))
    assert rows(response, "disagreement") == {child.pk}
    assert 'data-testid="count-open_but_allocation_ended">1<' in response.content.decode()
    assert 'data-testid="count-closed_but_allocated">0<' in response.content.decode()


def test_the_front_door_sends_a_new_case_to_a_teams_queue_where_its_manager_allocates_it(client, service, waiting):
    _held, brand_new = waiting
    front_door = user_with("fdm", Role.FRONT_DOOR_MANAGER)
    client.force_login(front_door)
    page = reverse("allocation:child", kwargs={"pk": brand_new.pk})
    assert f'href="{page}"' in client.get(reverse("allocation:register")).content.decode()
    note = "Referral accepted today: section 20 accommodation, needs a children in care worker."
    response = client.post(page, {"action": "transfer", "to_team": service.protection.pk, "handover_note": note})
    assert response.status_code == 302
    client.force_login(service.protection_manager)
    assert rows(client.get(reverse("allocation:queue")), "queue-row") == {brand_new.pk}
    client.post(page, {"action": "allocate", "worker": service.workers["cy"].pk})
    assert rows(client.get(reverse("allocation:register"))) == set()
    assert Transfer.objects.get(child=brand_new).outcome == "accepted"


def test_a_long_register_is_shown_a_page_at_a_time_longest_waiting_first(client, service, settings):
    from grip.allocation import views

    children = [service.open_case(f"Wait{i}", days_ago=10 + i) for i in range(views.PAGE_SIZE + 3)]
    client.force_login(service.users["director"])
    first = client.get(reverse("allocation:register"))
    assert len(rows(first)) == views.PAGE_SIZE
    assert f"<strong>{len(children)}</strong> open cases" in first.content.decode()
    assert children[-1].pk in rows(first)  # referred longest ago: waiting longest
    second = client.get(reverse("allocation:register"), {"page": 2})
    assert rows(second) == {c.pk for c in children[:3]}
    assert "Showing 51 to 53 of 53" in second.content.decode()
    assert rows(client.get(reverse("allocation:register"), {"page": 99})) == rows(second)


def test_a_manager_records_an_absence_and_the_workers_cases_are_on_the_reallocation_list_at_once(client, service):
    child = service.open_case()
    AllocationFactory(child=child, worker=service.workers["ada"], team=service.assessment, started_on=service.today)
    client.force_login(service.manager)
    page = f"{reverse('caseloads:worker')}?worker={service.workers['ada'].pk}"
    bad = client.post(
        page,
        {
            "action": "absence",
            "absence_type": "LONG_TERM_SICKNESS",
            "from-day": "31",
            "from-month": "2",
            "from-year": "2026",
        },
    )
    assert bad.status_code == 400 and "Enter a real date" in bad.content.decode()
    assert rows(client.get(reverse("allocation:reallocations")), "reallocation-row") == set()
    day = service.today
    response = client.post(
        page,
        {
            "action": "absence",
            "absence_type": "LONG_TERM_SICKNESS",
            "from-day": day.day,
            "from-month": day.month,
            "from-year": day.year,
        },
    )
    assert response.status_code == 302
    assert rows(client.get(reverse("allocation:reallocations")), "reallocation-row") == {child.pk}
    assert AuditEntry.objects.filter(verb="absence_recorded").count() == 1


def test_only_the_workers_managers_may_record_their_absence(client, service):
    client.force_login(service.protection_manager)
    page = f"{reverse('caseloads:worker')}?worker={service.workers['ada'].pk}"
    client.post(page, {"action": "leaving", "left-day": "1", "left-month": "1", "left-year": "2026"})
    service.workers["ada"].refresh_from_db()
    assert service.workers["ada"].left_on is None
