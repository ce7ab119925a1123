"""The early help pages: start (and a step down), assessment, meetings and reviews, closure and step
up through check-your-answers; errors keep what was typed; the record offers the pages by stage.
Early help has no statutory clock, so there is no chase-list item to clear (see
grip.cases.services.early_help); the step up's referral starts the social care clocks, checked here
by the stage it puts the child in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from grip.audit.models import AuditEntry
from grip.cases.models import CINEpisode, EarlyHelpAssessment, EarlyHelpEpisode, TeamAroundFamilyMeeting
from grip.cases.selectors import child_stage
from tests.cases.factories import AllocationFactory, ClosedCINEpisodeFactory
from tests.people.factories import ChildFactory

pytestmark = pytest.mark.django_db

REASON = "Family asked for help with routines; school attendance 82%."


def day_fields(prefix: str, day) -> dict:
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


def adas_child(service, name="Help"):
    """A child held by Ada (social worker) through an allocation, with no case open."""
    child = ChildFactory(first_name=name, last_name="Family")
    user = service.users["ada"]
    user.first_name, user.last_name = "Ada", "Shaw"
    user.save()
    ada = service.workers["ada"]
    AllocationFactory(child=child, worker=ada, team=ada.team, started_on=service.today - timedelta(days=100))
    return child


def url(name: str, child) -> str:
    return reverse(f"recording:{name}", args=[child.pk])


def started(client, service, child, days_ago=30, **extra):
    sent = client.post(
        url("early-help", child),
        {
            **day_fields("started", service.today - timedelta(days=days_ago)),
            "lead_organisation": "LA_EARLY_HELP",
            "reason": REASON,
            **extra,
        },
    )
    assert sent.status_code == 302, sent.text[sent.text.find("govuk-error-summary__list") :][:600]
    return EarlyHelpEpisode.objects.get(child=child, ended_on=None)


def test_starting_early_help_keeps_the_typing_on_errors_and_refuses_a_second(client, service):
    child = adas_child(service)
    client.force_login(service.users["ada"])
    blank = client.get(url("early-help", child))
    assert blank.status_code == 200 and "Start early help" in blank.text
    assert "step down" not in blank.text  # no case in children's social care to step down from

    wrong = client.post(url("early-help", child), {"started_day": "31", "started_month": "2", "started_year": "2026"})
    assert wrong.status_code == 400
    assert "Date early help started must be a real date" in wrong.text
    assert "Select the organisation" in wrong.text and "Enter why the family needs early help" in wrong.text
    assert 'value="31"' in wrong.text and not EarlyHelpEpisode.objects.exists()

    episode = started(client, service, child, lead_practitioner="Sam Jones, family support worker")
    assert (episode.started_on, episode.lead_organisation, episode.lead_practitioner) == (
        service.today - timedelta(days=30),
        "LA_EARLY_HELP",
        "Sam Jones, family support worker",
    )
    page = client.get(url("early-help", child))
    assert "Start early help" not in page.text and "Sam Jones, family support worker" in page.text
    # A second start is not offered; one posted anyway changes nothing.
    client.post(url("early-help", child), {**day_fields("started", service.today), "reason": REASON})
    assert EarlyHelpEpisode.objects.filter(child=child).count() == 1


def test_a_step_down_from_a_closed_case_is_asked_and_recorded(client, service):
    child = adas_child(service, "Stepdown")
    case = ClosedCINEpisodeFactory(
        child=child,
        referral_date=service.today - timedelta(days=80),
        closure_date=service.today - timedelta(days=5),
        closure_reason="RC9",
    )
    client.force_login(service.users["ada"])
    page = client.get(url("early-help", child))
    assert "Is this a step down from children’s social care?" in page.text
    unanswered = client.post(
        url("early-help", child),
        {**day_fields("started", service.today - timedelta(days=4)), "lead_organisation": "SCHOOL", "reason": REASON},
    )
    assert unanswered.status_code == 400 and "Select yes if this is a step down" in unanswered.text
    episode = started(client, service, child, days_ago=4, step_down="yes")
    assert episode.stepped_down_from == case
    assert "Stepped down from" in client.get(url("early-help", child)).text


def test_assessment_meeting_and_review_through_the_pages(client, service):
    child = adas_child(service, "Plan")
    client.force_login(service.users["ada"])
    started(client, service, child, days_ago=60)
    before = client.post(
        url("early-help-assessment", child),
        {**day_fields("started", service.today - timedelta(days=61)), "organisation": "SCHOOL"},
    )
    assert before.status_code == 400
    assert f"before early help started ({service.today - timedelta(days=60):%d/%m/%Y})" in before.text
    ok = client.post(
        url("early-help-assessment", child),
        {**day_fields("started", service.today - timedelta(days=55)), "organisation": "SCHOOL"},
    )
    assert ok.status_code == 302
    assert "Date the assessment was completed" in client.get(url("early-help-assessment", child)).text
    done = client.post(url("early-help-assessment", child), day_fields("completed", service.today - timedelta(days=40)))
    assert done.status_code == 302
    assert EarlyHelpAssessment.objects.get().completed_on == service.today - timedelta(days=40)

    review_first = client.post(
        url("early-help-review", child),
        {
            **day_fields("held", service.today - timedelta(days=30)),
            "attended_by": ["PARENT"],
            "review_outcome": "CONTINUE",
        },
    )
    assert review_first.status_code == 400 and "record that meeting first" in review_first.text
    no_one = client.post(url("early-help-meeting", child), day_fields("held", service.today - timedelta(days=30)))
    assert no_one.status_code == 400 and "Select who attended the meeting" in no_one.text
    meeting = client.post(
        url("early-help-meeting", child),
        {
            **day_fields("held", service.today - timedelta(days=30)),
            "attended_by": ["PARENT", "CHILD", "SCHOOL"],
            "notes": "School to offer breakfast club.",
        },
    )
    assert meeting.status_code == 302
    no_outcome = client.post(
        url("early-help-review", child), {**day_fields("held", service.today), "attended_by": ["PARENT"]}
    )
    assert no_outcome.status_code == 400 and "Select the outcome of the review" in no_outcome.text
    review = client.post(
        url("early-help-review", child),
        {**day_fields("held", service.today), "attended_by": ["PARENT", "SCHOOL"], "review_outcome": "STEP_DOWN"},
    )
    assert review.status_code == 302
    meetings = list(TeamAroundFamilyMeeting.objects.order_by("held_on").values_list("plan", "review_outcome"))
    assert meetings == [("AGREED", ""), ("REVIEWED", "STEP_DOWN")]
    earlier = client.get(url("early-help-review", child)).text
    assert "by Ada Shaw on" in earlier  # who recorded each meeting, and when


def test_closing_is_checked_before_it_is_recorded(client, service):
    child = adas_child(service, "Close")
    client.force_login(service.users["ada"])
    started(client, service, child, days_ago=60)
    page = client.get(url("early-help-close", child))
    assert "Stepped up to children" not in page.text  # the step up has its own page
    answers = {**day_fields("ended", service.today - timedelta(days=1)), "reason": "NEEDS_MET"}
    check = client.post(url("early-help-close", child), answers)
    assert check.status_code == 200 and "Check before closing early help" in check.text
    assert "Needs met" in check.text and EarlyHelpEpisode.objects.get().ended_on is None
    back = client.post(url("early-help-close", child), {**answers, "step": "change"})
    assert "Why did early help end?" in back.text and 'value="NEEDS_MET" checked' in back.text
    recorded = client.post(url("early-help-close", child), {**answers, "step": "check"})
    assert recorded.status_code == 302
    episode = EarlyHelpEpisode.objects.get()
    assert (episode.ended_on, episode.closure_reason) == (service.today - timedelta(days=1), "NEEDS_MET")
    assert child_stage(child=child) == "closed"


def test_stepping_up_is_checked_then_opens_the_referral_and_moves_the_child_on(client, service):
    child = adas_child(service, "Stepup")
    client.force_login(service.users["ada"])
    started(client, service, child, days_ago=60)
    assert child_stage(child=child) == "early_help"
    answers = day_fields("stepped", service.today)
    check = client.post(url("early-help-step-up", child), answers)
    assert check.status_code == 200 and "Check before stepping up" in check.text
    assert "LA services – early help" in check.text and not CINEpisode.objects.exists()
    done = client.post(url("early-help-step-up", child), {**answers, "step": "check"})
    assert done.status_code == 302
    referral = CINEpisode.objects.get(child=child)
    assert (referral.referral_date, referral.referral_source) == (service.today, "5D")
    assert EarlyHelpEpisode.objects.get().closure_reason == "STEPPED_UP"
    assert child_stage(child=child) == "child_in_need"
    assert AuditEntry.objects.filter(child=child, verb="early_help_stepped_up", actor=service.users["ada"]).exists()
    record = client.get(reverse("web:child-record", args=[child.pk])).text
    assert "Early help ended" in record and "Referral" in record


def test_the_record_offers_the_early_help_pages_by_stage(client, service):
    child = adas_child(service, "Menu")
    client.force_login(service.users["ada"])
    record = reverse("web:child-record", args=[child.pk])
    before = client.get(record).text
    assert url("early-help", child) in before and url("early-help-meeting", child) not in before
    started(client, service, child)
    during = client.get(record).text
    assert url("early-help-meeting", child) in during and url("early-help-step-up", child) in during
    assert "Early help since" in during  # the summary's plan line


def test_pages_for_steps_say_so_when_no_early_help_is_open(client, service):
    child = adas_child(service, "None")
    client.force_login(service.users["ada"])
    for name in ("early-help-assessment", "early-help-meeting", "early-help-review", "early-help-close"):
        page = client.get(url(name, child))
        assert page.status_code == 200 and "has no early help open" in page.text
        assert client.post(url(name, child), {}).status_code == 200
    assert not EarlyHelpEpisode.objects.exists()
