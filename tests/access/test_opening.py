"""Opening one child's record (grip.access.opening, issue 12): every page about a single child asks
for a reason at every opening of a restricted record under an exception, and stores it in that
opening's audit entry; a failed attempt to open a record leaves an audit trace and a plain 404."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from grip.access import services
from grip.access.decorators import CHILD
from grip.access.roles import Role
from grip.audit.models import AuditEntry
from grip.cases.models import StrategyDiscussion
from tests.core.test_security_log import log_lines

from .test_access_matrix import grip_urls, rule_of

pytestmark = pytest.mark.django_db

# Every page about one child, and what it shows once opened (besides the child's name).
PAGES = {
    "web:child-record": "Journey",
    "web:strategy-discussion": "strategy discussion",
    "web:assessment-start": "Start the assessment",
    "recording:visit-new": "Record a visit",
    "recording:case-note-new": "Add a case note",
    "recording:assessment-complete": "Complete the assessment",
    "recording:assessment-authorise": "Authorise the assessment",
    "recording:cin-plan": "Child in need plan",
    "recording:case-close": "Close the case",
    "allocation:child": "Restricted Scope",
    "audit:child-viewers": "Restricted Scope",
    "audit:subject-access": "Export everything held about this child",
    "recording:care-review": "Record a looked-after review",
    "recording:care-placement": "Record a change of placement",
    "recording:care-health": "Record a health assessment",
    "recording:care-education": "Record a personal education plan",
    "recording:care-missing": "Record a child missing",
    "recording:care-return-interview": "Record a return interview",
    "recording:care-start": "Record the child becoming looked after",
    "recording:care-iro": "Assign the independent reviewing officer",
    "recording:care-legal-status": "Record a change of legal status",
    "recording:care-plan": "Record a care plan",
    "recording:care-placement-plan": "Record a placement plan",
    "recording:care-end": "Record the end of care",
    "recording:protection-section47-outcome": "Record a section 47 enquiry’s outcome",
    "recording:protection-initial-conference": "Record an initial child protection conference",
    "recording:protection-review-conference": "Record a review child protection conference",
    "recording:protection-core-group": "Record a core group meeting",
    "recording:leaving-care-contact": "Record a contact with a care leaver",
    "recording:leaving-care-needs-assessment": "Record a needs assessment for a pathway plan",
    "recording:leaving-care-pathway-plan": "Record a pathway plan or its review",
    "recording:leaving-care-end": "End care leaver support",
    "recording:early-help": "Start early help",
    "recording:early-help-assessment": "Early help assessment",
    "recording:early-help-meeting": "Record a team around the family meeting",
    "recording:early-help-review": "Record an early help plan review",
    "recording:early-help-close": "Close early help",
    "recording:early-help-step-up": "Step up to children’s social care",
}
REASON = "Preparing the serious case review chronology"


@pytest.fixture
def excepted(client, world):
    """The director, signed in, with an exception to open the restricted record (named only on it:
    the team manager)."""
    director = world.users[Role.DIRECTOR]
    services.access_exception_grant(
        restriction=world.children["restricted"].restriction,
        user=director,
        reason="Serious case review in progress",
        expires_at=timezone.now() + timedelta(days=2),
        by=world.users[Role.TEAM_MANAGER],
    )
    client.force_login(director)
    return director


def test_every_page_about_one_child_opens_through_the_one_mechanism():
    child_pages = {name: view for name, _p, view in grip_urls() if rule_of(view) and rule_of(view).kind == CHILD}
    assert set(child_pages) == set(PAGES), "a page about one child: add it to PAGES (what it shows once opened)"
    missing = [name for name, view in child_pages.items() if not _opens_child_record(view)]
    assert not missing, f"These pages load a child without grip.access.opening.opens_child_record: {missing}"


def _opens_child_record(view) -> bool:
    while view is not None:
        if getattr(view, "opens_child_record", False):
            return True
        view = getattr(view, "__wrapped__", None)
    return False


@pytest.mark.parametrize("name", list(PAGES))
def test_each_page_asks_the_reason_at_every_opening_and_keeps_it_in_the_entry(client, world, excepted, name):
    child = world.children["restricted"]
    url = reverse(name, kwargs={"pk": child.pk})
    before = AuditEntry.objects.count()

    asked = client.get(url)
    assert asked.status_code == 200 and b"Why do you need to open this record" in asked.content
    assert b"Scope" not in asked.content and PAGES[name].encode() not in asked.content
    assert not AuditEntry.objects.filter(pk__gt=before, child=child).exists()

    for blank in ("", "   ", "too short"):
        refused = client.post(url, {"access_reason": blank, "access_step": "reason"})
        assert refused.status_code == 403
        assert b"There is a problem" in refused.content and b"govuk-error-summary" in refused.content
        assert b"Say why you need to open this record, in at least 10 characters" in refused.content
        assert b"Scope" not in refused.content
    assert not AuditEntry.objects.filter(pk__gt=before, child=child).exists()

    opened = client.post(url, {"access_reason": REASON, "access_step": "reason"})
    assert opened.status_code == 200
    assert b"Restricted Scope" in opened.content and PAGES[name].encode() in opened.content
    entry = AuditEntry.objects.filter(child=child).latest("id")
    assert (entry.actor, entry.verb, entry.payload["reason"], entry.payload["path"]) == (
        excepted,
        "restricted_opened",
        REASON,
        url,
    )
    again = client.get(url)
    assert b"Why do you need to open this record" in again.content and b"Scope" not in again.content


def test_a_page_opened_with_a_reason_carries_it_on_in_its_own_form(client, world, excepted):
    child = world.children["restricted"]
    url = reverse("web:strategy-discussion", kwargs={"pk": child.pk})
    opened = client.post(url, {"access_reason": REASON, "access_step": "reason"}).content.decode()
    assert f'<input type="hidden" name="access_reason" value="{REASON}">' in opened
    assert not StrategyDiscussion.objects.exists()  # opening the page is not asking for a discussion

    without = client.post(url, {"reason": "Police report of an assault at home"})
    assert b"Why do you need to open this record" in without.content and not StrategyDiscussion.objects.exists()

    asked = client.post(url, {"reason": "Police report of an assault at home", "access_reason": REASON})
    assert asked.status_code == 302 and StrategyDiscussion.objects.get().reason == "Police report of an assault at home"
    entry = AuditEntry.objects.filter(child=child, verb="restricted_opened").latest("id")
    assert entry.payload["reason"] == REASON


def test_the_subject_access_download_under_an_exception_needs_the_reason_too(client, world, excepted):
    child = world.children["restricted"]
    url = reverse("audit:subject-access", kwargs={"pk": child.pk})
    assert b"Why do you need" in client.post(url).content
    assert not AuditEntry.objects.filter(verb="exported").exists()

    download = client.post(url, {"access_reason": REASON})
    assert download["Content-Type"] == "application/zip"
    assert zipfile.ZipFile(io.BytesIO(download.getvalue())).namelist()
    exported = AuditEntry.objects.get(verb="exported")
    assert exported.payload["children"] == [child.pk] and exported.child_id == child.pk
    opened = AuditEntry.objects.filter(verb="restricted_opened", child=child).latest("id")
    assert opened.payload["reason"] == REASON


def test_people_named_on_the_record_and_unrestricted_records_are_not_asked(client, world):
    client.force_login(world.users[Role.TEAM_MANAGER])
    named = client.get(reverse("audit:child-viewers", kwargs={"pk": world.children["restricted"].pk}))
    assert named.status_code == 200 and b"Restricted Scope" in named.content
    assert AuditEntry.objects.filter(child=world.children["restricted"]).latest("id").verb == "viewed"
    client.force_login(world.users[Role.DIRECTOR])
    plain = client.get(reverse("audit:child-viewers", kwargs={"pk": world.children["own"].pk}))
    assert plain.status_code == 200 and b"Own Scope" in plain.content


# --- failed attempts --------------------------------------------------------------------------------


@pytest.fixture
def fresh_limits(settings):
    cache.clear()  # the rate limit counters (django-ratelimit) live in the cache
    yield settings
    cache.clear()


def _without_nonce(response) -> str:
    """The page without what differs at every request (the CSP nonce, the sign-out form's CSRF token)."""
    return re.sub(r'(nonce|value)="[^"]*"', "", response.content.decode())


@pytest.mark.parametrize("name", list(PAGES))
def test_a_record_out_of_scope_leaves_an_audit_trace_and_a_plain_404(client, world, fresh_limits, name):
    social_worker = world.users[Role.SOCIAL_WORKER]
    client.force_login(social_worker)
    out_of_scope = world.children["other_service"]
    url = reverse(name, kwargs={"pk": out_of_scope.pk})
    nobody = reverse(name, kwargs={"pk": 987_654_321})
    role_may_use_page = name in (
        *("web:child-record", "web:strategy-discussion", "web:assessment-start"),
        *("recording:visit-new", "recording:case-note-new"),
        *("recording:assessment-complete", "recording:cin-plan"),
    ) or (
        # a social worker records a looked-after child's care (a manager assigns the IRO), a child's
        # protection, a care leaver's support and early help
        name.startswith(("recording:care-", "recording:protection-", "recording:leaving-care-", "recording:early-help"))
        and name != "recording:care-iro"
    )

    with log_lines() as lines:
        refused, missing = client.get(url), client.get(nobody)

    assert refused.status_code == missing.status_code == 404
    assert _without_nonce(refused) == _without_nonce(missing)  # no hint which of the two exists
    assert b"Scope" not in refused.content
    attempts = list(AuditEntry.objects.filter(verb="record_not_found").order_by("id"))
    assert [line["event"] for line in lines] == ["child_not_found", "child_not_found"]
    if not role_may_use_page:  # the role cannot use the page at all: refused before any record is looked at
        assert attempts == []
        return
    assert [(a.actor, a.payload["record_number"], a.payload["path"], a.child_id) for a in attempts] == [
        (social_worker, str(out_of_scope.pk), url, out_of_scope.pk),
        (social_worker, "987654321", nobody, None),
    ]
    assert all(line["audited"] is True for line in lines)


def test_failed_attempts_are_audited_up_to_the_rate_limit_then_only_logged(client, world, fresh_limits):
    fresh_limits.GRIP_RATE_LIMITS = {**fresh_limits.GRIP_RATE_LIMITS, "record_not_found": "3/m"}
    client.force_login(world.users[Role.SOCIAL_WORKER])
    with log_lines() as lines:
        answers = [client.get(reverse("web:child-record", kwargs={"pk": 900_000 + n})).status_code for n in range(6)]
    assert answers == [404] * 6  # never a 429: that would say something the 404 does not
    assert AuditEntry.objects.filter(verb="record_not_found").count() == 3
    assert [line["audited"] for line in lines] == [True, True, True, False, False, False]
    client.force_login(world.users[Role.DIRECTOR])  # the limit is each person's own
    assert client.get(reverse("web:child-record", kwargs={"pk": 999_999})).status_code == 404
    assert AuditEntry.objects.filter(verb="record_not_found").count() == 4


def test_a_record_number_too_big_for_the_database_is_a_plain_404_and_audited(client, world, fresh_limits):
    client.force_login(world.users[Role.DIRECTOR])
    response = client.get(f"/children/{10**30}/")
    assert response.status_code == 404
    assert AuditEntry.objects.get(verb="record_not_found").payload["record_number"] == str(10**30)


def test_the_api_audits_a_report_asked_for_by_another_organisation(world, fresh_limits):
    from rest_framework.test import APIClient

    from grip.api.authentication import partner_token_create
    from grip.frontdoor.named import NamedChild
    from grip.frontdoor.services import contact_report_receive

    police_report, _ = contact_report_receive(
        received_at=timezone.now(),
        route="API",
        source="6",
        reporter_name="PC Reporter",
        concerns="A concern",
        consent="YES",
        urgency="ROUTINE",
        children=[NamedChild("Kim", "Partner")],
        partner_organisation=world.organisations["police"],
    )
    school_token, key = partner_token_create(organisation=world.organisations["school"], name="t")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    with log_lines() as lines:
        theirs = client.get(reverse("api:contact-report-detail", kwargs={"reference": police_report.reference}))
        none = client.get(reverse("api:contact-report-detail", kwargs={"reference": "NO-SUCH-REF"}))
    assert theirs.status_code == none.status_code == 404 and theirs.json() == none.json()
    attempts = AuditEntry.objects.filter(verb="api_record_not_found").order_by("id")
    assert [(a.actor, a.payload["reference"], a.payload["token"], a.payload["organisation"]) for a in attempts] == [
        (None, police_report.reference, school_token.pk, world.organisations["school"].pk),
        (None, "NO-SUCH-REF", school_token.pk, world.organisations["school"].pk),
    ]
    assert [line["event"] for line in lines] == ["report_not_found", "report_not_found"]


def test_a_contact_matched_to_a_restricted_record_asks_the_reason_before_showing_it(client, world):
    """The front door's contact page shows the matched child's LA child ID, date of birth and
    history: under an exception that is an opening of the restricted record like any other."""
    from tests.cases.factories import ContactFactory

    child = world.children["restricted"]
    contact = ContactFactory(child=child, partner_organisation=None, decided_at=None, decided_by=None, outcome="")
    practitioner = world.users[Role.FRONT_DOOR_PRACTITIONER]
    url = reverse("frontdoor:front-door-contact", kwargs={"pk": contact.pk})

    client.force_login(practitioner)
    assert client.get(url).status_code == 404  # not named, no exception: the contact is not theirs to see

    services.access_exception_grant(
        restriction=child.restriction,
        user=practitioner,
        reason="Police say the child is at a new address",
        expires_at=timezone.now() + timedelta(days=2),
        by=world.users[Role.TEAM_MANAGER],
    )
    before = AuditEntry.objects.count()
    asked = client.get(url)
    assert asked.status_code == 200 and b"Why do you need to open this record" in asked.content
    assert child.la_child_id.encode() not in asked.content and b"Restricted Scope" not in asked.content
    assert not AuditEntry.objects.filter(pk__gt=before, child=child).exists()

    opened = client.post(url, {"access_reason": REASON, "access_step": "reason"}).content.decode()
    assert child.la_child_id in opened and "Matched to" in opened
    assert f'<input type="hidden" name="access_reason" value="{REASON}">' in opened  # its forms carry it on
    entry = AuditEntry.objects.filter(child=child).latest("id")
    assert (entry.actor, entry.verb, entry.payload["reason"]) == (practitioner, "restricted_opened", REASON)
