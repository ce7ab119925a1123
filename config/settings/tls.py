"""TLS to PostgreSQL, from the environment (docs/operations.md). Not a settings module itself.

GRIP_PG_SSLMODE is libpq's sslmode (https://www.postgresql.org/docs/current/libpq-ssl.html):
disable, allow, prefer, require, verify-ca or verify-full. GRIP_PG_SSLROOTCERT, GRIP_PG_SSLCERT and
GRIP_PG_SSLKEY name the CA certificate (for verify-ca / verify-full) and a client certificate and key.
A `?sslmode=` in DATABASE_URL is kept unless GRIP_PG_SSLMODE is set."""

from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
FILES = {"GRIP_PG_SSLROOTCERT": "sslrootcert", "GRIP_PG_SSLCERT": "sslcert", "GRIP_PG_SSLKEY": "sslkey"}


def postgres_tls(database: dict, environ: Mapping[str, str], *, default_sslmode: str = "") -> dict:
    """`database` with libpq's TLS options set from `environ` (PostgreSQL only; others unchanged)."""
    if not database.get("ENGINE", "").endswith("postgresql"):
        return database
    options = database.setdefault("OPTIONS", {})
    mode = environ.get("GRIP_PG_SSLMODE", "").strip() or options.get("sslmode") or default_sslmode
    if mode:
        if mode not in SSL_MODES:
            raise ImproperlyConfigured(f"GRIP_PG_SSLMODE must be one of {', '.join(SSL_MODES)}, not {mode!r}.")
        options["sslmode"] = mode
    for variable, option in FILES.items():
        if environ.get(variable, "").strip():
            options[option] = environ[variable].strip()
    if mode == "verify-full" or mode == "verify-ca":
        if "sslrootcert" not in options:
            raise ImproperlyConfigured(f"GRIP_PG_SSLMODE={mode} needs GRIP_PG_SSLROOTCERT (the CA certificate's file).")
    return database
