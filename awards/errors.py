"""Errors that services raise and the web layer translates.

Exception
 └── ValidationError    input refused; ``errors`` maps field name -> translated message
                        (pages re-render the form with the messages, the API answers 422)
"""

from __future__ import annotations

__all__ = ["ValidationError"]


class ValidationError(Exception):
    """Input was refused; ``errors`` maps field name to a translated message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors
