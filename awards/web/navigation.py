"""Safe redirects: only local paths may be used as a "next" target."""

from __future__ import annotations

__all__ = ["safe_next"]


def safe_next(target: str | None, default: str = "/") -> str:
    """``target`` if it is a local absolute path (``/x``), else ``default``.

    Refuses scheme-relative (``//host``), backslash tricks and absolute URLs, so a crafted
    ``next`` cannot send the user to another site.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return default
    return target
