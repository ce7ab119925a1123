"""The page for closing a child's case: the day it closed (CINclosureDate) and the CIN census reason
(ReasonForClosure, code list `closure_reason`), then a check-your-answers step, since the decision
closes the CIN episode, ends the running child in need plan and takes the case from whoever holds it
(grip.allocation.services.case_close_and_end_allocation; the rules are grip.cases.services.closure's).
A manager's decision (CLOSE_A_CASE).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils import timezone

from grip.access.capabilities import CLOSE_A_CASE
from grip.access.decorators import CHILD, access_rule
from grip.access.opening import ChildOpening, opens_child_record
from grip.allocation import services as allocation_services
from grip.allocation.selectors import current_leads
from grip.audit.models import AuditEntry
from grip.cases.models import CINEpisode
from grip.cases.selectors import open_cin_episode
from grip.core.codelists import label
from grip.core.formatting import long_date
from grip.people.models import Person
from grip.web.toolkit.dates import date_from, date_input_fields
from grip.web.toolkit.forms import code_choices, error_links, show_refusal
from grip.web.toolkit.pages import render_page
from grip.workforce.models import Worker

from .checking import CHANGE, CHECKED, Answer, step

FIELDS = ["closed_day", "closed_month", "closed_year", "reason"]
REFUSAL_FIELDS = {"closed_on": "closed_day"}


class ClosureForm(forms.Form):
    closed_day, closed_month, closed_year = date_input_fields()
    reason = forms.ChoiceField(
        choices=lambda: code_choices("closure_reason"),
        error_messages={
            "required": "Select the reason the case is closing",
            "invalid_choice": "Select the reason the case is closing",
        },
    )

    def clean(self):
        data = super().clean()
        data["closed_on"] = date_from(self, "closed", "Date the case closed")
        return data


@access_rule(CHILD, roles=CLOSE_A_CASE.roles)
@opens_child_record
def case_close(request, pk: int, *, opening: ChildOpening):
    """Close the child's case: the form, then check your answers, then record it."""
    child = opening.child
    episode = open_cin_episode(child=child)
    form = ClosureForm()
    template = "recording/closure/close.html"
    if request.method == "POST" and episode is not None:
        form = ClosureForm(request.POST)
        sent = step(request)
        if sent == CHANGE:
            pass  # back to the form, as typed
        elif form.is_valid() and sent == CHECKED:
            data = form.cleaned_data
            try:
                allocation_services.case_close_and_end_allocation(
                    actor=request.user, episode=episode, closed_on=data["closed_on"], reason=data["reason"]
                )
            except ValidationError as error:
                show_refusal(form, error, REFUSAL_FIELDS)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"Case closed: {label('closure_reason', data['reason']).lower()}.")
                return redirect("web:child-record", pk=child.pk)
        elif form.is_valid():
            template = "recording/closure/close_check.html"
    context = {
        "child": child,
        "episode": episode,
        "plan": episode.cin_plans.filter(ended_on__isnull=True).first() if episode else None,
        "holder": _holder(child),
        "form": form,
        "errors": error_links(form, {"reason": "reason"}),
        "answers": _answers(form) if template.endswith("_check.html") else [],
        "fields": FIELDS,
        "reasons": code_choices("closure_reason"),
        "earlier": _closures(child),
        "today": timezone.localdate(),
    }
    return render_page(request, template, context)


def _holder(child: Person) -> Worker | None:
    lead = current_leads(on=timezone.localdate(), children=[child.pk]).get(child.pk)
    return Worker.objects.select_related("team").get(pk=lead.worker_id) if lead else None


def _answers(form: ClosureForm) -> list[Answer]:
    data = form.cleaned_data
    reason = data["reason"]
    return [
        Answer("Date the case closed", long_date(data["closed_on"]), "closed_day"),
        Answer("Reason for closing", f"{reason}: {label('closure_reason', reason)}", "reason"),
    ]


def _closures(child: Person) -> list[dict]:
    """The child's closed cases, each with who closed it through this page and when (a closure
    recorded before Grip, by the seed or a migration, has none)."""
    closed = list(CINEpisode.objects.filter(child=child, closure_date__isnull=False).order_by("-closure_date")[:5])
    entries = AuditEntry.objects.filter(
        child=child, verb="case_closed", target_id__in=[str(e.pk) for e in closed]
    ).select_related("actor")
    by = {e.target_id: e for e in entries.order_by("id")}
    rows = []
    for episode in closed:
        entry = by.get(str(episode.pk))
        who = ((entry.actor.get_full_name() if entry.actor else "") or entry.actor_label) if entry else ""
        rows.append({"episode": episode, "recorded_at": entry.at if entry else None, "recorded_by": who})
    return rows
