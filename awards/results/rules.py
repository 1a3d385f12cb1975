"""Award tiers, category rules (tie policy, minimum standard) and the panel's decisions.

* Tiers belong to the edition; until an organizer changes them the defaults apply
  (:data:`DEFAULT_TIERS`: Juara 1–3, Harapan 1–3, one recipient each).
* A category's tie policy (:class:`~awards.results.tables.TiePolicy`), its ordered criteria,
  text and minimum standard are declared before scoring opens and locked once any round of
  the category has opened; whether the public page shows the full ranking may change until
  publication.
* Decisions: the panel's order within a tied group (with a reason) and special awards (with a
  citation); both are read by :func:`awards.results.snapshots.freeze` and copied into the
  snapshot's manifest.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from awards import db
from awards.accounts.identity import CurrentUser
from awards.errors import ValidationError
from awards.i18n import _
from awards.intake.editions.lifecycle import Action
from awards.intake.editions.status import ensure_edition_allows
from awards.intake.tables import Category, Entry
from awards.results.tables import (
    AwardTier,
    CategoryRule,
    Decision,
    DecisionKind,
    TiePolicy,
    TierKind,
)
from awards.scoring.common import NotFoundError, ScoringRefusedError, require_manager
from awards.scoring.rules import criteria_of
from awards.scoring.tables import RoundStatus, ScoringRound

__all__ = [
    "DEFAULT_TIERS",
    "MAX_TEXT",
    "category_rule",
    "clear_decision",
    "declare_rule",
    "edition_tiers",
    "editions_tiers",
    "panel_decisions",
    "record_order",
    "record_special",
    "rounds_lock_rule",
    "rule_locked",
    "save_tiers",
]

MAX_TEXT = 2000

DEFAULT_TIERS: tuple[dict[str, Any], ...] = tuple(
    {
        "code": f"{prefix}-{n}",
        "label_id": f"{label_id} {n}",
        "label_en": f"{label_en} {n}",
        "kind": kind,
        "position": offset + n,
        "max_recipients": 1,
    }
    for prefix, label_id, label_en, kind, offset in (
        ("juara", "Juara", "Winner", TierKind.ranked.value, 0),
        ("harapan", "Harapan", "Honourable mention", TierKind.harapan.value, 3),
    )
    for n in (1, 2, 3)
)


_TIER_FIELDS = ("code", "label_id", "label_en", "kind", "position", "max_recipients")


async def edition_tiers(edition_id: int) -> list[dict[str, Any]]:
    """The edition's tiers in ``position`` order (the defaults when none are configured)."""
    return (await editions_tiers([edition_id]))[edition_id]


async def editions_tiers(edition_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """edition id -> :func:`edition_tiers` for each of ``edition_ids``, in one statement."""
    rows = (
        await AwardTier.select(AwardTier.edition, *(getattr(AwardTier, f) for f in _TIER_FIELDS))
        .where(AwardTier.edition.is_in(sorted(set(edition_ids)) or [0]))
        .order_by(AwardTier.position)
        .order_by(AwardTier.code)
    )
    out: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault(row.pop("edition"), []).append(row)
    return {e: out.get(e) or [dict(t) for t in DEFAULT_TIERS] for e in edition_ids}


async def save_tiers(actor: CurrentUser, edition_id: int, tiers: list[dict[str, Any]]) -> None:
    """Replace the edition's tiers (one transaction). Each needs a code (letters, digits, -),
    an Indonesian label, a kind and 1..100 recipients; codes are unique."""
    require_manager(actor, edition_id)
    errors: dict[str, str] = {}
    seen: set[str] = set()
    for i, tier in enumerate(tiers):
        code = str(tier.get("code", "")).strip().lower()
        if not code or not all(ch.isalnum() or ch == "-" for ch in code) or len(code) > 20:
            errors[f"tiers.{i}.code"] = _("Use up to 20 letters, digits or hyphens.")
        elif code in seen:
            errors[f"tiers.{i}.code"] = _("This code is used twice.")
        seen.add(code)
        if not str(tier.get("label_id", "")).strip():
            errors[f"tiers.{i}.label_id"] = _("Give the Indonesian label.")
        if tier.get("kind") not in {k.value for k in TierKind}:
            errors[f"tiers.{i}.kind"] = _("Choose ranked, harapan or special.")
        if not 1 <= int(tier.get("max_recipients") or 0) <= 100:
            errors[f"tiers.{i}.max_recipients"] = _("Use a whole number from 1 to 100.")
    if errors:
        raise ValidationError(errors)
    async with db.write_transaction():
        await ensure_edition_allows(edition_id, Action.setup)
        await AwardTier.delete().where(AwardTier.edition == edition_id)
        if tiers:
            await AwardTier.insert(
                *(
                    AwardTier(
                        edition=edition_id,
                        code=str(t["code"]).strip().lower(),
                        label_id=str(t["label_id"]).strip(),
                        label_en=str(t.get("label_en", "")).strip(),
                        kind=t["kind"],
                        position=int(t.get("position", i)),
                        max_recipients=int(t["max_recipients"]),
                    )
                    for i, t in enumerate(tiers)
                )
            )


async def category_rule(category_id: int) -> dict[str, Any]:
    """The category's rule (defaults: cascade without criteria, no minimum, winners only)."""
    row = (
        await CategoryRule.select()
        .output(load_json=True)
        .where(CategoryRule.category == category_id)
        .first()
    )
    if row is None:
        return {
            "policy": TiePolicy.cascade.value,
            "criteria": [],
            "text": "",
            "min_score": None,
            "show_full_ranking": False,
            "declared_at": None,
        }
    return {
        "policy": row["policy"],
        "criteria": list(row["criteria"] or []),
        "text": row["text"],
        "min_score": row["min_score"],
        "show_full_ranking": row["show_full_ranking"],
        "declared_at": row["declared_at"].isoformat() if row["declared_at"] else None,
    }


async def rule_locked(category_id: int) -> bool:
    """True once any round of the category has opened (open or closed)."""
    return await ScoringRound.exists().where(
        (ScoringRound.category == category_id) & (ScoringRound.status != RoundStatus.draft.value)
    )


def rounds_lock_rule(rounds: list[dict[str, Any]]) -> bool:
    """:func:`rule_locked` from the category's round rows already read (each with ``status``)."""
    return any(row["status"] != RoundStatus.draft.value for row in rounds)


async def _managed_category(actor: CurrentUser, category_id: int) -> dict[str, Any]:
    row = await Category.select().output(load_json=True).where(Category.id == category_id).first()
    if row is None:
        raise NotFoundError(f"category {category_id}")
    require_manager(actor, row["edition"])
    return row


async def declare_rule(
    actor: CurrentUser,
    category_id: int,
    *,
    policy: str,
    criteria: list[str] | tuple[str, ...] = (),
    text: str = "",
    min_score: float | None = None,
    show_full_ranking: bool = False,
) -> None:
    """Declare (or, before scoring opens, change) the category's tie policy and standard.
    Once a round has opened only ``show_full_ranking`` may change."""
    category = await _managed_category(actor, category_id)
    keys = [c.key for c in criteria_of(category["rubric"] or {})]
    errors: dict[str, str] = {}
    if policy not in {p.value for p in TiePolicy}:
        errors["policy"] = _("Choose a tie rule.")
    unknown = [c for c in criteria if c not in keys]
    if unknown:
        errors["criteria"] = _("Not a criterion of the rubric: %(keys)s") % {
            "keys": ", ".join(unknown)
        }
    if len(text) > MAX_TEXT:
        errors["text"] = _("Use at most 2000 characters.")
    if min_score is not None and not 0 <= min_score <= 100:
        errors["min_score"] = _("Use a score from 0 to 100.")
    if errors:
        raise ValidationError(errors)
    now = datetime.now(UTC)
    async with db.write_transaction():
        await ensure_edition_allows(category["edition"], Action.setup)
        current = await category_rule(category_id)
        locked = await rule_locked(category_id)
        changes_rule = (
            current["policy"] != policy
            or current["criteria"] != list(criteria)
            or current["text"] != text.strip()
            or current["min_score"] != min_score
        )
        if locked and changes_rule:
            raise ScoringRefusedError(
                _("The tie rule and minimum standard are locked: scoring has opened.")
            )
        values = {
            CategoryRule.policy: policy,
            CategoryRule.criteria: list(criteria),
            CategoryRule.text: text.strip(),
            CategoryRule.min_score: min_score,
            CategoryRule.show_full_ranking: show_full_ranking,
            CategoryRule.updated_at: now,
        }
        if changes_rule or current["declared_at"] is None:
            values[CategoryRule.declared_at] = now
            values[CategoryRule.declared_by] = actor.id
        if await CategoryRule.exists().where(CategoryRule.category == category_id):
            await CategoryRule.update(values).where(CategoryRule.category == category_id)
        else:
            await CategoryRule.insert(
                CategoryRule(category=category_id, **{c._meta.name: v for c, v in values.items()})
            )


async def panel_decisions(
    category_id: int,
) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    """``orders`` entry -> [position, reason] and ``specials`` entry -> [tier, citation]
    (entry ids as strings, JSON-ready)."""
    rows = await Decision.select().where(Decision.category == category_id).order_by(Decision.id)
    orders = {str(r["entry"]): [r["position"], r["text"]] for r in rows if r["kind"] == "order"}
    specials = {str(r["entry"]): [r["tier"], r["text"]] for r in rows if r["kind"] == "special"}
    return orders, specials


async def _upsert_decision(
    actor: CurrentUser, category_id: int, entry_id: int, kind: str, **values: Any
) -> None:
    category = await _managed_category(actor, category_id)
    entry = await Entry.select(Entry.category).where(Entry.id == entry_id).first()
    if entry is None or entry["category"] != category_id:
        raise NotFoundError(f"entry {entry_id}")
    async with db.write_transaction():
        await ensure_edition_allows(category["edition"], Action.results)
        where = (
            (Decision.category == category_id)
            & (Decision.entry == entry_id)
            & (Decision.kind == kind)
        )
        now = datetime.now(UTC)
        if await Decision.exists().where(where):
            await Decision.update(
                {**{getattr(Decision, k): v for k, v in values.items()},
                 Decision.decided_by: actor.id, Decision.decided_at: now}
            ).where(where)  # fmt: skip
        else:
            await Decision.insert(
                Decision(
                    category=category_id,
                    entry=entry_id,
                    kind=kind,
                    decided_by=actor.id,
                    decided_at=now,
                    **values,
                )
            )


async def record_order(
    actor: CurrentUser, category_id: int, entry_id: int, position: int, reason: str
) -> None:
    """Record the panel's position for an entry within its tied group, with the reason."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason; it is kept with the results.")})
    if len(reason) > MAX_TEXT:
        raise ValidationError({"reason": _("Use at most 2000 characters.")})
    await _upsert_decision(
        actor, category_id, entry_id, DecisionKind.order.value, position=position, text=reason
    )


async def record_special(
    actor: CurrentUser, category_id: int, entry_id: int, tier: str, citation: str
) -> None:
    """Give an entry a special award of the edition with its written citation."""
    category = await _managed_category(actor, category_id)
    specials = {
        t["code"] for t in await edition_tiers(category["edition"]) if t["kind"] == "special"
    }
    errors: dict[str, str] = {}
    if tier not in specials:
        errors["tier"] = _("Choose a special award of this edition.")
    if not citation.strip():
        errors["citation"] = _("Write the citation; it is published with the award.")
    elif len(citation) > MAX_TEXT:
        errors["citation"] = _("Use at most 2000 characters.")
    if errors:
        raise ValidationError(errors)
    await _upsert_decision(
        actor, category_id, entry_id, DecisionKind.special.value, tier=tier, text=citation.strip()
    )


async def clear_decision(actor: CurrentUser, category_id: int, entry_id: int, kind: str) -> None:
    """Remove a recorded decision (before the next freeze)."""
    category = await _managed_category(actor, category_id)
    async with db.write_transaction():
        await ensure_edition_allows(category["edition"], Action.results)
        await Decision.delete().where(
            (Decision.category == category_id)
            & (Decision.entry == entry_id)
            & (Decision.kind == kind)
        )
