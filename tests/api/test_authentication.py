"""Keys: random, shown once, stored as a hash, refused when unknown or revoked; never a session."""

from __future__ import annotations

import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from grip.api.authentication import partner_token_create, partner_token_revoke
from grip.audit.models import AuditEntry
from grip.frontdoor.models import ContactReport, PartnerApiToken

from .conftest import client_with, payload

pytestmark = pytest.mark.django_db
URL = "/api/v1/contacts/"


def test_a_key_is_random_and_only_its_hash_is_stored(police):
    token, key = partner_token_create(organisation=police, name="Case system")
    _, other = partner_token_create(organisation=police, name="Second system")
    assert len(key) >= 43 and key != other
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert not PartnerApiToken.objects.filter(key_hash=key).exists()
    entry = AuditEntry.objects.get(verb="partner_token_created", target_id=str(token.pk))
    assert key not in str(entry.payload)


def test_the_key_is_accepted(api):
    assert api.post(URL, payload(), format="json").status_code == 201


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer not-a-key-we-issued", "Bearer two parts", "Token abc", "Basic dXNlcjpwYXNz"],
    ids=["none", "keyword-only", "unknown", "three-parts", "other-scheme", "basic"],
)
def test_no_valid_key_is_refused_with_401_and_a_json_error(police_key, header):
    client = client_with(None)
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)
    response = client.post(URL, payload(), format="json")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert ContactReport.objects.count() == 0


def test_a_revoked_key_is_refused(police, police_key):
    token = PartnerApiToken.objects.get(organisation=police)
    partner_token_revoke(token=token)
    response = client_with(police_key).post(URL, payload(), format="json")
    assert response.status_code == 401 and "revoked" in response.json()["detail"]
    assert AuditEntry.objects.filter(verb="partner_token_revoked", target_id=str(token.pk)).count() == 1
    partner_token_revoke(token=token)  # again: nothing more
    assert AuditEntry.objects.filter(verb="partner_token_revoked", target_id=str(token.pk)).count() == 1


def test_a_signed_in_session_is_not_a_key(police_key):
    from rest_framework.test import APIClient

    client = APIClient()
    staff = get_user_model().objects.create_user(username="fd", password="x")
    client.force_login(staff)
    assert client.post(URL, payload(), format="json").status_code == 401


def test_the_command_prints_a_working_key_once_and_revokes_it(police, capsys):
    call_command("partner_token", "create", "--organisation", "Test Police", "--name", "Niche")
    out, err = capsys.readouterr()
    key = out.strip()
    assert "shown once" in err and key not in err
    token = PartnerApiToken.objects.get(name="Niche")
    assert client_with(key).post(URL, payload(), format="json").status_code == 201

    call_command("partner_token", "list")
    listed = capsys.readouterr().out
    assert "Test Police\tNiche" in listed and key not in listed
    call_command("partner_token", "revoke", str(token.pk))
    assert "revoked" in capsys.readouterr().out
    assert client_with(key).get(reverse("api:contact-report-detail", args=["FD0000001"])).status_code == 401


def test_the_command_refuses_an_unknown_organisation(police):
    with pytest.raises(CommandError, match="Known: Test Police"):
        call_command("partner_token", "create", "--organisation", "Nobody", "--name", "x")
    with pytest.raises(CommandError, match="No API key"):
        call_command("partner_token", "revoke", "999")
