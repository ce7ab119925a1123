"""Two partner organisations with a key each, and a client that sends the police's key."""

from __future__ import annotations

from copy import deepcopy

import pytest
from rest_framework.test import APIClient

from grip.api.authentication import partner_token_create
from grip.frontdoor.models import PartnerOrganisation

VALID = {
    "reporter": {
        "name": "PC Jo Reed",
        "role": "Police constable",
        "organisation": "Public Protection Unit",
        "phone": "0121 496 0000",
        "email": "jo.reed@police.example.test",
    },
    "concerns": "Called to a domestic incident; both children were present and the younger had a bruise.",
    "concern_categories": ["DOMESTIC_ABUSE", "PHYSICAL"],
    "consent": "NOT_SOUGHT_RISK",
    "urgency": "SAME_DAY",
    "children": [
        {
            "first_name": "Amy",
            "last_name": "Stone",
            "date_of_birth": "2016-05-01",
            "sex": "F",
            "nhs_number": "9434765919",
        },
        {"first_name": "Ben", "last_name": "Stone", "date_of_birth": "2019-11-20", "postcode": "b1 1aa"},
    ],
}


def payload(**overrides) -> dict:
    """A valid contact report, with fields replaced (a value of `...` removes the field)."""
    body = deepcopy(VALID)
    for name, value in overrides.items():
        if value is ...:
            body.pop(name, None)
        else:
            body[name] = value
    return body


@pytest.fixture
def police(db):
    return PartnerOrganisation.objects.create(name="Test Police", referral_source="6")


@pytest.fixture
def school(db):
    return PartnerOrganisation.objects.create(name="Test School", referral_source="2A")


@pytest.fixture
def police_key(police) -> str:
    return partner_token_create(organisation=police, name="Case system")[1]


@pytest.fixture
def school_key(school) -> str:
    return partner_token_create(organisation=school, name="MIS")[1]


def client_with(key: str | None) -> APIClient:
    client = APIClient()
    if key:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture
def api(police_key) -> APIClient:
    return client_with(police_key)
