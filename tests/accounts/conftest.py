import pytest
from django.contrib.auth import get_user_model

from grip.access.models import RoleGrant
from grip.access.roles import Role

PASSWORD = "correct horse battery staple"


def make_user(username: str, *roles: Role, email: str = ""):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, email=email)
    for role in roles:
        RoleGrant.objects.create(user=user, role=role)
    return user


@pytest.fixture
def social_worker(db):
    return make_user("sw1", Role.SOCIAL_WORKER, email="sam.worker@example.gov.uk")


@pytest.fixture
def partner(db):
    return make_user("police1", Role.PARTNER_AGENCY_USER)


@pytest.fixture
def axes_on(settings):
    """django-axes as in production (the test settings turn it off for the test client's login())."""
    settings.AXES_ENABLED = True


@pytest.fixture
def audit_entries(monkeypatch):
    """Every audit entry the accounts app asks for, in order, instead of writing them."""
    entries = []
    monkeypatch.setattr("grip.audit.services.record", lambda **entry: entries.append(entry))
    return entries
