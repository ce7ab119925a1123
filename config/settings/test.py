import os

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, VAR_DIR, database_from_environment

DEBUG = False
DATABASES = {"default": database_from_environment(VAR_DIR / "test.sqlite3")}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file (WAL, as in production) per test process, so concurrent runs never share one.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
# A fast hasher for speed; tests/accounts/test_passwords.py proves the real settings use Argon2.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Off so that the test client's login() (which passes no request) works everywhere; the lockout
# tests in tests/accounts turn it back on.
AXES_ENABLED = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Jobs run at once in tests, in the test's own transaction.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# `grip flush` that may empty the append-only audit log, for flushing between transactional tests;
# never installed in production (docs/security.md). Checkpoints in a file of this run's own.
INSTALLED_APPS = [*INSTALLED_APPS, "grip.audit.testing"]
GRIP_AUDIT_CHECKPOINT_PATH = VAR_DIR / f"test-audit-checkpoints-{os.getpid()}.jsonl"

# `grip demo_users` may make the demo sign-ins (published password): dev and test only.
GRIP_DEMO_USERS = True
