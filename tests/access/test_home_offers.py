"""The home page offers each role exactly the pages its policy lets it use, and every page it
offers opens. The expected links are written out by hand, role by role, from the policy as a
person would state it (who works the front door, who allocates, who chases, ...), not read from
grip.access.capabilities or the pages' rules."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from grip.access.roles import Role

pytestmark = pytest.mark.django_db

SEARCH = "Search for a child"
QUEUE = "Front door queue"
SEEING = "Seeing the front door"
MINE = "My cases"
CASELOADS = "Caseloads"
MY_WEEK = "My week"
ESTABLISHMENT = "Team establishment"
WORKFORCE = "Workforce"
MY_OVERDUE = "My overdue and due this week"
TEAM_QUEUE = "Team queue"
TO_AUTHORISE = "Assessments to authorise"
ABSENT = "Cases held by an absent worker"
MY_SUPERVISION = "My supervision"
PULSE = "Staff pulse survey"
PULSE_RESULTS = "Staff pulse survey results"
WHO_IS_OFF = "Who is off"
SUPERVISION = "Supervision"
UNALLOCATED = "Unallocated cases"
RECONCILIATION = "Allocation reconciliation"
ESCALATED = "Escalated items"
AUTHORITY = "Overdue and due soon, whole authority"
TELL_US = "Tell us you are worried about a child"
CONTACTS = "Contacts"
AUDIT_LOG = "Audit log"
ACCESS = "Manage access"
ADMINISTRATION = "Administration"

# In the order the home page lists them.
OFFERED = {
    Role.FRONT_DOOR_PRACTITIONER: [SEARCH, QUEUE, SEEING, MINE, MY_WEEK, MY_OVERDUE, MY_SUPERVISION, PULSE, CONTACTS],
    Role.FRONT_DOOR_MANAGER: [
        SEARCH,
        QUEUE,
        SEEING,
        MINE,
        MY_WEEK,
        MY_OVERDUE,
        MY_SUPERVISION,
        PULSE,
        UNALLOCATED,
        CONTACTS,
    ],
    Role.SOCIAL_WORKER: [SEARCH, MINE, MY_WEEK, MY_OVERDUE, MY_SUPERVISION, PULSE, CONTACTS],
    Role.TEAM_MANAGER: [
        SEARCH,
        SEEING,
        MINE,
        CASELOADS,
        MY_WEEK,
        ESTABLISHMENT,
        WORKFORCE,
        MY_OVERDUE,
        MY_SUPERVISION,
        PULSE,
        PULSE_RESULTS,
        TEAM_QUEUE,
        TO_AUTHORISE,
        ABSENT,
        WHO_IS_OFF,
        SUPERVISION,
        UNALLOCATED,
        CONTACTS,
    ],
    Role.SERVICE_MANAGER: [
        SEARCH,
        SEEING,
        MINE,
        CASELOADS,
        MY_WEEK,
        ESTABLISHMENT,
        WORKFORCE,
        MY_OVERDUE,
        MY_SUPERVISION,
        PULSE,
        PULSE_RESULTS,
        TEAM_QUEUE,
        TO_AUTHORISE,
        ABSENT,
        WHO_IS_OFF,
        SUPERVISION,
        UNALLOCATED,
        RECONCILIATION,
        ESCALATED,
        CONTACTS,
    ],
    Role.DIRECTOR: [
        SEARCH,
        SEEING,
        MINE,
        CASELOADS,
        MY_WEEK,
        ESTABLISHMENT,
        WORKFORCE,
        MY_OVERDUE,
        MY_SUPERVISION,
        PULSE,
        PULSE_RESULTS,
        TEAM_QUEUE,
        TO_AUTHORISE,
        ABSENT,
        WHO_IS_OFF,
        SUPERVISION,
        UNALLOCATED,
        RECONCILIATION,
        ESCALATED,
        AUTHORITY,
        CONTACTS,
    ],
    Role.PERFORMANCE_OFFICER: [
        SEARCH,
        SEEING,
        MINE,
        CASELOADS,
        MY_WEEK,
        WORKFORCE,
        MY_OVERDUE,
        MY_SUPERVISION,
        PULSE,
        PULSE_RESULTS,
        ABSENT,
        UNALLOCATED,
        RECONCILIATION,
        AUTHORITY,
        CONTACTS,
    ],
    Role.QUALITY_ASSURANCE_LEAD: [
        SEARCH,
        MINE,
        CASELOADS,
        MY_WEEK,
        MY_OVERDUE,
        MY_SUPERVISION,
        PULSE,
        PULSE_RESULTS,
        ABSENT,
        UNALLOCATED,
        RECONCILIATION,
        AUTHORITY,
        CONTACTS,
    ],
    Role.INDEPENDENT_REVIEWING_OFFICER: [SEARCH, MINE, MY_WEEK, MY_OVERDUE, MY_SUPERVISION, PULSE, CONTACTS],
    Role.PARTNER_AGENCY_USER: [TELL_US, CONTACTS],
    Role.SYSTEM_ADMINISTRATOR: [PULSE, CONTACTS, AUDIT_LOG, ACCESS, ADMINISTRATION],
}
# Pages offered alongside another, to those who may open them.
ALSO = {
    QUEUE: ["Record a contact"],
    TEAM_QUEUE: ["Team chase list"],
    WHO_IS_OFF: ["Record an absence", "Record a worker back"],
    SUPERVISION: ["Record a supervision session"],
}
# Pages every signed-in user may open that are offered only to those they are of use to: partner
# agency users and system administrators hold no cases.
OFFERED_TO_SOME = {MINE, MY_OVERDUE}

OFFER = re.compile(
    r'<h2 class="govuk-heading-s[^"]*">\s*<a class="govuk-link" href="(?P<href>[^"]+)">(?P<text>[^<]+)</a>'
    r'\s*</h2>\s*<p class="govuk-body[^"]*">(?P<description>.*?)</p>',
    re.S,
)
ALSO_LINK = re.compile(r'<a class="govuk-link" href="(?P<href>[^"]+)">(?P<text>[^<]+)</a>')


def offers(client) -> dict[str, tuple[str, dict[str, str]]]:
    """Text -> (href, {also text: href}) of the links on the home page."""
    html = client.get(reverse("web:home")).content.decode()
    html = html[html.index('data-testid="offers"') :]
    return {
        m["text"]: (m["href"], {a["text"]: a["href"] for a in ALSO_LINK.finditer(m["description"])})
        for m in OFFER.finditer(html)
    }


def test_every_role_is_checked():
    assert set(OFFERED) == set(Role)


@pytest.mark.parametrize("role", list(Role))
def test_each_role_is_offered_exactly_the_pages_its_policy_allows(client, world, role):
    client.force_login(world.users[role])

    found = offers(client)

    assert list(found) == OFFERED[role]
    for text, (_href, also) in found.items():
        assert list(also) == ALSO.get(text, []), f"{role}: {text}"


@pytest.mark.parametrize("role", list(Role))
def test_every_page_offered_opens_and_every_page_not_offered_is_refused(client, world, role):
    everything = {}
    for other in Role:  # every link the home page offers anyone, with its href
        client.force_login(world.users[other])
        for text, (href, also) in offers(client).items():
            everything[text] = href
            everything.update(also)
    client.force_login(world.users[role])
    offered = offers(client)
    opened = {text for text in offered} | {text for _href, also in offered.values() for text in also}

    for text, href in everything.items():
        status = client.get(href).status_code
        if text in opened:
            assert status == 200, f"{role} is offered {text} ({href}), which answers {status}"
        elif text not in OFFERED_TO_SOME:
            assert status == 404, f"{role} is not offered {text} ({href}), which answers {status}"
