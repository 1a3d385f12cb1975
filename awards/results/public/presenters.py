"""Page furniture for the public results: links in both languages, Open Graph and Twitter tags,
schema.org JSON-LD, and the category charts.

* Links: Indonesian pages live at ``/results/...``, English at ``/en/results/...``;
  ``link(path)`` gives the path in the page's language.
* Open Graph / Twitter: absolute URLs from ``settings.base_url``; the image is the first winner's
  photo (``/results/photos/<entry>.jpg``, a JPEG under 300 KB served behind the gate).
* JSON-LD: an ``ItemList`` of the winners, each a ``LocalBusiness`` with its ``award`` (text, the
  schema.org property for "an award won by or for this item") and address locality (district).
  Serialized with ``<``, ``>`` and ``&`` escaped so it cannot close its ``<script>``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from litestar import Request
from markupsafe import Markup

from awards.i18n import _
from awards.results.public.charts import Interval, interval_chart, score_histogram
from awards.results.public.views import CategoryResult, Standing

__all__ = ["category_charts", "json_ld", "page_meta"]


def _name(row: dict[str, Any], language: str) -> str:
    return (row.get("name_en") if language == "en" else "") or row.get("name_id") or ""


def json_ld(data: Any) -> Markup:
    """``data`` as JSON safe inside ``<script type="application/ld+json">``."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def _ld(winners: Sequence[Standing], edition: dict[str, Any], language: str, base: str):
    items = []
    for position, winner in enumerate(winners, 1):
        business: dict[str, Any] = {
            "@type": "LocalBusiness",
            "name": winner.business_name,
            "award": f"{winner.tier_label} — {_name(edition, language)}",
        }
        if winner.district:
            business["address"] = {"@type": "PostalAddress", "addressLocality": winner.district}
        if winner.business_id is not None:
            prefix = "/en" if language == "en" else ""
            business["url"] = f"{base}{prefix}/results/businesses/{winner.business_id}"
        if winner.photo_id is not None:
            business["image"] = f"{base}/results/photos/{winner.entry_id}.jpg"
        items.append({"@type": "ListItem", "position": position, "item": business})
    return {"@context": "https://schema.org", "@type": "ItemList", "itemListElement": items}


def page_meta(
    request: Request[Any, Any, Any],
    language: str,
    path: str,
    *,
    edition: dict[str, Any] | None = None,
    winners: Sequence[Standing] = (),
) -> dict[str, Any]:
    """Template context shared by every public results page."""
    base = request.app.state.settings.base_url.rstrip("/")
    prefix = "/en" if language == "en" else ""
    photo = next((w for w in winners if w.photo_id is not None), None)
    meta: dict[str, Any] = {
        "language": language,
        "path_id": path,
        "path_en": "/en" + path,
        "canonical": f"{base}{prefix}{path}",
        "link": lambda target: f"{prefix}{target}",
        "og_image": f"{base}/results/photos/{photo.entry_id}.jpg" if photo else "",
        "og_image_alt": (_("Product of %(name)s") % {"name": photo.business_name} if photo else ""),
        "edition_name": (lambda row: _name(row, language)),
        "json_ld": json_ld(_ld(winners, edition, language, base)) if edition and winners else "",
    }
    return meta


def category_charts(result: CategoryResult) -> dict[str, Markup]:
    """The category's score distribution (winners marked) and the winners' 95% intervals."""
    cid = f"c{result.category['id']}"
    winners = [w for w in result.winners if w.score is not None]
    histogram = score_histogram(
        result.scores,
        title=_("Distribution of calibrated scores"),
        desc=_(
            "%(n)s entries by calibrated score from 0 to 100 in bins of 10 points; "
            "the winners' scores are marked."
        )
        % {"n": len(result.scores)},
        chart_id=f"{cid}-hist",
        marks=[(w.score, w.tier_label) for w in winners],
    )
    rows = [
        Interval(f"{w.tier_label} · {w.business_name}", w.score, *w.interval)
        for w in winners
        if w.interval is not None
    ]
    intervals = interval_chart(
        rows,
        title=_("Winners' scores with 95% intervals"),
        desc=_(
            "Each winner's calibrated score (dot) and the range within which it lies with 95% "
            "confidence (bar). Overlapping bars mean the order is uncertain."
        ),
        chart_id=f"{cid}-int",
    )
    return {"histogram": Markup(histogram), "intervals": Markup(intervals)}
