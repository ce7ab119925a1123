"""Reads of contacts, always within what the user may see (grip.access.scope.contacts_visible_to)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from grip.access.scope import contacts_visible_to
from grip.frontdoor.models import Contact

NOT_FOUND = "No contact has this number, or it is not yours to see."


def contacts_for(*, user, limit: int = 100) -> QuerySet[Contact]:
    return contacts_visible_to(user).select_related("partner_organisation").order_by("-received_at")[:limit]


def contact_for(*, user, pk: int) -> Contact:
    contact = contacts_visible_to(user).select_related("partner_organisation").filter(pk=pk).first()
    if contact is None:
        raise Http404(NOT_FOUND)
    return contact
