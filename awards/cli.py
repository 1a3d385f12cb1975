"""The ``anugerah`` command: serve, migrate, createadmin, demo, backup, restore, analyze, assign,
remind, invite, worker.

``main(argv) -> int`` returns the exit status: 0 success, 1 failure, 2 bad input or
configuration (with a message on stderr).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import click

__all__ = ["cli", "main"]


class CliError(click.ClickException):
    """Bad input or configuration: message on stderr, exit status 2."""

    exit_code = 2


def _run(coroutine):
    """``asyncio.run``, imported on use: ``anugerah analyze`` needs no event loop."""
    import asyncio

    return asyncio.run(coroutine)


def _settings():
    from awards.settings import Settings, SettingsError

    try:
        return Settings.from_env()
    except SettingsError as exc:
        raise CliError(str(exc)) from None


def _configure_db(settings) -> None:
    from awards import db

    db.configure(settings.database_url)


def _pending(settings) -> list[str]:
    from awards import db

    _configure_db(settings)
    try:
        return _run(db.pending_migrations())
    except Exception as exc:  # connection refused, bad credentials, ...
        raise CliError(
            f"cannot reach the database {db.redact_url(settings.database_url)}: {exc}"
        ) from exc


def _migrate(settings) -> list[str]:
    from awards import db

    _configure_db(settings)
    return _run(db.migrate())


def _serve(host: str, port: int, workers: int) -> None:
    import uvicorn

    from awards.web.access_log import log_config

    # uvicorn shuts down gracefully on Ctrl-C, then re-raises the signal: swallow it here.
    with contextlib.suppress(KeyboardInterrupt):
        uvicorn.run(
            "awards.cli:serving_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="info",
            log_config=log_config(),
            proxy_headers=True,
        )
    click.echo("stopped")


def serving_app():
    """The web application with the webhook worker and the results-are-out e-mails running as
    background tasks, its start-up heap frozen (:mod:`awards.web.heap`): what ``anugerah serve``
    and ``demo`` run."""
    from awards.app import create_app
    from awards.results.public.announce import attach as attach_results_mail
    from awards.results.webhooks.endpoints import SecretBox
    from awards.results.webhooks.worker import attach
    from awards.web.heap import freeze_heap_on_startup

    app = create_app()
    attach(app, SecretBox(app.state.settings.secret_key))
    attach_results_mail(app, app.state.accounts.mailer)
    freeze_heap_on_startup(app)  # last: after every other start-up hook
    return app


# Commands defined in their capability's module, imported only when run (or listed by --help):
# importing them pulls in the database and web stack, which ``anugerah analyze`` does not need.
_LAZY_COMMANDS = {
    "import-entries": ("awards.intake.bulk.cli", "import_entries_command"),
    "export-entries": ("awards.intake.bulk.cli", "export_entries_command"),
    "publish": ("awards.results.public.cli", "publish_command"),
    "notify-results": ("awards.results.public.cli", "notify_results_command"),
}


class _LazyGroup(click.Group):
    """A click group whose commands in ``_LAZY_COMMANDS`` are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *_LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in _LAZY_COMMANDS:
            import importlib

            module, attribute = _LAZY_COMMANDS[cmd_name]
            command = getattr(importlib.import_module(module), attribute)
            self.add_command(command, cmd_name)
        return command


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Anugerah: competitions and awards, from intake to judging to published results.

    Configuration comes from ANUGERAH_* environment variables (see README.md).
    """


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", default=8000, show_default=True, type=int, help="TCP port.")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="Number of app processes (share sessions; use PostgreSQL for several).",
)
def serve(host: str, port: int, workers: int) -> None:
    """Serve the web application (refuses while migrations are pending)."""
    settings = _settings()
    pending = _pending(settings)
    if pending:
        raise CliError(
            f"{len(pending)} database migration(s) pending ({', '.join(pending)}); "
            "run `anugerah migrate` first"
        )
    _serve(host, port, workers)


@cli.command()
def migrate() -> None:
    """Apply pending database migrations."""
    settings = _settings()
    applied = _migrate(settings)
    click.echo(f"applied {len(applied)} migration(s)" if applied else "database is up to date")


@cli.command()
@click.option("--email", prompt=True, help="Email address of the administrator.")
@click.option("--name", "display_name", default="", help="Display name.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def createadmin(email: str, display_name: str, password_stdin: bool) -> None:
    """Create an administrator account (or give an existing account the admin role)."""
    from awards.accounts.bootstrap import create_admin
    from awards.errors import ValidationError

    settings = _settings()
    if _pending(settings):
        raise CliError("database migrations are pending; run `anugerah migrate` first")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        import getpass

        password = getpass.getpass("Password: ")
        if getpass.getpass("Password (again): ") != password:
            raise CliError("the passwords do not match")
    try:
        created = _run(create_admin(settings, email, password, display_name))
    except ValidationError as exc:
        raise CliError(str(exc)) from None
    click.echo(f"{'created' if created else 'updated'} administrator {email.strip().lower()}")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", default=8000, show_default=True, type=int, help="TCP port.")
@click.option(
    "--data-dir",
    default="./var",
    show_default=True,
    type=click.Path(path_type=Path),
    help="Where the demo database, secret key and mail outbox live.",
)
def demo(host: str, port: int, data_dir: Path) -> None:
    """Create/migrate a demo database, load demo data, print the accounts and serve.

    The database is ANUGERAH_DATABASE_URL when set (e.g. PostgreSQL), else a SQLite file in
    the data dir."""
    data_dir = data_dir.resolve()
    os.environ["ANUGERAH_ENV"] = "development"
    os.environ["ANUGERAH_DATA_DIR"] = str(data_dir)
    if not os.environ.get("ANUGERAH_DATABASE_URL", "").strip():
        os.environ["ANUGERAH_DATABASE_URL"] = f"sqlite:///{data_dir / 'anugerah.sqlite'}"
    os.environ["ANUGERAH_BASE_URL"] = f"http://{host}:{port}"
    os.environ.pop("ANUGERAH_SMTP_HOST", None)
    settings = _settings()
    _migrate(settings)
    from awards.accounts.demo import DEMO_ACCOUNTS, load_demo_accounts

    _run(load_demo_accounts(settings))
    from awards.demo.load import load_demo_edition

    edition = _run(load_demo_edition(settings))
    click.echo("")
    click.echo("Demo accounts (demo passwords, for this local demo only):")
    rows = [(a.role, a.email, a.password) for a in DEMO_ACCOUNTS]
    rows += [(line.role, line.email, line.password) for line in edition.accounts]
    width = max(len(email) for _, email, _ in rows)
    for role, email, password in rows:
        click.echo(f"  {role:<10} {email:<{width}}  {password}")
    state = "loaded" if edition.loaded else "already loaded"
    click.echo(f"Demo edition: {edition.edition_slug} ({state}; organizer console: /organizer/)")
    from awards.demo.scoring import SCORING_SLUG, load_demo_scoring

    organizer = next(a.email for a in DEMO_ACCOUNTS if a.role == "organizer")
    judges = _run(load_demo_scoring(settings, organizer))
    if judges:
        click.echo(
            f"Judging demo: {SCORING_SLUG} (25 judges, screening rounds done, final rounds open; "
            f"{organizer} sees the panel at /organizer/scoring/)"
        )
        width = max(len(line.email) for line in judges)
        for line in judges:
            click.echo(f"  {'judge':<10} {line.email:<{width}}  {line.password}  -> {line.can}")
        click.echo("  Judges score at /judge/ (phone-sized screens welcome).")
    from awards.demo.results import load_demo_results

    results = _run(load_demo_results(settings, organizer))
    if results:
        click.echo(
            f"Results demo: {results['past']} is published (winners, history, naik kelas); "
            f"{organizer} freezes and publishes {SCORING_SLUG} at /organizer/results/"
            + (
                f" (category {results['ready_category']} is closed and ready to freeze)"
                if results["ready_category"]
                else ""
            )
        )
    from awards.db import redact_url

    click.echo(f"Database: {redact_url(settings.database_url)}")
    click.echo(f"Mail outbox (sign-up confirmation links, password resets): {settings.outbox_dir}")
    click.echo(f"Serving on http://{host}:{port}  (Ctrl-C to stop)")
    click.echo("")
    _serve(host, port, 1)


@cli.command()
@click.option("--once", is_flag=True, help="Run one pass and exit.")
@click.option(
    "--interval", default=2.0, show_default=True, type=float, help="Seconds between passes."
)
def worker(once: bool, interval: float) -> None:
    """Send webhooks and issue certificates as publications go out (also runs inside serve)."""
    from awards import db
    from awards.results.webhooks.endpoints import SecretBox
    from awards.results.webhooks.worker import Worker, run_forever

    settings = _settings()
    if _pending(settings):
        raise CliError("database migrations are pending; run `anugerah migrate` first")
    box = SecretBox(settings.secret_key)

    async def main() -> None:
        await db.start(2, 1)
        try:
            if once:
                report = await Worker(box).run_once()
                click.echo(
                    f"{report.dispatched} event(s) dispatched, {report.attempts} attempt(s), "
                    f"{report.delivered} delivered, {report.failed} failed"
                )
            else:
                import asyncio

                stop = asyncio.Event()
                await run_forever(Worker(box), stop, interval)
        finally:
            await db.stop()

    click.echo("worker running (Ctrl-C to stop)" if not once else "worker: one pass")
    with contextlib.suppress(KeyboardInterrupt):
        _run(main())


@cli.command()
@click.option("--edition", "edition_slug", required=True, help="Slug of the edition.")
def remind(edition_slug: str) -> None:
    """Email every judge with unsubmitted entries in an open round of the edition."""
    from awards.intake.common import NotFoundError
    from awards.mail import Mailer
    from awards.scoring.panel.service import remind as send_reminders

    settings = _settings()
    if _pending(settings):
        raise CliError("database migrations are pending; run `anugerah migrate` first")
    try:
        sent = _run(send_reminders(edition_slug, Mailer(settings)))
    except NotFoundError:
        raise CliError(f"no edition with slug {edition_slug!r}") from None
    click.echo(f"reminded {len(sent)} judge(s)")


@cli.command()
@click.option("--edition", "edition_slug", required=True, help="Slug of the edition.")
@click.option(
    "--as",
    "as_email",
    default=None,
    help="Send as this organizer of the edition (or admin); default: the command line.",
)
@click.argument("emails", nargs=-1, required=True)
def invite(edition_slug: str, as_email: str | None, emails: tuple[str, ...]) -> None:
    """Invite people by email to judge an edition: one line per address."""
    from awards.errors import ValidationError
    from awards.i18n import use_language
    from awards.intake.common import NotFoundError
    from awards.mail import Mailer
    from awards.scoring.panel.invitations import command_line_invite

    settings = _settings()
    if _pending(settings):
        raise CliError("database migrations are pending; run `anugerah migrate` first")
    try:
        with use_language("en"):  # messages for the operator; the mails stay bilingual
            done = _run(
                command_line_invite(
                    edition_slug, list(emails), Mailer(settings), settings.base_url, as_email
                )
            )
    except NotFoundError:
        raise CliError(f"no edition with slug {edition_slug!r}") from None
    except ValidationError as exc:
        raise CliError(" ".join(exc.errors.values())) from None
    labels = {"invited": "invited", "renewed": "new link", "skipped": "skipped (already judging)"}
    for kind, label in labels.items():
        for address in done[kind]:
            click.echo(f"{address}: {label}")


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup(file: Path) -> None:
    """Write the database and the uploaded files to FILE (a tar archive); safe while serving."""
    from awards import backup as backups

    settings = _settings()
    try:
        manifest = backups.backup(settings, file)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"backed up the {manifest['database']} database and {manifest['uploads']} uploaded "
        f"files to {file}"
    )


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore(file: Path, yes: bool) -> None:
    """Replace the database and the uploaded files with those in FILE (stop the app first)."""
    from awards import backup as backups
    from awards.db import redact_url

    settings = _settings()
    if not yes:
        click.confirm(
            f"Replace everything in {redact_url(settings.database_url)} and "
            f"{settings.data_dir / 'uploads'} with {file}?",
            abort=True,
        )
    try:
        manifest = backups.restore(settings, file)
    except backups.BackupError as exc:
        raise CliError(str(exc)) from None
    click.echo(
        f"restored the {manifest['database']} database of {manifest['created_at']} and "
        f"{manifest['uploads']} uploaded files"
    )


_PASSTHROUGH = {
    "ignore_unknown_options": True,
    "allow_extra_args": True,
    "help_option_names": [],
}


@cli.command(context_settings=_PASSTHROUGH, add_help_option=False)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def analyze(args: tuple[str, ...]) -> None:
    """Analyze judges' scores (judging.command.cli analyze; --help for its options)."""
    from judging.command.cli import main as judging_main

    raise SystemExit(judging_main(["analyze", *args]))


@cli.command(context_settings=_PASSTHROUGH, add_help_option=False)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def assign(args: tuple[str, ...]) -> None:
    """Assign judges to entries (judging.command.cli assign; --help for its options)."""
    from judging.command.cli import main as judging_main

    raise SystemExit(judging_main(["assign", *args]))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        result = cli.main(args=args, prog_name="anugerah", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 1
    except KeyboardInterrupt:
        return 130
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
