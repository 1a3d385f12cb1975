"""The access log's formatter writes exactly uvicorn's lines."""

from __future__ import annotations

import logging

import pytest
from uvicorn.config import LOGGING_CONFIG
from uvicorn.logging import AccessFormatter as UvicornAccessFormatter

from awards.web.access_log import AccessFormatter, log_config


def _record(*args, level=logging.INFO, **extra) -> logging.LogRecord:
    record = logging.LogRecord(
        "uvicorn.access", level, __file__, 1, '%s - "%s %s HTTP/%s" %d', args, None
    )
    record.__dict__.update(extra)
    return record


@pytest.mark.parametrize("use_colors", [False, True])
@pytest.mark.parametrize(
    "args",
    [
        ("127.0.0.1:5555", "GET", "/api/v1/judge/queue", "1.1", 200),
        ("10.0.0.2:41000", "PUT", "/api/v1/judge/rounds/1/entries/3/sheet?x=1", "1.1", 409),
        ("[::1]:8080", "POST", "/login", "1.0", 303),
        ("127.0.0.1:1", "GET", "/boom", "1.1", 500),
        ("127.0.0.1:1", "GET", "/odd", "1.1", 599),
    ],
)
def test_access_formatter_matches_uvicorn(args, use_colors):
    """Each access record comes out as uvicorn's own formatter writes it, with or without
    colours, including a status code that has no phrase."""
    ours = AccessFormatter(use_colors=use_colors)
    theirs = UvicornAccessFormatter(
        fmt=LOGGING_CONFIG["formatters"]["access"]["fmt"], use_colors=use_colors
    )
    assert ours.format(_record(*args)) == theirs.format(_record(*args))


def test_access_formatter_other_records_match_uvicorn():
    """A record of another level or shape is formatted by uvicorn's formatter."""
    ours = AccessFormatter(use_colors=False)
    theirs = UvicornAccessFormatter(
        fmt=LOGGING_CONFIG["formatters"]["access"]["fmt"], use_colors=False
    )
    args = ("127.0.0.1:5555", "GET", "/", "1.1", 200)
    assert ours.format(_record(*args, level=logging.WARNING)) == theirs.format(
        _record(*args, level=logging.WARNING)
    )


def test_log_config_uses_access_formatter():
    """The serving configuration is uvicorn's, except that its access formatter is ours."""
    config = log_config()
    access = config["formatters"].pop("access")
    expected = {**LOGGING_CONFIG, "formatters": dict(LOGGING_CONFIG["formatters"])}
    expected["formatters"].pop("access")
    assert access["()"] == f"{AccessFormatter.__module__}.{AccessFormatter.__qualname__}"
    assert access["fmt"] == LOGGING_CONFIG["formatters"]["access"]["fmt"]
    assert config == expected
