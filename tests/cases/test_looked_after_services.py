"""The write side of a looked-after child's legal life: the IRO, becoming looked after, a change of
legal status, care and placement plans, and ceasing to be looked after. Dates are set by hand
around a fixed day (Friday 20 March 2026); each expected episode is written out from the SSDA903
rules (RNE S to start, X1 then RNE L for a legal status change, REC on the last day)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from grip.audit.models import AuditEntry
from grip.cases import services
from grip.cases.models import CareLeaverEpisode, IROAssignment, LookedAfterEpisode, PlacementPlan
from tests.cases.factories import CINEpisodeFactory, LookedAfterEpisodeFactory, WorkerFactory
from tests.people.factories import ChildFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 20)


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(timezone.make_aware(datetime(2026, 3, 20, 12)), tick=False):
        yield


@pytest.fixture
def by():
    return get_user_model().objects.create_user(username="sw")


@pytest.fixture
def in_need():
    """Born 1 May 2015 (10 years old here), a child in need since 1 February 2026."""
    child = ChildFactory(date_of_birth=date(2015, 5, 1))
    CINEpisodeFactory(child=child, referral_date=date(2026, 2, 1))
    return child


def start(child, by, **changes):
    answers = {
        "child": child,
        "started_on": date(2026, 3, 2),
        "legal_status": "V2",
        "category_of_need": "N1",
        "placement_type": "U3",
        "provider": "PR1",
        "placement_postcode": " zx1  1zz ",
        "home_postcode": "ZX2 2ZZ",
        "by": by,
    }
    return services.looked_after_start(**{**answers, **changes})


def refusal(error: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return error.value.message_dict if hasattr(error.value, "error_dict") else {"": error.value.messages}


def iro(**kwargs):
    return WorkerFactory(role="IRO", **kwargs)


# --- becoming looked after ---------------------------------------------------------------------


def test_becoming_looked_after_opens_an_episode_started_s_and_is_audited(in_need, by):
    episode = start(in_need, by)
    got = (episode.started_on, episode.reason_new_episode, episode.legal_status, episode.placement_type)
    assert got == (date(2026, 3, 2), "S", "V2", "U3")
    assert (episode.placement_postcode, episode.home_postcode, episode.ended_on) == ("ZX1 1ZZ", "ZX2 2ZZ", None)
    entry = AuditEntry.objects.get(verb="looked_after_started")
    assert (entry.actor, entry.child_id, entry.target_id) == (by, in_need.pk, str(episode.pk))


def test_a_child_already_looked_after_cannot_start_again(in_need, by):
    start(in_need, by)
    with pytest.raises(ValidationError) as error:
        start(in_need, by, started_on=date(2026, 3, 10))
    assert "already looked after" in refusal(error)[""][0]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"started_on": date(2026, 3, 21)}, "started_on", "The day care began cannot be in the future."),
        ({"legal_status": "ZZ"}, "legal_status", "Select the legal status."),
        ({"category_of_need": "N9"}, "category_of_need", "Select the category of need."),
        ({"placement_type": "Q9"}, "placement_type", "Select the type of placement."),
        ({"placement_postcode": "ZX1 1ZZ 1ZZ"}, "placement_postcode", "Enter a postcode, like SW1A 1AA."),
    ],
)
def test_becoming_looked_after_refuses_bad_answers(in_need, by, changes, field, message):
    with pytest.raises(ValidationError) as error:
        start(in_need, by, **changes)
    assert refusal(error) == {field: [message]}
    assert not LookedAfterEpisode.objects.exists()


def test_a_new_period_of_care_cannot_begin_before_the_last_ended(in_need, by):
    LookedAfterEpisodeFactory(
        child=in_need, started_on=date(2025, 6, 1), ended_on=date(2026, 1, 5), reason_ceased="E4A"
    )
    with pytest.raises(ValidationError) as error:
        start(in_need, by, started_on=date(2026, 1, 4))
    assert refusal(error) == {"started_on": ["The child’s last period of care ended on 05/01/2026: care began after."]}
    assert start(in_need, by, started_on=date(2026, 1, 5)).reason_new_episode == "S"


# --- a change of legal status ------------------------------------------------------------------


def test_a_legal_status_change_ends_the_episode_x1_and_starts_an_l_episode_in_the_same_placement(in_need, by):
    first = start(in_need, by)
    new = services.legal_status_change(child=in_need, changed_on=date(2026, 3, 12), legal_status="C1", by=by)
    first.refresh_from_db()
    assert (first.ended_on, first.reason_ceased) == (date(2026, 3, 12), "X1")
    assert (new.started_on, new.reason_new_episode, new.legal_status) == (date(2026, 3, 12), "L", "C1")
    same = ("placement_type", "placement_provider", "placement_postcode", "home_postcode", "category_of_need")
    assert [getattr(new, f) for f in same] == [getattr(first, f) for f in same]
    assert AuditEntry.objects.get(verb="legal_status_changed").target_id == str(new.pk)


@pytest.mark.parametrize(
    ("changed_on", "status", "field", "message"),
    [
        (date(2026, 3, 2), "C1", "changed_on", "The change must be after the current episode started, on 02/03/2026."),
        (date(2026, 3, 21), "C1", "changed_on", "A change of legal status cannot be in the future."),
        (date(2026, 3, 12), "V2", "legal_status", "The legal status is V2 already: select the new one."),
        (date(2026, 3, 12), "XX", "legal_status", "Select the new legal status."),
    ],
)
def test_a_legal_status_change_refuses_bad_answers(in_need, by, changed_on, status, field, message):
    start(in_need, by)
    with pytest.raises(ValidationError) as error:
        services.legal_status_change(child=in_need, changed_on=changed_on, legal_status=status, by=by)
    assert refusal(error) == {field: [message]}
    assert LookedAfterEpisode.objects.count() == 1


def test_a_legal_status_change_needs_the_child_looked_after(in_need, by):
    with pytest.raises(ValidationError) as error:
        services.legal_status_change(child=in_need, changed_on=date(2026, 3, 12), legal_status="C1", by=by)
    assert "is not looked after" in refusal(error)[""][0]


# --- the IRO -----------------------------------------------------------------------------------


def test_an_iro_is_assigned_then_changed_with_history(in_need, by):
    start(in_need, by)
    first, second = iro(last_name="One"), iro(last_name="Two")
    services.iro_assign(child=in_need, iro=first, from_on=date(2026, 3, 3), by=by)
    services.iro_assign(child=in_need, iro=second, from_on=date(2026, 3, 16), by=by)
    history = list(
        IROAssignment.objects.filter(child=in_need).order_by("started_on").values_list("iro", "started_on", "ended_on")
    )
    assert history == [(first.pk, date(2026, 3, 3), date(2026, 3, 16)), (second.pk, date(2026, 3, 16), None)]
    assert AuditEntry.objects.filter(verb="iro_assigned").count() == 2


def test_only_a_worker_with_the_iro_role_in_post_may_be_assigned(in_need, by):
    start(in_need, by)
    social_worker = WorkerFactory(role="SW", first_name="Sol", last_name="Work")
    with pytest.raises(ValidationError) as error:
        services.iro_assign(child=in_need, iro=social_worker, from_on=date(2026, 3, 3), by=by)
    assert refusal(error) == {"iro": ["Sol Work is not an independent reviewing officer."]}
    left = iro(first_name="Lee", last_name="Gone", left_on=date(2026, 3, 1))
    with pytest.raises(ValidationError) as error:
        services.iro_assign(child=in_need, iro=left, from_on=date(2026, 3, 3), by=by)
    assert refusal(error) == {"iro": ["Lee Gone is not in post on 03/03/2026."]}


@pytest.mark.parametrize(
    ("from_on", "message"),
    [
        (date(2026, 3, 1), "An IRO cannot be assigned before the child became looked after on 02/03/2026."),
        (date(2026, 3, 21), "The day the IRO takes over cannot be in the future."),
        (date(2026, 3, 3), "The current IRO took over on 03/03/2026: the new one starts after."),
    ],
)
def test_an_iro_assignment_refuses_days_out_of_order(in_need, by, from_on, message):
    start(in_need, by)
    services.iro_assign(child=in_need, iro=iro(), from_on=date(2026, 3, 3), by=by)
    with pytest.raises(ValidationError) as error:
        services.iro_assign(child=in_need, iro=iro(), from_on=from_on, by=by)
    assert refusal(error) == {"from_on": [message]}


def test_a_review_names_the_iro_who_chaired_it(in_need, by):
    start(in_need, by)
    chair = iro()
    review = services.looked_after_review_hold(
        child=in_need, held_on=date(2026, 3, 19), participation="PN1", chaired_by=chair, by=by
    )
    assert review.chaired_by == chair
    with pytest.raises(ValidationError) as error:
        services.looked_after_review_hold(
            child=in_need, held_on=date(2026, 3, 18), participation="PN1", chaired_by=WorkerFactory(), by=by
        )
    assert list(refusal(error)) == ["chaired_by"]


# --- care and placement plans ------------------------------------------------------------------


def test_a_care_plan_belongs_to_the_first_episode_of_the_period_of_care(in_need, by):
    first = start(in_need, by)
    services.legal_status_change(child=in_need, changed_on=date(2026, 3, 12), legal_status="C1", by=by)
    plan = services.care_plan_record(child=in_need, made_on=date(2026, 2, 27), by=by)  # before care: allowed
    assert (plan.episode, plan.made_on) == (first, date(2026, 2, 27))
    with pytest.raises(ValidationError) as error:
        services.care_plan_record(child=in_need, made_on=date(2026, 2, 27), by=by)
    assert refusal(error) == {"made_on": ["A care plan made on 27/02/2026 is already recorded."]}
    with pytest.raises(ValidationError) as error:
        services.care_plan_record(child=in_need, made_on=date(2026, 3, 21), by=by)
    assert refusal(error) == {"made_on": ["A care plan cannot be in the future."]}


def test_a_placement_plan_names_the_episode_that_started_the_placement(in_need, by):
    first = start(in_need, by)
    later = services.legal_status_change(child=in_need, changed_on=date(2026, 3, 12), legal_status="C1", by=by)
    plan = services.placement_plan_record(child=in_need, placement=first, agreed_on=date(2026, 3, 4), by=by)
    assert (plan.episode, plan.agreed_on) == (first, date(2026, 3, 4))
    # the L episode continues the placement the S episode started: it is not a placement of its own
    with pytest.raises(ValidationError) as error:
        services.placement_plan_record(child=in_need, placement=later, agreed_on=date(2026, 3, 13), by=by)
    assert refusal(error) == {"placement": ["Select the episode that started the placement."]}
    assert PlacementPlan.objects.count() == 1
    assert AuditEntry.objects.get(verb="placement_plan_recorded").target_id == str(plan.pk)


def test_a_placement_plan_is_for_a_placement_of_this_period_of_care(in_need, by):
    old = LookedAfterEpisodeFactory(
        child=in_need, started_on=date(2025, 6, 1), ended_on=date(2026, 1, 5), reason_ceased="E4A"
    )
    start(in_need, by)
    with pytest.raises(ValidationError) as error:
        services.placement_plan_record(child=in_need, placement=old, agreed_on=date(2026, 3, 4), by=by)
    assert refusal(error) == {"placement": ["Select a placement of this period of care."]}


# --- ceasing to be looked after ----------------------------------------------------------------


def test_ceasing_ends_the_episode_with_its_reason_and_the_iro_assignment(in_need, by):
    start(in_need, by)
    services.iro_assign(child=in_need, iro=iro(), from_on=date(2026, 3, 3), by=by)
    ended = services.looked_after_cease(
        child=in_need, ceased_on=date(2026, 3, 18), reason="E4A", becomes_care_leaver=False, by=by
    )
    assert (ended.ended_on, ended.reason_ceased) == (date(2026, 3, 18), "E4A")
    assert IROAssignment.objects.get().ended_on == date(2026, 3, 18)
    assert not CareLeaverEpisode.objects.exists()
    assert AuditEntry.objects.get(verb="looked_after_ceased").payload["reason"] == "E4A"


@pytest.mark.parametrize(
    ("ceased_on", "reason", "field", "message"),
    [
        (date(2026, 3, 1), "E4A", "ceased_on", "Care cannot end before the current episode started, on 02/03/2026."),
        (date(2026, 3, 21), "E4A", "ceased_on", "The day care ended cannot be in the future."),
        (
            date(2026, 3, 18),
            "X1",
            "reason",
            "X1 starts a new episode the same day: record a change of placement or of legal status.",
        ),
        (date(2026, 3, 18), "E99", "reason", "Select why the child stopped being looked after."),
    ],
)
def test_ceasing_refuses_bad_answers(in_need, by, ceased_on, reason, field, message):
    start(in_need, by)
    with pytest.raises(ValidationError) as error:
        services.looked_after_cease(child=in_need, ceased_on=ceased_on, reason=reason, becomes_care_leaver=False, by=by)
    assert refusal(error) == {field: [message]}
    assert LookedAfterEpisode.objects.get().ended_on is None


def test_a_young_person_of_16_leaving_to_live_independently_may_become_a_care_leaver(by):
    # Born 10 March 2010: 16 on 10 March 2026, so 16 on 18 March 2026, the day care ends.
    young = ChildFactory(date_of_birth=date(2010, 3, 10))
    start(young, by)
    services.looked_after_cease(child=young, ceased_on=date(2026, 3, 18), reason="E5", becomes_care_leaver=True, by=by)
    leaver = CareLeaverEpisode.objects.get(child=young)
    assert (leaver.started_on, leaver.ended_on) == (date(2026, 3, 18), None)
    assert AuditEntry.objects.get(verb="looked_after_ceased").payload["care_leaver"] == leaver.pk


@pytest.mark.parametrize(
    ("born", "reason"),
    [
        (date(2010, 3, 19), "E5"),  # 16 on 19 March 2026: 15 on 18 March
        (date(2010, 3, 10), "E4A"),  # 16, but returned home: not leaving care to live independently
        (date(2010, 3, 10), "E11"),  # adopted
    ],
)
def test_care_leaver_support_is_refused_under_16_or_for_another_reason(by, born, reason):
    young = ChildFactory(date_of_birth=born)
    start(young, by)
    with pytest.raises(ValidationError) as error:
        services.looked_after_cease(
            child=young, ceased_on=date(2026, 3, 18), reason=reason, becomes_care_leaver=True, by=by
        )
    assert list(refusal(error)) == ["becomes_care_leaver"]
    assert not CareLeaverEpisode.objects.exists()
    assert LookedAfterEpisode.objects.get().ended_on is None


def test_may_become_care_leaver_reads_the_offer_from_the_reference_file():
    young = ChildFactory(date_of_birth=date(2010, 3, 10))
    assert services.looked_after.may_become_care_leaver(young, reason="E17", on=date(2026, 3, 10)) is True
    assert services.looked_after.may_become_care_leaver(young, reason="E17", on=date(2026, 3, 9)) is False
    assert services.looked_after.may_become_care_leaver(young, reason="E2", on=date(2026, 3, 10)) is False
