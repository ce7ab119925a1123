"""Allocating, reallocating, transferring and ending: what a manager relies on, and what is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from grip.access.scope import children_visible_to
from grip.allocation import services
from grip.allocation.models import Allocation, Transfer
from grip.allocation.register import reallocation_list, reconciliation, unallocated_register
from grip.workforce import services as workforce
from tests.cases.factories import AllocationFactory, ChildProtectionPlanFactory, ClosedCINEpisodeFactory
from tests.people.factories import ChildFactory

from .conftest import route_to_queue

pytestmark = pytest.mark.django_db


def nothing_overdue(**_kwargs):
    return {}


def register_ids(on):
    return {row.child.pk for row in unallocated_register(on=on, overdue=nothing_overdue)}


def lead_of(child):
    return Allocation.objects.get(child=child, role="lead", ended_on=None)


def test_allocating_takes_the_case_off_the_register(service):
    child = service.queued_case("Ria")
    assert child.pk in register_ids(service.today)
    allocation = services.case_allocate(actor=service.manager, child=child, worker=service.workers["ada"])
    assert (allocation.worker, allocation.team, allocation.started_on) == (
        service.workers["ada"],
        service.assessment,
        service.today,
    )
    assert child.pk not in register_ids(service.today)


def test_a_case_already_allocated_is_not_allocated_again_and_the_manager_is_told_who_holds_it(service):
    child = service.queued_case()
    services.case_allocate(actor=service.manager, child=child, worker=service.workers["ada"])
    with pytest.raises(ValidationError, match="already allocated to Ada Shaw"):
        services.case_allocate(actor=service.manager, child=child, worker=service.workers["ben"])
    assert Allocation.objects.filter(child=child).count() == 1


def test_a_closed_case_cannot_be_allocated(service):
    child = ChildFactory()
    ClosedCINEpisodeFactory(child=child, referral_date=service.today - timedelta(days=60))
    route_to_queue(child, service.assessment, on=service.today)
    with pytest.raises(ValidationError, match="no open case"):
        services.case_allocate(actor=service.manager, child=child, worker=service.workers["ada"])


def test_a_manager_allocates_only_to_workers_of_teams_they_manage(service):
    child = service.queued_case()
    with pytest.raises(PermissionDenied):
        services.case_allocate(actor=service.manager, child=child, worker=service.workers["cy"])
    # the service manager manages both teams of the service area, but not the other area's
    services.case_allocate(actor=service.service_manager, child=child, worker=service.workers["cy"])
    with pytest.raises(PermissionDenied):
        services.case_allocate(
            actor=service.service_manager, child=service.queued_case(), worker=service.workers["dee"]
        )


def test_nobody_is_given_a_case_while_away_or_after_leaving(service):
    workforce.absence_record(
        actor=service.manager, worker=service.workers["ada"], absence_type="ANNUAL_LEAVE", started_on=service.today
    )
    with pytest.raises(ValidationError, match="away"):
        services.case_allocate(actor=service.manager, child=service.queued_case(), worker=service.workers["ada"])
    workforce.worker_leaving_record(
        actor=service.manager, worker=service.workers["ben"], left_on=service.today - timedelta(days=1)
    )
    with pytest.raises(ValidationError, match="not in post"):
        services.case_allocate(actor=service.manager, child=service.queued_case(), worker=service.workers["ben"])


def test_reallocating_hands_over_on_the_day_and_keeps_the_history(service):
    child = service.queued_case()
    first = AllocationFactory(
        child=child,
        worker=service.workers["ada"],
        team=service.assessment,
        started_on=service.today - timedelta(days=5),
    )
    services.case_reallocate(actor=service.manager, child=child, current=first, worker=service.workers["ben"])
    first.refresh_from_db()
    assert first.ended_on == service.today
    assert lead_of(child).worker == service.workers["ben"]
    assert Allocation.objects.filter(child=child).count() == 2


def test_reallocating_from_a_stale_page_is_refused(service):
    child = service.queued_case()
    seen = services.case_allocate(actor=service.manager, child=child, worker=service.workers["ada"])
    Allocation.objects.filter(pk=seen.pk).update(started_on=service.today - timedelta(days=3))
    seen.refresh_from_db()
    services.case_reallocate(actor=service.manager, child=child, current=seen, worker=service.workers["ben"])
    with pytest.raises(ValidationError, match="changed while you were looking: it is now with Ben Ola"):
        services.case_reallocate(actor=service.manager, child=child, current=seen, worker=service.workers["tm"])


def test_siblings_are_allocated_together_or_not_at_all(service):
    one, two, three = service.queued_case("One"), service.queued_case("Two"), service.queued_case("Three")
    AllocationFactory(child=three, worker=service.workers["ben"], team=service.assessment, started_on=service.today)
    with pytest.raises(ValidationError, match="Three Case is already allocated"):
        services.siblings_allocate(actor=service.manager, children=[one, two, three], worker=service.workers["ada"])
    assert not Allocation.objects.filter(child__in=[one, two]).exists()
    services.siblings_allocate(actor=service.manager, children=[one, two], worker=service.workers["ada"])
    assert {lead_of(one).worker, lead_of(two).worker} == {service.workers["ada"]}


def test_a_transfer_keeps_the_case_with_its_worker_until_the_receiving_team_accepts(service):
    child = service.queued_case()
    services.case_allocate(actor=service.manager, child=child, worker=service.workers["ada"])
    with pytest.raises(ValidationError, match="handover note"):
        services.case_transfer(actor=service.manager, child=child, to_team=service.protection, handover_note="CP")
    transfer = services.case_transfer(
        actor=service.manager,
        child=child,
        to_team=service.protection,
        handover_note="ICPC held today: plan under neglect. Mother engages with the health visitor.",
    )
    assert lead_of(child).worker == service.workers["ada"]  # never unallocated by a transfer
    assert child in children_visible_to(service.protection_manager)  # the receiving team can read it
    with pytest.raises(PermissionDenied):  # only the receiving team's managers accept
        services.transfer_accept(actor=service.manager, transfer=transfer, worker=service.workers["ben"])
    with pytest.raises(ValidationError, match="Choose a worker in Child Protection North"):
        services.transfer_accept(actor=service.service_manager, transfer=transfer, worker=service.workers["ben"])
    services.transfer_accept(actor=service.protection_manager, transfer=transfer, worker=service.workers["cy"])
    transfer.refresh_from_db()
    assert transfer.outcome == Transfer.Outcome.ACCEPTED
    assert (lead_of(child).worker, lead_of(child).team) == (service.workers["cy"], service.protection)
    with pytest.raises(ValidationError, match="already accepted"):
        services.transfer_decline(actor=service.protection_manager, transfer=transfer, reason="Too late to say no now.")


def test_a_declined_transfer_leaves_the_case_where_it_was(service):
    child = service.queued_case()
    services.case_allocate(actor=service.manager, child=child, worker=service.workers["ada"])
    transfer = services.case_transfer(
        actor=service.manager, child=child, to_team=service.protection, handover_note="Strategy discussion held today."
    )
    with pytest.raises(ValidationError, match="already waiting"):
        services.case_transfer(
            actor=service.manager, child=child, to_team=service.elsewhere, handover_note="Family moved to the south."
        )
    services.transfer_decline(
        actor=service.protection_manager, transfer=transfer, reason="No section 47 yet; stays with assessment."
    )
    assert lead_of(child).worker == service.workers["ada"]
    assert Transfer.objects.get(pk=transfer.pk).outcome == "declined"


def test_an_unallocated_case_sent_to_a_team_is_in_that_teams_queue(service):
    child = service.open_case()
    assert child not in children_visible_to(service.protection_manager)
    services.case_transfer(
        actor=service.protection_manager,
        child=child,
        to_team=service.protection,
        handover_note="New referral from the front door: strategy discussion needed today.",
    )
    row = next(r for r in unallocated_register(on=service.today, overdue=nothing_overdue) if r.child.pk == child.pk)
    assert row.team == service.protection and row.transfer is not None
    assert child in children_visible_to(service.protection_manager)
    services.case_allocate(actor=service.protection_manager, child=child, worker=service.workers["cy"])
    assert Transfer.objects.get(child=child).outcome == "accepted"  # allocating from the queue accepts it


def test_ending_an_allocation_puts_an_open_case_back_on_the_register_in_its_teams_queue(service):
    child = service.queued_case(days_ago=40)
    allocation = AllocationFactory(
        child=child, worker=service.workers["ada"], team=service.assessment, started_on=service.today - timedelta(30)
    )
    services.allocation_end(actor=service.manager, allocation=allocation, reason="Worker moved to another authority")
    row = next(r for r in unallocated_register(on=service.today, overdue=nothing_overdue) if r.child.pk == child.pk)
    assert (row.team, row.last_worker, row.since, row.days) == (
        service.assessment,
        service.workers["ada"],
        service.today,
        0,
    )
    later = service.today + timedelta(days=200)
    assert child in children_visible_to(service.manager)  # still the team's to reallocate, however long it waits
    assert register_ids(later) >= {child.pk}


def test_an_absence_puts_the_workers_cases_on_the_reallocation_list_at_once(service):
    child = service.queued_case()
    services.case_allocate(actor=service.manager, child=child, worker=service.workers["ada"])
    assert not reallocation_list(on=service.today)
    workforce.absence_record(
        actor=service.manager,
        worker=service.workers["ada"],
        absence_type="LONG_TERM_SICKNESS",
        started_on=service.today,
    )
    [row] = reallocation_list(on=service.today)
    assert (row.child, row.worker, row.away.reason, row.away.detail) == (
        child,
        service.workers["ada"],
        "absent",
        "Long-term sickness",
    )
    with pytest.raises(ValidationError, match="already has an absence"):
        workforce.absence_record(
            actor=service.manager, worker=service.workers["ada"], absence_type="SICKNESS", started_on=service.today
        )


def test_a_leaver_still_holding_cases_shows_on_the_reallocation_list_and_in_reconciliation(service):
    child = service.queued_case()
    AllocationFactory(
        child=child, worker=service.workers["ben"], team=service.assessment, started_on=service.today - timedelta(9)
    )
    workforce.worker_leaving_record(
        actor=service.manager, worker=service.workers["ben"], left_on=service.today - timedelta(1)
    )
    assert [r.away.reason for r in reallocation_list(on=service.today)] == ["left"]
    assert [d.kind for d in reconciliation(on=service.today)] == ["allocated_to_leaver"]
    with pytest.raises(ValidationError, match="cannot leave before"):
        workforce.worker_leaving_record(
            actor=service.manager,
            worker=service.workers["ada"],
            left_on=service.workers["ada"].started_on - timedelta(1),
        )


def test_reconciliation_lists_each_kind_of_disagreement_and_is_empty_when_put_right(service):
    closed = ChildFactory(first_name="Closed")
    ClosedCINEpisodeFactory(child=closed, referral_date=service.today - timedelta(days=60))
    held = AllocationFactory(
        child=closed, worker=service.workers["ada"], team=service.assessment, started_on=service.today - timedelta(50)
    )
    ended = service.queued_case("Ended", days_ago=40)
    gap = AllocationFactory(
        child=ended,
        worker=service.workers["ada"],
        team=service.assessment,
        started_on=service.today - timedelta(30),
        ended_on=service.today - timedelta(5),
    )
    plan_child = ChildFactory(first_name="Plan")
    episode = ClosedCINEpisodeFactory(child=plan_child, referral_date=service.today - timedelta(days=90))
    ChildProtectionPlanFactory(episode=episode, started_on=service.today - timedelta(days=80))
    kinds = {d.kind: d.child for d in reconciliation(on=service.today)}
    assert kinds == {
        "closed_but_allocated": closed,
        "open_but_allocation_ended": ended,
        "plan_without_open_episode": plan_child,
    }
    services.allocation_end(actor=service.manager, allocation=held, reason="Case closed on 1 day")
    Allocation.objects.filter(pk=gap.pk).update(ended_on=None)
    episode.cp_plans.update(ended_on=episode.closure_date)
    assert reconciliation(on=service.today) == []
