"""E-mail to entrants that their results are out: once per publication and recipient.

:func:`notify_entrants` looks at every **visible** publication (the gate decides: nothing is
sent before ``publish_at``), records one :class:`~awards.results.public.tables.ResultNotice` per
(publication, entry, active member of the entry's business) that has none yet — in one
transaction, the unique ``dedupe_key`` refusing doubles — and then sends every unsent notice
through :class:`awards.mail.Mailer`, stamping ``sent_at`` after each. Running it again (or
concurrently) sends nothing twice; a crash between sending and stamping can repeat one message,
never lose one (at-least-once).

A publication of a corrected version (snapshot version > 1) says "corrected" in the subject.
The message is in the recipient's language and links to the entry's feedback page and the
public category page.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime
from typing import Any

from awards import db
from awards.i18n import _, use_language
from awards.intake.tables import BusinessMember, Entry
from awards.mail import Mailer
from awards.results import visibility
from awards.results.public.tables import ResultNotice

__all__ = ["attach", "notify_entrants"]

log = logging.getLogger(__name__)
_CHUNK = 500


async def _visible_publications(now: datetime) -> list[dict[str, Any]]:
    rows = []
    for edition_id in await visibility.published_editions(now):
        rows.extend(await visibility.published_categories(edition_id, now))
    return rows


async def _record(publications: list[dict[str, Any]], now: datetime) -> int:
    """Record the notices owed for ``publications``; return how many were new."""
    if not publications:
        return 0
    by_category = {pub["category_id"]: pub for pub in publications}
    entries = await Entry.select(Entry.id, Entry.category, Entry.business).where(
        Entry.category.is_in(list(by_category)) & (Entry.status != "withdrawn")
    )
    placed = await visibility.entry_placements([row["id"] for row in entries], now)
    entries = [row for row in entries if row["id"] in placed]
    if not entries:
        return 0
    members = await BusinessMember.select(
        BusinessMember.business, BusinessMember.user, BusinessMember.user.email.as_alias("email")
    ).where(
        BusinessMember.business.is_in(list({row["business"] for row in entries}))
        & (BusinessMember.user.is_active == True)  # noqa: E712 - a Piccolo expression
    )
    by_business: dict[int, list[dict[str, Any]]] = {}
    for member in members:
        by_business.setdefault(member["business"], []).append(member)
    wanted = {}
    for entry in entries:
        pub = by_category[entry["category"]]
        for member in by_business.get(entry["business"], []):
            key = f"{pub['publication_id']}:{entry['id']}:{member['user']}"
            wanted[key] = ResultNotice(
                publication=pub["publication_id"],
                entry=entry["id"],
                user=member["user"],
                email=member["email"],
                dedupe_key=key,
            )
    keys = list(wanted)
    async with db.write_transaction():
        known: set[str] = set()
        for start in range(0, len(keys), _CHUNK):
            existing = await ResultNotice.select(ResultNotice.dedupe_key).where(
                ResultNotice.dedupe_key.is_in(keys[start : start + _CHUNK])
            )
            known.update(row["dedupe_key"] for row in existing)
        new = [notice for key, notice in wanted.items() if key not in known]
        for start in range(0, len(new), _CHUNK):
            await ResultNotice.insert(*new[start : start + _CHUNK])
    return len(new)


def _message(row: dict[str, Any], base_url: str) -> tuple[str, str]:
    base = base_url.rstrip("/")
    prefix = "/en" if row["language"] == "en" else ""
    names = {
        "edition": (row["language"] == "en" and row["edition_en"]) or row["edition_id_name"],
        "category": (row["language"] == "en" and row["category_en"]) or row["category_id_name"],
    }
    with use_language(row["language"] or "id"):
        if row["version"] > 1:
            subject = _("Corrected results: %(edition)s") % names
        else:
            subject = _("Results are out: %(edition)s") % names
        body = "\n\n".join(
            [
                _("The results of %(category)s in %(edition)s have been published.") % names,
                _("Your entry's scores and the judges' comments: %(url)s")
                % {"url": f"{base}/entries/{row['entry']}/feedback"},
                _("All winners: %(url)s")
                % {"url": f"{base}{prefix}/results/{row['edition_slug']}/{row['category_slug']}"},
            ]
        )
    return subject, body


async def notify_entrants(
    mailer: Mailer, now: datetime | None = None, recorded: set[int] | None = None
) -> int:
    """Record and send the notices owed for every visible publication; return how many
    messages were sent in this run. ``recorded`` (publication ids whose notices this process
    already recorded) lets a loop skip the recording step for them."""
    moment = now or datetime.now(UTC)
    publications = await _visible_publications(moment)
    fresh = [p for p in publications if recorded is None or p["publication_id"] not in recorded]
    await _record(fresh, moment)
    if recorded is not None:
        recorded.update(p["publication_id"] for p in fresh)
    visible = [pub["publication_id"] for pub in publications]
    if not visible:
        return 0
    pending = await ResultNotice.select(
        ResultNotice.id,
        ResultNotice.email,
        ResultNotice.entry,
        ResultNotice.user.language.as_alias("language"),
        ResultNotice.publication.snapshot.version.as_alias("version"),
        ResultNotice.entry.edition.slug.as_alias("edition_slug"),
        ResultNotice.entry.edition.name_id.as_alias("edition_id_name"),
        ResultNotice.entry.edition.name_en.as_alias("edition_en"),
        ResultNotice.entry.category.slug.as_alias("category_slug"),
        ResultNotice.entry.category.name_id.as_alias("category_id_name"),
        ResultNotice.entry.category.name_en.as_alias("category_en"),
    ).where(ResultNotice.sent_at.is_null() & ResultNotice.publication.is_in(visible))
    sent = 0
    for row in sorted(pending, key=lambda r: r["id"]):
        subject, body = _message(row, mailer.settings.base_url)
        await mailer.send(row["email"], subject, body)
        await ResultNotice.update({ResultNotice.sent_at: datetime.now(UTC)}).where(
            ResultNotice.id == row["id"]
        )
        sent += 1
    return sent


async def _loop(mailer: Mailer, stop: asyncio.Event, interval: float) -> None:
    recorded: set[int] = set()
    while not stop.is_set():
        try:
            sent = await notify_entrants(mailer, recorded=recorded)
            if sent:
                log.info("results: %s results-are-out e-mail(s) sent", sent)
        except Exception:
            log.exception("results e-mail pass failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval)


def attach(app: Any, mailer: Mailer, interval: float = 30.0) -> None:
    """Send results-are-out e-mails from a background task of ``app`` (``anugerah serve``),
    checking every ``interval`` seconds, so they go out soon after each publication time."""
    state: dict[str, Any] = {}

    async def start() -> None:
        state["stop"] = asyncio.Event()
        state["task"] = asyncio.create_task(_loop(mailer, state["stop"], interval))

    async def finish() -> None:
        if "stop" in state:
            state["stop"].set()
            await state["task"]

    app.on_startup.append(start)
    app.on_shutdown.insert(0, finish)
