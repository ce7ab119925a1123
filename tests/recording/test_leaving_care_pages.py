"""The care leaver pages: offered on a care leaver's record (the needs assessment on a looked-after
child's too), errors shown with what was typed (status 400), earlier records with who recorded
them and when, and ending the support checked before it is recorded."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from grip.cases.models import CareLeaverContact, CareLeaverEpisode, PathwayPlanReview
from tests.cases.factories import AllocationFactory, CareLeaverEpisodeFactory, LookedAfterEpisodeFactory
from tests.people.factories import ChildFactory

from .test_care_clocks import date_fields

pytestmark = pytest.mark.django_db

PAGES = {
    "Record a contact with a care leaver": "recording:leaving-care-contact",
    "Record a needs assessment (pathway plan)": "recording:leaving-care-needs-assessment",
    "Pathway plan and reviews": "recording:leaving-care-pathway-plan",
    "End care leaver support": "recording:leaving-care-end",
}


def allocated(service, child, started):
    ada = service.workers["ada"]
    AllocationFactory(child=child, worker=ada, team=ada.team, started_on=started)
    return child


@pytest.fixture
def leaver(service):
    child = ChildFactory(first_name="Kai", last_name="Leaver", date_of_birth=service.today - timedelta(days=365 * 19))
    started = service.today - timedelta(days=100)
    CareLeaverEpisodeFactory(child=child, started_on=started)
    return allocated(service, child, started)


@pytest.fixture
def ada(client, service):
    user = service.users["ada"]
    user.first_name, user.last_name = "Ada", "Shaw"
    user.save()
    client.force_login(user)
    return user


def test_a_care_leavers_record_offers_the_leaving_care_pages(client, leaver, ada):
    record = client.get(reverse("web:child-record", args=[leaver.pk])).text
    for text in PAGES:
        assert text in record
    assert "Record a looked-after review" not in record


def test_a_looked_after_child_is_offered_the_needs_assessment_alone(client, service, ada):
    child = ChildFactory(date_of_birth=service.today - timedelta(days=365 * 16 + 100))
    LookedAfterEpisodeFactory(child=child, started_on=service.today - timedelta(days=400))
    allocated(service, child, service.today - timedelta(days=400))
    record = client.get(reverse("web:child-record", args=[child.pk])).text
    assert "Record a needs assessment (pathway plan)" in record
    assert "Record a contact with a care leaver" not in record
    page = reverse("recording:leaving-care-contact", args=[child.pk])
    assert 'data-testid="cannot-record"' in client.get(page).text
    client.post(page, {**date_fields("contact", service.today), "in_touch": "NO"})
    assert not CareLeaverContact.objects.exists()


def test_a_contact_with_errors_keeps_what_was_typed_and_records_nothing(client, service, leaver, ada):
    page = reverse("recording:leaving-care-contact", args=[leaver.pk])
    typed = {"contact_day": "31", "contact_month": "2", "contact_year": "2026", "in_touch": "YES", "activity": "F5"}
    answer = client.post(page, {**typed, "accommodation": "U1", "provided_under": "S23B"})
    assert answer.status_code == 400
    text = answer.text
    assert "There is a problem" in text and 'href="#contact_day"' in text
    assert 'value="31"' in text and 'value="YES" checked' in text and 'value="S23B" checked' in text
    assert '<option value="F5" selected' in text and '<option value="U1" selected' in text
    in_touch_but_unknown = client.post(
        page, {**date_fields("contact", service.today), "in_touch": "YES", "activity": "F5", "accommodation": "0"}
    )
    assert in_touch_but_unknown.status_code == 400
    assert "You were in touch: select the young person’s accommodation." in in_touch_but_unknown.text
    assert 'href="#accommodation"' in in_touch_but_unknown.text
    unsaid = client.post(
        page, {**date_fields("contact", service.today), "in_touch": "YES", "activity": "F5", "accommodation": "U1"}
    )
    assert unsaid.status_code == 400 and 'href="#provided_under"' in unsaid.text
    assert "Select whether the authority provides this accommodation" in unsaid.text
    future = client.post(page, {**date_fields("contact", service.today + timedelta(days=1)), "in_touch": "NO"})
    assert future.status_code == 400 and "A contact cannot be in the future." in future.text
    assert not CareLeaverContact.objects.exists()


def test_a_recorded_contact_shows_who_recorded_it_and_the_accommodation_provided(client, service, leaver, ada):
    page = reverse("recording:leaving-care-contact", args=[leaver.pk])
    answer = {**date_fields("contact", service.today - timedelta(days=2)), "in_touch": "YES", "activity": "F4"}
    assert client.post(page, {**answer, "accommodation": "E1", "provided_under": "S23B"}).status_code == 302
    text = client.get(page).text
    assert 'data-testid="earlier-contacts"' in text and "by Ada Shaw on" in text
    assert "Full-time in an apprenticeship" in text
    assert 'data-testid="provided-accommodation"' in text
    assert "Supported lodgings (household providing support) – suitable (S23B)" in text


def test_a_review_before_the_plan_is_refused_on_the_form(client, service, leaver, ada):
    page = reverse("recording:leaving-care-pathway-plan", args=[leaver.pk])
    assert "No pathway plan is recorded yet" in client.get(page).text
    made = service.today - timedelta(days=20)
    assert client.post(page, {"kind": "PLAN", **date_fields("held", made)}).status_code == 302
    early = client.post(page, {"kind": "REVIEW", **date_fields("held", made - timedelta(days=1))})
    assert early.status_code == 400 and 'href="#held_day"' in early.text
    assert "A review cannot be before the pathway plan" in early.text
    assert client.post(page, {"kind": "REVIEW", **date_fields("held", service.today)}).status_code == 302
    text = client.get(page).text
    assert 'data-testid="earlier-plans"' in text and "Pathway plan made" in text and "Pathway plan review" in text
    assert list(PathwayPlanReview.objects.order_by("held_on").values_list("kind", flat=True)) == ["PLAN", "REVIEW"]


def test_ending_support_is_checked_then_recorded(client, service, leaver, ada):
    page = reverse("recording:leaving-care-end", args=[leaver.pk])
    answers = {**date_fields("ended", service.today - timedelta(days=1)), "reason": "NREQ"}
    check = client.post(page, answers)
    assert check.status_code == 200 and "Check before ending care leaver support" in check.text
    assert "The young person no longer wants support" in check.text
    assert CareLeaverEpisode.objects.get(child=leaver).ended_on is None  # nothing recorded yet
    back = client.post(page, {**answers, "step": "change"})
    assert "End care leaver support" in back.text and 'value="NREQ" checked' in back.text
    assert client.post(page, {**answers, "step": "check"}).status_code == 302
    ended = CareLeaverEpisode.objects.get(child=leaver)
    assert (ended.ended_on, ended.reason_ended) == (service.today - timedelta(days=1), "NREQ")
    assert "Record a contact with a care leaver" not in client.get(reverse("web:child-record", args=[leaver.pk])).text


def test_ending_support_before_it_began_is_refused_on_the_form(client, service, leaver, ada):
    page = reverse("recording:leaving-care-end", args=[leaver.pk])
    answers = {**date_fields("ended", service.today - timedelta(days=101)), "reason": "AGE", "step": "check"}
    refused = client.post(page, answers)
    assert refused.status_code == 400 and 'href="#ended_day"' in refused.text
    assert "The end of support cannot be before care leaver support began" in refused.text
    assert CareLeaverEpisode.objects.get(child=leaver).ended_on is None


def test_a_needs_assessment_is_recorded_and_listed(client, service, leaver, ada):
    page = reverse("recording:leaving-care-needs-assessment", args=[leaver.pk])
    assert client.post(page, date_fields("done", service.today - timedelta(days=3))).status_code == 302
    text = client.get(page).text
    assert 'data-testid="earlier-assessments"' in text and "by Ada Shaw on" in text
    twice = client.post(page, date_fields("done", service.today - timedelta(days=3)))
    assert twice.status_code == 400 and "is already recorded" in twice.text
