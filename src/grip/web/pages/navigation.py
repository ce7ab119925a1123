"""Which pages a signed-in user is offered: the service navigation's sections (and the one they
are in) and the links on the home page, both from one question, `may_open`.

A page is offered only if its own access rule (grip.access.decorators) lets the user in, so no
one is offered a page that answers "not found", and a page's roles are written in one place
(grip.access.capabilities). A page every signed-in user may open but that is of use only to some
names the capability it needs too: "My cases" and "Due and overdue" are for those who hold cases
(HOLD_CASES: not partner agency users); the Django admin, which guards itself, is for those who
administer Grip.

Every page's template gets it as ``service_navigation(request)`` from the context processor
`context` (TEMPLATES OPTIONS "context_processors").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.urls import resolve, reverse

from grip.access.capabilities import ADMINISTER_GRIP, HOLD_CASES, Capability
from grip.access.decorators import AccessRule
from grip.access.roles import has_role


@dataclass(frozen=True)
class Link:
    text: str
    view: str  # the URL name of the page
    needs: Capability | None = None  # beyond the page's own rule, for a page of use only to some


@cache
def _page(view: str) -> tuple[str, AccessRule | None]:
    path = reverse(view)
    return path, getattr(resolve(path).func, "access_rule", None)


def may_open(user, link: Link) -> bool:
    """Whether to offer the page to the user: the role part of its rule, as
    `grip.access.decorators.access_rule` checks it, and the capability the link needs."""
    rule = _page(link.view)[1]
    if rule is None and link.needs is None:
        raise ValueError(f"{link.view} declares no access rule: say which capability it needs")
    by_rule = rule is None or not rule.roles or has_role(user, *rule.roles)
    return by_rule and (link.needs is None or link.needs.held_by(user))


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated


# ------------------------------------------------------------------------- the service navigation


@dataclass(frozen=True)
class Section:
    link: Link
    covers: tuple[str, ...] = ()  # URL paths (prefixes) of the pages that belong to the section


SECTIONS = (
    Section(Link("Home", "web:home")),
    Section(Link("Children search", "web:child-search"), covers=("/children/",)),
    Section(Link("Front door", "frontdoor:queue"), covers=("/front-door/",)),
    Section(Link("My cases", "caseloads:mine", needs=HOLD_CASES), covers=("/caseloads/mine/",)),
    Section(Link("My week", "web:my-week", needs=HOLD_CASES)),
    Section(Link("Due and overdue", "chase:mine", needs=HOLD_CASES), covers=("/chase/",)),
    Section(Link("Unallocated", "allocation:register"), covers=("/allocation/",)),
    Section(Link("Caseloads", "caseloads:overview"), covers=("/caseloads/",)),
)
ADMIN = Link("Admin", "admin:index", needs=ADMINISTER_GRIP)


def _current_section(request_path: str) -> str | None:
    """The view of the section this page belongs to: the page itself, else the most specific
    section whose paths cover it (/caseloads/mine/ is "My cases", not "Caseloads")."""
    for section in SECTIONS:
        if _page(section.link.view)[0] == request_path:
            return section.link.view
    covering = [(len(prefix), s.link.view) for s in SECTIONS for prefix in s.covers if request_path.startswith(prefix)]
    return max(covering)[1] if covering else None


def navigation(request) -> list[dict]:
    """The items of govukServiceNavigation for this request's user (none before sign-in)."""
    user = getattr(request, "user", None)
    if not _signed_in(user):
        return []
    current = _current_section(request.path)
    items = [
        {"href": _page(s.link.view)[0], "text": s.link.text, "active": s.link.view == current}
        for s in SECTIONS
        if may_open(user, s.link)
    ]
    if may_open(user, ADMIN):
        items.append({"href": _page(ADMIN.view)[0], "text": ADMIN.text, "active": request.path.startswith("/admin/")})
    return items


def context(request) -> dict:
    """The Jinja2 context processor: ``service_navigation(request)`` for layout.html."""
    return {"service_navigation": navigation}


# ------------------------------------------------------------------------------- the home page


@dataclass(frozen=True)
class Offer:
    """One thing the home page offers: a page, what it is for, and pages that go with it."""

    link: Link
    description: str
    also: tuple[Link, ...] = ()  # shown after the description, each only if the user may open it


HOME = (
    Offer(Link("Search for a child", "web:child-search"), "Find a child by name, LA child ID, UPN or NHS number."),
    Offer(
        Link("Front door queue", "frontdoor:queue"),
        "Contacts waiting for a decision, soonest deadline first.",
        also=(Link("Record a contact", "frontdoor:contact-new"),),
    ),
    Offer(
        Link("Seeing the front door", "frontdoor:front-door"),
        "Waiting, decided in timescale, sources, conversion, repeats and who decided what.",
    ),
    Offer(
        Link("My cases", "caseloads:mine", needs=HOLD_CASES),
        "The children you are lead worker for, and your caseload against your threshold.",
    ),
    Offer(
        Link("Caseloads", "caseloads:overview"),
        "Team capacity at a glance, each worker’s caseload against their threshold, and the workforce census caseload.",
    ),
    Offer(
        Link("My week", "web:my-week", needs=HOLD_CASES),
        "Visits, reviews and meetings due this week on your cases, day by day, each with its button to record it.",
    ),
    Offer(
        Link("Team establishment", "workforce:team"),
        "Your teams’ funded posts: who fills each and how, vacancies and agency cover; starters and leavers.",
    ),
    Offer(
        Link("Workforce", "workforce:overview"),
        "Vacancies, agency, turnover, sickness and caseload as the workforce census counts them, with "
        "24-month trends, the published figures beside them, and the people behind each number.",
    ),
    Offer(
        Link("My overdue and due this week", "chase:mine", needs=HOLD_CASES),
        "Visits, reviews, assessments and supervision due on your cases, from the statutory timescales.",
    ),
    Offer(
        Link("My supervision", "recording:supervision-confirm"),
        "The records of your supervision sessions, to read and confirm, so each is agreed by both.",
    ),
    Offer(
        Link("Staff pulse survey", "workforce:pulse"),
        "A few statements about your work, once a month, answered anonymously.",
    ),
    Offer(
        Link("Staff pulse survey results", "workforce:pulse_results"),
        "How staff answer the pulse survey, month by month, for groups of five or more.",
    ),
    Offer(
        Link("Team queue", "allocation:queue"),
        "Cases waiting for your teams: transfers to accept and cases to allocate.",
        also=(Link("Team chase list", "chase:team"),),
    ),
    Offer(
        Link("Assessments to authorise", "recording:authorisation-queue"),
        "Assessments completed on your teams’ cases and waiting for you to authorise, the longest waiting first.",
    ),
    Offer(
        Link("Cases held by an absent worker", "allocation:reallocations"),
        "Open cases held by a worker who is away or has left, to reallocate.",
    ),
    Offer(
        Link("Who is off", "recording:who-is-off"),
        "Who is away today in your teams, since when, when expected back, and the cases they hold.",
        also=(
            Link("Record an absence", "recording:absence-new"),
            Link("Record a worker back", "recording:absence-return"),
        ),
    ),
    Offer(
        Link("Supervision", "recording:supervision-team"),
        "Your teams’ supervision: in timescale, time since the last session, decisions on cases, span of control.",
        also=(Link("Record a supervision session", "recording:supervision-new"),),
    ),
    Offer(
        Link("Unallocated cases", "allocation:register"),
        "Every open case with no lead worker today, how long it has waited and what is overdue on it.",
    ),
    Offer(
        Link("Allocation reconciliation", "allocation:reconciliation"),
        "Records that disagree: closed cases still allocated, allocations to leavers, plans without an open episode.",
    ),
    Offer(Link("Escalated items", "chase:service"), "Items overdue past the escalation point in your service area."),
    Offer(
        Link("Overdue and due soon, whole authority", "chase:authority"),
        "Every open case’s overdue and due-soon items, filtered and downloadable.",
    ),
    Offer(
        Link("Tell us you are worried about a child", "frontdoor:contact-report"),
        "Send a contact to the front door and get a reference at once.",
    ),
    Offer(Link("Contacts", "frontdoor:contact-list"), "Contacts you may see, and what became of each."),
    Offer(Link("Audit log", "audit:log"), "Who viewed, searched, exported or changed what, and when."),
    Offer(Link("Manage access", "access:index"), "Who holds which role, restricted records and exceptions to them."),
    Offer(Link("Administration", "admin:index", needs=ADMINISTER_GRIP), "Teams, workers and local settings."),
)


def home_offers(user) -> list[dict]:
    """What the home page offers this user: text, href, description and the pages that go with it."""
    if not _signed_in(user):
        return []
    return [
        {
            "text": offer.link.text,
            "href": _page(offer.link.view)[0],
            "description": offer.description,
            "also": [{"text": a.text, "href": _page(a.view)[0]} for a in offer.also if may_open(user, a)],
        }
        for offer in HOME
        if may_open(user, offer.link)
    ]
