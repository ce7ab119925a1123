"""The page for a looked-after child's change of placement: the day of the move, the new placement's
type, provider and postcode (SSDA903 PLACE, PLACE_PROVIDER, PL_POST), the reason for the change
(REASON_PLACE_CHANGE) and whether the carers stay the same; then a check-your-answers step, since
the change ends the current SSDA903 episode and starts a new one (grip.cases.services.care), and
the new placement starts its own visit and placement plan clocks.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone

from grip.access.capabilities import RECORD_LOOKED_AFTER_CARE
from grip.access.decorators import CHILD, access_rule
from grip.access.opening import ChildOpening, opens_child_record
from grip.cases import services
from grip.cases.models import LookedAfterEpisode
from grip.core.codelists import choices, label
from grip.core.formatting import long_date
from grip.web.toolkit.dates import date_from, date_input_fields
from grip.web.toolkit.forms import code_choices, error_links, show_refusal
from grip.web.toolkit.pages import render_page

from .recorded import recorded

YES_NO = [("yes", "Yes"), ("no", "No")]
CHECKED = "check"  # the `step` of a POST from the check-your-answers page: record it
CHANGE = "change"  # ... or go back to the form to change the answers


class PlacementChangeForm(forms.Form):
    changed_day, changed_month, changed_year = date_input_fields()
    placement_type = forms.ChoiceField(
        choices=lambda: choices("placement_type", on=timezone.localdate()),
        error_messages={"required": "Select the type of placement", "invalid_choice": "Select from the list"},
    )
    provider = forms.ChoiceField(
        choices=lambda: code_choices("placement_provider"),
        error_messages={"required": "Select who provides the placement", "invalid_choice": "Select from the list"},
    )
    postcode = forms.CharField(required=False, max_length=8, error_messages={"max_length": "Enter a real postcode"})
    reason = forms.ChoiceField(
        choices=lambda: code_choices("reason_place_change"),
        error_messages={"required": "Select the reason for the change", "invalid_choice": "Select from the list"},
    )
    same_carer = forms.ChoiceField(
        choices=YES_NO,
        error_messages={"required": "Select yes if the carers stay the same", "invalid_choice": "Select yes or no"},
    )

    def clean(self):
        data = super().clean()
        data["changed_on"] = date_from(self, "changed", "Date of the move")
        return data


REFUSAL_FIELDS = {"changed_on": "changed_day"}


@access_rule(CHILD, roles=RECORD_LOOKED_AFTER_CARE.roles)
@opens_child_record
def placement_change(request, pk: int, *, opening: ChildOpening):
    """Record a change of placement: the form, then check your answers, then record it."""
    child = opening.child
    current = LookedAfterEpisode.objects.filter(child=child, ended_on__isnull=True).first()
    form = PlacementChangeForm()
    template = "recording/care/placement.html"
    if request.method == "POST" and current is not None:
        form = PlacementChangeForm(request.POST)
        step = request.POST.get("step")
        if step == CHANGE:
            pass  # back to the form, as answered
        elif form.is_valid() and step == CHECKED:
            data = form.cleaned_data
            try:
                services.placement_change(
                    child=child,
                    changed_on=data["changed_on"],
                    placement_type=data["placement_type"],
                    provider=data["provider"],
                    postcode=data["postcode"],
                    reason=data["reason"],
                    same_carer=data["same_carer"] == "yes",
                    by=request.user,
                )
            except ValidationError as error:
                show_refusal(form, error, REFUSAL_FIELDS)
            else:
                messages.success(request, "Change of placement recorded.")
                return redirect("web:child-record", pk=child.pk)
        elif form.is_valid():
            template = "recording/care/placement_check.html"
    earlier = LookedAfterEpisode.objects.filter(child=child).order_by("-started_on")[:5]
    context = {
        "child": child,
        "looked_after": current is not None,
        "current": current,
        "form": form,
        "errors": error_links(form),
        "answers": _answers(form) if template.endswith("_check.html") else [],
        "earlier": recorded(earlier, child=child, verbs=["placement_changed"]),
        "today": timezone.localdate(),
        "field_choices": {
            "placement_type": [("", "Choose a placement type"), *choices("placement_type", on=timezone.localdate())],
            "provider": code_choices("placement_provider"),
            "reason": [("", "Choose a reason"), *choices("reason_place_change")],
            "same_carer": YES_NO,
        },
    }
    return render_page(request, template, context)


def _answers(form: PlacementChangeForm) -> list[tuple[str, str]]:
    data = form.cleaned_data
    return [
        ("Date of the move", long_date(data["changed_on"])),
        ("Type of placement", f"{data['placement_type']}: {label('placement_type', data['placement_type'])}"),
        ("Provider", label("placement_provider", data["provider"])),
        ("Postcode", data["postcode"] or "Not given"),
        ("Reason for the change", label("reason_place_change", data["reason"])),
        ("The same carers", "Yes" if data["same_carer"] == "yes" else "No"),
    ]
