"""``anugerah import-entries`` and ``anugerah export-entries`` (registered in :mod:`awards.cli`).

``import-entries FILE --edition SLUG [--dry-run]``: validates every row with a progress bar;
any problem prints ``line N, column X: message`` per problem on stderr and exits 2 with nothing
written; otherwise imports all rows in one transaction (or, with ``--dry-run``, only reports)
and prints ``N new, M already imported``.

``export-entries --edition SLUG --format csv|xlsx --output FILE [--language id|en]`` writes
every entry of the edition with the form answers as columns, in that language.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

__all__ = ["export_entries_command", "import_entries_command"]

MAX_PRINTED_ERRORS = 1000


class BadInput(click.ClickException):
    """Bad input or configuration: message on stderr, exit status 2."""

    exit_code = 2


def _settings() -> Any:
    from awards.settings import Settings, SettingsError

    try:
        return Settings.from_env()
    except SettingsError as exc:
        raise BadInput(str(exc)) from None


async def _edition(slug: str) -> dict[str, Any]:
    from awards import db
    from awards.intake.tables import Edition

    try:
        pending = await db.pending_migrations()
    except Exception as exc:  # connection refused, bad credentials, ...
        raise BadInput(f"cannot reach the database: {exc}") from exc
    if pending:
        raise BadInput("database migrations are pending; run `anugerah migrate` first")
    row = await Edition.select().output(load_json=True).where(Edition.slug == slug).first()
    if row is None:
        raise BadInput(f"unknown edition {slug!r}")
    return row


def _estimate_rows(path: Path) -> int | None:
    """Data rows of a CSV (newlines minus the header); None for XLSX (unknown up front)."""
    if path.suffix.lower() != ".csv":
        return None
    with path.open("rb") as handle:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    return max(lines - 1, 0)


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


async def _import(path: Path, slug: str, dry_run: bool, console: Console) -> tuple[int, int]:
    from awards.i18n import gettext
    from awards.intake.bulk import service as bulk
    from awards.intake.editions.lifecycle import EditionLockedError

    edition = await _edition(slug)
    with _progress(console) as progress:
        task = progress.add_task("Checking rows", total=_estimate_rows(path))
        report = await bulk.validate_file(
            edition, path, path.name, progress=lambda n: progress.update(task, completed=n)
        )
        progress.update(task, total=report.total_rows, completed=report.total_rows)
        if not report.ok:
            progress.stop()
            for error in report.errors[:MAX_PRINTED_ERRORS]:
                where = f"line {error.row}" + (f", column {error.column}" if error.column else "")
                click.echo(f"{where}: {error.render(gettext)}", err=True)
            hidden = len(report.errors) - MAX_PRINTED_ERRORS
            if hidden > 0:
                click.echo(f"... and {hidden} more problems", err=True)
            raise BadInput(f"{len(report.errors)} problem(s) found; nothing was imported")
        if dry_run:
            return len(report.rows), len(report.skipped)
        insert = progress.add_task("Importing entries", total=len(report.rows))
        try:
            outcome = await bulk.import_rows(
                edition, report, progress=lambda n: progress.update(insert, completed=n)
            )
        except EditionLockedError as exc:
            raise BadInput(f"{exc.message} Nothing was imported.") from None
    return outcome.created, outcome.skipped


@click.command("import-entries")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--edition", "slug", required=True, help="Slug of the edition, e.g. malang-2026.")
@click.option("--dry-run", is_flag=True, help="Check every row and report; write nothing.")
def import_entries_command(file: Path, slug: str, dry_run: bool) -> None:
    """Import paper entries from a CSV or XLSX file (all rows or none)."""
    from awards import db
    from awards.i18n import use_language

    if file.suffix.lower() not in (".csv", ".xlsx"):
        raise BadInput("the file must be .csv or .xlsx")
    settings = _settings()
    db.configure(settings.database_url)
    console = Console(stderr=True)
    with use_language("en"):
        created, skipped = asyncio.run(_import(file, slug, dry_run, console))
    prefix = "dry run: would import " if dry_run else ""
    click.echo(f"{prefix}{created} new, {skipped} already imported")


@click.command("export-entries")
@click.option("--edition", "slug", required=True, help="Slug of the edition.")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="xlsx", show_default=True
)
@click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File."
)
@click.option(
    "--language",
    type=click.Choice(["id", "en"]),
    default="id",
    show_default=True,
    help="Language of the headers and values.",
)
def export_entries_command(slug: str, fmt: str, output: Path, language: str) -> None:
    """Export every entry of an edition, the form answers as columns."""
    from awards import db
    from awards.intake.bulk import service as bulk

    settings = _settings()
    db.configure(settings.database_url)

    async def export() -> int:
        edition = await _edition(slug)
        return await bulk.export_entries(edition, fmt, output, language)

    count = asyncio.run(export())
    click.echo(f"exported {count} entries to {output}")
