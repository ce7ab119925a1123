"""Contacts as their submitter sees them: what was sent, and what became of it.

A partner agency user sees only the contacts their organisation made, and only the contact's
own details and outcome: never the child's record.
"""

from django.shortcuts import render

from grip.access.decorators import CONTACT, SIGNED_IN, access_rule
from grip.core.codelists import label
from grip.frontdoor.selectors import contact_for, contacts_for


@access_rule(SIGNED_IN)
def contact_list(request):
    return render(request, "frontdoor/contact_list.html", {"contacts": contacts_for(user=request.user), "label": label})


@access_rule(CONTACT)
def contact_detail(request, pk: int):
    contact = contact_for(user=request.user, pk=pk)
    return render(request, "frontdoor/contact_detail.html", {"contact": contact, "label": label})
