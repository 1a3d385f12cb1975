"""The ``anugerah`` command line."""

from __future__ import annotations

import asyncio
import io
import os
import re
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest

from awards import db
from awards.accounts.tables import AccountChange, RoleGrant, User
from awards.cli import main
from tests.awards.helpers import (
    TEST_SECRET,
    confirm_token_from,
    outbox_messages,
    scratch_postgres_database,
)
from tests.conftest import is_postgres_run

COMMANDS = ["serve", "migrate", "createadmin", "demo", "backup", "restore"]


@pytest.fixture
def cli_env(monkeypatch, tmp_path, database_url):
    """ANUGERAH_* variables pointing at this test's migrated database."""
    for name in list(os.environ):
        if name.startswith("ANUGERAH_") and name != "ANUGERAH_TEST_DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.setenv("ANUGERAH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ANUGERAH_DATABASE_URL", database_url)
    monkeypatch.setenv("ANUGERAH_SECRET_KEY", TEST_SECRET)
    return database_url


def test_cli_help_lists_commands(capsys):
    """``anugerah --help`` exits 0 and lists every command."""
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in [*COMMANDS, "analyze", "assign"]:
        assert command in out


@pytest.mark.parametrize("command", COMMANDS)
def test_cli_every_command_has_help(capsys, command):
    """``anugerah <command> --help`` exits 0 with a usage line."""
    assert main([command, "--help"]) == 0
    assert f"Usage: anugerah {command}" in capsys.readouterr().out


def test_cli_analyze_help_is_judging_help(capsys):
    """``anugerah analyze --help`` shows the judging CLI's own help for analyze."""
    code = main(["analyze", "--help"])
    out = capsys.readouterr().out
    assert code == 0
    assert "analyze" in out
    assert "Usage: anugerah analyze" not in out


def test_cli_createadmin_from_stdin(cli_env, monkeypatch, capsys):
    """createadmin --password-stdin creates an account holding the admin role."""
    monkeypatch.setattr(sys, "stdin", io.StringIO("an-admin-password-1\n"))
    code = main(["createadmin", "--email", "Kepala@Malang.go.id", "--password-stdin"])
    assert code == 0
    assert "kepala@malang.go.id" in capsys.readouterr().out

    async def roles() -> list[str]:
        user = await User.select(User.id).where(User.email == "kepala@malang.go.id").first()
        rows = await RoleGrant.select(RoleGrant.role).where(RoleGrant.user == user["id"])
        return [row["role"] for row in rows]

    async def audit() -> list[tuple[str, str, object]]:
        rows = await AccountChange.select(
            AccountChange.event, AccountChange.role, AccountChange.actor
        )
        return [(row["event"], row["role"], row["actor"]) for row in rows]

    db.configure(cli_env)
    assert asyncio.run(roles()) == ["admin"]
    assert asyncio.run(audit()) == [("grant", "admin", None)]  # logged, by the command line


def test_cli_createadmin_weak_password_exits_2(cli_env, monkeypatch, capsys):
    """A password breaking the policy exits 2 with the reason on stderr."""
    monkeypatch.setattr(sys, "stdin", io.StringIO("123\n"))
    assert main(["createadmin", "--email", "a@malang.go.id", "--password-stdin"]) == 2
    assert "password" in capsys.readouterr().err


def test_cli_serve_refuses_pending_migrations(monkeypatch, tmp_path, capsys):
    """serve on an unmigrated database exits 2 and says to run migrate; migrate fixes it."""
    monkeypatch.setenv("ANUGERAH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ANUGERAH_DATABASE_URL", f"sqlite:///{tmp_path / 'new.sqlite'}")
    monkeypatch.setenv("ANUGERAH_SECRET_KEY", TEST_SECRET)
    assert main(["serve", "--port", "1"]) == 2
    assert "anugerah migrate" in capsys.readouterr().err
    assert main(["migrate"]) == 0
    assert "applied" in capsys.readouterr().out
    assert main(["migrate"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_cli_production_without_secret_exits_2(monkeypatch, tmp_path, capsys):
    """A configuration error is reported with exit status 2."""
    monkeypatch.delenv("ANUGERAH_SECRET_KEY", raising=False)
    monkeypatch.setenv("ANUGERAH_ENV", "production")
    monkeypatch.setenv("ANUGERAH_DATA_DIR", str(tmp_path))
    assert main(["migrate"]) == 2
    assert "ANUGERAH_SECRET_KEY" in capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_demo_command_serves_landing_page_and_stops_on_ctrl_c(tmp_path):
    """`anugerah demo` migrates, prints accounts, serves the landing page, and exits 0 on SIGINT."""
    output = _run_demo(tmp_path, {})
    assert (tmp_path / "anugerah.sqlite").exists(), output


@pytest.mark.slow
@pytest.mark.skipif(not is_postgres_run(), reason="PostgreSQL pass only")
def test_demo_command_honours_database_url_on_postgresql(tmp_path):
    """With ANUGERAH_DATABASE_URL set, `anugerah demo` loads and serves from that database and
    creates no SQLite file."""
    with scratch_postgres_database("anugerah_demo_test") as (_name, url):
        output = _run_demo(tmp_path, {"ANUGERAH_DATABASE_URL": url})
    assert not (tmp_path / "anugerah.sqlite").exists(), output
    assert "postgresql://" in output


def _run_demo(tmp_path, extra_env: dict[str, str]) -> str:
    """Run `anugerah demo`, log in as the demo admin, stop it; check the answers; the output."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANUGERAH_")} | extra_env
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "awards.cli",
            "demo",
            "--port",
            str(port),
            "--data-dir",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        text=True,
    )
    landing = login = admin_page = None
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and process.poll() is None:
            try:
                landing = httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        if landing is not None:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}") as browser:
                browser.get("/login")
                login = browser.post(
                    "/login",
                    data={
                        "email": "admin@demo.example.org",
                        "password": "demo-admin-2026",
                        "_csrf_token": browser.cookies["csrftoken"],
                    },
                )
                admin_page = browser.get("/admin/users")
    finally:
        process.send_signal(signal.SIGINT)
        try:
            output, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
            pytest.fail(f"the demo did not stop within 30 s:\n{output}")
    assert landing is not None, f"the demo did not start serving:\n{output}"
    assert landing.status_code == 200
    assert "Penghargaan Daya Saing UMKM Kota Malang" in landing.text
    assert login is not None
    assert login.status_code == 303
    assert admin_page is not None
    assert admin_page.status_code == 200
    assert process.returncode == 0, output
    assert re.search(r"admin\s+admin@demo\.example\.org\s+demo-admin-2026", output)
    assert re.search(r"judge\s+juri@demo\.example\.org\s+demo-juri-2026\s+-> open final", output)
    assert str(tmp_path / "outbox") in output
    return output


def _confirm_token(outbox) -> str:
    """The token of the first confirmation mail in ``outbox`` (sent after the response)."""
    deadline = time.monotonic() + 30
    while not (messages := outbox_messages(outbox)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return confirm_token_from(messages[0])


@pytest.mark.slow
def test_cli_serve_workers_two_processes_share_sessions(database_url, tmp_path):
    """``serve --workers 2`` starts two app processes and a session works on every connection.

    No secret key is given: the development key is generated once in the data dir and shared;
    20 fresh connections (spread over the processes by the kernel) all accept the login.
    """
    port = _free_port()
    env = {name: value for name, value in os.environ.items() if not name.startswith("ANUGERAH_")}
    env |= {"ANUGERAH_DATA_DIR": str(tmp_path / "data"), "ANUGERAH_DATABASE_URL": database_url}
    log_path = tmp_path / "serve.log"
    command = [sys.executable, "-m", "awards.cli", "serve", "--port", str(port), "--workers", "2"]
    with log_path.open("w") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    statuses: list[int] = []
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and process.poll() is None:
            if log_path.read_text().count("Application startup complete") == 2:
                break
            time.sleep(0.2)
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base) as browser:
            browser.get("/login")
            browser.post(
                "/signup",
                data={
                    "email": "workers@example.org",
                    "password": "correct-horse-42",
                    "_csrf_token": browser.cookies["csrftoken"],
                },
            )
            token = _confirm_token(tmp_path / "data" / "outbox")
            browser.post(
                "/signup/confirm",
                data={"token": token, "_csrf_token": browser.cookies["csrftoken"]},
            )
            cookies = dict(browser.cookies)
        for _ in range(20):  # a new connection each time, so both processes answer
            with httpx.Client(base_url=base, cookies=cookies) as visit:
                statuses.append(visit.get("/account", follow_redirects=False).status_code)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    output = log_path.read_text()
    workers = set(re.findall(r"Started server process \[(\d+)\]", output))
    assert len(workers) == 2, output
    assert statuses == [200] * 20
    assert process.returncode == 0, output
    assert output.rstrip().endswith("stopped")
