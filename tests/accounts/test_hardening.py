"""Content Security Policy with nonces, security headers, and production settings that pass
`manage.py check --deploy` with secrets taken only from the environment."""

import re
import secrets
import sys

import pytest
from django.urls import reverse

from .settings_probe import run, settings_of

PRODUCTION = "config.settings.production"
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


def production_environment(**overrides) -> dict[str, str]:
    env = {
        "GRIP_SECRET_KEY": secrets.token_urlsafe(64),
        "GRIP_ALLOWED_HOSTS": "grip.example.gov.uk",
        "DATABASE_URL": "postgres://grip@db.example.internal:5432/grip",
    }
    return {k: v for k, v in (env | overrides).items() if v is not None}


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";"))}


def inline_script_nonces(html: str) -> list[str | None]:
    """The nonce of every inline <script> (those without src)."""
    nonces = []
    for attributes in SCRIPT_TAG.findall(html):
        if "src=" in attributes:
            continue
        found = re.search(r'nonce="([^"]+)"', attributes)
        nonces.append(found.group(1) if found else None)
    return nonces


def assert_scripts_carry_the_nonce(response):
    script_src = policy(response)["script-src"]
    (nonce_source,) = [s for s in script_src if s.startswith("'nonce-")]
    nonce = nonce_source.removeprefix("'nonce-").removesuffix("'")
    nonces = inline_script_nonces(response.content.decode())
    assert len(nonces) >= 2  # GOV.UK's js-enabled snippet and the initAll module
    assert nonces == [nonce] * len(nonces)
    return nonce


@pytest.mark.django_db
def test_the_policy_allows_only_our_own_scripts_and_those_with_the_nonce(client):
    response = client.get(reverse("web:login"))

    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"][0] == "'self'" and len(csp["script-src"]) == 2
    assert csp["style-src"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_every_inline_script_carries_this_responses_nonce(client, social_worker):
    first = assert_scripts_carry_the_nonce(client.get(reverse("web:login")))
    client.force_login(social_worker)
    for name in ("web:home", "web:child-search", "web:password-change", "web:two-factor"):
        assert assert_scripts_carry_the_nonce(client.get(reverse(name))) != first


@pytest.mark.django_db
@pytest.mark.usefixtures("axes_on")
def test_the_locked_out_page_carries_the_nonce_too(client, social_worker):
    for _ in range(5):
        response = client.post(reverse("web:login"), {"username": "sw1", "password": "wrong"})

    assert response.status_code == 429
    assert_scripts_carry_the_nonce(response)


@pytest.mark.django_db
def test_security_headers(client):
    response = client.get(reverse("web:login"))

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_production_settings_pass_the_deployment_checks_with_no_issues():
    completed = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        production_environment() | {"DJANGO_SETTINGS_MODULE": PRODUCTION},
    )

    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert completed.stdout.strip() == "System check identified no issues (0 silenced)."


def test_production_settings_are_hardened():
    names = [
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_REFERRER_POLICY",
        "X_FRAME_OPTIONS",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "ALLOWED_HOSTS",
        "DATABASES",
    ]

    probed = settings_of(PRODUCTION, production_environment(GRIP_ALLOWED_HOSTS="a.example,b.example"), names)

    assert probed["DEBUG"] is False
    for name in (
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_CONTENT_TYPE_NOSNIFF",
    ):
        assert probed[name] is True, name
    assert probed["SECURE_HSTS_SECONDS"] == 365 * 24 * 60 * 60
    assert probed["SECURE_REFERRER_POLICY"] == "same-origin"
    assert probed["X_FRAME_OPTIONS"] == "DENY"
    assert probed["ALLOWED_HOSTS"] == ["a.example", "b.example"]
    assert probed["DATABASES"]["default"]["HOST"] == "db.example.internal"


@pytest.mark.parametrize("missing", ["GRIP_SECRET_KEY", "GRIP_ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without_its_secrets(missing):
    env = production_environment(**{missing: None}) | {"DJANGO_SETTINGS_MODULE": PRODUCTION}

    completed = run([sys.executable, "manage.py", "check"], env)

    assert completed.returncode != 0
    assert f"{missing} must be set in the environment for production settings" in completed.stderr
