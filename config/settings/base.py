"""Settings shared by every environment. Environment-specific modules import * from here."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from .audit_keys import audit_keys
from .logs import logging_config
from .oidc import oidc_settings
from .tls import postgres_tls

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = BASE_DIR / "var"

DEV_SECRET_KEY = "dev-only-not-secret-change-me"  # production refuses it (config/settings/production.py)
SECRET_KEY = os.environ.get("GRIP_SECRET_KEY", DEV_SECRET_KEY)
DEBUG = False
ALLOWED_HOSTS = os.environ.get("GRIP_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "grip.web.admin_config.GripAdminConfig",  # Django's admin, for system administrators only (ADR 0017)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks_db",
    "grip.core",
    "grip.accounts",
    "grip.access",
    "grip.audit",
    "grip.people",
    "grip.workforce",
    "grip.frontdoor",
    "grip.cases",
    "grip.allocation",
    "grip.timescales",
    "grip.chasing",
    "grip.caseloads",
    "grip.recording",
    "grip.seed",
    "grip.web",
    "grip.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A session whose user may no longer sign in (left, inactive) is flushed, not just ignored.
    "grip.accounts.middleware.EndedSessionMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "grip.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Refusals, rate limits and 404s on a child's id logged as security events (outside axes' page).
    "grip.core.security_log.SecurityEventsMiddleware",
    # Last, as django-axes asks: it turns a flagged lockout into the locked-out page.
    "axes.middleware.AxesMiddleware",
]

# Errors and security events as JSON lines on stdout (grip/core/security_log.py).
LOGGING = logging_config(os.environ.get("GRIP_LOG_LEVEL", "INFO"))

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "grip.web.jinja.environment",
            # csp_nonce: the Content-Security-Policy nonce that layout.html puts on its scripts;
            # service_navigation: the sections of Grip the user may open (grip.web.pages.navigation).
            "context_processors": [
                "django.template.context_processors.csp",
                "grip.web.pages.navigation.context",
            ],
        },
    },
    {
        # Django admin keeps its own Django templates.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ]
        },
    },
]


def postgres_tuned(database: dict) -> dict:
    """PostgreSQL's planner told that its storage is solid-state (docs/adr/0013): random reads cost
    1.1 sequential ones, not the default 4 of spinning disks, so a join on a few hundred children
    probes an index instead of scanning the whole table (the team chase list's reads, 28 -> 14 ms).
    GRIP_PG_RANDOM_PAGE_COST sets another value; set it empty to keep the server's."""
    cost = os.environ.get("GRIP_PG_RANDOM_PAGE_COST", "1.1").strip()
    if cost and database.get("ENGINE", "").endswith("postgresql"):
        try:
            float(cost)  # a typo fails at start-up, not in the first query
        except ValueError:
            raise ImproperlyConfigured(f"GRIP_PG_RANDOM_PAGE_COST must be a number, not {cost!r}") from None
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c random_page_cost={cost}".strip()
    return database


def database_from_environment(default_sqlite: Path) -> dict:
    """PostgreSQL (or any database) when DATABASE_URL is set; otherwise the embedded SQLite file.

    SQLite runs in WAL mode with IMMEDIATE transactions so that concurrent writers queue
    rather than fail with "database is locked" part-way through a transaction. Its connections
    persist between requests, as PostgreSQL's do: closing the last connection to a WAL database
    checkpoints it, which made every request pay a checkpoint (32 ms against 11 ms for a contact
    sent to the API; bench/frontdoor_intake_api.py).
    """
    url = os.environ.get("DATABASE_URL")
    if url:
        return postgres_tls(postgres_tuned(dj_database_url.parse(url, conn_max_age=60)), os.environ)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": default_sqlite,
        "CONN_MAX_AGE": 60,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;PRAGMA busy_timeout=20000;"
            ),
        },
    }


DATABASES = {"default": database_from_environment(Path(os.environ.get("GRIP_SQLITE_PATH", VAR_DIR / "grip.sqlite3")))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2 for new and changed passwords; older hashes are upgraded on the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "frontend" / "dist"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

# --- Sign-in (docs/sign-in.md) ---------------------------------------------------------------
# django-axes checks for a lockout first; it authenticates nobody itself.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "grip.accounts.backends.UserWithWorkerBackend",
    "rules.permissions.ObjectPermissionBackend",
]

# Lockout: 5 failed sign-ins for one username (from any address), or from one address (for any
# username), lock sign-in for 15 minutes from the last counted failure.
AXES_ENABLED = True
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# Attempts while locked do not restart the clock, so the page can say when to try again.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "grip.accounts.views.locked_out"
AXES_HTTP_RESPONSE_CODE = 429
# Behind GRIP_PROXY_COUNT reverse proxies the client's address is read from X-Forwarded-For
# (grip.core.requests.client_address); with none, REMOTE_ADDR alone, so the header cannot be forged to dodge a lock.
GRIP_PROXY_COUNT = int(os.environ.get("GRIP_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "grip.core.requests.client_address"
GRIP_TRUST_X_FORWARDED_FOR = GRIP_PROXY_COUNT > 0  # the audit log's "from where" (grip.audit.services)
if GRIP_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# A second factor (TOTP, or a recovery code) for everyone who signs in; production turns it on.
# Organisations' API tokens are not sessions and are not affected.
GRIP_REQUIRE_SECOND_FACTOR = False
OTP_TOTP_ISSUER = "Grip"

# Idle timeout: the session lasts GRIP_IDLE_TIMEOUT_MINUTES from the last request, and ends
# when the browser closes.
GRIP_IDLE_TIMEOUT_MINUTES = int(os.environ.get("GRIP_IDLE_TIMEOUT_MINUTES", "30"))
SESSION_COOKIE_AGE = GRIP_IDLE_TIMEOUT_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# Single sign-on with the council's identity provider (OpenID Connect), off unless GRIP_OIDC_ENABLED.
GRIP_OIDC_SATISFIES_OTP = False
OIDC = oidc_settings(os.environ)
globals().update(OIDC)
GRIP_OIDC_ENABLED = OIDC["GRIP_OIDC_ENABLED"]
if GRIP_OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.insert(2, "grip.accounts.oidc.CouncilAccountBackend")

# --- Audit log (docs/security.md) -------------------------------------------------------------
# Entries and checkpoints are signed (HMAC-SHA256) with keys from the environment, never stored in
# the database; checkpoints are appended to a file outside it (`grip audit_checkpoint`, from cron).
GRIP_AUDIT_KEY_ID, GRIP_AUDIT_KEYS = audit_keys(os.environ, production=False)
GRIP_AUDIT_CHECKPOINT_PATH = Path(os.environ.get("GRIP_AUDIT_CHECKPOINT_PATH", VAR_DIR / "audit-checkpoints.jsonl"))
GRIP_AUDIT_REQUIRE_CHECKPOINT = False  # `grip audit_verify` fails without a checkpoint (production: True)

# --- Hardening ---------------------------------------------------------------------------------
# Content Security Policy (Django's own): scripts only from us or inline with this response's nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Partner API (grip.api) ------------------------------------------------------------------
# Partners authenticate with their organisation's API token (Authorization: Bearer <key>), never
# with a session; an API view that says nothing else needs a valid token. JSON in, JSON out.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["grip.api.authentication.PartnerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["grip.api.authentication.HasPartnerToken"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Errors in the third child are {"children": {"2": {...}}}, as in a list of codes (REST framework 3.20's way).
    "LIST_SERIALIZER_ERRORS_AS_DICT": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Grip partner API",
    "DESCRIPTION": (
        "Partner agencies (police, health, schools) send contacts about children to the front door, "
        "and see what became of them. Each organisation has its own API token."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "COMPONENT_SPLIT_REQUEST": True,
    # Every rule the serializers enforce, stated in the schema (grip/api/schema_rules.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "grip.api.schema_rules.state_the_rules",
    ],
    # Swagger UI's own files, served from here (drf-spectacular-sidecar): no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Rate limits (grip.core.ratelimits; django-ratelimit's counters in the default cache): "N/m" is N
# a minute; an empty value turns a limit off. Per API key on the partner API, per user on child search.
GRIP_RATE_LIMITS = {
    "partner_api": os.environ.get("GRIP_RATE_LIMIT_PARTNER_API", "120/m").strip(),
    "child_search": os.environ.get("GRIP_RATE_LIMIT_CHILD_SEARCH", "60/m").strip(),
    # Failed attempts to open a record written to the audit log, per user or API key (past it the
    # attempt is only in the security log): grip.access.opening.
    "record_not_found": os.environ.get("GRIP_RATE_LIMIT_RECORD_NOT_FOUND", "30/m").strip(),
}
# The largest request body the partner API reads (413 past it): 20,000 characters of concerns and
# ten children fit with room to spare.
GRIP_API_MAX_BODY_BYTES = int(os.environ.get("GRIP_API_MAX_BODY_BYTES", str(256 * 1024)))

# The authority this installation serves (a synthetic one in the demo).
GRIP_AUTHORITY_NAME = os.environ.get("GRIP_AUTHORITY_NAME", "Demo Borough Children's Services")
# Its DfE local authority number (old_la_code, three digits: the LEA of the census returns), for the
# returns and for the published figures it is compared with (grip.workforce.benchmarks). The
# synthetic authority is calibrated to Birmingham, 330 (E08000025); a deployment sets its own.
GRIP_AUTHORITY_LA_CODE = os.environ.get("GRIP_AUTHORITY_LA_CODE", "330")

# --- E-mail (outcome letters to referrers, later digests) -------------------------------------
# The console in the demo; a deployment sets GRIP_EMAIL_BACKEND (e.g. Django's SMTP backend).
# Background jobs (django.tasks): queued in the database and run by `manage.py db_worker`. The
# daily digest is queued by `grip send_digests --enqueue` from cron (docs/timescales.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

MAILERS = {
    "default": {"BACKEND": os.environ.get("GRIP_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")}
}
DEFAULT_FROM_EMAIL = os.environ.get("GRIP_FROM_EMAIL", "grip@demo-borough.example")
