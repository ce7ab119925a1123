"""No page, form error, download or e-mail names a child its reader may not see.

The access tests' world (conftest.py) is tied together in every relationship Grip models: each
child is every other child's brother or sister, all of them are named in one contact report,
the restricted child is being transferred to another team and has a child protection plan and
conferences, and every child's assessment is overdue (so every chase list and digest has them).
Then, for each role, every page discovered from the URL configuration (discovery.py, the access
matrix's own) is fetched, for each child and contact the role may open; each form on it is
posted empty (its error page); each download it links to is fetched; and the day's digest is
sent. Nothing that comes back may hold the name, LA child ID or date of birth of a child the role
may not open (EXPECTED in conftest.py, worked out by hand).
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, timedelta
from html import unescape

import pytest
from django.core import mail
from django.urls import resolve, reverse
from django.utils import timezone
from openpyxl import load_workbook

from grip.access.decorators import CHILD, CONTACT, PARTNER_TOKEN, PUBLIC
from grip.access.models import RestrictedRecord
from grip.access.roles import Role
from grip.allocation.models import Transfer
from grip.cases.models import CINEpisode
from grip.chasing.digest import send_digests
from grip.frontdoor.models import Contact
from grip.frontdoor.named import NamedChild
from grip.frontdoor.services import contact_report_receive
from grip.people.models import Person
from tests.cases.factories import (
    AssessmentFactory,
    ChildProtectionConferenceFactory,
    ChildProtectionPlanFactory,
    CINEpisodeFactory,
    CINPlanFactory,
    Section47EnquiryFactory,
    StrategyDiscussionFactory,
    VisitFactory,
)
from tests.people.factories import ChildFactory, PersonFactory, RelationshipFactory

from .conftest import CHILD_KEYS, EXPECTED, EXPECTED_CONTACTS
from .discovery import grip_urls, rule_of, url_for

SKIPPED_POSTS = {reverse("web:logout")}  # signing out ends the walk, and names nobody
# The world's children, and one more: a restricted record nobody is named on, with an open case no
# team has held (a brother or sister waiting on the register, whom no role may see).
KEYS = [*CHILD_KEYS, "waiting"]


def _identity(key: str, n: int) -> dict:
    """A name, LA child ID and date of birth found nowhere else on any page (none is part of
    another: "team" and "otherteam" differ in their first letters)."""
    compact = key.replace("_", "")
    return {
        "first_name": f"Zy{compact}",
        "last_name": f"Qx{compact}",
        "la_child_id": f"LAK{compact}"[:15],
        "date_of_birth": date(2015, n + 1, n + 10),
    }


def secrets_of(child: Person) -> list[str]:
    """What would identify `child`, as Grip writes it (names, LA child ID, date of birth in the
    long, short, day/month/year and ISO forms), and a link to any page of their record."""
    born = child.date_of_birth
    return [
        f"/children/{child.pk}/",
        child.first_name,
        child.last_name,
        child.la_child_id,
        f"{born.day} {born:%B %Y}",
        f"{born.day} {born:%b %Y}",
        f"{born:%d/%m/%Y}",
        born.isoformat(),
    ]


@pytest.fixture
def related(world, settings):
    """The world, every child tied to every other in each relationship Grip models."""
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    today = timezone.localdate()
    waiting = world.children["waiting"] = ChildFactory()
    CINEpisodeFactory(child=waiting, referral_date=today - timedelta(days=30))
    RestrictedRecord.objects.create(
        child=waiting, reason="Family of a councillor", restricted_by=world.users[Role.DIRECTOR]
    )
    children = [world.children[k] for k in KEYS]
    for n, (key, child) in enumerate(zip(KEYS, children, strict=True)):
        for field, value in _identity(key, n).items():
            setattr(child, field, value)
        child.save()
    # Family: one parent, and every child every other's brother or sister.
    parent = PersonFactory(first_name="Parent", last_name="Ofall")
    for i, child in enumerate(children):
        RelationshipFactory(person=child, relative=parent, relationship_type="PARENT")
        for other in children[i + 1 :]:
            RelationshipFactory(person=child, relative=other, relationship_type="SIBLING")
    # One report naming every child (a staff contact: the referrer is no user here).
    report, _ = contact_report_receive(
        received_at=timezone.now() - timedelta(hours=2),
        route="PHONE",
        source="2A",
        reporter_name="A teacher",
        concerns="All the children in the house",
        consent="YES",
        urgency="ROUTINE",
        children=[NamedChild(c.first_name, c.last_name, date_of_birth=c.date_of_birth) for c in children],
    )
    for key, child in zip(KEYS, children, strict=True):
        contact = Contact.objects.get(report=report, named_last_name=child.last_name)
        Contact.objects.filter(pk=contact.pk).update(child=child)
        world.contacts[f"report_{key}"] = contact
    # Every child's assessment overdue (past the escalation point): on every chase list and digest.
    CINEpisode.objects.filter(child__in=children).update(referral_date=today - timedelta(days=120))
    for episode in CINEpisode.objects.filter(child__in=children):
        AssessmentFactory(episode=episode, started_on=today - timedelta(days=120), authorised_on=None)
    # The restricted child: sent to another team, a strategy discussion, section 47, conference,
    # plans and a visit.
    restricted = world.children["restricted"]
    episode = CINEpisode.objects.get(child=restricted)
    Transfer.objects.create(
        child=restricted,
        from_team=world.users[Role.SOCIAL_WORKER].worker.team,
        to_team=world.children["other_team"].allocations.get().team,
        handover_note="Moving to the other team's area",
        requested_by=world.users[Role.TEAM_MANAGER],
        requested_on=today,
    )
    StrategyDiscussionFactory(episode=episode)
    Section47EnquiryFactory(episode=episode)
    plan = ChildProtectionPlanFactory(episode=episode, started_on=today - timedelta(days=60))
    ChildProtectionConferenceFactory(episode=episode)
    CINPlanFactory(episode=episode)
    VisitFactory(child=restricted)
    for role, user in world.users.items():
        user.email = f"{role.value}@example.org"
        user.save()
    assert plan.pk
    return world


def _text(response) -> str:
    """What a response shows or hands over: its page, or the cells of a spreadsheet, or every
    file in a zip."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        book = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row)
    if "zip" in kind:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return unescape(content.decode("utf-8", "replace"))


def _leaks(text: str, forbidden: dict[str, list[str]]) -> list[str]:
    lowered = text.lower()
    return [f"{key}: {s!r}" for key, secrets in forbidden.items() for s in secrets if s.lower() in lowered]


FORM = re.compile(r"<form\b[^>]*\bmethod=[\"']post[\"'][^>]*>", re.IGNORECASE)
ACTION = re.compile(r"\baction=[\"']([^\"']*)[\"']")
LINK = re.compile(r"href=[\"']([/?][^\"'#]*)[\"']")
SEARCH = re.compile(r"<form\b[^>]*\bmethod=[\"']get[\"'][^>]*>(?:(?!</form>).)*\bname=[\"']q[\"']", re.I | re.S)
NOT_PAGES = ("/static/", "/admin/", "/api/")
LINKS_PER_VIEW = 4  # of the links a page holds to one view (filters, drill-downs, pages), the first few


def _pages(world, role: Role):
    """Every page the role may reach, once for each child and contact the role may open."""
    for name, pattern, view in grip_urls():
        rule = rule_of(view)
        if rule.kind in (PUBLIC, PARTNER_TOKEN) or rule.method != "GET":
            continue
        if rule.kind == CHILD:
            keys = sorted(EXPECTED[role])
        elif rule.kind == CONTACT:  # a partner's own contacts; staff, the report's (one per child)
            keys = sorted(EXPECTED_CONTACTS[role]) if role == Role.PARTNER_AGENCY_USER else []
            keys += [f"report_{k}" for k in sorted(EXPECTED[role])]
        else:
            keys = [None]
        for key in keys:
            yield f"{name} ({key})" if key else name, url_for(name, pattern, world, key)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_no_page_download_or_email_names_a_child_the_role_may_not_see(client, related, role):
    world = related
    forbidden = {k: secrets_of(world.children[k]) for k in KEYS if k not in EXPECTED[role]}
    client.force_login(world.users[role])
    found, fetched = [], 0

    def check(label, response):
        nonlocal fetched
        fetched += 1
        assert response.status_code < 500, f"{label}: {response.status_code}"
        found.extend(f"{label} -> {leak}" for leak in _leaks(_text(response), forbidden))

    visited, posted, per_view = set(), set(), {}
    pages = [(label, url, True) for label, url in _pages(world, role)]
    every = {url for _label, url, _d in pages}
    while pages:
        label, url, discovered = pages.pop(0)
        if url in visited:
            continue
        visited.add(url)
        response = client.get(url)
        check(f"GET {label}", response)
        if not discovered or response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = response.content.decode()
        for form in FORM.findall(page):
            target = unescape(ACTION.search(form).group(1)) if ACTION.search(form) else url
            match = resolve(target.split("?")[0])
            # An empty POST to each form: for each child on a child's page, once on any other.
            once = target if rule_of(match.func).kind == CHILD else match.view_name
            if target in SKIPPED_POSTS or once in posted:
                continue
            posted.add(once)
            check(f"POST {target} (from {label})", client.post(target, {}))
        # One step further: downloads, drill-downs, filters and pages linked from this page, and
        # its search box searched for what every child's surname starts with.
        links = [unescape(link) for link in LINK.findall(page)]
        links += [f"{url.split('?')[0]}?q=Qx"] if SEARCH.search(page) else []
        for link in links:
            target = url.split("?")[0] + link if link.startswith("?") else link
            if target in visited or target in every or target.startswith(NOT_PAGES):
                continue
            view = resolve(target.split("?")[0]).view_name
            if "download=" not in target:
                per_view[view] = per_view.get(view, 0) + 1
                if per_view[view] > LINKS_PER_VIEW:
                    continue
            pages.append((f"{target} (linked from {label})", target, False))
    mail.outbox.clear()
    send_digests(on=timezone.localdate())
    for message in mail.outbox:
        if message.to == [world.users[role].email]:
            found.extend(f"digest e-mail -> {leak}" for leak in _leaks(f"{message.subject}\n{message.body}", forbidden))
    assert fetched > 5
    assert not found, "\n".join(found)
