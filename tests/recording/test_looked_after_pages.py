"""The pages of a looked-after child's legal life: offered at the right stages, each decision
checked before it is recorded, errors shown with what was typed (status 400), the IRO assigned by
a manager and shown on the record and the review page, and earlier records with who recorded them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from grip.cases.models import CareLeaverEpisode, CarePlan, IROAssignment, LookedAfterEpisode, LookedAfterReview
from tests.cases.factories import AllocationFactory, LookedAfterEpisodeFactory, WorkerFactory
from tests.people.factories import ChildFactory

from .test_care_clocks import date_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(client, service):
    user = service.users["ada"]
    user.first_name, user.last_name = "Ada", "Shaw"
    user.save()
    client.force_login(user)
    return user


@pytest.fixture
def in_need(service):
    child = service.open_case("Noor", days_ago=40)
    ada = service.workers["ada"]
    AllocationFactory(child=child, worker=ada, team=ada.team, started_on=service.today - timedelta(days=40))
    return child


@pytest.fixture
def looked_after(service):
    child = ChildFactory(first_name="Lia", last_name="Care", date_of_birth=service.today - timedelta(days=365 * 10))
    LookedAfterEpisodeFactory(child=child, started_on=service.today - timedelta(days=30), legal_status="V2")
    ada = service.workers["ada"]
    AllocationFactory(child=child, worker=ada, team=ada.team, started_on=service.today - timedelta(days=30))
    return child


def start_answers(day) -> dict:
    return {
        **date_fields("started", day),
        "legal_status": "V2",
        "category_of_need": "N1",
        "placement_type": "U3",
        "provider": "PR1",
        "placement_postcode": "zx1 1zz",
        "home_postcode": "",
    }


def test_a_child_in_need_is_offered_becoming_looked_after_and_not_the_care_pages(client, in_need, ada):
    text = client.get(reverse("web:child-record", args=[in_need.pk])).text
    assert "Record the child becoming looked after" in text
    for entry in ("Record a change of legal status", "Record the end of care", "Record a care plan"):
        assert entry not in text


def test_a_looked_after_child_is_offered_the_care_pages_and_not_the_start(client, looked_after, ada):
    text = client.get(reverse("web:child-record", args=[looked_after.pk])).text
    for entry in (
        "Record a change of legal status",
        "Record the end of care",
        "Record a care plan",
        "Record a placement plan",
    ):
        assert entry in text
    assert "Record the child becoming looked after" not in text
    assert "Assign or change the IRO" not in text  # a manager's
    page = reverse("recording:care-start", args=[looked_after.pk])
    assert 'data-testid="already-looked-after"' in client.get(page).text
    client.post(page, {**start_answers(looked_after.looked_after_episodes.get().started_on), "step": "check"})
    assert LookedAfterEpisode.objects.filter(child=looked_after).count() == 1


def test_becoming_looked_after_is_checked_then_recorded(client, service, in_need, ada):
    page = reverse("recording:care-start", args=[in_need.pk])
    began = service.today - timedelta(days=2)
    check = client.post(page, start_answers(began))
    assert check.status_code == 200 and "Check the start of care" in check.text
    assert "V2: Single period of accommodation under section 20" in check.text
    assert not LookedAfterEpisode.objects.exists()
    back = client.post(page, {**start_answers(began), "step": "change"})
    assert "Record the child becoming looked after" in back.text and 'value="zx1 1zz"' in back.text
    assert client.post(page, {**start_answers(began), "step": "check"}).status_code == 302
    episode = LookedAfterEpisode.objects.get(child=in_need)
    assert (episode.started_on, episode.reason_new_episode, episode.placement_postcode) == (began, "S", "ZX1 1ZZ")
    assert "by Ada Shaw on" in client.get(reverse("recording:care-legal-status", args=[in_need.pk])).text


def test_becoming_looked_after_in_the_future_is_refused_with_what_was_typed(client, service, in_need, ada):
    page = reverse("recording:care-start", args=[in_need.pk])
    answer = client.post(page, {**start_answers(service.today + timedelta(days=1)), "step": "check"})
    assert answer.status_code == 400
    assert "The day care began cannot be in the future." in answer.text and 'href="#started_day"' in answer.text
    assert 'value="zx1 1zz"' in answer.text
    blank = client.post(page, {})
    assert (
        blank.status_code == 400
        and "Enter the day care began" in blank.text
        and "Select the legal status" in blank.text
    )
    assert not LookedAfterEpisode.objects.exists()


def test_a_legal_status_change_is_checked_then_recorded(client, service, looked_after, ada):
    page = reverse("recording:care-legal-status", args=[looked_after.pk])
    changed = service.today - timedelta(days=1)
    answers = {**date_fields("changed", changed), "legal_status": "C1"}
    check = client.post(page, answers)
    assert "Check the change of legal status" in check.text and "C1: Interim care order" in check.text
    assert client.post(page, {**answers, "step": "check"}).status_code == 302
    rows = list(
        LookedAfterEpisode.objects.filter(child=looked_after)
        .order_by("started_on")
        .values_list("legal_status", "reason_new_episode", "ended_on", "reason_ceased")
    )
    assert rows == [("V2", "S", changed, "X1"), ("C1", "L", None, "")]


def test_the_end_of_care_is_checked_then_recorded(client, service, looked_after, ada):
    page = reverse("recording:care-end", args=[looked_after.pk])
    assert "become a care leaver" not in client.get(page).text  # 10 years old: not offered
    ended = service.today - timedelta(days=1)
    answers = {**date_fields("ceased", ended), "reason": "E4A"}
    check = client.post(page, answers)
    assert "Check the end of care" in check.text and "E4A: Returned home" in check.text
    assert client.post(page, {**answers, "step": "check"}).status_code == 302
    episode = LookedAfterEpisode.objects.get(child=looked_after)
    assert (episode.ended_on, episode.reason_ceased) == (ended, "E4A")


def test_the_end_of_care_before_it_began_is_refused_on_the_form(client, service, looked_after, ada):
    page = reverse("recording:care-end", args=[looked_after.pk])
    answers = {**date_fields("ceased", service.today - timedelta(days=31)), "reason": "E4A", "step": "check"}
    answer = client.post(page, answers)
    assert answer.status_code == 400 and "Care cannot end before the current episode started" in answer.text
    assert LookedAfterEpisode.objects.get(child=looked_after).ended_on is None


def test_a_young_person_of_17_leaving_care_is_offered_care_leaver_support(client, service, ada):
    young = ChildFactory(
        first_name="Sam", last_name="Leaves", date_of_birth=service.today - timedelta(days=365 * 17 + 30)
    )
    LookedAfterEpisodeFactory(child=young, started_on=service.today - timedelta(days=400), legal_status="V2")
    AllocationFactory(child=young, worker=service.workers["ada"], team=service.assessment, started_on=service.today)
    page = reverse("recording:care-end", args=[young.pk])
    assert "Does Sam Leaves become a care leaver?" in client.get(page).text
    answers = {**date_fields("ceased", service.today), "reason": "E5"}
    unanswered = client.post(page, answers)
    assert unanswered.status_code == 400 and "Select yes if they become a care leaver" in unanswered.text
    assert client.post(page, {**answers, "care_leaver": "yes", "step": "check"}).status_code == 302
    assert CareLeaverEpisode.objects.get(child=young).started_on == service.today


def test_a_manager_assigns_the_iro_shown_on_the_record_and_chosen_for_the_review(client, service, looked_after):
    chair = WorkerFactory(first_name="Iris", last_name="Reeve", role="IRO")
    WorkerFactory(first_name="Sol", last_name="Work", role="SW")
    client.force_login(service.manager)
    page = reverse("recording:care-iro", args=[looked_after.pk])
    form = client.get(page).text
    assert "Iris Reeve" in form and "Sol Work" not in form  # only IROs are offered
    took_over = service.today - timedelta(days=20)
    assert client.post(page, {"iro": chair.pk, **date_fields("from", took_over)}).status_code == 302
    assert IROAssignment.objects.get(child=looked_after).iro == chair
    assert "Iris Reeve, since" in client.get(reverse("web:child-record", args=[looked_after.pk])).text

    review = reverse("recording:care-review", args=[looked_after.pk])
    assert f'<option value="{chair.pk}" selected' in client.get(review).text
    held = service.today - timedelta(days=1)
    assert (
        client.post(review, {**date_fields("held", held), "participation": "PN1", "chaired_by": chair.pk}).status_code
        == 302
    )
    assert LookedAfterReview.objects.get(child=looked_after).chaired_by == chair
    assert "chaired by Iris Reeve" in client.get(review).text


def test_a_social_worker_may_not_assign_the_iro(client, looked_after, ada):
    WorkerFactory(role="IRO")
    assert client.get(reverse("recording:care-iro", args=[looked_after.pk])).status_code in (403, 404)


def test_a_care_plan_with_errors_keeps_what_was_typed_and_records_nothing(client, service, looked_after, ada):
    page = reverse("recording:care-plan", args=[looked_after.pk])
    answer = client.post(page, {"made_day": "31", "made_month": "2", "made_year": "2026"})
    assert answer.status_code == 400 and "Date the plan was made must be a real date" in answer.text
    assert 'value="31"' in answer.text
    assert not CarePlan.objects.exists()
    assert client.post(page, date_fields("made", service.today)).status_code == 302
    assert "by Ada Shaw on" in client.get(page).text


def test_the_placement_plan_page_offers_the_placements_of_this_care(client, service, looked_after, ada):
    page = reverse("recording:care-placement-plan", args=[looked_after.pk])
    placement = looked_after.looked_after_episodes.get()
    text = client.get(page).text
    assert f'value="{placement.pk}" checked' in text  # the current placement is chosen already
    assert client.post(page, {"placement": placement.pk, **date_fields("agreed", service.today)}).status_code == 302
    assert "by Ada Shaw on" in client.get(page).text
