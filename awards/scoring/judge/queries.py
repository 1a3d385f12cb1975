"""What a judge sees: the queue of assigned entries and one entry to score.

The one read path for judges. It applies the assignment (active, not withdrawn), conflicts
(none with the business), the declaration (until the judge answers, only the business's name
and owner are shown, to answer the conflict question) and blind mode (the round's identity
fields are left out of the business and the answers, the logo is not shown, and attachments
are named "Attachment 1", "Attachment 2", ...). A judge never sees another judge's sheet.

Query counts do not grow with the number of entries: the queue is one statement (assignments
joined with their rounds, the judge's sheets, conflicts and entries under review), an entry
view two (everything but the attachments in one, the attachments). Both are plain SQL
(:mod:`awards.scoring.judge.sql`).
"""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from awards import db
from awards.accounts.identity import CurrentUser
from awards.i18n import _
from awards.intake.form.fields import FileField, MultipleChoiceField, SingleChoiceField
from awards.intake.form.formspec import stored_form
from awards.intake.tables import Attachment
from awards.scoring.common import NotFoundError
from awards.scoring.judge import sql as judge_sql
from awards.scoring.judge.sheets import SheetView, judge_access, sheet_view
from awards.scoring.rules import blind_view
from awards.scoring.tables import (
    AssignmentStatus,
    Declaration,
    RoundStatus,
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


def _label(row: Mapping[str, Any], blind: bool) -> str:
    if blind:
        return _("Entry #%(id)s") % {"id": row["entry"]}
    return row["business_name"] or _("Entry #%(id)s") % {"id": row["entry"]}


async def judge_queue(judge: CurrentUser, now: datetime | None = None) -> list[QueueRound]:
    """The judge's open and closed rounds (newest close first) with their assigned entries."""
    from awards.i18n import current_language
    from awards.scoring.common import now_utc
    from awards.scoring.rules import accepts_scores

    now = now or now_utc()
    # Hot path: plain SQL, one statement instead of Piccolo's five selects (assignments,
    # rounds, sheets, conflicts, entries under review), which took ~10 ms to build.
    rows = await db.fetch(judge_sql.QUEUE_SQL, judge.id)
    english = current_language().startswith("en")
    out: dict[int, QueueRound] = {}
    for row in rows:
        queue = out.get(row["round"])
        if queue is None:
            queue = out[row["round"]] = QueueRound(
                id=row["round"],
                name=row["round_name"],
                kind=row["kind"],
                category=(row["category_en_name"] if english else "") or row["category_id_name"],
                status=row["round_status"],
                opens_at=row["opens_at"],
                closes_at=row["closes_at"],
                time_zone=row["time_zone"],
                blind=row["blind"],
                accepting=accepts_scores(
                    row["round_status"], row["opens_at"], row["closes_at"], now
                ),
            )
        sheet_status = row["sheet_status"]
        if row["declaration"] == Declaration.conflict.value:
            status = "conflict_declared"
        elif sheet_status in ("abstained", "recused"):
            status = sheet_status
        elif row["status"] != AssignmentStatus.active.value or row["conflicted"]:
            continue
        elif sheet_status is None:
            status = "not_started"
        else:
            status = sheet_status
        queue.items.append(
            QueueItem(
                row["entry"],
                _label(row, queue.blind),
                status,
                row["sheet_updated_at"],
                review=status in ("not_started", "draft", "submitted") and bool(row["review_open"]),
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
    #: The organizers asked the entry's panel to review it in an open moderation case.
    review_open: bool = False


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
    # Hot path: plain SQL. One statement reads what Piccolo read in nine (access, entry,
    # business, edition, sheet, form, next entry; ~8 ms of query building), a second the
    # attachments once the judge has declared no conflict.
    rows = await db.fetch(judge_sql.ENTRY_SQL, round_id, entry_id, judge.id)
    if not rows:
        raise NotFoundError(f"entry {entry_id}")
    found = rows[0]
    round_row = judge_sql.round_of(found)
    if round_row["status"] == RoundStatus.draft.value:
        raise NotFoundError(f"entry {entry_id}")
    declared = found["a_declaration"] == Declaration.clear.value
    blind = bool(round_row["blind"])
    hidden = list(round_row["blind_fields"] or []) if blind else []
    sheet = sheet_view(judge_sql.sheet_of(found), round_id, entry_id)
    review = bool(found["review_open"])
    time_zone = round_row["time_zone"]
    if not declared:
        who = {"name": found["b_name"], "owner_name": found["b_owner_name"]}
        return JudgeEntry(
            round_row, entry_id, False, who["name"], who, [], [], sheet, time_zone, None, review
        )
    shown = {k: found[f"b_{k}"] for k in BUSINESS_FIELDS}
    shown["logo"] = found["b_logo_key"]
    hidden_business = [_BLIND_NAMES.get(name, name) for name in hidden]
    answers = judge_sql.loads(found["entry_answers"]) or {}
    shown, answers = blind_view(shown, answers, hidden_business)
    answers = blind_view({}, answers, hidden)[1]
    files = await db.fetch(judge_sql.ENTRY_ATTACHMENTS_SQL, entry_id)
    for index, item in enumerate(files, start=1):
        if blind:
            item["original_name"] = _attachment_name(index, item["content_type"])
        item["url"] = f"/judge/rounds/{round_id}/entries/{entry_id}/attachments/{item['id']}"
        item["thumbnail_url"] = f"{item['url']}/thumbnail" if item["thumbnail_key"] else None
        item.pop("thumbnail_key")
    form = stored_form(found["category_form"])
    items = [
        _answer(spec, answers, files, language)
        for spec in form.ordered
        if not (blind and spec.key in hidden)
    ]
    title = (
        _("Entry #%(id)s") % {"id": entry_id}
        if blind and "business_name" in hidden
        else found["b_name"]
    )
    return JudgeEntry(
        round_row,
        entry_id,
        True,
        title,
        shown,
        items,
        files,
        sheet,
        time_zone,
        found["next_entry"],
        review,
    )


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
