"""The serving process's access log: uvicorn's lines, formatted without its per-line copies.

uvicorn logs one line per request (``INFO:     127.0.0.1:5555 - "GET /path HTTP/1.1" 200 OK``)
through its ``AccessFormatter``, which copies the log record twice (once in its own
``formatMessage``, once in its parent's) and looks the status phrase up in ``http.HTTPStatus``:
15-19 us of CPU per request (measured: one record through uvicorn's configuration to
``/dev/null``), as much as the app's session cookie, CSRF check and guards together.
:class:`AccessFormatter` writes the same line with one f-string and a table of status
phrases built once (6-9 us a record, most of it the ``LogRecord`` and the write); colours
(a terminal), records of another shape, and anything else it does not know are left to
uvicorn's formatter, so the output is unchanged.

:func:`log_config` is uvicorn's default logging configuration with this formatter for the
access log (``anugerah serve`` passes it to ``uvicorn.run``).
"""

from __future__ import annotations

import copy
import http
import logging
import sys
from typing import Any

from uvicorn.config import LOGGING_CONFIG
from uvicorn.logging import AccessFormatter as UvicornAccessFormatter

__all__ = ["AccessFormatter", "log_config"]

_FORMAT = '%(levelprefix)s %(client_addr)s - "%(request_line)s" %(status_code)s'
_STATUS = {status.value: f"{status.value} {status.phrase}" for status in http.HTTPStatus}


class AccessFormatter(logging.Formatter):
    """uvicorn's access-log formatter, producing the same text for its access records."""

    def __init__(self, fmt: str | None = None, use_colors: bool | None = None, **_: Any) -> None:
        super().__init__()
        self.use_colors = sys.stdout.isatty() if use_colors is None else use_colors
        self.uvicorn = UvicornAccessFormatter(fmt=fmt or _FORMAT, use_colors=self.use_colors)
        self.fast = (fmt or _FORMAT) == _FORMAT and not self.use_colors

    def format(self, record: logging.LogRecord) -> str:
        args = record.args
        if (
            self.fast
            and record.levelno == logging.INFO
            and record.levelname == "INFO"
            and isinstance(args, tuple)
            and len(args) == 5
            and not record.exc_info
            and not record.exc_text
            and not record.stack_info
            and "color_message" not in record.__dict__
        ):
            client, method, path, version, status = args
            phrase = _STATUS.get(status) if type(status) is int else None
            if phrase is not None:
                return f'INFO:     {client} - "{method} {path} HTTP/{version}" {phrase}'
        return self.uvicorn.format(record)


def log_config() -> dict[str, Any]:
    """uvicorn's default logging configuration, its access log formatted by
    :class:`AccessFormatter`."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["access"]["()"] = "awards.web.access_log.AccessFormatter"
    return config
