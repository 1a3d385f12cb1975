"""Public results routes: no login, no JavaScript, the same page for every visitor.

Each page exists in Indonesian at ``/results/...`` and in English at ``/en/results/...`` (the
language comes from the path, not the session, so a page is one cacheable document and the
static export can write it as a file). Routes skip the session user and CSRF (no forms here) and
answer conditional GETs: the ETag is computed from the visible publications before anything is
rendered (:mod:`.caching`), so a revalidation costs two small queries and a ``304``.

Controllers stay thin: parse, call the reader (which asks :mod:`awards.results.visibility`),
render.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from datetime import datetime
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from awards.i18n import set_language
from awards.intake.businesses.sizeclass import SIZE_CLASS_LABELS
from awards.results.public import caching, reader
from awards.results.public.methodology import methodology_of
from awards.results.public.naik_kelas import class_records
from awards.results.public.naik_kelas_page import naik_kelas_view
from awards.results.public.photos import og_photo
from awards.results.public.presenters import category_charts, page_meta

__all__ = ["PUBLIC_RESULT_OPTS", "TEMPLATE_VERSION", "PublicResultPages"]

TEMPLATE_VERSION = "1"
"""Bump when the public templates change, so cached copies revalidate to the new markup."""

PUBLIC_RESULT_OPTS = {
    "public": True,
    "skip_current_user": True,
    "exclude_from_csrf": True,
    "public_cache": True,
}
RENDERED_PAGES = 256
"""Rendered pages each app keeps in memory by ETag: a published page is rendered
once per version of its data, later visitors get the stored bytes after the two queries that
compute its ETag."""
_PHOTO = re.compile(r"^(\d{1,12})\.jpg$")


def _both(path: str) -> list[str]:
    return [path, "/en" + path]


def _language(request: Request[Any, Any, Any]) -> str:
    language = "en" if request.url.path.startswith("/en/") else "id"
    set_language(language)
    return language


def _rendered(request: Request[Any, Any, Any]) -> OrderedDict[str, tuple[bytes, str]]:
    """This app's cache of rendered pages, by ETag (most recently used last)."""
    state = request.app.state
    if "public_results_rendered" not in state:
        state["public_results_rendered"] = OrderedDict()
    return state["public_results_rendered"]


def _fresh(
    request: Request[Any, Any, Any], parts: list[Any], last_modified: datetime | None
) -> tuple[dict[str, str], Response[bytes] | None]:
    """Cache headers for this page, and the answer when no rendering is needed: a 304 when
    the client's copy is current, else the page rendered earlier for the same ETag."""
    etag = caching.etag_for([TEMPLATE_VERSION, request.url.path, *parts])
    headers = caching.cache_headers(etag, last_modified)
    if caching.not_modified(request.headers, etag, last_modified):
        return headers, Response(b"", status_code=304, headers=headers)
    rendered = _rendered(request)
    if etag in rendered:
        rendered.move_to_end(etag)
        body, media_type = rendered[etag]
        return headers, Response(body, media_type=media_type, headers=headers)
    return headers, None


def _respond(
    request: Request[Any, Any, Any],
    headers: dict[str, str],
    body: bytes,
    media_type: str = "text/html; charset=utf-8",
) -> Response[bytes]:
    """Answer with ``body`` and keep it for later requests with the same ETag."""
    rendered = _rendered(request)
    rendered[headers["ETag"]] = (body, media_type)
    while len(rendered) > RENDERED_PAGES:
        rendered.popitem(last=False)
    return Response(body, media_type=media_type, headers=headers)


def _page(
    request: Request[Any, Any, Any],
    template: str,
    context: dict[str, Any],
    headers: dict[str, str],
    media_type: str = "text/html; charset=utf-8",
) -> Response[bytes]:
    """Render ``template`` (the public layout needs no request context) and answer."""
    engine = request.app.template_engine
    body = engine.get_template(template).render(**context).encode()
    return _respond(request, headers, body, media_type)


def _stamp(publications: list[dict[str, Any]]) -> tuple[list[Any], datetime | None]:
    parts = [(p["category_id"], p["snapshot_id"], p["content_hash"]) for p in publications]
    latest = max((p["publish_at"] for p in publications), default=None)
    return parts, latest


async def _edition(slug: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    edition, publications = await reader.edition_state(slug)
    if edition is None or not publications:
        raise NotFoundException()
    return edition, publications


class PublicResultPages(Controller):
    """The published results: editions, categories, methodology, businesses, naik kelas."""

    opt = PUBLIC_RESULT_OPTS
    include_in_schema = False

    @get(_both("/results"), name="public_results_index")
    async def index(self, request: Request[Any, Any, Any]) -> Response[Any]:
        """Every edition with published results, newest first."""
        language = _language(request)
        editions = await reader.published_edition_list()
        headers, cached = _fresh(request, [e["id"] for e in editions], None)
        if cached:
            return cached
        context = {"editions": editions, **page_meta(request, language, "/results")}
        return _page(request, "results/public/index.html", context, headers)

    @get(_both("/results/feed.xml"), name="public_results_feed")
    async def feed(self, request: Request[Any, Any, Any]) -> Response[Any]:
        """An Atom feed with one entry per published category result (latest version)."""
        language = _language(request)
        publications = await reader.feed_state()
        parts = sorted((p["publication_id"], p["snapshot_id"]) for p in publications)
        latest = max((p["publish_at"] for p in publications), default=None)
        headers, cached = _fresh(request, parts, latest)
        if cached:
            return cached
        items = await reader.feed_items(publications)
        context = {"items": items, "updated": latest, **page_meta(request, language, "/results")}
        return _page(request, "results/public/feed.xml", context, headers, "application/atom+xml")

    @get(_both("/results/{edition_slug:str}"), name="public_results_edition")
    async def edition(
        self, request: Request[Any, Any, Any], edition_slug: FromPath[str]
    ) -> Response[Any]:
        """The edition's results home: each published category with its winners."""
        language = _language(request)
        edition, publications = await _edition(edition_slug)
        parts, latest = _stamp(publications)
        headers, cached = _fresh(request, parts, latest)
        if cached:
            return cached
        result = await reader.edition_result(edition, publications)
        path = f"/results/{edition['slug']}"
        context = {
            "result": result,
            **page_meta(request, language, path, edition=edition, winners=_first_winners(result)),
        }
        return _page(request, "results/public/edition.html", context, headers)

    @get(_both("/results/{edition_slug:str}/methodology"), name="public_results_methodology")
    async def methodology(
        self, request: Request[Any, Any, Any], edition_slug: FromPath[str]
    ) -> Response[Any]:
        """How the results were computed, from each published snapshot's manifest."""
        language = _language(request)
        edition, publications = await _edition(edition_slug)
        parts, latest = _stamp(publications)
        headers, cached = _fresh(request, parts, latest)
        if cached:
            return cached
        sections = await methodology_of(edition, publications)
        path = f"/results/{edition['slug']}/methodology"
        context = {"edition": edition, "sections": sections, **page_meta(request, language, path)}
        return _page(request, "results/public/methodology.html", context, headers)

    @get(_both("/results/{edition_slug:str}/naik-kelas"), name="public_results_naik_kelas")
    async def naik_kelas(
        self, request: Request[Any, Any, Any], edition_slug: FromPath[str]
    ) -> Response[Any]:
        """Businesses that moved up a size class since the previous published edition."""
        language = _language(request)
        edition, publications = await _edition(edition_slug)
        view = await naik_kelas_view(edition)
        parts, latest = _stamp(publications)
        headers, cached = _fresh(request, [*parts, view.fingerprint], latest)
        if cached:
            return cached
        path = f"/results/{edition['slug']}/naik-kelas"
        context = {"edition": edition, "view": view, **page_meta(request, language, path)}
        return _page(request, "results/public/naik_kelas.html", context, headers)

    @get(_both("/results/{edition_slug:str}/{category_slug:str}"), name="public_results_category")
    async def category(
        self,
        request: Request[Any, Any, Any],
        edition_slug: FromPath[str],
        category_slug: FromPath[str],
    ) -> Response[Any]:
        """A category's winners (and full ranking if shown), charts and correction history."""
        language = _language(request)
        edition, publications = await _edition(edition_slug)
        parts, latest = _stamp(publications)
        shown = await reader.ranking_shown(edition["id"], category_slug)
        headers, cached = _fresh(request, [*parts, shown], latest)
        if cached:
            return cached
        result = await reader.category_result(edition, publications, category_slug)
        if result is None:
            raise NotFoundException()
        path = f"/results/{edition['slug']}/{result.category['slug']}"
        context = {
            "edition": edition,
            "result": result,
            "charts": category_charts(result),
            **page_meta(request, language, path, edition=edition, winners=result.winners),
        }
        return _page(request, "results/public/category.html", context, headers)

    @get(_both("/results/businesses/{business_id:int}"), name="public_results_business")
    async def business(
        self, request: Request[Any, Any, Any], business_id: FromPath[int]
    ) -> Response[Any]:
        """A business's public awards across editions (404 when it has none)."""
        language = _language(request)
        history = await reader.business_history(business_id)
        if not history:
            raise NotFoundException()
        editions = sorted({h.entry["edition_id"] for h in history})
        records = await class_records(editions, [business_id])
        classes = {r.edition_id: SIZE_CLASS_LABELS.get(r.size_class, "") for r in records}
        parts = [(h.entry["id"], h.standing.tier_code, h.standing.place) for h in history]
        headers, cached = _fresh(request, [*parts, sorted(classes.items())], None)
        if cached:
            return cached
        path = f"/results/businesses/{business_id}"
        context = {"history": history, "classes": classes, **page_meta(request, language, path)}
        return _page(request, "results/public/business.html", context, headers)

    @get("/results/photos/{file_name:str}", name="public_results_photo")
    async def photo(
        self, request: Request[Any, Any, Any], file_name: FromPath[str]
    ) -> Response[bytes]:
        """A winner's product photo as a share-sized JPEG (404 unless the entry holds an
        award in a visible result)."""
        match = _PHOTO.match(file_name)
        if match is None:
            raise NotFoundException()
        photo = await og_photo(request.app.state.settings, int(match.group(1)))
        if photo is None:
            raise NotFoundException()
        data, digest = photo
        headers, cached = _fresh(request, [digest], None)
        if cached:
            return cached
        return Response(data, media_type="image/jpeg", headers=headers)  # cached on disk


def _first_winners(result: Any) -> list[Any]:
    return [w for category in result.categories for w in category.winners]
