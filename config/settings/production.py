"""Production: every secret and host name from the environment, HTTPS only, a second factor for staff.

Required: GRIP_SECRET_KEY, GRIP_ALLOWED_HOSTS (comma-separated), DATABASE_URL, GRIP_AUDIT_KEY.
See docs/sign-in.md and docs/security.md.
"""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .audit_keys import audit_keys
from .base import *  # noqa: F403
from .base import DEV_SECRET_KEY
from .tls import postgres_tls


def required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in the environment for production settings.")
    return value


def real_secret_key(value: str) -> str:
    """A key Django's own deployment check (security.W009) would accept, and not the demo's."""
    if value == DEV_SECRET_KEY or value.startswith("django-insecure-") or len(value) < 50 or len(set(value)) < 5:
        raise ImproperlyConfigured(
            "GRIP_SECRET_KEY must be a real secret key in production: at least 50 random characters, "
            'not the demo\'s (python -c "import secrets; print(secrets.token_urlsafe(50))").'
        )
    return value


def real_hosts(value: str) -> list[str]:
    hosts = [host.strip() for host in value.split(",") if host.strip()]
    if not hosts or "*" in hosts:
        raise ImproperlyConfigured("GRIP_ALLOWED_HOSTS must name this service's host names in production, not '*'.")
    return hosts


DEBUG = False
SECRET_KEY = real_secret_key(required("GRIP_SECRET_KEY"))
ALLOWED_HOSTS = real_hosts(required("GRIP_ALLOWED_HOSTS"))
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("GRIP_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
# TLS to PostgreSQL unless GRIP_PG_SSLMODE (or DATABASE_URL's ?sslmode=) says otherwise (docs/operations.md).
DATABASES = {
    "default": postgres_tls(
        postgres_tuned(dj_database_url.parse(required("DATABASE_URL"), conn_max_age=60)),  # noqa: F405
        os.environ,
        default_sslmode="require",
    )
}

SECURE_SSL_REDIRECT = True
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000  # one year
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

GRIP_REQUIRE_SECOND_FACTOR = True

# The audit log's signing key (and earlier keys) from the environment; no checkpoint, no pass.
GRIP_AUDIT_KEY_ID, GRIP_AUDIT_KEYS = audit_keys(os.environ, production=True)
GRIP_AUDIT_REQUIRE_CHECKPOINT = True

# Outcome letters and digests go by SMTP in production (GRIP_EMAIL_BACKEND may name another
# production backend); the settings come from the environment.
MAILERS = {
    "default": {
        "BACKEND": os.environ.get("GRIP_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"),
        "OPTIONS": {
            "host": os.environ.get("GRIP_EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("GRIP_EMAIL_PORT", "25")),
            "username": os.environ.get("GRIP_EMAIL_HOST_USER", ""),
            "password": os.environ.get("GRIP_EMAIL_HOST_PASSWORD", ""),
            "use_tls": os.environ.get("GRIP_EMAIL_USE_TLS", "1") == "1",
        },
    }
}
if MAILERS["default"]["BACKEND"].endswith(("console.EmailBackend", "locmem.EmailBackend", "dummy.EmailBackend")):
    raise ImproperlyConfigured("GRIP_EMAIL_BACKEND must be a production e-mail backend in production settings.")
