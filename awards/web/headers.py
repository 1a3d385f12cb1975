"""Security headers on every response, including error pages and static files.

Installed as a ``before_send`` hook (not a middleware) because Litestar's exception handling
and its 404/405 responses do not pass through user middleware.

* ``X-Content-Type-Options: nosniff`` — browsers trust our content types.
* ``X-Frame-Options: DENY`` and CSP ``frame-ancestors 'none'`` — no clickjacking in frames.
* ``Referrer-Policy: same-origin`` — reset tokens in URLs never leak to other sites.
* CSP ``base-uri 'self'; form-action 'self'; object-src 'none'`` — no injected base URL,
  no form posting to other origins, no plugins. Scripts and styles are not restricted further
  because the schema viewer needs inline styles; every asset is served from our own origin.
* ``Cache-Control: no-store`` on every response except static files — pages, API answers and
  exports may carry personal data, and after logout the browser's Back button must not show
  them from its cache.
* ``Strict-Transport-Security: max-age=31536000; includeSubDomains`` when the base URL is
  ``https://`` — browsers then never try plain HTTP.
A handler that sets one of :data:`SECURITY_HEADERS` itself keeps its own value;
``Cache-Control`` outside ``/static/`` is always ``no-store``, except on routes marked
``opt={"public_cache": True}`` (the published results pages, the same for every visitor), which
keep the ``Cache-Control`` they set themselves.
"""

from __future__ import annotations

from litestar.types import Message, Scope

__all__ = ["HSTS", "SECURITY_HEADERS", "add_security_headers"]

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "content-security-policy": (
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
    ),
}


HSTS = "max-age=31536000; includeSubDomains"
_STATIC = "/static/"


def _public_cache(scope: Scope) -> bool:
    handler = scope.get("route_handler")
    return bool(handler is not None and handler.opt.get("public_cache"))


_ENCODED = tuple(
    (name.encode("latin-1"), value.encode("latin-1")) for name, value in SECURITY_HEADERS.items()
)
_CACHE_CONTROL = b"cache-control"
_NO_STORE = (_CACHE_CONTROL, b"no-store")
_HSTS = (b"strict-transport-security", HSTS.encode("latin-1"))


async def add_security_headers(message: Message, scope: Scope) -> None:
    """Add :data:`SECURITY_HEADERS`, ``no-store`` and (over HTTPS) HSTS to a response.

    Works on the message's raw header list with one pass over the names (Litestar's
    ``MutableScopeHeaders`` decodes and compares every header for each name it looks up: six
    scans of every response's headers)."""
    if message["type"] != "http.response.start":
        return
    headers = message["headers"]
    if not isinstance(headers, list):
        headers = message["headers"] = list(headers)  # type: ignore[typeddict-item]
    present = {name.lower() for name, _value in headers}
    headers.extend(header for header in _ENCODED if header[0] not in present)
    if not scope.get("path", "").startswith(_STATIC) and not (
        _CACHE_CONTROL in present and _public_cache(scope)
    ):
        if _CACHE_CONTROL in present:
            headers[:] = [header for header in headers if header[0].lower() != _CACHE_CONTROL]
        headers.append(_NO_STORE)
    if scope["litestar_app"].state.settings.secure_cookies and _HSTS[0] not in present:
        headers.append(_HSTS)
