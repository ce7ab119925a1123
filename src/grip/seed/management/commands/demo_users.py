"""`grip demo_users`: one sign-in per role for the local demo, printed with the password."""

from django.core.management.base import CommandError
from django_typer.management import TyperCommand
from rich.console import Console
from rich.table import Table

from grip.seed.demo import DEMO_PASSWORD, DemoUsersRefused, ensure_demo_users, refuse_unless_allowed


class Command(TyperCommand):
    help = "Create (or reset) one demo user per role and print the sign-ins."

    def handle(self) -> None:
        try:
            refuse_unless_allowed()
            made = ensure_demo_users()
        except DemoUsersRefused as refused:
            raise CommandError(str(refused)) from None
        table = Table(title=f"Demo sign-ins (password for all: {DEMO_PASSWORD})")
        table.add_column("username")
        table.add_column("role")
        for username, role in made:
            table.add_row(username, role)
        Console().print(table)
