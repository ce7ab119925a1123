"""`grip seed`: fill the database with a synthetic authority (or write England as Parquet)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from django.conf import settings
from django.core.management.base import CommandError
from django_typer.management import TyperCommand
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from grip.seed.parameters import ParameterError, load_parameters
from grip.seed.run import SeedRefused, seed_authority, seed_england


class Command(TyperCommand):
    help = "Simulate a synthetic authority's children, journeys and workforce (deterministic for a --seed)."

    def handle(
        self,
        profile: Annotated[str, typer.Option(help="small, medium, large-la or england")] = "small",
        seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same authority")] = 1,
        years: Annotated[int | None, typer.Option(help="Years of history (default: the profile's)")] = None,
        end_date: Annotated[str | None, typer.Option(help="Last day simulated, YYYY-MM-DD (default: today)")] = None,
        replace: Annotated[bool, typer.Option(help="Empty the journey and workforce tables first")] = False,
        output: Annotated[Path | None, typer.Option(help="england: folder for the Parquet files")] = None,
        authorities: Annotated[int | None, typer.Option(help="england: only the first N authorities")] = None,
        scale: Annotated[float | None, typer.Option(help="Override the profile's scale (volumes x scale)")] = None,
    ) -> None:
        console = Console(stderr=True)
        try:
            end = date.fromisoformat(end_date) if end_date else date.today()
        except ValueError:
            raise CommandError(f"--end-date must be a date written YYYY-MM-DD, not {end_date!r}") from None
        if years is not None and not 1 <= years <= 10:
            raise CommandError("--years must be between 1 and 10")
        try:
            params = load_parameters()
            if profile != "england":
                params.profile(profile)
        except ParameterError as error:
            raise CommandError(str(error)) from None
        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TimeElapsedColumn(),
            console=console,
        ) as bar:
            task = bar.add_task("Seeding", total=1.0)

            def progress(stage: str, fraction: float) -> None:
                bar.update(task, completed=fraction, description=stage)

            if profile == "england":
                folder = output or Path(settings.VAR_DIR) / "england"
                summary = seed_england(
                    seed=seed,
                    end=end,
                    years=years or 1,
                    folder=folder,
                    limit=authorities,
                    scale=scale,
                    progress=progress,
                )
            else:
                try:
                    summary = seed_authority(
                        profile=profile,
                        seed=seed,
                        end=end,
                        years=years,
                        replace=replace,
                        scale=scale,
                        progress=progress,
                    )
                except SeedRefused as error:
                    raise CommandError(str(error)) from None
        console.print(summary.describe())
