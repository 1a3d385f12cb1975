"""Pure rules of the results publisher: canonical JSON and hashes, places and tiers, diffs.

No database and no web here; :mod:`awards.results.snapshots` feeds these functions with the
engine's output (:func:`judging.analyze_rows`) and stores what they return.

**Canonical JSON**: ``json.dumps(value, sort_keys=True, separators=(",", ":"),
ensure_ascii=False)`` encoded as UTF-8; the content hash is its SHA-256 hex digest.

**Inputs hash**: every submitted criterion value as the line
``entry<TAB>judge<TAB>criterion<TAB>score<TAB>confidence``, lines sorted by (entry, judge,
criterion) as integers/strings, scores written as decimal strings (``7``, ``7.5``; never float
bits), joined with ``\\n``; SHA-256 of the UTF-8 text. Database row order cannot change it.

**Places** (:func:`place_entries`), in the engine's order (rank 1 first):

1. *Blocks*: consecutive entries whose scores are equal at :data:`DISPLAY_DECIMALS` decimals
   (an exact tie), or that share the engine's statistically tied group
   (``EntryResult.tied_ranks`` with more than one member), form one block.
2. *Panel decisions* (``order``: position + reason) reorder the decided entries of a block
   among the slots they occupy (lower position first): ``decided_by = "panel"`` and
   ``override_reason`` = the reason.
3. *Exact ties without decisions*, by the category's tie policy:
   ``cascade`` — higher mean score on the declared criteria in order; the first criterion that
   separates an entry from the next one is recorded as ``criteria:<key>``, and ``entry_id``
   when none does (the engine's last key); ``shared`` — same place; ``jury`` — the tie is
   reported as *undecided* (freezing is refused while an undecided tie touches an award place).
4. Places are 1, 2, 3, ... in that order; shared entries take the first place of their group
   (1, 2, 2, 4).
5. *Tiers*: the ranked and harapan tiers, in their ``position`` order, expand to
   ``max_recipients`` slots each (Juara 1, Juara 2, Juara 3, Harapan 1, ...). Entries take
   slots in place order; a shared group all take the current slot and use up as many slots as
   members. No ranked tier goes to an entry scoring below the minimum standard.
6. *Special awards* (``special`` decisions) are added with their citation.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

__all__ = [
    "DISPLAY_DECIMALS",
    "STORED_DECIMALS",
    "EngineEntry",
    "PlacementResult",
    "Rule",
    "TierSlot",
    "canonical_json",
    "content_hash",
    "criteria_means",
    "decimal_text",
    "diff_placements",
    "inputs_hash",
    "place_entries",
    "tier_slots",
]

DISPLAY_DECIMALS = 2
"""Scores are shown with this many decimals; equal at this precision = an exact tie."""

STORED_DECIMALS = 4
"""Scores, standard errors and probabilities are stored (and verified) at this precision."""


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, UTF-8 text (see the module docstring)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(text: str) -> str:
    """SHA-256 hex digest of ``text`` encoded as UTF-8."""
    return hashlib.sha256(text.encode()).hexdigest()


def decimal_text(value: Any) -> str:
    """A score as a decimal string: ``7`` for 7 and 7.0, ``7.5`` for 7.5."""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return str(number.to_integral_value())
    return format(number.normalize(), "f")


def _sort_key(value: str) -> tuple[int, int | str]:
    return (0, int(value)) if value.isdigit() else (1, value)


def inputs_hash(lines: Iterable[Sequence[Any]]) -> str:
    """SHA-256 of the sorted input lines ``(entry, judge, criterion, score, confidence)``."""
    rows = sorted(
        (str(e), str(j), str(c), decimal_text(s), str(conf)) for e, j, c, s, conf in lines
    )
    rows.sort(key=lambda r: (_sort_key(r[0]), _sort_key(r[1]), r[2]))
    return content_hash("\n".join("\t".join(row) for row in rows))


def criteria_means(lines: Iterable[Sequence[Any]]) -> dict[str, dict[str, float]]:
    """entry -> criterion -> mean score over the judges who scored it (for the tie cascade)."""
    sums: dict[str, dict[str, list[float]]] = {}
    for entry, _judge, criterion, score, *_rest in lines:
        cell = sums.setdefault(str(entry), {}).setdefault(str(criterion), [0.0, 0.0])
        cell[0] += float(score)
        cell[1] += 1.0
    return {
        entry: {key: total / n for key, (total, n) in per.items()} for entry, per in sums.items()
    }


@dataclass(frozen=True)
class EngineEntry:
    """What the places need of one :class:`judging.EntryResult` (``entry`` as str)."""

    entry: str
    rank: int
    score: float
    stderr: float | None
    raw_mean: float | None
    p_top: float | None
    tied_ranks: tuple[int, int]


@dataclass(frozen=True)
class TierSlot:
    code: str
    kind: str


@dataclass(frozen=True)
class Rule:
    """A category's tie policy, its ordered criteria and minimum standard."""

    policy: str = "cascade"
    criteria: tuple[str, ...] = ()
    min_score: float | None = None


@dataclass
class PlacementResult:
    entry: str
    engine_rank: int
    place: int
    score: float
    se: float | None
    raw_mean: float | None
    p_top3: float | None
    tied_group: int
    tied_to: int
    decided_by: str = "engine"
    tier: str = ""
    special: str = ""
    citation: str = ""
    override_reason: str = ""
    shared: bool = field(default=False, repr=False)

    def stored(self) -> dict[str, Any]:
        """The placement as stored and hashed (no ``shared`` helper flag)."""
        return {
            "entry": int(self.entry) if self.entry.isdigit() else self.entry,
            "engine_rank": self.engine_rank,
            "place": self.place,
            "score": _round(self.score),
            "se": _round(self.se),
            "raw_mean": _round(self.raw_mean),
            "p_top3": _round(self.p_top3),
            "tied_group": self.tied_group,
            "tied_to": self.tied_to,
            "decided_by": self.decided_by,
            "tier": self.tier,
            "special": self.special,
            "citation": self.citation,
            "override_reason": self.override_reason,
        }


def _round(value: float | None) -> float | None:
    if value is None or value != value:  # None or NaN
        return None
    return round(float(value), STORED_DECIMALS)


def tier_slots(tiers: Iterable[Mapping[str, Any]]) -> list[TierSlot]:
    """The ranked and harapan tiers in ``position`` order, each repeated ``max_recipients``
    times."""
    ordered = sorted(
        (t for t in tiers if t["kind"] in ("ranked", "harapan")),
        key=lambda t: (t["position"], t["code"]),
    )
    return [TierSlot(t["code"], t["kind"]) for t in ordered for _ in range(t["max_recipients"])]


def _blocks(entries: Sequence[EngineEntry]) -> list[list[int]]:
    """Index blocks of consecutive exact ties or shared statistical tie groups."""
    blocks: list[list[int]] = []
    for i, entry in enumerate(entries):
        if blocks:
            prev = entries[blocks[-1][-1]]
            same_score = round(prev.score, DISPLAY_DECIMALS) == round(entry.score, DISPLAY_DECIMALS)
            same_group = (
                prev.tied_ranks == entry.tied_ranks and entry.tied_ranks[0] < (entry.tied_ranks[1])
            )
            if same_score or same_group:
                blocks[-1].append(i)
                continue
        blocks.append([i])
    return blocks


def _exact_groups(block: list[PlacementResult]) -> list[list[PlacementResult]]:
    groups: list[list[PlacementResult]] = []
    for p in block:
        if groups and round(groups[-1][-1].score, DISPLAY_DECIMALS) == round(
            p.score, DISPLAY_DECIMALS
        ):
            groups[-1].append(p)
        else:
            groups.append([p])
    return groups


def _cascade(
    group: list[PlacementResult], criteria: Sequence[str], means: Mapping[str, Mapping[str, float]]
) -> list[PlacementResult]:
    """Order an exact tie by the declared criteria (higher mean first), stable otherwise."""

    def key(p: PlacementResult) -> tuple[float, ...]:
        return tuple(-round(means.get(p.entry, {}).get(c, 0.0), 9) for c in criteria)

    ordered = sorted(group, key=key)
    for i, p in enumerate(ordered):
        other = ordered[i + 1] if i + 1 < len(ordered) else ordered[i - 1]
        p.decided_by = "entry_id"
        for c in criteria:
            mine = round(means.get(p.entry, {}).get(c, 0.0), 9)
            theirs = round(means.get(other.entry, {}).get(c, 0.0), 9)
            if mine != theirs:
                p.decided_by = f"criteria:{c}"
                break
    return ordered


def place_entries(
    entries: Sequence[EngineEntry],
    rule: Rule,
    tiers: Iterable[Mapping[str, Any]],
    *,
    orders: Mapping[str, tuple[int, str]] | None = None,
    specials: Mapping[str, tuple[str, str]] | None = None,
    means: Mapping[str, Mapping[str, float]] | None = None,
) -> tuple[list[PlacementResult], list[list[str]]]:
    """Places, tiers and special awards (module docstring) and the undecided exact ties
    (lists of entry ids; only under the ``jury`` policy).

    ``entries`` in the engine's order; ``orders``: entry -> (position, reason) panel decisions;
    ``specials``: entry -> (tier code, citation); ``means``: :func:`criteria_means`."""
    orders = orders or {}
    specials = specials or {}
    means = means or {}
    results = [
        PlacementResult(
            e.entry,
            e.rank,
            0,
            e.score,
            e.stderr,
            e.raw_mean,
            e.p_top,
            e.tied_ranks[0] or e.rank,
            e.tied_ranks[1] or e.rank,
        )
        for e in entries
    ]
    ordered: list[PlacementResult] = []
    undecided: list[list[str]] = []
    for block_idx in _blocks(entries):
        block = [results[i] for i in block_idx]
        decided = [p for p in block if p.entry in orders]
        if len(decided) > 1:
            slots = [i for i, p in enumerate(block) if p.entry in orders]
            for slot, p in zip(
                slots, sorted(decided, key=lambda p: orders[p.entry][0]), strict=True
            ):
                block[slot] = p
        for p in decided:
            p.decided_by = "panel"
            p.override_reason = orders[p.entry][1]
        for group in _exact_groups(block):
            if len(group) < 2 or any(p.entry in orders for p in group):
                ordered.extend(group)
            elif rule.policy == "shared":
                for p in group:
                    p.decided_by, p.shared = "shared", True
                ordered.extend(group)
            elif rule.policy == "jury":
                undecided.append([p.entry for p in group])
                ordered.extend(group)
            else:
                ordered.extend(_cascade(group, rule.criteria, means))
    slots = tier_slots(tiers)
    slot = 0
    i = 0
    while i < len(ordered):
        group = [ordered[i]]
        if ordered[i].shared:
            while (
                i + len(group) < len(ordered)
                and ordered[i + len(group)].shared
                and round(ordered[i + len(group)].score, DISPLAY_DECIMALS)
                == round(ordered[i].score, DISPLAY_DECIMALS)
            ):
                group.append(ordered[i + len(group)])
        for p in group:
            p.place = i + 1
            qualifies = rule.min_score is None or p.score >= rule.min_score
            if slot < len(slots) and qualifies:
                p.tier = slots[slot].code
        slot += len(group)
        i += len(group)
    for p in ordered:
        if p.entry in specials:
            p.special, p.citation = specials[p.entry]
    return ordered, undecided


def diff_placements(
    before: Iterable[Mapping[str, Any]], after: Iterable[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Entries whose place, tier, special award or score changed between two versions:
    ``[{entry, before: {place, tier, special, score} | None, after: {...} | None}]``."""
    keys = ("place", "tier", "special", "score")
    old = {p["entry"]: {k: p.get(k) for k in keys} for p in before}
    new = {p["entry"]: {k: p.get(k) for k in keys} for p in after}
    out = []
    for entry in sorted(set(old) | set(new), key=lambda e: (str(type(e)), e)):
        if old.get(entry) != new.get(entry):
            out.append({"entry": entry, "before": old.get(entry), "after": new.get(entry)})
    return out
