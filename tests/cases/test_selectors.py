from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from grip.allocation.selectors import current_lead_allocation
from grip.cases.journey import KIND_ORDER, JourneyEvent, child_journey
from grip.cases.selectors import STAGE_LABELS, child_stage, children_matching
from grip.core.formatting import long_date
from grip.people.models import Person
from tests.cases.factories import (
    AllocationFactory,
    AssessmentFactory,
    CareLeaverContactFactory,
    CareLeaverEpisodeFactory,
    ChildProtectionConferenceFactory,
    ChildProtectionPlanFactory,
    CINEpisodeFactory,
    CINPlanFactory,
    ClosedCINEpisodeFactory,
    ContactFactory,
    EarlyHelpEpisodeFactory,
    LookedAfterEpisodeFactory,
    LookedAfterReviewFactory,
    MissingEpisodeFactory,
    PathwayPlanReviewFactory,
    Section47EnquiryFactory,
    StrategyDiscussionFactory,
    TeamFactory,
    VisitFactory,
    WorkerFactory,
    at,
    child_with_a_full_journey,
)
from tests.people.factories import ChildFactory, PersonFactory

pytestmark = pytest.mark.django_db


def all_children():
    """Every child record: the scope of a whole-authority role (scoping itself is tested in tests/access)."""
    return Person.objects.filter(la_child_id__isnull=False)


D = date(2025, 3, 3)  # a Monday


# --------------------------------------------------------------------------- stage


def test_a_child_with_no_record_yet_has_no_involvement():
    assert child_stage(child=ChildFactory()) == "no_involvement"


def test_a_child_with_only_a_contact_is_at_contact():
    child = ChildFactory()
    ContactFactory(child=child, received_at=at(D), decided_at=None, decided_by=None, outcome="")

    assert child_stage(child=child, on=D) == "contact"


@pytest.mark.parametrize(
    ("make", "stage"),
    [
        (lambda child: CINEpisodeFactory(child=child, referral_date=D), "child_in_need"),
        (
            lambda child: ChildProtectionPlanFactory(
                episode=CINEpisodeFactory(child=child, referral_date=D), started_on=D
            ),
            "child_protection",
        ),
        (lambda child: LookedAfterEpisodeFactory(child=child, started_on=D), "looked_after"),
        (lambda child: CareLeaverEpisodeFactory(child=child, started_on=D), "care_leaver"),
        (lambda child: EarlyHelpEpisodeFactory(child=child, started_on=D), "early_help"),
    ],
)
def test_an_open_involvement_gives_its_stage(make, stage):
    child = ChildFactory()
    make(child)

    assert child_stage(child=child, on=D) == stage
    assert child_stage(child=child, on=D - timedelta(days=1)) == "no_involvement"


def test_priority_is_looked_after_then_protection_then_need_then_care_leaver_then_early_help():
    child = ChildFactory()
    EarlyHelpEpisodeFactory(child=child, started_on=D)
    assert child_stage(child=child, on=D) == "early_help"
    CareLeaverEpisodeFactory(child=child, started_on=D)
    assert child_stage(child=child, on=D) == "care_leaver"
    episode = CINEpisodeFactory(child=child, referral_date=D)
    assert child_stage(child=child, on=D) == "child_in_need"
    ChildProtectionPlanFactory(episode=episode, started_on=D)
    assert child_stage(child=child, on=D) == "child_protection"
    LookedAfterEpisodeFactory(child=child, started_on=D)
    assert child_stage(child=child, on=D) == "looked_after"


def test_an_open_plan_counts_even_on_a_closed_episode():
    child = ChildFactory()
    episode = ClosedCINEpisodeFactory(child=child, referral_date=D, closure_date=D + timedelta(days=5))
    ChildProtectionPlanFactory(episode=episode, started_on=D + timedelta(days=1))

    assert child_stage(child=child, on=D + timedelta(days=30)) == "child_protection"


def test_an_involvement_ending_on_the_day_is_no_longer_open_that_day():
    child = ChildFactory()
    ClosedCINEpisodeFactory(child=child, referral_date=D, closure_date=D + timedelta(days=10))

    assert child_stage(child=child, on=D + timedelta(days=9)) == "child_in_need"
    assert child_stage(child=child, on=D + timedelta(days=10)) == "closed"


def test_stage_as_at_past_dates_follows_the_journey():
    child = ChildFactory()
    ContactFactory(child=child, received_at=at(D))
    episode = ClosedCINEpisodeFactory(
        child=child, referral_date=D + timedelta(days=1), closure_date=D + timedelta(days=200)
    )
    ChildProtectionPlanFactory(episode=episode, started_on=D + timedelta(days=20), ended_on=D + timedelta(days=150))
    ContactFactory(child=child, received_at=at(D + timedelta(days=300)))

    assert child_stage(child=child, on=D - timedelta(days=1)) == "no_involvement"
    assert child_stage(child=child, on=D) == "contact"
    assert child_stage(child=child, on=D + timedelta(days=1)) == "child_in_need"
    assert child_stage(child=child, on=D + timedelta(days=20)) == "child_protection"
    assert child_stage(child=child, on=D + timedelta(days=150)) == "child_in_need"
    assert child_stage(child=child, on=D + timedelta(days=200)) == "closed"
    assert child_stage(child=child, on=D + timedelta(days=299)) == "closed"
    assert child_stage(child=child, on=D + timedelta(days=300)) == "contact"


def test_a_contact_late_in_the_evening_counts_on_its_local_date():
    child = ChildFactory()
    ContactFactory(child=child, received_at=at(date(2025, 7, 1), 23, 30))  # 22:30 UTC

    assert child_stage(child=child, on=date(2025, 6, 30)) == "no_involvement"
    assert child_stage(child=child, on=date(2025, 7, 1)) == "contact"


def test_stage_defaults_to_today():
    child = ChildFactory()
    EarlyHelpEpisodeFactory(child=child, started_on=timezone.localdate())

    assert child_stage(child=child) == "early_help"


def test_every_stage_has_a_plain_english_label():
    assert set(STAGE_LABELS) == {
        "looked_after",
        "child_protection",
        "child_in_need",
        "care_leaver",
        "early_help",
        "contact",
        "closed",
        "no_involvement",
    }
    assert STAGE_LABELS["child_protection"] == "Child protection plan"


def test_current_lead_allocation_is_the_running_lead_only():
    child = ChildFactory()
    old = AllocationFactory(child=child, started_on=D, ended_on=D + timedelta(days=10))
    new = AllocationFactory(child=child, started_on=D + timedelta(days=10))
    AllocationFactory(child=child, role="co_worker", started_on=D)

    assert current_lead_allocation(child=child, on=D + timedelta(days=9)) == old
    assert current_lead_allocation(child=child, on=D + timedelta(days=10)) == new
    assert current_lead_allocation(child=child, on=D - timedelta(days=1)) is None
    assert current_lead_allocation(child=child) == new


# --------------------------------------------------------------------------- journey


def test_journey_is_newest_first_with_same_day_events_in_the_order_they_happen():
    child = ChildFactory()
    worker = WorkerFactory(first_name="Ada", last_name="Okafor", team__name="Assessment East")
    ContactFactory(child=child, received_at=at(D), decided_by=worker)
    episode = CINEpisodeFactory(child=child, referral_date=D)
    AllocationFactory(child=child, worker=worker, started_on=D)
    StrategyDiscussionFactory(episode=episode, held_on=D + timedelta(days=2))

    events = child_journey(child=child)

    assert [(e.when, e.kind) for e in events] == [
        (D + timedelta(days=2), "strategy_discussion"),
        (D + timedelta(days=2), "strategy_requested"),
        (D, "allocation"),
        (D, "referral"),
        (D, "contact"),
    ]
    assert events[2].title == "Allocated to Ada Okafor (Assessment East)"
    assert all(isinstance(e, JourneyEvent) for e in events)


def test_journey_describes_the_front_door_and_need_in_plain_english():
    child = ChildFactory()
    worker = WorkerFactory(first_name="Ada", last_name="Okafor")
    ContactFactory(
        child=child,
        received_at=at(D, 9, 15),
        decided_at=at(D, 11, 40),
        decided_by=worker,
        reporter_name="Sam Lee",
        reporter_organisation="Hillside Primary School",
    )
    episode = ClosedCINEpisodeFactory(child=child, referral_date=D, closure_date=D + timedelta(days=40))
    AssessmentFactory(episode=episode, started_on=D, authorised_on=D + timedelta(days=30))

    events = {e.kind: e for e in child_journey(child=child)}

    contact = events["contact"]
    assert contact.title == "Contact received"
    assert "Source: Schools" in contact.detail
    assert "Route: Telephone" in contact.detail
    assert "Reported by Sam Lee, Hillside Primary School" in contact.detail
    assert "Decision: Referral to children's social care (3 March 2025 at 11:40)" in contact.detail
    assert contact.by == "Ada Okafor"
    assert events["referral"].detail.splitlines() == [
        "Source: Police",
        "Primary need: Abuse or neglect",
    ]
    assert events["referral"].until == D + timedelta(days=40)
    assert events["cin_closed"].detail == "Case closed after assessment, no further action"
    assert events["assessment"].until == D + timedelta(days=30)
    assert events["assessment_authorised"].detail.splitlines() == [
        "Factors identified:",
        "Domestic violence: concerns about the child being the subject of domestic violence",
        "Mental health: concerns about the mental health of the parent(s)/carer(s)",
    ]


def test_an_undecided_contact_says_so():
    child = ChildFactory()
    ContactFactory(child=child, decided_at=None, decided_by=None, outcome="")

    (event,) = child_journey(child=child)

    assert "Awaiting a decision" in event.detail
    assert event.by == ""


def test_journey_covers_protection():
    child = ChildFactory()
    episode = CINEpisodeFactory(child=child, referral_date=D)
    StrategyDiscussionFactory(episode=episode, held_on=D)
    s47 = Section47EnquiryFactory(episode=episode, started_on=D, completed_on=D + timedelta(days=9))
    plan = ChildProtectionPlanFactory(
        episode=episode,
        started_on=D + timedelta(days=12),
        ended_on=D + timedelta(days=300),
        latest_category="EMO",
    )
    ChildProtectionConferenceFactory(episode=episode, section47=s47, plan=plan, held_on=plan.started_on)
    ChildProtectionConferenceFactory(
        episode=episode, conference_type="RCPC", plan=plan, held_on=D + timedelta(days=100)
    )
    CINPlanFactory(episode=episode, started_on=D + timedelta(days=300))

    events = child_journey(child=child)
    by_kind = {}
    for e in events:
        by_kind.setdefault(e.kind, []).append(e)

    assert by_kind["strategy_discussion"][0].detail == (
        "Held 3 March 2025 at 11:00\nAttended: Children's social care, Police, Health\n"
        "Outcome: Section 47 enquiry to start"
    )
    assert by_kind["strategy_requested"][0].detail == "Requested 3 March 2025 at 09:00"
    assert by_kind["section47_completed"][0].detail == "Outcome: Initial child protection conference required"
    assert [e.title for e in by_kind["conference"]] == [
        "Review child protection conference",
        "Initial child protection conference",
    ]
    assert by_kind["conference"][1].detail == "Child protection plan made"
    assert by_kind["cp_plan"][0].detail == "Category of abuse: Neglect"
    assert by_kind["cp_plan"][0].until == D + timedelta(days=300)
    assert by_kind["cp_plan_ended"][0].detail == "Latest category of abuse: Emotional abuse"
    assert by_kind["cin_plan"][0].title == "Child in need plan"
    # The plan ends and a CIN plan starts the same day: newest first, the CIN plan is on top.
    same_day = [e.kind for e in events if e.when == D + timedelta(days=300)]
    assert same_day == ["cin_plan", "cp_plan_ended"]


def test_journey_covers_care_visits_and_missing():
    child = ChildFactory()
    worker = WorkerFactory(first_name="Ada", last_name="Okafor")
    first = LookedAfterEpisodeFactory(child=child, started_on=D, ended_on=D + timedelta(days=30), reason_ceased="X1")
    LookedAfterEpisodeFactory(
        child=child,
        started_on=first.ended_on,
        reason_new_episode="P",
        placement_type="K2",
        placement_provider="PR4",
        ended_on=D + timedelta(days=90),
        reason_ceased="E4A",
    )
    LookedAfterReviewFactory(child=child, held_on=D + timedelta(days=20), participation="PN1")
    VisitFactory(child=child, worker=worker, visit_type="LAC", visited_on=D + timedelta(days=5))
    VisitFactory(child=child, worker=None, child_seen=False, seen_alone=False, visited_on=D)
    MissingEpisodeFactory(child=child, started_at=at(D + timedelta(days=40), 21))
    MissingEpisodeFactory(
        child=child,
        started_at=at(D + timedelta(days=50), 21),
        return_interview_offered=False,
        return_interview_at=None,
    )
    late = MissingEpisodeFactory(child=child, started_at=at(D + timedelta(days=60), 21))
    late.return_interview_at = late.ended_at + timedelta(days=5)
    late.save()

    events = child_journey(child=child)
    kinds = [e.kind for e in events]

    starts = [e for e in events if e.kind == "looked_after"]
    assert [e.title for e in starts] == [
        "Change of placement and carer(s) only",
        "Started to be looked after",
    ]
    assert starts[1].detail.splitlines() == [
        "Legal status: Full care order",
        "Placement: Foster placement with other foster carer(s) – long-term fostering",
        "Provider: Own provision (by the local authority), including a regional adoption agency "
        "where the child's responsible local authority is the host authority",
        "Category of need: Abuse or neglect",
    ]
    # X1 (a new episode starts the same day) is not an exit from care; E4A is.
    (ended,) = [e for e in events if e.kind == "looked_after_ended"]
    assert ended.when == D + timedelta(days=90)
    assert ended.detail.startswith("Returned home to live with parent(s)")
    assert kinds.count("looked_after_review") == 1
    visits = [e for e in events if e.kind == "visit"]
    assert (visits[0].title, visits[0].detail, visits[0].by) == (
        "Looked-after child visit",
        "Child seen alone",
        "Ada Okafor",
    )
    assert (visits[1].title, visits[1].detail, visits[1].by) == (
        "Child protection visit",
        "Child not seen",
        "",
    )
    missing = [e for e in events if e.kind == "missing"]
    assert [e.title for e in missing] == ["Missing from care"] * 3
    assert missing[0].detail.splitlines()[1].endswith("5 days after return")
    assert missing[1].detail.splitlines()[1] == "Return interview not offered"
    first_return = missing[2].detail.splitlines()
    returned = D + timedelta(days=41)
    assert first_return == [
        f"Returned {long_date(returned)} at 09:00",
        f"Return interview {long_date(returned + timedelta(days=1))}, within 72 hours",
    ]


def test_journey_covers_care_leavers_and_early_help():
    child = ChildFactory()
    leaver = CareLeaverEpisodeFactory(child=child, started_on=D, ended_on=D + timedelta(days=400))
    CareLeaverContactFactory(care_leaver=leaver, contact_on=D + timedelta(days=30))
    PathwayPlanReviewFactory(care_leaver=leaver, held_on=D + timedelta(days=60))
    EarlyHelpEpisodeFactory(
        child=child,
        started_on=D - timedelta(days=400),
        ended_on=D - timedelta(days=300),
        closure_reason="STEPPED_UP",
    )

    events = {e.kind: e for e in child_journey(child=child)}

    assert events["care_leaver"].until == D + timedelta(days=400)
    assert events["care_leaver_ended"].when == D + timedelta(days=400)
    assert events["care_leaver_contact"].detail.splitlines() == [
        "In touch: Yes",
        "Activity: Full-time in education other than higher education",
        "Accommodation: Semi-independent, transitional accommodation and self-contained accommodation – suitable",
    ]
    assert events["pathway_plan"].title == "Pathway plan review"
    assert events["early_help"].until == D - timedelta(days=300)
    assert events["early_help_ended"].detail == "Stepped up to children's social care"


def test_allocations_show_worker_team_and_until():
    child = ChildFactory()
    team = TeamFactory(name="Child Protection North")
    worker = WorkerFactory(first_name="Ada", last_name="Okafor", team=team)
    AllocationFactory(child=child, worker=worker, started_on=D, ended_on=D + timedelta(days=7))
    AllocationFactory(child=child, worker=worker, role="co_worker", started_on=D + timedelta(days=1))

    events = child_journey(child=child)

    assert [(e.title, e.until) for e in events] == [
        ("Co-worker Ada Okafor (Child Protection North)", None),
        ("Allocated to Ada Okafor (Child Protection North)", D + timedelta(days=7)),
    ]


def test_journey_shows_only_this_child():
    child, other = ChildFactory(), ChildFactory()
    ContactFactory(child=other)
    CINEpisodeFactory(child=other)
    AllocationFactory(child=other)

    assert child_journey(child=child) == []


def test_every_kind_has_a_same_day_order():
    child = child_with_a_full_journey(repeat=1)

    assert {e.kind for e in child_journey(child=child)} == set(KIND_ORDER)


def test_journey_takes_a_fixed_number_of_queries(django_assert_max_num_queries):
    small = child_with_a_full_journey(repeat=1)
    large = child_with_a_full_journey(repeat=8)

    with CaptureQueriesContext(connection) as for_small:
        child_journey(child=small)
    with django_assert_max_num_queries(21):  # one query per kind of record
        events = child_journey(child=large)

    assert len(events) == 8 * len(KIND_ORDER)
    with CaptureQueriesContext(connection) as for_large:
        child_journey(child=large)
    assert len(for_small.captured_queries) == len(for_large.captured_queries) == 21


# --------------------------------------------------------------------------- search


def test_search_finds_children_by_identifiers():
    child = ChildFactory(la_child_id="AB1234", upn="A123456789012", nhs_number="9434765919")
    ChildFactory()

    for query in ["AB1234", "ab1234", "A123456789012", "a123456789012", "943 476 5919"]:
        assert [m.child for m in children_matching(within=all_children(), query=query)] == [child], query


def test_search_finds_children_by_the_start_of_their_names_in_any_case():
    ada = ChildFactory(first_name="Ada", last_name="Lovelace")
    adam = ChildFactory(first_name="Adam", last_name="Smith")
    ChildFactory(first_name="Grace", last_name="Hopper")

    assert [m.child for m in children_matching(within=all_children(), query="ada")] == [ada, adam]
    assert [m.child for m in children_matching(within=all_children(), query="LOVE")] == [ada]
    assert [m.child for m in children_matching(within=all_children(), query="ada smi")] == [adam]
    assert [m.child for m in children_matching(within=all_children(), query="Smith Adam")] == [adam]
    assert children_matching(within=all_children(), query="velace") == []


def test_search_leaves_out_adults_and_blank_queries():
    PersonFactory(first_name="Ada", last_name="Parent")
    child = ChildFactory(first_name="Ada", last_name="Child")

    assert [m.child for m in children_matching(within=all_children(), query="Ada")] == [child]
    assert children_matching(within=all_children(), query="   ") == []


def test_search_gives_each_child_their_stage_in_one_query(django_assert_num_queries):
    for i in range(5):
        child = ChildFactory(first_name="Kim", last_name=f"Child{i}")
        if i % 2:
            CINEpisodeFactory(child=child)

    with django_assert_num_queries(1):
        matches = children_matching(within=all_children(), query="Kim")

    assert [m.stage for m in matches] == [
        "no_involvement",
        "child_in_need",
        "no_involvement",
        "child_in_need",
        "no_involvement",
    ]


def test_search_stops_at_the_limit():
    for _ in range(4):
        ChildFactory(first_name="Jo")

    assert len(children_matching(within=all_children(), query="Jo", limit=3)) == 3
