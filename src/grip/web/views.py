"""Grip's page views: the dashboard, sign in and out, child search and the child's record."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from grip.cases.selectors import (
    OPEN_STAGES,
    STAGE_LABELS,
    child_journey,
    child_stage,
    children_matching,
    current_lead_allocation,
)
from grip.core.codelists import label
from grip.people.models import Person
from grip.people.selectors import child_by_id, family_of

SEARCH_LIMIT = 50
# GOV.UK tag colour of each stage, the same on every page.
STAGE_TAG_CLASSES = {
    "looked_after": "govuk-tag--purple",
    "child_protection": "govuk-tag--orange",
    "child_in_need": "govuk-tag--blue",
    "care_leaver": "govuk-tag--turquoise",
    "early_help": "govuk-tag--green",
    "contact": "govuk-tag--light-blue",
    "closed": "govuk-tag--grey",
    "no_involvement": "govuk-tag--grey",
}
STAGE_TAGS = {stage: {"text": text, "classes": STAGE_TAG_CLASSES[stage]} for stage, text in STAGE_LABELS.items()}


@login_required
def home(request):
    return render(request, "home.html")


@login_required
def child_search(request):
    q = request.GET.get("q", "").strip()
    results = children_matching(query=q, limit=SEARCH_LIMIT) if q else []
    context = {"q": q, "results": results, "limit": SEARCH_LIMIT, "stage_tags": STAGE_TAGS}
    return render(request, "child_search.html", context)


@login_required
def child_record(request, pk: int):
    try:
        child = child_by_id(pk=pk)
    except Person.DoesNotExist:
        raise Http404("No child has this record number.") from None
    today = timezone.localdate()
    stage = child_stage(child=child, on=today)
    context = {
        "child": child,
        "today": today,
        "stage": stage,
        "stage_tags": STAGE_TAGS,
        "open_case": stage in OPEN_STAGES,
        "lead": current_lead_allocation(child=child, on=today),
        "family": family_of(child=child),
        "journey": child_journey(child=child),
        "sex": label("sex", child.sex),
        "ethnicity": label("ethnicity", child.ethnicity),
        "disabilities": [label("disability", code) for code in child.disabilities],
        "label": label,
    }
    return render(request, "child_record.html", context)


class LoginView(auth_views.LoginView):
    template_name = "login.html"
    redirect_authenticated_user = True
