"""Commands of the public results side: ``anugerah publish --static`` and
``anugerah notify-results``."""

from __future__ import annotations

import asyncio
from pathlib import Path

import click

__all__ = ["notify_results_command", "publish_command"]


class _CliError(click.ClickException):
    exit_code = 2


def _ready_settings():
    from awards import db
    from awards.settings import Settings, SettingsError

    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        raise _CliError(str(exc)) from None
    db.configure(settings.database_url)
    if asyncio.run(db.pending_migrations()):
        raise _CliError("database migrations are pending; run `anugerah migrate` first")
    return settings


@click.command("publish")
@click.option(
    "--static",
    "directory",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the public results site into this directory (replaced atomically).",
)
@click.option("--edition", "edition_slug", required=True, help="Slug of the edition.")
def publish_command(directory: Path, edition_slug: str) -> None:
    """Write an edition's published results as static files (what visitors see now)."""
    from awards.results.public.static_export import ExportError, export_edition

    settings = _ready_settings()
    try:
        result = asyncio.run(export_edition(settings, edition_slug, directory))
    except ExportError as exc:
        raise _CliError(str(exc)) from None
    click.echo(f"wrote {len(result.pages)} file(s) to {result.directory}")


@click.command("notify-results")
def notify_results_command() -> None:
    """E-mail entrants whose results were published (each publication once per person)."""
    from awards import db
    from awards.mail import Mailer
    from awards.results.public.announce import notify_entrants

    settings = _ready_settings()

    async def run() -> int:
        await db.start(1, 1)
        try:
            return await notify_entrants(Mailer(settings))
        finally:
            await db.stop()

    click.echo(f"sent {asyncio.run(run())} message(s)")
