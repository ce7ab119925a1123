"""The page where a manager sets how often a worker (?worker=) is supervised, with the reason, or
puts them back on the employer standard; and the history of their frequencies. The supervision
clocks follow at once (grip.timescales reads grip.workforce.frequency)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone

from grip.access.capabilities import MANAGE_THE_ESTABLISHMENT
from grip.access.decorators import ROLES, access_rule
from grip.core.formatting import long_date
from grip.web.toolkit.dates import date_from, date_input_fields
from grip.web.toolkit.forms import error_links, show_refusal
from grip.web.toolkit.pages import render_page
from grip.workforce import services
from grip.workforce.frequency import FREQUENCIES, SupervisionFrequency
from grip.workforce.services.frequency import STANDARD

from .common import chosen_worker
from .people import _choose_worker, _worker_url

CHOICES = [(STANDARD, "The employer standard"), *((key, name) for key, (name, _a, _u) in FREQUENCIES.items())]


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(
        choices=CHOICES,
        error_messages={"required": "Select how often", "invalid_choice": "Select from the list"},
    )
    reason = forms.CharField(max_length=2000, error_messages={"required": "Enter the reason"})
    from_day, from_month, from_year = date_input_fields()

    def clean(self):
        data = super().clean()
        data["from_on"] = date_from(self, "from", "The day it takes effect")
        return data


@access_rule(ROLES, roles=MANAGE_THE_ESTABLISHMENT.roles)
def supervision_frequency(request):
    """Set a worker's supervision frequency from a day, with the reason."""
    chosen = chosen_worker(request)
    if chosen is None:
        return _choose_worker(request, "supervision_frequency")
    form = FrequencyForm()
    if request.method == "POST":
        form = FrequencyForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.supervision_frequency_set(
                    worker=chosen,
                    frequency=data["frequency"],
                    reason=data["reason"],
                    from_on=data["from_on"],
                    by=request.user,
                )
            except ValidationError as error:
                show_refusal(form, error, {"from_on": "from_day"})
            else:
                name = dict(CHOICES)[data["frequency"]].lower()
                messages.success(request, f"{chosen} is supervised by {name} from {long_date(data['from_on'])}.")
                return redirect(_worker_url(chosen))
    history = SupervisionFrequency.objects.filter(worker=chosen).select_related("set_by").order_by("-started_on")
    context = {
        "worker": chosen,
        "form": form,
        "choices": CHOICES,
        "history": list(history),
        "errors": error_links(form),
        "today": timezone.localdate(),
    }
    return render_page(request, "workforce/supervision_frequency.html", context)
