"""Settings modules loaded in a fresh Python process with a chosen environment, so production
settings and environment switches can be tested without touching this test run's settings."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

# Variables that would leak this run's configuration into the probe (the browser tests set
# DJANGO_ALLOW_ASYNC_UNSAFE for Playwright, which `check --deploy` rightly reports).
CLEARED = ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")


def clean_environment(env: dict[str, str]) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in CLEARED and not k.startswith("GRIP_")}
    root = Path(settings.BASE_DIR)
    # A well-formed audit key unless `env` says otherwise (an empty one: production refuses to start).
    audit_key = {"GRIP_AUDIT_KEY": "probe:" + "k" * 40}
    return {**base, "PYTHONPATH": f"{root}{os.pathsep}{root / 'src'}", **audit_key, **env}


def settings_of(module: str, env: dict[str, str], names: list[str]) -> dict:
    """The named settings of `module` under `env`, as JSON-able values (others turned into str)."""
    code = (
        "import json, sys, django\n"
        "from django.conf import settings\n"
        "django.setup()\n"
        "print(json.dumps({n: getattr(settings, n, None) for n in sys.argv[1:]}, default=str))\n"
    )
    completed = run([sys.executable, "-c", code, *names], {"DJANGO_SETTINGS_MODULE": module, **env})
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, cwd=settings.BASE_DIR, env=clean_environment(env), capture_output=True, text=True, timeout=120
    )
