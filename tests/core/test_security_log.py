"""Errors and security events as structured JSON lines on stdout (issue 12): sign-in failures,
lockouts, refusals (403), rate limits, 404s on a child's id, and server errors."""

from __future__ import annotations

import io
import json
import logging
import sys
from contextlib import contextmanager

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from grip.access.models import RoleGrant
from grip.access.roles import Role
from tests.accounts.settings_probe import run
from tests.core.test_safe_defaults import production_environment


@contextmanager
def log_lines():
    """The JSON lines the stdout handler writes, parsed."""
    handler = next(h for h in logging.getLogger("grip.security").handlers if h.get_name() == "stdout")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    lines: list[dict] = []
    try:
        yield lines
    finally:
        handler.setStream(previous)
        lines.extend(json.loads(line) for line in stream.getvalue().splitlines())


def test_every_line_is_json_on_stdout_in_a_deployed_process():
    code = (
        "import django; django.setup()\n"
        "from grip.core.security_log import security_event\n"
        "security_event('sign_in_failed', username='sw1')\n"
    )
    env = production_environment() | {"DJANGO_SETTINGS_MODULE": "config.settings.production"}
    completed = run([sys.executable, "-c", code], env)
    assert completed.returncode == 0, completed.stderr
    line = json.loads(completed.stdout.strip().splitlines()[-1])
    assert {k: line[k] for k in ("event", "username", "level", "logger")} == {
        "event": "sign_in_failed",
        "username": "sw1",
        "level": "warning",
        "logger": "grip.security",
    }
    assert line["timestamp"].endswith("Z")


@pytest.mark.django_db
def test_a_failed_sign_in_is_logged_without_the_password(client):
    get_user_model().objects.create_user(username="sw1", password="right-password-1")
    with log_lines() as lines:
        client.post(reverse("web:login"), {"username": "sw1", "password": "wrong-password-9"})
    failed = [line for line in lines if line["event"] == "sign_in_failed"]
    assert len(failed) == 1 and failed[0]["username"] == "sw1" and failed[0]["ip"] == "127.0.0.1"
    assert "wrong-password-9" not in json.dumps(lines)


@pytest.mark.django_db
def test_a_lockout_is_logged(client, settings):
    settings.AXES_ENABLED = True
    get_user_model().objects.create_user(username="sw2", password="right-password-1")
    with log_lines() as lines:
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post(reverse("web:login"), {"username": "sw2", "password": "wrong"})
    assert [line["username"] for line in lines if line["event"] == "sign_in_locked_out"] == ["sw2"]


@pytest.mark.django_db
def test_a_refusal_and_a_404_on_a_child_id_are_logged(client):
    user = get_user_model().objects.create_user(username="partner-without-organisation")
    RoleGrant.objects.create(user=user, role=Role.PARTNER_AGENCY_USER)
    client.force_login(user)
    with log_lines() as lines:
        missing = client.get(reverse("web:child-record", args=[987654]))
        refused = client.get(reverse("frontdoor:contact-report"))  # a partner user with no organisation
        other = client.get("/no-such-page/")
    assert (missing.status_code, refused.status_code, other.status_code) == (404, 403, 404)
    events = [(line["event"], line.get("child_id"), line["status"], line["user_id"]) for line in lines]
    assert events == [("child_not_found", 987654, 404, user.pk), ("refused", None, 403, user.pk)]


@pytest.mark.django_db
def test_a_server_error_is_logged_with_its_traceback(settings):
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    handler = next(h for h in logging.getLogger("django.request").handlers if h.get_name() == "stdout")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        from unittest import mock

        with mock.patch("grip.web.pages.children.children_matching", side_effect=RuntimeError("boom")):
            user = get_user_model().objects.create_user(username="err")
            RoleGrant.objects.create(user=user, role=Role.SOCIAL_WORKER)  # a role that may search
            client = Client(raise_request_exception=False)
            client.force_login(user)
            assert client.get(reverse("web:child-search"), {"q": "x"}).status_code == 500
    finally:
        handler.setStream(previous)
    line = json.loads(stream.getvalue().splitlines()[-1])
    assert line["level"] == "error" and line["logger"] == "django.request"
    assert "RuntimeError: boom" in line["exception"]


def test_a_django_warning_is_written_once_as_json_in_development():
    """Django's default "django" console handler printed each warning a second time, in plain text."""
    code = (
        "import django, logging; django.setup()\n"
        "logging.getLogger('django.template').warning('template variable went missing')\n"
    )
    env = production_environment() | {"DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    completed = run([sys.executable, "-c", code], env)
    assert completed.returncode == 0, completed.stderr
    printed = [line for line in (completed.stdout + completed.stderr).splitlines() if "went missing" in line]
    assert len(printed) == 1, printed
    assert json.loads(printed[0])["logger"] == "django.template"
