"""The one mail service: SMTP when ``ANUGERAH_SMTP_HOST`` is set, otherwise an outbox folder.

Outbox mode writes each message as an RFC 5322 ``.eml`` file under ``<DATA_DIR>/outbox/`` (the
demo prints where). If SMTP delivery fails the message is written to the outbox too and the
error is logged, so no message is ever silently dropped.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import anyio.to_thread

from awards.settings import Settings

__all__ = ["Mailer"]

log = logging.getLogger(__name__)


class Mailer:
    """Send plain-text mail as configured by ``settings``."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @property
    def outbox(self) -> Path:
        return self.settings.outbox_dir

    def build(self, to: str, subject: str, body: str) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.settings.smtp_from
        message["To"] = to
        message["Subject"] = subject
        message["Date"] = format_datetime(datetime.now(UTC))
        message["Message-ID"] = make_msgid(domain="anugerah.local")
        message.set_content(body)
        return message

    async def send(self, to: str, subject: str, body: str) -> None:
        """Deliver one message (SMTP or outbox file)."""
        message = self.build(to, subject, body)
        if self.settings.smtp_host:
            try:
                await anyio.to_thread.run_sync(self._send_smtp, message)
                return
            except (OSError, smtplib.SMTPException):
                log.exception("SMTP delivery to %s failed; keeping the message in the outbox", to)
        await anyio.to_thread.run_sync(self._write_file, message)

    def _send_smtp(self, message: EmailMessage) -> None:
        s = self.settings
        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=30) as smtp:
            if s.smtp_starttls:
                smtp.starttls()
            if s.smtp_user:
                smtp.login(s.smtp_user, s.smtp_password)
            smtp.send_message(message)

    def _write_file(self, message: EmailMessage) -> Path:
        self.outbox.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        path = self.outbox / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
        path.write_bytes(message.as_bytes())
        return path
