from .base import *  # noqa: F403
from .base import INSTALLED_APPS

DEBUG = True
# `grip flush` may empty the audit log to reset a demo database (never in production).
INSTALLED_APPS = [*INSTALLED_APPS, "grip.audit.testing"]

# `grip demo_users` may make the demo sign-ins (published password): dev and test only.
GRIP_DEMO_USERS = True
