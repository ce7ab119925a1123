"""Writing sign-in events to Grip's audit log, if the audit app provides its ``record`` service.

The audit service is imported when an event happens, not at start-up, so the accounts app does not
depend on the audit app being loaded first (and works before it exists).
"""

from importlib import import_module
from importlib.util import find_spec


def audit(**entry) -> None:
    """``grip.audit.services.record(**entry)``; nothing if that module does not exist."""
    if find_spec("grip.audit.services") is None:
        return
    import_module("grip.audit.services").record(**entry)
