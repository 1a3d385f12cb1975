"""Certificate PDFs: the stored printed text in, a one-page A4 landscape PDF out.

The PDF is made by WeasyPrint from the Jinja template ``results/certificates/_certificate.html``
(a print document, not a page of the site: named like a partial so the page checks skip it)
with the fonts shipped in ``awards/results/fonts`` (DejaVu Serif, Bitstream Vera licence, see
``LICENSE-DejaVu.txt``) and a QR code (segno, inline SVG) of the public verification URL
``{base_url}/v/{code}``. Nothing is fetched from the network: the URL fetcher only opens files
inside the fonts folder (and ``data:`` URIs). The same printed text renders to the same
document, so the text stored with a certificate is what its PDF says.
"""

from __future__ import annotations

from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import segno
from jinja2 import Environment, FileSystemLoader, select_autoescape

from awards.results.codes import format_code
from awards.web.templating import TEMPLATE_DIR

__all__ = ["FONT_DIR", "RENDERER_VERSION", "qr_svg", "render_html", "render_pdf"]

FONT_DIR = Path(__file__).parent / "fonts"
TEMPLATE = "results/certificates/_certificate.html"
RENDERER_VERSION = f"weasyprint-{metadata.version('weasyprint')}/certificate-1"


@cache
def _fetcher_class() -> type:
    """WeasyPrint's URL fetcher limited to ``data:`` URIs and files inside :data:`FONT_DIR`
    (WeasyPrint and its system libraries load on the first PDF, not when the app starts)."""
    from weasyprint.urls import URLFetcher

    class LocalFetcher(URLFetcher):
        def __init__(self) -> None:
            super().__init__(allowed_protocols=["file", "data"], allow_redirects=False)

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("file:"):
                path = Path(url.removeprefix("file://").split("?")[0]).resolve()
                if not path.is_relative_to(FONT_DIR.resolve()):
                    raise ValueError(f"refused to fetch {url}")
            return super().fetch(url, headers)

    return LocalFetcher


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(["html"], default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as inline SVG (error correction M)."""
    return segno.make(url, error="m").svg_inline(scale=3, border=2)


def render_html(printed: dict[str, Any], language: str, verify_url: str) -> str:
    """The certificate's HTML in ``language`` ("id" or "en") from the stored printed text."""
    text = printed.get(language) or printed["id"]
    return (
        _environment()
        .get_template(TEMPLATE)
        .render(
            text=text,
            kind=printed.get("kind", "participation"),
            code=format_code(printed["code"]),
            verify_url=verify_url,
            qr=qr_svg(verify_url),
            font_dir=FONT_DIR.resolve().as_uri(),
            language=language,
        )
    )


def render_pdf(printed: dict[str, Any], language: str, verify_url: str) -> bytes:
    """The certificate as PDF bytes (about 30 ms; call it off the event loop)."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    html = render_html(printed, language, verify_url)
    fetcher = _fetcher_class()()
    document = weasyprint.HTML(string=html, base_url=str(FONT_DIR), url_fetcher=fetcher)
    return document.write_pdf(font_config=FontConfiguration())
