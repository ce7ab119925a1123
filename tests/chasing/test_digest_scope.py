"""The daily digest names only the children its recipient may open, exactly as their chase list
page does, and every digest sent is in the audit log with the children it named."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from grip.access.models import RestrictedRecord
from grip.audit.models import AuditEntry
from grip.chasing import digest
from grip.chasing.models import DigestSent

from .test_lists_and_digest import assessment_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(service, settings):
    """Two assessments overdue past the escalation point, both held by Ada; the second child is a
    restricted record on which only the team manager is named."""
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    late = assessment_case(service, "Late", days_ago=150)
    hushed = assessment_case(service, "Hushed", days_ago=150)
    restriction = RestrictedRecord.objects.create(
        child=hushed, reason="A relative works here", restricted_by=service.manager
    )
    restriction.named_users.add(service.manager)
    for user, email in (
        (service.users["ada"], "ada@example.org"),
        (service.manager, "tm@example.org"),
        (service.service_manager, "sm@example.org"),
    ):
        user.email = email
        user.save()
    return late, hushed


def mail_to(address):
    return next(m for m in mail.outbox if m.to == [address])


def test_a_restricted_child_is_left_out_of_the_digest_of_everyone_not_named_on_it(service, cases):
    late, hushed = cases
    assert digest.send_digests(on=service.today).sent == 3
    for address in ("ada@example.org", "sm@example.org"):
        body = mail_to(address).body
        assert "Late Chase" in body and late.la_child_id in body
        assert "Hushed" not in body and hushed.la_child_id not in body
        assert "1 more child’s record is restricted and not listed" in body
    manager = mail_to("tm@example.org").body
    assert "Hushed Chase" in manager and hushed.la_child_id in manager


def test_each_digest_names_the_children_of_the_recipients_chase_list_page(client, service, cases):
    digest.send_digests(on=service.today)
    for user, address, page in (
        (service.users["ada"], "ada@example.org", "chase:mine"),
        (service.manager, "tm@example.org", "chase:team"),
        (service.service_manager, "sm@example.org", "chase:service"),
    ):
        client.force_login(user)
        listed = {int(pk) for pk in re.findall(r'data-child="(\d+)"', client.get(reverse(page)).content.decode())}
        body = mail_to(address).body
        named = {c.pk for c in (cases[0], cases[1]) if c.la_child_id in body}
        assert named == listed, address


def test_every_digest_sent_is_audited_with_whom_it_went_to_and_the_children_it_named(service, cases):
    late, hushed = cases
    digest.send_digests(on=service.today)
    entries = {e.payload["to"]: e for e in AuditEntry.objects.filter(verb="digest_sent")}
    assert set(entries) == {"ada@example.org", "tm@example.org", "sm@example.org"}
    assert entries["ada@example.org"].payload["children"] == [late.pk]
    assert entries["sm@example.org"].payload["children"] == [late.pk]
    assert entries["tm@example.org"].payload["children"] == sorted([late.pk, hushed.pk])
    assert entries["tm@example.org"].payload["user"] == service.manager.pk


def test_a_digest_that_fails_to_send_leaves_no_claim_and_no_audit_entry(service, cases, monkeypatch):
    def broken(*_args, **_kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr(digest, "send_mail", broken)
    assert digest.send_digests(on=service.today).failed == 3
    assert not DigestSent.objects.exists()
    assert not AuditEntry.objects.filter(verb="digest_sent").exists()
