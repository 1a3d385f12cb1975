"""What a judge sees: the queue of assigned entries and one entry to score.

The one read path for judges. It applies the assignment (active, not withdrawn), conflicts
(none with the business), the declaration (until the judge answers, only the business's name
and owner are shown, to answer the conflict question) and blind mode (the round's identity
fields are left out of the business and the answers, the logo is not shown, and attachments
are named "Attachment 1", "Attachment 2", ...). A judge never sees another judge's sheet.

Query counts do not grow with the number of entries: the queue is five queries (assignments,
rounds, the judge's sheets, conflicts, entries under review), an entry view a fixed handful.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from awards.accounts.identity import CurrentUser
from awards.i18n import _
from awards.intake.fields import FileField, MultipleChoiceField, SingleChoiceField
from awards.intake.formspec import FormSpec
from awards.intake.tables import Attachment, Business, Category, Edition, Entry
from awards.scoring.common import NotFoundError
from awards.scoring.rules import blind_view
from awards.scoring.sheets import SheetView, judge_access, sheet_view
from awards.scoring.tables import (
    Assignment,
    AssignmentStatus,
    Conflict,
    Declaration,
    ModerationAction,
    RoundStatus,
    ScoreSheet,
    ScoringRound,
)

__all__ = [
    "JudgeEntry",
    "QueueItem",
    "QueueRound",
    "judge_attachment",
    "judge_entry",
    "judge_queue",
]

BUSINESS_FIELDS = ("name", "owner_name", "nib", "phone", "email", "address", "district", "sector")
_BLIND_NAMES = {"business_name": "name"}


@dataclass
class QueueItem:
    """One assigned entry; ``status``: not_started / draft / submitted / conflict_declared /
    abstained. ``review``: the entry has an open moderation case whose panel (this judge
    among them) the organizers asked to review."""

    entry_id: int
    label: str
    status: str
    updated_at: datetime | None = None
    review: bool = False


@dataclass
class QueueRound:
    """One of the judge's rounds with its entries and progress."""

    id: int
    name: str
    kind: str
    category: str
    status: str
    opens_at: datetime
    closes_at: datetime
    time_zone: str
    blind: bool
    accepting: bool
    items: list[QueueItem] = field(default_factory=list)

    @property
    def submitted(self) -> int:
        return sum(1 for item in self.items if item.status == "submitted")

    @property
    def to_score(self) -> int:
        return sum(1 for item in self.items if item.status in ("not_started", "draft", "submitted"))

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.to_score) if self.to_score else 100

    @property
    def resume(self) -> QueueItem | None:
        """Continue where the judge left off: the latest draft, else the first not started."""
        drafts = [item for item in self.items if item.status == "draft"]
        if drafts:
            return max(drafts, key=lambda item: item.updated_at or datetime.min)
        return next((item for item in self.items if item.status == "not_started"), None)


def _label(entry: Mapping[str, Any], blind: bool) -> str:
    if blind:
        return _("Entry #%(id)s") % {"id": entry["entry"]}
    return entry["entry.business_name"] or _("Entry #%(id)s") % {"id": entry["entry"]}


async def judge_queue(judge: CurrentUser, now: datetime | None = None) -> list[QueueRound]:
    """The judge's open and closed rounds (newest close first) with their assigned entries."""
    from awards.scoring.common import now_utc
    from awards.scoring.rules import accepts_scores

    now = now or now_utc()
    rows = (
        await Assignment.select(
            Assignment.round,
            Assignment.entry,
            Assignment.status,
            Assignment.declaration,
            Assignment.entry.business_name,
            Assignment.entry.business,
        )
        .where(Assignment.judge == judge.id)
        .order_by(Assignment.entry)
    )
    if not rows:
        return []
    round_ids = sorted({row["round"] for row in rows})
    rounds = (
        await ScoringRound.select(
            ScoringRound.id,
            ScoringRound.name,
            ScoringRound.kind,
            ScoringRound.status,
            ScoringRound.opens_at,
            ScoringRound.closes_at,
            ScoringRound.blind,
            ScoringRound.edition,
            ScoringRound.category.name_id.as_alias("category_id_name"),
            ScoringRound.category.name_en.as_alias("category_en_name"),
            ScoringRound.edition.time_zone.as_alias("time_zone"),
        )
        .where(ScoringRound.id.is_in(round_ids) & (ScoringRound.status != RoundStatus.draft.value))
        .order_by(ScoringRound.closes_at, ascending=False)
    )
    sheets = await ScoreSheet.select(
        ScoreSheet.round, ScoreSheet.entry, ScoreSheet.status, ScoreSheet.updated_at
    ).where((ScoreSheet.judge == judge.id) & ScoreSheet.round.is_in(round_ids))
    conflicts = {
        (row["edition"], row["business"])
        for row in await Conflict.select(Conflict.edition, Conflict.business).where(
            Conflict.judge == judge.id
        )
    }
    case = ModerationAction.moderation_case
    under_review = {
        (row["round"], row["entry"])
        for row in await ModerationAction.select(
            case.round.as_alias("round"), case.entry.as_alias("entry")
        ).where(
            case.round.is_in(round_ids)
            & (case.status == "open")
            & (ModerationAction.action == "review")
        )
    }
    sheet_of = {(s["round"], s["entry"]): s for s in sheets}
    from awards.i18n import current_language

    english = current_language().startswith("en")
    out: dict[int, QueueRound] = {
        r["id"]: QueueRound(
            id=r["id"],
            name=r["name"],
            kind=r["kind"],
            category=(r["category_en_name"] if english else "") or r["category_id_name"],
            status=r["status"],
            opens_at=r["opens_at"],
            closes_at=r["closes_at"],
            time_zone=r["time_zone"],
            blind=r["blind"],
            accepting=accepts_scores(r["status"], r["opens_at"], r["closes_at"], now),
        )
        for r in rounds
    }
    edition_of = {r["id"]: r["edition"] for r in rounds}
    for row in rows:
        queue = out.get(row["round"])
        if queue is None:
            continue
        sheet = sheet_of.get((row["round"], row["entry"]))
        if row["declaration"] == Declaration.conflict.value:
            status = "conflict_declared"
        elif sheet is not None and sheet["status"] in ("abstained", "recused"):
            status = sheet["status"]
        elif row["status"] != AssignmentStatus.active.value or (
            (edition_of[row["round"]], row["entry.business"]) in conflicts
        ):
            continue
        elif sheet is None:
            status = "not_started"
        else:
            status = sheet["status"]
        queue.items.append(
            QueueItem(
                row["entry"],
                _label(row, queue.blind),
                status,
                sheet["updated_at"] if sheet else None,
                review=status in ("not_started", "draft", "submitted")
                and (row["round"], row["entry"]) in under_review,
            )
        )
    return list(out.values())


@dataclass
class AnswerItem:
    key: str
    label: str
    type: str
    text: str
    files: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class JudgeEntry:
    """An entry as its judge may see it; ``declared`` False: only ``business`` name and owner
    are filled, to answer the conflict question."""

    round: dict[str, Any]
    entry_id: int
    declared: bool
    title: str
    business: dict[str, Any]
    answers: list[AnswerItem]
    attachments: list[dict[str, Any]]
    sheet: SheetView
    time_zone: str
    next_entry: int | None = None


def _attachment_name(index: int, content_type: str) -> str:
    extension = mimetypes.guess_extension(content_type) or ""
    return _("Attachment %(n)s") % {"n": index} + extension


def _answer(
    spec: Any, answers: Mapping[str, Any], files: list[dict[str, Any]], language: str
) -> AnswerItem:
    label = spec.label.get(language)
    value = answers.get(spec.key)
    if isinstance(spec, FileField):
        return AnswerItem(
            spec.key, label, spec.type, "", [a for a in files if a["field_key"] == spec.key]
        )
    if value is None or value == "" or value == []:
        return AnswerItem(spec.key, label, spec.type, "")
    if isinstance(spec, SingleChoiceField | MultipleChoiceField):
        names = {o.key: o.label.get(language) for o in spec.options}
        chosen = value if isinstance(value, list) else [value]
        return AnswerItem(spec.key, label, spec.type, ", ".join(names.get(k, k) for k in chosen))
    return AnswerItem(spec.key, label, spec.type, str(value))


async def judge_entry(
    judge: CurrentUser, round_id: int, entry_id: int, language: str = "id"
) -> JudgeEntry:
    """The entry for its judge (see the module docstring); :class:`NotFoundError` otherwise."""
    round_row, assignment = await judge_access(judge.id, round_id, entry_id)
    if round_row["status"] == RoundStatus.draft.value:
        raise NotFoundError(f"entry {entry_id}")
    entry = await Entry.select().where(Entry.id == entry_id).output(load_json=True).first()
    business = await Business.select().where(Business.id == entry["business"]).first()
    edition = (
        await Edition.select(Edition.time_zone).where(Edition.id == round_row["edition"]).first()
    )
    declared = assignment["declaration"] == Declaration.clear.value
    blind = bool(round_row["blind"])
    hidden = list(round_row["blind_fields"] or []) if blind else []
    sheet_row = (
        await ScoreSheet.select()
        .where(
            (ScoreSheet.round == round_id)
            & (ScoreSheet.entry == entry_id)
            & (ScoreSheet.judge == judge.id)
        )
        .output(load_json=True)
        .first()
    )
    sheet = sheet_view(sheet_row, round_id, entry_id)
    if not declared:
        who = {"name": business["name"], "owner_name": business["owner_name"]}
        return JudgeEntry(
            round_row, entry_id, False, who["name"], who, [], [], sheet, edition["time_zone"]
        )
    shown = {k: business[k] for k in BUSINESS_FIELDS}
    shown["logo"] = business["logo_key"]
    hidden_business = [_BLIND_NAMES.get(name, name) for name in hidden]
    shown, answers = blind_view(shown, entry["answers"] or {}, hidden_business)
    answers = blind_view({}, answers, hidden)[1]
    files = (
        await Attachment.select(
            Attachment.id,
            Attachment.field_key,
            Attachment.original_name,
            Attachment.content_type,
            Attachment.thumbnail_key,
            Attachment.size_bytes,
        )
        .where(Attachment.entry == entry_id)
        .order_by(Attachment.id)
    )
    for index, item in enumerate(files, start=1):
        if blind:
            item["original_name"] = _attachment_name(index, item["content_type"])
        item["url"] = f"/judge/rounds/{round_id}/entries/{entry_id}/attachments/{item['id']}"
        item["thumbnail_url"] = f"{item['url']}/thumbnail" if item["thumbnail_key"] else None
        item.pop("thumbnail_key")
    category = (
        await Category.select(Category.form)
        .where(Category.id == entry["category"])
        .output(load_json=True)
        .first()
    )
    form = FormSpec.from_dict(category["form"] or {})
    items = [
        _answer(spec, answers, files, language)
        for spec in form.ordered
        if not (blind and spec.key in hidden)
    ]
    title = (
        _("Entry #%(id)s") % {"id": entry_id}
        if blind and "business_name" in hidden
        else business["name"]
    )
    next_entry = await _next_entry(judge.id, round_id, entry_id)
    return JudgeEntry(
        round_row,
        entry_id,
        True,
        title,
        shown,
        items,
        files,
        sheet,
        edition["time_zone"],
        next_entry,
    )


async def _next_entry(judge_id: int, round_id: int, entry_id: int) -> int | None:
    """The next assigned entry after ``entry_id`` (wrapping) without a submitted sheet."""
    assigned = [
        row["entry"]
        for row in await Assignment.select(Assignment.entry)
        .where(
            (Assignment.round == round_id)
            & (Assignment.judge == judge_id)
            & (Assignment.status == AssignmentStatus.active.value)
        )
        .order_by(Assignment.entry)
    ]
    done = {
        row["entry"]
        for row in await ScoreSheet.select(ScoreSheet.entry).where(
            (ScoreSheet.round == round_id)
            & (ScoreSheet.judge == judge_id)
            & (ScoreSheet.status != "draft")
        )
    }
    later = [e for e in assigned if e > entry_id] + [e for e in assigned if e < entry_id]
    return next((e for e in later if e not in done), None)


async def judge_attachment(
    judge: CurrentUser, round_id: int, entry_id: int, attachment_id: int
) -> dict[str, Any]:
    """The attachment row if the judge may see the entry (declared clear); in a blind round its
    ``original_name`` is replaced by a neutral one. :class:`NotFoundError` otherwise."""
    round_row, assignment = await judge_access(judge.id, round_id, entry_id)
    if assignment["declaration"] != Declaration.clear.value or (
        round_row["status"] == RoundStatus.draft.value
    ):
        raise NotFoundError(f"attachment {attachment_id}")
    rows = await Attachment.select().where(Attachment.entry == entry_id).order_by(Attachment.id)
    for index, row in enumerate(rows, start=1):
        if row["id"] == attachment_id:
            if round_row["blind"]:
                row["original_name"] = _attachment_name(index, row["content_type"])
            return row
    raise NotFoundError(f"attachment {attachment_id}")
