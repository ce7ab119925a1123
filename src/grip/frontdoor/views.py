"""The front door's pages.

- Contacts as their submitter sees them (/contacts/): what was sent, and what became of it. A
  partner agency user sees only the contacts their organisation made, and only the contact's own
  details and outcome: never the child's record.
- Recording a contact: front door staff (/contacts/new/) and partner agencies (/contacts/report/).
- The front door's work (/front-door/): the queue, one contact's page (match, claim, MASH checks,
  decide, sign off) and the numbers page with the contacts behind each number.

Views check the request, call a selector or service, and render; the rules are in the services.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.utils import timezone

from grip.access.capabilities import (
    DECIDE_A_CONTACT,
    OPEN_THE_FRONT_DOOR_QUEUE,
    RECORD_A_CONTACT,
    SEE_THE_FRONT_DOOR,
    SIGN_OFF_A_DECISION,
    TELL_THE_FRONT_DOOR,
)
from grip.access.decorators import CONTACT, ROLES, SIGNED_IN, access_rule
from grip.access.opening import ChildOpening, opens_child_record_of
from grip.access.scope import children_visible_to
from grip.audit import services as audit
from grip.core.codelists import codelist, label
from grip.frontdoor import dashboard, services
from grip.frontdoor.clock import decision_due_day, decision_rules, rag_status
from grip.frontdoor.forms import (
    ContactReportForms,
    DecisionForm,
    MashCheckAnswerForm,
    MashCheckRequestForm,
    MatchForm,
)
from grip.frontdoor.selectors import (
    DEFAULT_URGENCY,
    claim_holder,
    contact_for,
    contact_for_front_door,
    contact_matching,
    contacts_for,
    feedback_waiting,
    front_door_queue,
    named_child,
    needs_sign_off,
    referrer_outcome,
    report_contacts,
)
from grip.timescales.deadlines import end_of_day
from grip.web.toolkit.actions import run_action
from grip.web.toolkit.forms import ErrorLink, code_choices, error_links
from grip.web.toolkit.pages import render_page
from grip.web.toolkit.pagination import page_links, page_of

RAG_TAGS = {"red": "govuk-tag--red", "amber": "govuk-tag--yellow", "green": "govuk-tag--green"}
LIST_PAGE_SIZE = 100
UNKNOWN_SOURCE = "10"  # CIN ReferralSource "Unknown": a partner organisation with no source recorded
ACTION_UNKNOWN = "Choose what to do with this contact"


# ---------------------------------------------------------------------- as the submitter sees it


@access_rule(SIGNED_IN)
def contact_list(request):
    contacts = list(contacts_for(user=request.user))
    return render_page(
        request,
        "frontdoor/contact_list.html",
        {
            "contacts": contacts,
            "outcomes": {c.pk: referrer_outcome(c) for c in contacts},
            "front_door": OPEN_THE_FRONT_DOOR_QUEUE.held_by(request.user),
            "partner": TELL_THE_FRONT_DOOR.held_by(request.user),
        },
    )


@access_rule(CONTACT)
def contact_detail(request, pk: int):
    contact = contact_for(user=request.user, pk=pk)
    return render_page(
        request,
        "frontdoor/contact_detail.html",
        {
            "contact": contact,
            "outcome": referrer_outcome(contact),
            "awaiting_sign_off": needs_sign_off(contact),
            "front_door": OPEN_THE_FRONT_DOOR_QUEUE.held_by(request.user),
        },
    )


@access_rule(CONTACT)
def contact_received(request, pk: int):
    """The confirmation page after a contact is recorded: its reference, at once."""
    contact = contact_for(user=request.user, pk=pk)
    siblings = report_contacts(user=request.user, contact=contact)
    return render_page(
        request,
        "frontdoor/contact_received.html",
        {
            "contact": contact,
            "reference": contact.report.reference if contact.report_id else contact.reference,
            "contacts": siblings.shown,
            "hidden": siblings.hidden,
            "front_door": OPEN_THE_FRONT_DOOR_QUEUE.held_by(request.user),
        },
    )


# ---------------------------------------------------------------------- recording a contact


@access_rule(ROLES, roles=RECORD_A_CONTACT.roles)
def contact_new(request):
    """Front door staff record a contact that came by phone, email, letter or in person."""
    forms = ContactReportForms(request.POST if request.method == "POST" else None, staff=True)
    if request.method == "POST" and forms.is_valid():
        received = _receive(request, forms, by=request.user, **forms.report.service_arguments())
        if received:
            return redirect("frontdoor:contact-received", pk=received.pk)
    return render_page(request, "frontdoor/contact_form.html", _form_context(forms, staff=True), status=_status(forms))


@access_rule(ROLES, roles=TELL_THE_FRONT_DOOR.roles)
def contact_report(request):
    """A partner agency tells the front door about one or more children."""
    membership = getattr(request.user, "partner_membership", None)
    if membership is None:
        return render_page(request, "frontdoor/no_organisation.html", {}, status=403)
    organisation = membership.organisation
    initial = {
        "reporter_name": request.user.get_full_name(),
        "reporter_email": request.user.email,
        "reporter_organisation": organisation.name,
    }
    forms = ContactReportForms(request.POST if request.method == "POST" else None, staff=False, initial=initial)
    if request.method == "POST" and forms.is_valid():
        received = _receive(
            request,
            forms,
            by=request.user,
            received_at=timezone.now(),
            route="WEB",
            source=organisation.referral_source or UNKNOWN_SOURCE,
            partner_organisation=organisation,
            **forms.report.service_arguments(),
        )
        if received:
            return redirect("frontdoor:contact-received", pk=received.pk)
    context = _form_context(forms, staff=False) | {"organisation": organisation}
    return render_page(request, "frontdoor/contact_form.html", context, status=_status(forms))


def _receive(request, forms: ContactReportForms, **arguments):
    """Record the report; its first contact, or None with the service's objections on the form."""
    try:
        report, created = services.contact_report_receive(children=forms.named_children(), **arguments)
    except ValidationError as error:
        for message in _messages(error):
            forms.add_error(message)
        return None
    if not created:
        messages.info(
            request, f"This contact had already been received, as {report.reference}. Nothing new was recorded."
        )
    return report.contacts.order_by("reference").first()


def _status(forms: ContactReportForms) -> int:
    return 400 if forms.errors else 200


def _form_context(forms: ContactReportForms, *, staff: bool) -> dict:
    return {
        "forms": forms,
        "report": forms.report,
        "children": forms.children,
        "errors": forms.errors,
        "staff": staff,
        "choices": {
            name: code_choices(name)
            for name in (
                "contact_route",
                "referral_source",
                "concern_category",
                "consent",
                "urgency",
                "sex",
            )
        },
    }


def _messages(error: ValidationError) -> list[str]:
    return [str(m) for m in (sum(error.message_dict.values(), []) if hasattr(error, "error_dict") else error.messages)]


# ---------------------------------------------------------------------- the queue


@access_rule(ROLES, roles=OPEN_THE_FRONT_DOOR_QUEUE.roles)
def queue(request):
    now = timezone.now()
    items = front_door_queue(user=request.user, now=now)
    return render_page(
        request,
        "frontdoor/queue.html",
        {
            "items": items,
            "now": now,
            "rag_tags": RAG_TAGS,
            "overdue": sum(item.overdue for item in items),
            "feedback": feedback_waiting(user=request.user, now=now),
            "feedback_days": decision_rules().feedback_working_days,
        },
    )


# ---------------------------------------------------------------------- one contact


def _matched_child(request, pk: int) -> int | None:
    """The record number of the child a contact the user may see is matched to (None if not yet)."""
    return contact_for_front_door(user=request.user, pk=pk).child_id


@access_rule(CONTACT, roles=DECIDE_A_CONTACT.roles)
@opens_child_record_of(_matched_child)
def front_door_contact(request, pk: int, *, opening: ChildOpening | None):
    """Everything the front door does with one contact. A POST names its `action`; a success
    redirects back here with a notice, a refusal shows the page again with what was wrong. A contact
    matched to a child opens that child's record as the child's own pages do (a restricted record
    under an exception asks for the reason, every time)."""
    contact = contact_for_front_door(user=request.user, pk=pk)
    forms: dict = {}
    errors: list[ErrorLink] = []
    if request.method == "POST":
        try:
            notice = run_action(request, ACTIONS, contact, forms, unknown=ACTION_UNKNOWN)
        except ValidationError as error:
            errors += _service_errors(error, forms)
        else:
            if notice:
                messages.success(request, notice)
                return redirect("frontdoor:front-door-contact", pk=contact.pk)
        errors += [link for form in forms.values() for link in _form_links(form)]
        contact = contact_for_front_door(user=request.user, pk=pk)
    return render_page(
        request,
        "frontdoor/front_door_contact.html",
        _contact_context(request, contact, forms, errors),
        status=400 if errors else 200,
    )


def _claim(request, contact, forms):
    services.contact_claim(contact=contact, by=request.user)
    minutes = int(services.CLAIM_LASTS.total_seconds() // 60)
    return f"You are working on this contact. For the next {minutes} minutes no one else can decide it."


def _match(request, contact, forms):
    form = forms["match"] = MatchForm(request.POST)
    if not form.is_valid():
        return None
    child = children_visible_to(request.user).filter(pk=form.cleaned_data["child"]).first()
    if child is None:
        form.add_error("child", "Choose one of the children shown")
        return None
    services.contact_match(contact=contact, child=child, by=request.user)
    return f"Contact matched to {child.full_name} (LA child ID {child.la_child_id})."


def _create(request, contact, forms):
    child = services.contact_match(contact=contact, create=named_child(contact), by=request.user)
    return f"New record made for {child.full_name} (LA child ID {child.la_child_id})."


def _check(request, contact, forms):
    form = forms["check"] = MashCheckRequestForm(request.POST)
    if not form.is_valid():
        return None
    services.mash_check_request(contact=contact, by=request.user, **form.cleaned_data)
    return f"{label('mash_agency', form.cleaned_data['agency'])} asked for what they know."


def _answer(request, contact, forms):
    form = forms["answer"] = MashCheckAnswerForm(request.POST)
    if not form.is_valid():
        return None
    check = contact.mash_checks.filter(pk=form.cleaned_data["check"]).first()
    if check is None:
        form.add_error("check", "Choose one of this contact's checks")
        return None
    services.mash_check_answer(check=check, response=form.cleaned_data["response"], by=request.user)
    return f"Answer from {label('mash_agency', check.agency)} recorded."


def _decide(request, contact, forms):
    form = forms["decide"] = DecisionForm(request.POST)
    if not form.is_valid():
        return None
    decided = services.contact_decide(contact=contact, by=request.user, **form.cleaned_data)
    notice = f"Decision recorded: {label('contact_outcome', decided.outcome)}."
    if needs_sign_off(decided):
        notice += " A front door manager must sign it off."
    return notice


def _sign_off(request, contact, forms):
    services.contact_sign_off(contact=contact, by=request.user)
    return "Decision signed off. The referrer will be told the outcome."


ACTIONS = {
    "claim": _claim,
    "match": _match,
    "create": _create,
    "check": _check,
    "answer": _answer,
    "decide": _decide,
    "sign_off": _sign_off,
}


def _service_errors(error: ValidationError, forms: dict) -> list[ErrorLink]:
    """A service's refusal: on the form's field when it names one, otherwise for the whole page."""
    links = []
    fields = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for name, messages_ in fields.items():
        form = next((f for f in forms.values() if name in f.fields), None)
        if form is not None:
            for message in messages_:
                form.add_error(name, message)
        else:
            links += [ErrorLink(str(m), "#main-content") for m in messages_]
    return links


def _form_links(form) -> list[ErrorLink]:
    """Error summary links to the fields of the contact page's forms (ids as the template sets them)."""
    if isinstance(form, MashCheckAnswerForm):
        anchors = dict.fromkeys(("check", "response"), f"response-{form.data.get('check', '')}")
    elif isinstance(form, MatchForm):
        anchors = {"child": "candidates"}
    else:
        anchors = {}
    return error_links(form, anchors)


def _contact_context(request, contact, forms: dict, errors: list[ErrorLink]) -> dict:
    user, now = request.user, timezone.now()
    named = named_child(contact)
    holder = claim_holder(contact, now=now)
    urgency = contact.report.urgency if contact.report_id else DEFAULT_URGENCY
    found = contact_matching(user=user, contact=contact, named=named)
    with transaction.atomic():  # what the page shows of children's records is in the audit log
        if contact.child_id and getattr(request, "child_opening", None) is None:
            # matched by this very request: the opening (and its entry) was of no child yet
            audit.record_view(user=user, child=contact.child, request=request)
        elif found.candidates:
            audit.record_search(
                user=user,
                query=f"{named.first_name} {named.last_name}".strip(),
                result_child_ids=[c.child.pk for c in found.candidates],
                request=request,
            )
        if found.restricted:
            audit.record(
                actor=user,
                verb="restricted_match_shown",
                target=contact,
                payload={"contact": contact.reference},
                request=request,
            )
    due_on = decision_due_day(contact.received_at)
    due = end_of_day(due_on)
    return {
        "contact": contact,
        "report": contact.report,
        "report_contacts": report_contacts(user=user, contact=contact),
        "named": named,
        "urgency": urgency,
        "due": due,
        "due_on": due_on,
        "time_left": due - now,
        "rag": rag_status(received_at=contact.received_at, urgency=urgency, now=now) if not contact.decided_at else "",
        "rag_tags": RAG_TAGS,
        "holder": holder,
        "mine": holder is not None and holder.pk == user.pk,
        "candidates": found.candidates,
        "matched": found.matched,
        "flags": found.flags,
        "restricted": found.restricted,
        "checks": list(contact.mash_checks.all()),
        "forms": {"decide": DecisionForm(), "check": MashCheckRequestForm(), "answer": None, "match": None} | forms,
        "errors": errors,
        "outcome_choices": code_choices("contact_outcome"),
        "agency_choices": code_choices("mash_agency"),
        "sign_off_outcomes": [
            label("contact_outcome", o)
            for o in codelist("contact_outcome").codes
            if o in decision_rules().sign_off_outcomes
        ],
        "awaiting_sign_off": needs_sign_off(contact),
        "is_manager": SIGN_OFF_A_DECISION.held_by(user),
        "referral_opened": contact.outcome in dashboard.REFERRAL_OUTCOMES,
    }


# ---------------------------------------------------------------------- seeing the front door


@access_rule(ROLES, roles=SEE_THE_FRONT_DOOR.roles)
def front_door(request):
    board = dashboard.front_door_dashboard(user=request.user)
    return render_page(
        request,
        "frontdoor/dashboard.html",
        {"board": board, "front_door": OPEN_THE_FRONT_DOOR_QUEUE.held_by(request.user)},
    )


@access_rule(ROLES, roles=SEE_THE_FRONT_DOOR.roles)
def front_door_contacts(request):
    """The contacts behind one number of the front door page."""
    if not request.GET.get("metric"):
        return render_page(
            request, "frontdoor/front_door_contacts.html", {"problem": "", "title": "Contacts behind a number"}
        )
    try:
        selection, at = dashboard.Selection.from_params(request.GET)
    except dashboard.BadSelection as problem:
        context = {"problem": str(problem), "title": "Contacts behind a number"}
        return render_page(request, "frontdoor/front_door_contacts.html", context, status=400)
    contacts = dashboard.contacts_behind(user=request.user, selection=selection, at=at)
    page = page_of(contacts, number=request.GET.get("page"), per_page=LIST_PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render_page(
        request,
        "frontdoor/front_door_contacts.html",
        {
            "selection": selection,
            "at": at,
            "page": page,
            "pagination": page_links(page, query.urlencode()),
            "title": selection.describe(),
            "front_door": OPEN_THE_FRONT_DOOR_QUEUE.held_by(request.user),
        },
    )
