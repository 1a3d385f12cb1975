"""``anugerah backup`` / ``anugerah restore``: a round trip of the database and the uploads."""

from __future__ import annotations

import asyncio
import os
import shutil
import tarfile

import pytest

from awards import db
from awards.accounts.services import AccountService
from awards.accounts.tables import User
from awards.cli import main
from awards.mail import Mailer
from awards.settings import Settings
from tests.awards.helpers import PASSWORD, TEST_SECRET
from tests.conftest import is_postgres_run


@pytest.fixture
def env(monkeypatch, tmp_path, database_url) -> Settings:
    """ANUGERAH_* variables for this test's database and data dir; the matching settings."""
    for name in list(os.environ):
        if name.startswith("ANUGERAH_") and name != "ANUGERAH_TEST_DATABASE_URL":
            monkeypatch.delenv(name)
    variables = {
        "ANUGERAH_DATA_DIR": str(tmp_path / "data"),
        "ANUGERAH_DATABASE_URL": database_url,
        "ANUGERAH_SECRET_KEY": TEST_SECRET,
    }
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return Settings.from_env(variables)


def _emails(settings: Settings) -> list[str]:
    db.configure(settings.database_url)

    async def emails() -> list[str]:
        return [row["email"] for row in await User.select(User.email).order_by(User.email)]

    return asyncio.run(emails())


def _sign_up(settings: Settings, email: str) -> None:
    db.configure(settings.database_url)
    asyncio.run(AccountService(settings, Mailer(settings)).sign_up(email, PASSWORD))


def _uploads(settings: Settings) -> dict[str, bytes]:
    root = settings.data_dir / "uploads"
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_backup_and_restore_round_trip_database_and_uploads(env, tmp_path):
    """After a backup, later changes to accounts and files are undone by restoring it."""
    if is_postgres_run():
        assert shutil.which("pg_dump"), "install postgresql-client: pg_dump is needed"
    _sign_up(env, "ayu@example.id")
    photo = env.data_dir / "uploads" / "ab" / "cd" / "photo.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"\xff\xd8\xff original photo")
    archive = tmp_path / "backup.tar"

    assert main(["backup", str(archive)]) == 0
    before = (_emails(env), _uploads(env))
    _sign_up(env, "bima@example.id")
    photo.unlink()
    (env.data_dir / "uploads" / "stray.pdf").write_bytes(b"%PDF- later")
    assert main(["restore", str(archive), "--yes"]) == 0

    assert (_emails(env), _uploads(env)) == before
    assert before == (["ayu@example.id"], {"ab/cd/photo.jpg": b"\xff\xd8\xff original photo"})


def test_backup_archive_lists_manifest_database_and_uploads(env, tmp_path):
    """The archive holds manifest.json, the database in its native form and the uploads."""
    (env.data_dir / "uploads").mkdir(parents=True)
    (env.data_dir / "uploads" / "logo.png").write_bytes(b"\x89PNG")
    archive = tmp_path / "b.tar"
    assert main(["backup", str(archive)]) == 0
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    database = "database.dump" if is_postgres_run() else "database.sqlite"
    assert names == ["manifest.json", database, "uploads/logo.png"]


def test_restore_refuses_a_file_that_is_not_a_backup(env, tmp_path, capsys):
    """Restoring from something else exits 2 with a message and changes nothing."""
    _sign_up(env, "citra@example.id")
    bogus = tmp_path / "notes.tar"
    with tarfile.open(bogus, "w") as tar:
        tar.add(__file__, arcname="notes.py")
    assert main(["restore", str(bogus), "--yes"]) == 2
    assert "not an Anugerah backup archive" in capsys.readouterr().err
    assert _emails(env) == ["citra@example.id"]
