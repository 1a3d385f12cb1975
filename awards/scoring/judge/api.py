"""The judge's JSON API under ``/api/v1/judge``, with the same services and guards as the pages.

The queue, one entry (blind mode applied), the judge's sheet (GET, and PUT with the ``version``
it was based on and an optional ``Idempotency-Key`` header), the conflict declaration and
abstention. The organizers' side is :mod:`awards.scoring.rounds.api`.

Answers: 404 for anything the caller may not see (never 403, so ids reveal nothing); 409
``{"detail", "current"?}`` for a stale version (``current`` is the stored sheet) or a round
that does not accept scores; 422 ``{"detail", "errors": {field: message}}`` for bad input.
Unsafe methods need the ``x-csrftoken`` header (session-cookie authentication).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Controller, Request, get, post, put
from litestar.params import FromPath, JSONBody
from msgspec import Struct, field

from awards.i18n import current_language
from awards.scoring.judge import queries, sheets
from awards.scoring.judge.pages import JUDGE_GUARD
from awards.scoring.judge.sheets import SheetInput
from awards.scoring.panel import conflicts
from awards.scoring.web import SCORING_EXCEPTION_HANDLERS
from awards.web.auth import authenticated_user

__all__ = ["JudgeApi"]

Req = Request[Any, Any, Any]


class SheetOut(Struct):
    """A judge's score sheet; ``version`` 0 means nothing saved yet."""

    id: int
    round: int
    entry: int
    status: str
    version: int
    scores: dict[str, int]
    comments: dict[str, str]
    confidence: str
    comment_to_entrant: str
    private_note: str
    total: float | None
    submitted_at: str | None
    updated_at: str | None


class SheetIn(Struct):
    """A save: ``version`` is the version the client read (0 for a new sheet); ``submit``
    submits (all criteria required)."""

    version: int
    scores: dict[str, Any] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    confidence: str = "medium"
    comment_to_entrant: str = ""
    private_note: str = ""
    submit: bool = False


class DeclarationIn(Struct):
    conflict: bool
    reason: str = ""


class ReasonIn(Struct):
    reason: str


class QueueItemOut(Struct):
    entry: int
    label: str
    status: str


class QueueRoundOut(Struct):
    id: int
    name: str
    kind: str
    category: str
    closes_at: datetime
    accepting: bool
    blind: bool
    submitted: int
    to_score: int
    items: list[QueueItemOut]


def _sheet_out(view: sheets.SheetView) -> SheetOut:
    return SheetOut(**view.as_dict())


class JudgeApi(Controller):
    """``/api/v1/judge``: a judge's queue, entries and score sheets."""

    path = "/api/v1/judge"
    guards = [JUDGE_GUARD]  # noqa: RUF012
    tags = ["scoring: judge"]  # noqa: RUF012
    exception_handlers = SCORING_EXCEPTION_HANDLERS

    @get("/queue", name="api_judge_queue")
    async def queue(self, request: Req) -> list[QueueRoundOut]:
        """The judge's rounds with their assigned entries and statuses."""
        rounds = await queries.judge_queue(authenticated_user(request))
        return [
            QueueRoundOut(
                id=r.id,
                name=r.name,
                kind=r.kind,
                category=r.category,
                closes_at=r.closes_at,
                accepting=r.accepting,
                blind=r.blind,
                submitted=r.submitted,
                to_score=r.to_score,
                items=[QueueItemOut(i.entry_id, i.label, i.status) for i in r.items],
            )
            for r in rounds
        ]

    @get("/rounds/{round_id:int}/entries/{entry_id:int}", name="api_judge_entry")
    async def entry(
        self, request: Req, round_id: FromPath[int], entry_id: FromPath[int]
    ) -> dict[str, Any]:
        """The entry as this judge may see it (blind mode applied; before the conflict
        declaration only the business's name and owner)."""
        view = await queries.judge_entry(
            authenticated_user(request), round_id, entry_id, current_language()
        )
        return {
            "entry": view.entry_id,
            "round": round_id,
            "declared": view.declared,
            "title": view.title,
            "business": view.business,
            "answers": [
                {"key": a.key, "label": a.label, "type": a.type, "text": a.text}
                for a in view.answers
            ],
            "attachments": view.attachments,
            "rubric": view.round["rubric"] if view.declared else None,
            "closes_at": view.round["closes_at"].isoformat(),
            "sheet": view.sheet.as_dict(),
        }

    @get("/rounds/{round_id:int}/entries/{entry_id:int}/sheet", name="api_judge_sheet")
    async def sheet(
        self, request: Req, round_id: FromPath[int], entry_id: FromPath[int]
    ) -> SheetOut:
        """The judge's own sheet for the entry."""
        return _sheet_out(await sheets.read_sheet(authenticated_user(request), round_id, entry_id))

    @put("/rounds/{round_id:int}/entries/{entry_id:int}/sheet", name="api_judge_sheet_put")
    async def put_sheet(
        self,
        request: Req,
        round_id: FromPath[int],
        entry_id: FromPath[int],
        data: JSONBody[SheetIn],
    ) -> SheetOut:
        """Save (or with ``submit`` submit) the sheet based on ``version``; a repeated
        ``Idempotency-Key`` returns the stored result without writing."""
        view = await sheets.save_sheet(
            authenticated_user(request),
            round_id,
            entry_id,
            SheetInput(
                scores=data.scores,
                comments=data.comments,
                confidence=data.confidence,
                comment_to_entrant=data.comment_to_entrant,
                private_note=data.private_note,
            ),
            version=data.version,
            submit=data.submit,
            key=request.headers.get("idempotency-key") or None,
        )
        return _sheet_out(view)

    @post(
        "/rounds/{round_id:int}/entries/{entry_id:int}/declaration",
        name="api_judge_declare",
        status_code=200,
    )
    async def declare(
        self,
        request: Req,
        round_id: FromPath[int],
        entry_id: FromPath[int],
        data: JSONBody[DeclarationIn],
    ) -> dict[str, Any]:
        """Answer the conflict question: no conflict, or a conflict with a reason."""
        await conflicts.declare(
            authenticated_user(request),
            round_id,
            entry_id,
            data.conflict,
            data.reason,
            request.app.state.scoring_mailer,
        )
        return {"declared": "conflict" if data.conflict else "clear"}

    @post(
        "/rounds/{round_id:int}/entries/{entry_id:int}/abstention",
        name="api_judge_abstain",
        status_code=200,
    )
    async def abstain(
        self,
        request: Req,
        round_id: FromPath[int],
        entry_id: FromPath[int],
        data: JSONBody[ReasonIn],
    ) -> dict[str, Any]:
        """Abstain from the entry (recorded, never counted); it goes to another judge."""
        await conflicts.abstain(
            authenticated_user(request),
            round_id,
            entry_id,
            data.reason,
            request.app.state.scoring_mailer,
        )
        return {"abstained": True}
