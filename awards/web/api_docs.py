"""The OpenAPI schema at ``/schema/openapi.json`` and its Redoc viewer at ``/schema``.

Offline by design: the viewer's script is the vendored ``static/vendor/redoc-2.5.4`` bundle (see
``static/vendor/README.md``); no Google Fonts and no CDN favicon (Litestar's defaults load
both from the internet).
"""

from __future__ import annotations

from litestar import Router
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import RedocRenderPlugin

__all__ = ["REDOC_JS_URL", "openapi_config"]

REDOC_JS_URL = "/static/vendor/redoc-2.5.4/redoc.standalone.js"
# An empty inline icon: the browser does not ask for /favicon.ico, nothing leaves the site.
_NO_FAVICON = "<link rel='icon' href='data:,'>"


def openapi_config() -> OpenAPIConfig:
    """Schema under ``/schema``: Redoc at ``/schema`` and ``/schema/redoc``, JSON beside it."""
    router = Router(
        path="/schema", route_handlers=[], opt={"public": True}, include_in_schema=False
    )
    return OpenAPIConfig(
        title="Anugerah API",
        version="1",
        description=(
            "Accounts, entrant and organizer operations. Unsafe methods need the x-csrftoken "
            "header carrying the csrftoken cookie's value (the cookie is set on any GET)."
        ),
        path="/schema",
        openapi_router=router,
        use_handler_docstrings=True,
        render_plugins=[
            RedocRenderPlugin(js_url=REDOC_JS_URL, google_fonts=False, favicon=_NO_FAVICON)
        ],
    )
