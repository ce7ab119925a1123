"""`grip workforce_census --year 2025 --out FILE`: the Children's social work workforce census return
for a collection year, as XML valid against the census schema, written whole or not at all and
recorded in the audit log with the workers it names (grip.workforce.census_return)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer
from django.conf import settings
from django.core.management.base import CommandError
from django_typer.management import TyperCommand
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from grip.workforce.census import CensusConfigError
from grip.workforce.census_return import CensusReturnError, build_return, write_return

LA_CODE = re.compile(r"^\d{3}$")


class Command(TyperCommand):
    help = "Write the children's social work workforce census return for a collection year (XML, validated)."

    def handle(
        self,
        year: Annotated[int, typer.Option(help="The collection year: the census day is 30 September of it")],
        out: Annotated[Path, typer.Option(help="The file to write (replaced only when the return is complete)")],
    ) -> None:
        console = Console(stderr=True)
        la_code = str(settings.GRIP_AUTHORITY_LA_CODE)
        if not LA_CODE.match(la_code):
            raise CommandError(f"GRIP_AUTHORITY_LA_CODE must be the authority's three-digit code, not {la_code!r}")
        if not 2000 <= year <= 2100:
            raise CommandError(f"--year must be a collection year like 2025, not {year}")
        if not out.parent.is_dir():
            raise CommandError(f"There is no folder {out.parent} to write the return in")
        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TimeElapsedColumn(),
            console=console,
        ) as bar:
            task = bar.add_task(f"Workforce census {year}", total=1.0)
            try:
                result = build_return(year, la_code=la_code, progress=lambda done: bar.update(task, completed=done))
            except (CensusReturnError, CensusConfigError) as error:
                raise CommandError(str(error)) from None
            bar.update(task, description="Writing", completed=1.0)
            write_return(result, out)
        for _pk, name, why in result.left_out:
            console.print(f"[yellow]Not in the return:[/] {name}: {why}")
        self.stdout.write(
            f"Workforce census {year} (as at {result.on:%-d %B %Y}): {len(result.worker_ids)} workers written to {out}."
        )
