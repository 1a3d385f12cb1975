"""Setting up a round from the organizer's pages: reading the round form, editing a draft
round, a manual list of entrants with a reason per entry, and anchor entries.

* :func:`round_values` turns the submitted form into
  :func:`awards.scoring.rounds.service.create_round` keyword arguments; times are wall-clock
  times in the edition's time zone.
* :func:`update_round` changes a *draft* round with the same rules as ``create_round``.
* :func:`set_manual_entrants` replaces a draft round's entrants by chosen eligible entries, each
  with its own reason (an entry's reason falls back to the shared one).
* :func:`set_anchors` marks entrants as anchors (scored by every judge of the round) and whether
  anchors are kept out of awards (``anchor_excluded``); the shortlist's ranking leaves those out.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from awards import db
from awards.accounts.identity import CurrentUser
from awards.errors import ValidationError
from awards.i18n import _
from awards.intake.bulk.service import chunks
from awards.intake.editions.service import can_manage
from awards.intake.tables import Category, Entry, EntryStatus, Screening
from awards.moments import check_year
from awards.scoring.common import (
    NotFoundError,
    ScoringRefusedError,
    edition_of,
    local_to_utc,
    managed_round,
    now_utc,
    require_manager,
)
from awards.scoring.rounds import rules as round_rules
from awards.scoring.rounds import service as rounds
from awards.scoring.rules import DEFAULT_BLIND_FIELDS
from awards.scoring.tables import RoundEntry, RoundKind, RoundStatus, ScoringRound

__all__ = [
    "create_in_edition",
    "eligible_entries",
    "eligible_page",
    "keep_other_pages",
    "new_round_view",
    "round_entrants",
    "round_values",
    "set_anchors",
    "set_manual_entrants",
    "setup_view",
    "update_round",
]

INT_MAX = 2**31 - 1


def _int(form: dict[str, Any], name: str, errors: dict[str, str], *, blank: int | None) -> Any:
    text = str(form.get(name) or "").strip()
    if not text:
        if blank is None:
            return None
        return blank
    try:
        value = int(text)
    except ValueError:
        errors[name] = _("Enter a whole number.")
        return None
    if abs(value) > INT_MAX:  # beyond what the database's integer columns hold
        errors[name] = _("This number is too large.")
        return None
    return value


def _moment(form: dict[str, Any], name: str, errors: dict[str, str]) -> datetime | None:
    text = str(form.get(name) or "").strip()
    if not text:
        errors[name] = _("Enter a date and time.")
        return None
    try:
        return check_year(datetime.fromisoformat(text), name)
    except ValueError:
        errors[name] = _("Enter a date and time.")
    except ValidationError as exc:
        errors |= exc.errors
    return None


def round_values(form: dict[str, Any]) -> dict[str, Any]:
    """Keyword arguments of ``create_round`` from the round form (strings, lists for
    ``blind_fields``); a :class:`ValidationError` names each unreadable field. The moderation
    and comment thresholds follow :mod:`awards.scoring.rounds.rules` (empty residual
    threshold: 2.5; empty comment thresholds: no requirement; ``comment_below <=
    comment_above``)."""
    errors: dict[str, str] = {}
    fields = form.get("blind_fields") or []
    if isinstance(fields, str):
        fields = [fields]
    spread_text = str(form.get("spread_threshold") or "").strip() or "25"
    try:
        spread = float(spread_text.replace(",", "."))
        if not 0 < spread <= 100:
            raise ValueError
    except ValueError:
        errors["spread_threshold"] = _("Enter a number of points above 0 and up to 100.")
        spread = 25.0
    residual_text = str(form.get("residual_threshold") or "").strip() or "2.5"
    residual = round_rules.number_above_zero(residual_text, "residual_threshold", errors)
    below = round_rules.optional_int(form.get("comment_below"), "comment_below", errors)
    above = round_rules.optional_int(form.get("comment_above"), "comment_above", errors)
    if below is not None and above is not None and below > above:
        errors["comment_above"] = _("Use a value at least as large as the lower threshold.")
    previous = _int(form, "previous", errors, blank=None)
    values = {
        "kind": str(form.get("kind") or ""),
        "name": str(form.get("name") or "")[:120],
        "opens_at": _moment(form, "opens_at", errors),
        "closes_at": _moment(form, "closes_at", errors),
        "judges_per_entry": _int(form, "judges_per_entry", errors, blank=3),
        "method": str(form.get("method") or "calibrated"),
        "blind": form.get("blind") == "yes",
        "blind_fields": [f for f in fields if f in DEFAULT_BLIND_FIELDS],
        "lock_minutes": _int(form, "lock_minutes", errors, blank=None),
        "spread_threshold": spread,
        "residual_threshold": residual if residual is not None else 2.5,
        "comment_below": below,
        "comment_above": above,
        "previous": previous or None,
    }
    if errors:
        raise ValidationError(errors)
    return values


async def create_in_edition(
    actor: CurrentUser, edition_id: int, category_id: int, values: dict[str, Any]
) -> int:
    """``create_round`` for a category of this edition (another edition's category is refused
    beside the category field)."""
    require_manager(actor, edition_id)
    if not await Category.exists().where(
        (Category.id == category_id) & (Category.edition == edition_id)
    ):
        raise ValidationError({"category": _("Choose a category of this edition.")})
    return await rounds.create_round(actor, category_id, **values)


async def update_round(actor: CurrentUser, round_id: int, values: dict[str, Any]) -> None:
    """Change a draft round (the same rules as ``create_round``; its category stays)."""
    import judging

    async with db.write_transaction():
        row = await managed_round(actor, round_id)
        if row["status"] != RoundStatus.draft.value:
            raise ScoringRefusedError(_("Only a draft round can be changed."))
        edition = await edition_of(row["edition"])
        opens = local_to_utc(values["opens_at"], edition["time_zone"])
        closes = local_to_utc(values["closes_at"], edition["time_zone"])
        errors: dict[str, str] = {}
        kind = values["kind"]
        if kind not in RoundKind.__members__:
            errors["kind"] = _("Choose screening, shortlist or final.")
        elif await ScoringRound.exists().where(
            (ScoringRound.category == row["category"])
            & (ScoringRound.kind == kind)
            & (ScoringRound.id != round_id)
        ):
            errors["kind"] = _("This category already has a round of this kind.")
        if not closes > opens:
            errors["closes_at"] = _("The round must close after it opens.")
        if values["judges_per_entry"] < 1:
            errors["judges_per_entry"] = _("Each entry needs at least one judge.")
        if values["method"] not in judging.METHODS:
            errors["method"] = _("Choose one of the engine's methods.")
        if values["lock_minutes"] is not None and values["lock_minutes"] < 0:
            errors["lock_minutes"] = _("The lock delay cannot be negative.")
        previous = values["previous"]
        if previous is not None:
            earlier = (
                await ScoringRound.select(ScoringRound.category)
                .where(ScoringRound.id == previous)
                .first()
            )
            if earlier is None or earlier["category"] != row["category"] or previous == round_id:
                errors["previous"] = _("Choose an earlier round of the same category.")
        if errors:
            raise ValidationError(errors)
        await ScoringRound.update(
            {
                ScoringRound.kind: kind,
                ScoringRound.name: values["name"].strip(),
                ScoringRound.opens_at: opens,
                ScoringRound.closes_at: closes,
                ScoringRound.judges_per_entry: values["judges_per_entry"],
                ScoringRound.method: values["method"],
                ScoringRound.blind: values["blind"],
                ScoringRound.blind_fields: list(values["blind_fields"]),
                ScoringRound.lock_minutes: values["lock_minutes"],
                ScoringRound.spread_threshold: values["spread_threshold"],
                ScoringRound.residual_threshold: values["residual_threshold"],
                ScoringRound.comment_below: values["comment_below"],
                ScoringRound.comment_above: values["comment_above"],
                ScoringRound.previous: previous,
                ScoringRound.updated_at: now_utc(),
            }
        ).where(ScoringRound.id == round_id)


async def eligible_entries(category_id: int) -> list[dict[str, Any]]:
    """Submitted, eligible entries of the category with their business name, by number."""
    return (
        await Entry.select(Entry.id, Entry.business_name)
        .where(
            (Entry.category == category_id)
            & (Entry.status == EntryStatus.submitted.value)
            & (Entry.screening == Screening.eligible.value)
        )
        .order_by(Entry.id)
    )


PAGE_SIZE = 50


def _eligible_where(category_id: int) -> Any:
    return (
        (Entry.category == category_id)
        & (Entry.status == EntryStatus.submitted.value)
        & (Entry.screening == Screening.eligible.value)
    )


async def eligible_page(category_id: int, query: str = "", page: int = 1) -> dict[str, Any]:
    """One page (``PAGE_SIZE``, by number) of the category's eligible entries matching
    ``query``: an entry number (``12`` or ``#12``) or part of the business name (any case).
    Returns ``rows``, ``matching`` (entries matching), ``total`` (all eligible), ``page``,
    ``pages`` (at least 1; a page past the end shows the last)."""
    query = query.strip()[:100]
    where = _eligible_where(category_id)
    total = await Entry.count().where(where)
    if query:
        number = query.lstrip("#").strip()
        match = db.contains(Entry.business_name, query)
        if number.isdigit() and int(number) <= INT_MAX:
            match = match | (Entry.id == int(number))
        where = where & match
    matching = await Entry.count().where(where) if query else total
    pages = max(1, -(-matching // PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = (
        await Entry.select(Entry.id, Entry.business_name)
        .where(where)
        .order_by(Entry.id)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    )
    return {
        "rows": rows,
        "matching": matching,
        "total": total,
        "page": page,
        "pages": pages,
        "query": query,
    }


def keep_other_pages(
    entrants: list[dict[str, Any]], shown: set[int], reasons: dict[int, str]
) -> dict[int, str]:
    """The manual choice of a paged list: the entries chosen on the page shown (``reasons``)
    plus the round's current *manual* entrants that were not on that page (with their stored
    reasons). Entrants chosen another way (all, top N / P%) are not kept."""
    kept = {
        e["entry"]: e["reason"]
        for e in entrants
        if e["source"] == "manual" and e["entry"] not in shown
    }
    return kept | reasons


async def round_entrants(round_id: int) -> list[dict[str, Any]]:
    """The round's entrants by entry number: how chosen, reason, anchor flags, business."""
    return (
        await RoundEntry.select(
            RoundEntry.entry,
            RoundEntry.source,
            RoundEntry.reason,
            RoundEntry.anchor,
            RoundEntry.anchor_excluded,
            RoundEntry.entry.business_name.as_alias("business_name"),
        )
        .where(RoundEntry.round == round_id)
        .order_by(RoundEntry.entry)
    )


async def set_manual_entrants(
    actor: CurrentUser,
    round_id: int,
    reasons: dict[int, str],
    shared_reason: str = "",
    shown: set[int] | None = None,
) -> list[int]:
    """Replace a draft round's entrants by the entries of ``reasons`` (entry id -> reason; an
    empty reason takes ``shared_reason``). Every entry must be submitted and eligible in the
    round's category and every entry needs a reason. Anchors are cleared. With ``shown`` (the
    entries of the page the choice was made on), current manual entrants outside that page
    that are still eligible are kept (:func:`keep_other_pages`)."""
    row = await managed_round(actor, round_id)
    if row["status"] != RoundStatus.draft.value:
        raise ScoringRefusedError(_("Entrants can change only while the round is a draft."))
    eligible = {e["id"] for e in await eligible_entries(row["category"])}
    if shown is not None:
        current = [e for e in await round_entrants(round_id) if e["entry"] in eligible]
        reasons = keep_other_pages(current, shown, reasons)
    chosen = {entry: (reason.strip() or shared_reason.strip()) for entry, reason in reasons.items()}
    if not chosen:
        raise ValidationError({"entries": _("Choose at least one entry.")})
    if set(chosen) - eligible:
        raise ValidationError(
            {"entries": _("Choose submitted, eligible entries of this category.")}
        )
    missing = sorted(entry for entry, reason in chosen.items() if not reason)
    if missing:
        raise ValidationError(
            {
                "reason": _("Give a reason for entries %(list)s.")
                % {"list": ", ".join(f"#{e}" for e in missing)}
            }
        )
    async with db.write_transaction():
        await RoundEntry.delete().where(RoundEntry.round == round_id)
        rows = [
            RoundEntry(round=round_id, entry=entry, source="manual", reason=reason[:1000])
            for entry, reason in sorted(chosen.items())
        ]
        for chunk in chunks(rows):
            await RoundEntry.insert(*chunk)
    return sorted(chosen)


async def set_anchors(
    actor: CurrentUser, round_id: int, anchors: list[int], excluded: bool
) -> list[int]:
    """Mark ``anchors`` (entrants of the draft round) as anchor entries, every other entrant
    not; ``excluded`` keeps the anchors out of awards. Returns the anchors."""
    async with db.write_transaction():
        row = await managed_round(actor, round_id)
        if row["status"] != RoundStatus.draft.value:
            raise ScoringRefusedError(_("Anchors can change only while the round is a draft."))
        entrants = {
            r["entry"]
            for r in await RoundEntry.select(RoundEntry.entry).where(RoundEntry.round == round_id)
        }
        chosen = sorted(set(anchors))
        if set(chosen) - entrants:
            raise ValidationError({"anchors": _("Anchor entries must be among the entrants.")})
        await RoundEntry.update(
            {RoundEntry.anchor: False, RoundEntry.anchor_excluded: False}
        ).where(RoundEntry.round == round_id)
        if chosen:
            await RoundEntry.update(
                {RoundEntry.anchor: True, RoundEntry.anchor_excluded: excluded}
            ).where((RoundEntry.round == round_id) & RoundEntry.entry.is_in(chosen))
    return chosen


async def new_round_view(actor: CurrentUser, edition_id: int) -> dict[str, Any]:
    """The edition, its categories and its rounds (candidates for ``previous``)."""
    require_manager(actor, edition_id)
    categories = (
        await Category.select(Category.id, Category.name_id)
        .where(Category.edition == edition_id)
        .order_by(Category.id)
    )
    earlier = (
        await ScoringRound.select(
            ScoringRound.id, ScoringRound.name, ScoringRound.kind, ScoringRound.category
        )
        .where(ScoringRound.edition == edition_id)
        .order_by(ScoringRound.id)
    )
    names = {c["id"]: c["name_id"] for c in categories}
    for r in earlier:
        r["category_name"] = names.get(r["category"], "")
    return {
        "edition": await edition_of(edition_id),
        "categories": categories,
        "earlier": earlier,
    }


async def setup_view(
    actor: CurrentUser, round_id: int, query: str = "", page: int = 1
) -> dict[str, Any]:
    """Everything the round set-up page shows: the round, its edition (``id``, ``time_zone``)
    and category (``id``, ``name_id``), earlier rounds of the category, its entrants and one
    page of the category's eligible entries matching ``query`` (:func:`eligible_page`).

    Four statements (five with a ``query``): the category's rounds with the category's name and
    the edition's time zone (a category has at most one round of each kind), the entrants, and
    the eligible page's counts and rows."""
    rounds = (
        await ScoringRound.select(
            ScoringRound.all_columns(),
            ScoringRound.category.name_id.as_alias("category_name"),
            ScoringRound.edition.time_zone.as_alias("edition_time_zone"),
        )
        .where(
            ScoringRound.category.is_in(
                ScoringRound.select(ScoringRound.category).where(ScoringRound.id == round_id)
            )
        )
        .order_by(ScoringRound.id)
        .output(load_json=True)
    )
    row = next((r for r in rounds if r["id"] == round_id), None)
    if row is None or not can_manage(actor, row["edition"]):
        raise NotFoundError(f"round {round_id}")
    category = {"id": row["category"], "name_id": row.pop("category_name")}
    edition = {"id": row["edition"], "time_zone": row.pop("edition_time_zone")}
    earlier = [
        {"id": r["id"], "name": r["name"], "kind": r["kind"]} for r in rounds if r["id"] != round_id
    ]
    entrants = await round_entrants(round_id)
    return {
        "round": row,
        "edition": edition,
        "category": category,
        "earlier": earlier,
        "entrants": entrants,
        "manual": {e["entry"]: e["reason"] for e in entrants if e["source"] == "manual"},
        "eligible": await eligible_page(row["category"], query, page),
    }
