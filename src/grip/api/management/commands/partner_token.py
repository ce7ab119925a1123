"""`grip partner_token create|list|revoke`: a partner organisation's keys to the contacts API.

    grip partner_token create --organisation "West Midlands Police" --name "Niche RMS"
    grip partner_token list
    grip partner_token revoke 3

`create` prints the key on standard output, alone, once: only its hash is kept, so a lost key
is revoked and replaced, never shown again.
"""

from __future__ import annotations

from typing import Annotated

import typer
from django.core.management.base import CommandError
from django_typer.management import TyperCommand, command

from grip.api.authentication import partner_token_create, partner_token_revoke
from grip.frontdoor.models import PartnerApiToken, PartnerOrganisation


class Command(TyperCommand):
    help = "Create, list or revoke partner organisations' API keys."

    @command()
    def create(
        self,
        organisation: Annotated[str, typer.Option(help="The partner organisation, by its name in Grip")],
        name: Annotated[str, typer.Option(help="What the key is for, e.g. the police's case system")],
    ) -> None:
        """Make a key and print it once."""
        found = PartnerOrganisation.objects.filter(name=organisation).first()
        if found is None:
            known = ", ".join(PartnerOrganisation.objects.values_list("name", flat=True)[:20]) or "none yet"
            raise CommandError(f"No partner organisation is called {organisation!r}. Known: {known}.")
        if not name.strip():
            raise CommandError("--name must say what the key is for.")
        token, key = partner_token_create(organisation=found, name=name)
        self.stderr.write(
            f"Key {token.pk} for {found.name} ({token.name}). "
            "It is shown once, now: store it in the partner's system.\n"
        )
        self.stdout.write(key)

    @command(name="list")
    def list_tokens(self) -> None:
        """Every key: its number, organisation, purpose, when made and when revoked."""
        for token in PartnerApiToken.objects.select_related("organisation").order_by("organisation__name", "pk"):
            revoked = f"revoked {token.revoked_at:%Y-%m-%d %H:%M}" if token.revoked_at else "in use"
            self.stdout.write(
                f"{token.pk}\t{token.organisation.name}\t{token.name}\t{token.created_at:%Y-%m-%d}\t{revoked}"
            )

    @command()
    def revoke(self, token_id: Annotated[int, typer.Argument(help="The key's number (see `list`)")]) -> None:
        """Refuse a key from now on."""
        token = PartnerApiToken.objects.filter(pk=token_id).first()
        if token is None:
            raise CommandError(f"No API key has the number {token_id}.")
        token = partner_token_revoke(token=token)
        self.stdout.write(
            f"Key {token.pk} ({token.organisation}: {token.name}) revoked at {token.revoked_at:%Y-%m-%d %H:%M}."
        )
