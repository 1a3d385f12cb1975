"""Random identifiers in Crockford's base32: certificate verification codes and ULIDs.

Crockford's alphabet (``0-9 A-Z`` without ``I L O U``) avoids letters read as digits; on input
``I``/``L`` are read as ``1``, ``O`` as ``0``, and hyphens, spaces and case are ignored.

* A verification code is 12 symbols = 60 random bits (``secrets``), printed as
  ``XXXX-XXXX-XXXX``. Collisions are checked by the database's unique index; at a million
  certificates the chance that a new code collides is about 10^6 / 2^60 ≈ 9e-13.
* A ULID is 26 symbols: a 48-bit millisecond timestamp then 80 random bits, so ids sort by
  creation time (used as the ``webhook-id`` of an event).
"""

from __future__ import annotations

import secrets
import time

__all__ = ["ALPHABET", "CODE_LENGTH", "format_code", "new_code", "new_ulid", "normalize_code"]

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0", "-": None, " ": None})


def _encode(value: int, length: int) -> str:
    symbols = []
    for _ in range(length):
        symbols.append(ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(symbols))


def new_code() -> str:
    """A fresh 12-symbol verification code (60 random bits)."""
    return _encode(secrets.randbits(5 * CODE_LENGTH), CODE_LENGTH)


def normalize_code(text: str) -> str | None:
    """The code typed or scanned as ``text`` in canonical form, or None if it cannot be one."""
    code = text.strip().upper().translate(_READ_AS)
    if len(code) != CODE_LENGTH or any(symbol not in ALPHABET for symbol in code):
        return None
    return code


def format_code(code: str) -> str:
    """``ABCD-EFGH-JKMN``: the code in groups of four, as printed."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def new_ulid(now: float | None = None) -> str:
    """A ULID: 10 symbols of milliseconds since the epoch, then 16 random symbols."""
    millis = int((time.time() if now is None else now) * 1000)
    return _encode(millis & (2**48 - 1), 10) + _encode(secrets.randbits(80), 16)
