"""`grip <command>`: Django's management commands with Grip's production settings as the default:
the demo (scripts/start) and the tests name the dev and test settings explicitly."""

import os
import sys
from pathlib import Path


def main() -> None:
    root = Path(__file__).resolve().parents[2]
    if (root / "config").is_dir() and str(root) not in sys.path:
        sys.path.insert(0, str(root))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["grip", *sys.argv[1:]])


if __name__ == "__main__":
    main()
