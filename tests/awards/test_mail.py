"""The mail service: outbox files, SMTP delivery, and no silent drops."""

from __future__ import annotations

import asyncio
import socket
import socketserver
import threading
from collections.abc import Iterator
from dataclasses import replace

import pytest

from awards.mail import Mailer
from awards.settings import Settings
from tests.awards.helpers import TEST_SECRET, outbox_messages


@pytest.fixture
def mail_settings(tmp_path) -> Settings:
    return Settings.from_env(
        {"ANUGERAH_DATA_DIR": str(tmp_path), "ANUGERAH_SECRET_KEY": TEST_SECRET}
    )


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) to accept one message without TLS or auth."""

    def handle(self) -> None:
        self.wfile.write(b"220 test ESMTP\r\n")
        while line := self.rfile.readline():
            command = line.decode().strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.wfile.write(b"250 test\r\n")
            elif command == "DATA":
                self.wfile.write(b"354 go ahead\r\n")
                data = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(chunk)
                self.server.received.append(b"".join(data).decode())  # type: ignore[attr-defined]
                self.wfile.write(b"250 queued\r\n")
            elif command == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def smtp_server() -> Iterator[socketserver.TCPServer]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.daemon_threads = True
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def test_mail_without_smtp_goes_to_outbox(mail_settings):
    """Without ANUGERAH_SMTP_HOST the message is an .eml file in the outbox."""
    asyncio.run(Mailer(mail_settings).send("a@example.id", "Halo", "Isi pesan"))
    messages = outbox_messages(mail_settings.outbox_dir)
    assert [(m["To"], m["Subject"]) for m in messages] == [("a@example.id", "Halo")]
    assert messages[0].get_content().strip() == "Isi pesan"


def test_mail_over_smtp_is_delivered_not_filed(mail_settings, smtp_server):
    """With an SMTP host the message goes to the server and not to the outbox."""
    port = smtp_server.server_address[1]
    settings = replace(mail_settings, smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False)
    asyncio.run(Mailer(settings).send("b@example.id", "Subjek", "Badan"))
    assert len(smtp_server.received) == 1  # type: ignore[attr-defined]
    assert "Subject: Subjek" in smtp_server.received[0]  # type: ignore[attr-defined]
    assert outbox_messages(settings.outbox_dir) == []


def test_mail_smtp_failure_falls_back_to_outbox(mail_settings, caplog):
    """If the SMTP server is unreachable the message is kept in the outbox and logged."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    settings = replace(mail_settings, smtp_host="127.0.0.1", smtp_port=closed_port)
    asyncio.run(Mailer(settings).send("c@example.id", "Penting", "Jangan hilang"))
    assert [m["To"] for m in outbox_messages(settings.outbox_dir)] == ["c@example.id"]
    assert "SMTP delivery to c@example.id failed" in caplog.text
