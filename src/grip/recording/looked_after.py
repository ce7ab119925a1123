"""Pages for a looked-after child's legal life: becoming looked after, a change of legal status and
ceasing to be looked after (each a decision, so each is checked before it is recorded), the
child's independent reviewing officer, and the care plan and placement plans. Each records through
grip.cases.services.looked_after; saving a plan stops its clock, starting care starts the review,
visit and plan clocks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone

from grip.access.capabilities import ASSIGN_AN_IRO, RECORD_LOOKED_AFTER_CARE
from grip.access.decorators import CHILD, access_rule
from grip.access.opening import ChildOpening, opens_child_record
from grip.cases import services
from grip.cases.models import IRO_ROLE, CarePlan, IROAssignment, LookedAfterEpisode, PlacementPlan
from grip.cases.services.care import period_of_care_start
from grip.cases.services.looked_after import CONTINUES_THE_PLACEMENT, care_leaver_offer
from grip.core.codelists import choices, label
from grip.core.formatting import long_date
from grip.web.toolkit.dates import date_from, date_input_fields
from grip.web.toolkit.forms import code_choices, error_links, show_refusal
from grip.web.toolkit.pages import render_page
from grip.workforce.models import Worker

from .recorded import recorded

YES_NO = [("yes", "Yes"), ("no", "No")]
CHECKED = "check"  # the `step` of a POST from the check-your-answers page: record it
CHANGE = "change"  # ... or go back to the form to change the answers
EARLIER = 5
EPISODE_VERBS = ["looked_after_started", "legal_status_changed", "placement_changed", "looked_after_ceased"]
PICK = "Select from the list"


def _required(message: str) -> dict[str, str]:
    return {"required": message, "invalid_choice": PICK}


def _today_codes(name: str):
    return lambda: choices(name, on=timezone.localdate())


class StartForm(forms.Form):
    started_day, started_month, started_year = date_input_fields()
    legal_status = forms.ChoiceField(
        choices=_today_codes("legal_status"), error_messages=_required("Select the legal status")
    )
    category_of_need = forms.ChoiceField(
        choices=lambda: code_choices("cla_category_of_need"), error_messages=_required("Select the category of need")
    )
    placement_type = forms.ChoiceField(
        choices=_today_codes("placement_type"), error_messages=_required("Select the type of placement")
    )
    provider = forms.ChoiceField(
        choices=lambda: code_choices("placement_provider"),
        error_messages=_required("Select who provides the placement"),
    )
    placement_postcode = forms.CharField(
        required=False, max_length=8, error_messages={"max_length": "Enter a real postcode"}
    )
    home_postcode = forms.CharField(
        required=False, max_length=8, error_messages={"max_length": "Enter a real postcode"}
    )

    def clean(self):
        data = super().clean()
        data["started_on"] = date_from(self, "started", "The day care began")
        return data


class LegalStatusForm(forms.Form):
    changed_day, changed_month, changed_year = date_input_fields()
    legal_status = forms.ChoiceField(
        choices=_today_codes("legal_status"), error_messages=_required("Select the new legal status")
    )

    def clean(self):
        data = super().clean()
        data["changed_on"] = date_from(self, "changed", "Date of the change")
        return data


class CeaseForm(forms.Form):
    ceased_day, ceased_month, ceased_year = date_input_fields()
    reason = forms.ChoiceField(
        choices=_today_codes("reason_episode_ceased"), error_messages=_required("Select why care ended")
    )
    care_leaver = forms.ChoiceField(
        choices=YES_NO, required=False, error_messages=_required("Select yes if they become a care leaver")
    )

    def __init__(self, *args, offer_care_leaver: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["care_leaver"].required = offer_care_leaver

    def clean(self):
        data = super().clean()
        data["ceased_on"] = date_from(self, "ceased", "The day care ended")
        return data


@dataclass(frozen=True)
class Decision:
    """A decision's page: its form, what recording it does, and what the check step says."""

    template: str
    heading: str  # of the check-your-answers page
    button: str
    notice: str
    form: Callable[..., forms.Form]
    save: Callable  # (child, cleaned data, user) -> the record
    answers: Callable[[dict], list[tuple[str, str]]]
    fields: tuple[str, ...]  # carried through the check page
    refusal_fields: dict[str, str]
    needs_looked_after: bool = True


def _decision_page(request, opening: ChildOpening, kind: Decision, context: dict):
    child = opening.child
    current = LookedAfterEpisode.objects.filter(child=child, ended_on__isnull=True).first()
    may_record = (current is not None) == kind.needs_looked_after
    form = kind.form()
    template = kind.template
    if request.method == "POST" and may_record:
        form = kind.form(request.POST)
        step = request.POST.get("step")
        if step == CHANGE:
            pass  # back to the form, as answered
        elif form.is_valid() and step == CHECKED:
            try:
                kind.save(child, form.cleaned_data, request.user)
            except ValidationError as error:
                show_refusal(form, error, kind.refusal_fields)
            else:
                messages.success(request, kind.notice)
                return redirect("web:child-record", pk=child.pk)
        elif form.is_valid():
            template = "recording/care/check.html"
    earlier = LookedAfterEpisode.objects.filter(child=child).order_by("-started_on", "-pk")[:EARLIER]
    return render_page(
        request,
        template,
        {
            "child": child,
            "looked_after": current is not None,
            "may_record": may_record,
            "current": current,
            "form": form,
            "errors": error_links(form),
            "check_heading": kind.heading,
            "button": kind.button,
            "carried": kind.fields,
            "answers": kind.answers(form.cleaned_data) if template.endswith("check.html") else [],
            "earlier": recorded(earlier, child=child, verbs=EPISODE_VERBS),
            "today": timezone.localdate(),
            **context,
        },
    )


def _coded(name: str, code: str) -> str:
    return f"{code}: {label(name, code)}" if code else "Not given"


START = Decision(
    template="recording/care/start.html",
    heading="Check the start of care",
    button="Record the start of care",
    notice="Start of care recorded.",
    form=StartForm,
    save=lambda child, data, by: services.looked_after_start(
        child=child,
        started_on=data["started_on"],
        legal_status=data["legal_status"],
        category_of_need=data["category_of_need"],
        placement_type=data["placement_type"],
        provider=data["provider"],
        placement_postcode=data["placement_postcode"],
        home_postcode=data["home_postcode"],
        by=by,
    ),
    answers=lambda data: [
        ("The day care began", long_date(data["started_on"])),
        ("Legal status", _coded("legal_status", data["legal_status"])),
        ("Category of need", _coded("cla_category_of_need", data["category_of_need"])),
        ("Type of placement", _coded("placement_type", data["placement_type"])),
        ("Provider", label("placement_provider", data["provider"])),
        ("Postcode of the placement", data["placement_postcode"] or "Not given"),
        ("Postcode of the child’s home", data["home_postcode"] or "Not given"),
    ],
    fields=(
        "started_day",
        "started_month",
        "started_year",
        "legal_status",
        "category_of_need",
        "placement_type",
        "provider",
        "placement_postcode",
        "home_postcode",
    ),
    refusal_fields={"started_on": "started_day"},
    needs_looked_after=False,
)
LEGAL_STATUS = Decision(
    template="recording/care/legal_status.html",
    heading="Check the change of legal status",
    button="Record the change of legal status",
    notice="Change of legal status recorded.",
    form=LegalStatusForm,
    save=lambda child, data, by: services.legal_status_change(
        child=child, changed_on=data["changed_on"], legal_status=data["legal_status"], by=by
    ),
    answers=lambda data: [
        ("Date of the change", long_date(data["changed_on"])),
        ("New legal status", _coded("legal_status", data["legal_status"])),
    ],
    fields=("changed_day", "changed_month", "changed_year", "legal_status"),
    refusal_fields={"changed_on": "changed_day"},
)


def _cease(offer: bool) -> Decision:
    return Decision(
        template="recording/care/cease.html",
        heading="Check the end of care",
        button="Record the end of care",
        notice="End of care recorded.",
        form=lambda data=None: CeaseForm(data, offer_care_leaver=offer),
        save=lambda child, data, by: services.looked_after_cease(
            child=child,
            ceased_on=data["ceased_on"],
            reason=data["reason"],
            becomes_care_leaver=data["care_leaver"] == "yes",
            by=by,
        ),
        answers=lambda data: [
            ("The day care ended", long_date(data["ceased_on"])),
            ("Reason care ended", _coded("reason_episode_ceased", data["reason"])),
            *([("Becomes a care leaver", "Yes" if data["care_leaver"] == "yes" else "No")] if offer else []),
        ],
        fields=("ceased_day", "ceased_month", "ceased_year", "reason", "care_leaver"),
        refusal_fields={"ceased_on": "ceased_day", "becomes_care_leaver": "care_leaver"},
    )


@access_rule(CHILD, roles=RECORD_LOOKED_AFTER_CARE.roles)
@opens_child_record
def start(request, pk: int, *, opening: ChildOpening):
    """Record a child becoming looked after: the form, then check your answers, then record it."""
    today = timezone.localdate()
    fields = {
        "legal_status": [("", "Choose a legal status"), *choices("legal_status", on=today)],
        "category_of_need": code_choices("cla_category_of_need"),
        "placement_type": [("", "Choose a placement type"), *choices("placement_type", on=today)],
        "provider": code_choices("placement_provider"),
    }
    return _decision_page(request, opening, START, {"field_choices": fields})


@access_rule(CHILD, roles=RECORD_LOOKED_AFTER_CARE.roles)
@opens_child_record
def legal_status(request, pk: int, *, opening: ChildOpening):
    """Record a change of legal status: the form, then check your answers, then record it."""
    fields = {"legal_status": [("", "Choose a legal status"), *choices("legal_status", on=timezone.localdate())]}
    return _decision_page(request, opening, LEGAL_STATUS, {"field_choices": fields})


@access_rule(CHILD, roles=RECORD_LOOKED_AFTER_CARE.roles)
@opens_child_record
def cease(request, pk: int, *, opening: ChildOpening):
    """Record a child ceasing to be looked after, offering care leaver support to a young person
    old enough (reference/looked_after/leaving_care.toml)."""
    from_age, reasons = care_leaver_offer()
    age = opening.child.age_on(timezone.localdate())
    offer = age is not None and age >= from_age
    fields = {
        "reason": [("", "Choose a reason"), *choices("reason_episode_ceased", on=timezone.localdate())],
        "care_leaver": YES_NO,
    }
    context = {"field_choices": fields, "offer_care_leaver": offer, "care_leaver_reasons": sorted(reasons)}
    return _decision_page(request, opening, _cease(offer), context)


# --- the IRO, and the plans ------------------------------------------------------------------------


def iros_in_post():
    today = timezone.localdate()
    in_post = Worker.objects.filter(role=IRO_ROLE, started_on__lte=today).exclude(left_on__lte=today)
    return in_post.order_by("last_name", "first_name")


class IROForm(forms.Form):
    iro = forms.ChoiceField(error_messages=_required("Select the independent reviewing officer"))
    from_day, from_month, from_year = date_input_fields()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["iro"].choices = [(str(w.pk), w.full_name) for w in iros_in_post()]

    def clean(self):
        data = super().clean()
        data["from_on"] = date_from(self, "from", "The day they take over")
        return data


class CarePlanForm(forms.Form):
    made_day, made_month, made_year = date_input_fields()

    def clean(self):
        data = super().clean()
        data["made_on"] = date_from(self, "made", "Date the plan was made")
        return data


class PlacementPlanForm(forms.Form):
    placement = forms.ChoiceField(error_messages=_required("Select the placement the plan is for"))
    agreed_day, agreed_month, agreed_year = date_input_fields()

    def __init__(self, *args, placements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["placement"].choices = [(str(p.pk), _placement_text(p)) for p in placements]

    def clean(self):
        data = super().clean()
        data["agreed_on"] = date_from(self, "agreed", "Date the plan was agreed")
        return data


def _placement_text(episode: LookedAfterEpisode) -> str:
    kind = f"{episode.placement_type}: {label('placement_type', episode.placement_type)}"
    return f"{kind}, from {long_date(episode.started_on)}"


def placements_of_this_care(current: LookedAfterEpisode | None) -> list[LookedAfterEpisode]:
    """The episodes that started a placement in the current period of care, latest first."""
    if current is None:
        return []
    began = period_of_care_start(current)
    episodes = LookedAfterEpisode.objects.filter(child_id=current.child_id, started_on__gte=began)
    return [e for e in episodes.order_by("-started_on", "-pk") if e.reason_new_episode not in CONTINUES_THE_PLACEMENT]


def _simple_page(request, opening: ChildOpening, *, form, template: str, save, notice: str, refusal_fields, context):
    child = opening.child
    current = LookedAfterEpisode.objects.filter(child=child, ended_on__isnull=True).first()
    if request.method == "POST" and current is not None:
        form = form(request.POST)
        if form.is_valid():
            try:
                save(child, form.cleaned_data, request.user)
            except ValidationError as error:
                show_refusal(form, error, refusal_fields)
            else:
                messages.success(request, notice)
                return redirect("web:child-record", pk=child.pk)
    else:
        form = form()
    return render_page(
        request,
        template,
        {
            "child": child,
            "looked_after": current is not None,
            "current": current,
            "form": form,
            "errors": error_links(form),
            "today": timezone.localdate(),
            **context(child, current),
        },
    )


@access_rule(CHILD, roles=ASSIGN_AN_IRO.roles)
@opens_child_record
def iro(request, pk: int, *, opening: ChildOpening):
    """Assign the child's independent reviewing officer, or change them."""

    def save(child, data, by):
        chosen = iros_in_post().filter(pk=data["iro"]).first()
        return services.iro_assign(child=child, iro=chosen, from_on=data["from_on"], by=by)

    def context(child, current):
        history = IROAssignment.objects.filter(child=child).select_related("iro").order_by("-started_on")[:EARLIER]
        return {
            "earlier": recorded(history, child=child, verbs=["iro_assigned"]),
            "iro_choices": [("", "Choose an IRO"), *[(str(w.pk), w.full_name) for w in iros_in_post()]],
            "current_iro": services.looked_after.current_iro(child),
        }

    return _simple_page(
        request,
        opening,
        form=IROForm,
        template="recording/care/iro.html",
        save=save,
        notice="Independent reviewing officer assigned.",
        refusal_fields={"from_on": "from_day"},
        context=context,
    )


@access_rule(CHILD, roles=RECORD_LOOKED_AFTER_CARE.roles)
@opens_child_record
def care_plan(request, pk: int, *, opening: ChildOpening):
    """Record the care plan made for this period of care."""

    def context(child, current):
        plans = CarePlan.objects.filter(child=child).order_by("-made_on", "-pk")[:EARLIER]
        return {"earlier": recorded(plans, child=child, verbs=["care_plan_recorded"])}

    return _simple_page(
        request,
        opening,
        form=CarePlanForm,
        template="recording/care/care_plan.html",
        save=lambda child, data, by: services.care_plan_record(child=child, made_on=data["made_on"], by=by),
        notice="Care plan recorded.",
        refusal_fields={"made_on": "made_day"},
        context=context,
    )


@access_rule(CHILD, roles=RECORD_LOOKED_AFTER_CARE.roles)
@opens_child_record
def placement_plan(request, pk: int, *, opening: ChildOpening):
    """Record a placement plan agreed, for a placement of this period of care."""
    current = LookedAfterEpisode.objects.filter(child=opening.child, ended_on__isnull=True).first()
    placements = placements_of_this_care(current)

    def save(child, data, by):
        placement = next(p for p in placements if str(p.pk) == data["placement"])
        return services.placement_plan_record(child=child, placement=placement, agreed_on=data["agreed_on"], by=by)

    def context(child, _current):
        plans = PlacementPlan.objects.filter(child=child).select_related("episode").order_by("-agreed_on", "-pk")
        return {
            "earlier": recorded(plans[:EARLIER], child=child, verbs=["placement_plan_recorded"]),
            "placement_choices": [(str(p.pk), _placement_text(p)) for p in placements],
        }

    def form(data=None):
        bound = PlacementPlanForm(data, placements=placements)
        if data is None and placements:
            bound.initial["placement"] = str(placements[0].pk)
        return bound

    return _simple_page(
        request,
        opening,
        form=form,
        template="recording/care/placement_plan.html",
        save=save,
        notice="Placement plan recorded.",
        refusal_fields={"agreed_on": "agreed_day"},
        context=context,
    )
