"""The world every route is tried on (``tests/awards/test_route_matrix.py``) and its growth
(``tests/awards/test_growth_matrix.py``).

:func:`route_world` builds it through the app where a user would (sign-up, business, entry,
photos, logo) and inserts the judging rows; :func:`route_url` fills a route's path parameters
from it; :func:`grow_route_world` adds ``size`` more of every kind of row the pages and API
lists show, keeping every id of the world, so the same URLs list more rows.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from awards.accounts.tables import AccountChange, RoleGrant, User
from awards.intake.form.rubric import DEMO_RUBRIC
from awards.intake.tables import (
    Attachment,
    BusinessInvitation,
    BusinessMember,
    Category,
    EditionStatusChange,
    Entry,
    EntryNote,
)
from awards.results.tables import AwardTier
from awards.scoring.common import REVIEW_ACTION
from awards.scoring.judge.sheet_data import rubric_total
from awards.scoring.tables import (
    Assignment,
    Conflict,
    JudgeInvitation,
    JudgeProfile,
    ModerationAction,
    ModerationCase,
    RoundEntry,
    ScoreSheet,
    ScoringRound,
    SheetRevision,
)
from tests.awards.helpers import PASSWORD, csrf_token
from tests.awards.intake.entrant_support import (
    NIBS,
    entrant_with_business,
    jpeg_bytes,
    save_entry,
    seed_edition,
    start_entry,
)
from tests.awards.querycount import grow_edition

__all__ = ["EMAILS", "grow_route_world", "route_url", "route_world"]

_PARAM = re.compile(r"\{(\w+):?[^}]*\}")


def route_world(app: Any, client: Any, make_user: Any, run: Any) -> dict[str, Any]:
    """Two editions; an entrant with a business, an entry, two photos and a staff member;
    another entrant with their own; a judge, an organizer of each edition and an admin."""
    ids = seed_edition(run)
    other = seed_edition(run, slug="batu-2026")
    run(Category.update({Category.rubric: DEMO_RUBRIC.to_dict()}).where(Category.id == ids["KUL"]))
    accounts = app.state.accounts
    make_user("judge@example.id", PASSWORD, "judge")
    make_user("unassigned-judge@example.id", PASSWORD, "judge")
    for email, edition_id, role in (
        ("judge@example.id", ids["edition"], "judge"),
        ("unassigned-judge@example.id", ids["edition"], "judge"),
        ("organizer@example.id", ids["edition"], "organizer"),
        ("other-organizer@example.id", other["edition"], "organizer"),
    ):
        user = run(accounts.find_by_email(email)) or make_user(email, PASSWORD, "entrant")
        run(accounts.grant_role(user.id, role, edition_id))
    make_user("admin@example.id", PASSWORD, "admin")
    other_business = entrant_with_business(
        client, make_user, "other@example.id", ids["edition"], nib=NIBS[1]
    )
    start_entry(client, other_business, ids["KUL"])
    client.cookies.clear()
    business = entrant_with_business(client, make_user, "entrant@example.id", ids["edition"])
    entry = start_entry(client, business, ids["KUL"])
    files = [("photos", (f"foto{i}.jpg", jpeg_bytes(), "image/jpeg")) for i in range(2)]
    assert save_entry(client, entry, {"product_name": "Keripik"}, files=files).status_code == 303
    photos = run(_attachments(entry))
    logo = client.post(
        f"/business/{business}/logo",
        data={"_csrf_token": csrf_token(client)},
        files={"logo": ("logo.jpg", jpeg_bytes(), "image/jpeg")},
        follow_redirects=False,
    )
    assert logo.status_code == 303
    staff = make_user("staff@example.id")
    run(BusinessMember.insert(BusinessMember(business=business, user=staff.id, role="staff")))
    entrant_id = run(User.select(User.id).where(User.email == "entrant@example.id").first())
    client.cookies.clear()
    judging = run(_judging(ids, entry, make_user))
    return {
        **judging,
        "business_id": business,
        "edition_id": ids["edition"],
        "category_id": ids["KUL"],
        "entry_id": entry,
        "attachment_id": photos[0],
        "spare_attachment": photos[1],
        "member_id": staff.id,
        "user_id": entrant_id["id"],
        "case_id": 1,  # no case exists: resolving one is 404 for those allowed to try
        "target": "judging",
        "fmt": "csv",
        "file_path": "style.css",
        "path": "redoc",
        "field_key": "product_name",
        "criterion_key": DEMO_RUBRIC.criteria[0].key,
    }


async def _judging(ids: dict[str, int], entry_id: int, make_user: Any) -> dict[str, int]:
    """An open round of the category holding the entry, assigned to the judge (not to the
    unassigned judge), with the judge's draft sheet."""
    judges = {
        row["email"]: row["id"]
        for row in await User.select(User.id, User.email).where(
            User.email.is_in(["judge@example.id", "unassigned-judge@example.id"])
        )
    }
    for judge in judges.values():
        await JudgeProfile.insert(JudgeProfile(edition=ids["edition"], user=judge))
    now = datetime.now(UTC)
    round_id = (
        await ScoringRound.insert(
            ScoringRound(
                edition=ids["edition"],
                category=ids["KUL"],
                name="Penjurian",
                status="open",
                opens_at=now - timedelta(hours=1),
                closes_at=now + timedelta(days=1),
                rubric=DEMO_RUBRIC.to_dict(),
                rubric_version=1,
            )
        )
    )[0]["id"]
    judge = judges["judge@example.id"]
    await Assignment.insert(
        Assignment(round=round_id, entry=entry_id, judge=judge, declaration="clear")
    )
    sheet = (
        await ScoreSheet.insert(
            ScoreSheet(round=round_id, entry=entry_id, judge=judge, rubric_version=1)
        )
    )[0]["id"]
    return {"round_id": round_id, "sheet_id": sheet, "judge_id": judge}


async def _attachments(entry_id: int) -> list[int]:
    rows = await Attachment.select(Attachment.id).where(Attachment.entry == entry_id)
    return sorted(row["id"] for row in rows)


def route_url(path: str, world: dict[str, Any], params: dict[str, str]) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "key":
            name = "criterion_key" if "/criteria/" in path else "field_key"
        return str(world[params.get(name, name)])

    return _PARAM.sub(fill, path)


EMAILS = {
    "entrant": "entrant@example.id",
    "other_entrant": "other@example.id",
    "judge": "judge@example.id",
    "unassigned_judge": "unassigned-judge@example.id",
    "organizer": "organizer@example.id",
    "other_organizer": "other-organizer@example.id",
    "admin": "admin@example.id",
}


def grow_route_world(run: Any, world: dict[str, Any], size: int) -> None:
    """Add ``size`` of every kind of row the world's pages and API lists show, keeping the
    world's ids: ``size`` copies of every business entered in the edition, with its members
    (the entrant manages the copies), declarations, entries and attachment rows
    (:func:`~tests.awards.querycount.grow_edition`); then, in the world's round, every entry
    not in it yet, assigned to the world's judge and to ``size`` new judges, each with a
    submitted sheet (their totals spread, so moderation opens cases); ``size`` more judges of
    the world's entry with submitted sheets, conflicted judges, judge invitations, revisions of
    the judge's sheet, notes, photos and member invitations of the world's entry and business,
    categories, award tiers, edition status changes and account changes."""
    grow_edition(run, world["edition_id"], copies=size)
    run(_grow_judging(world, size))


async def _grow_judging(world: dict[str, Any], size: int) -> None:
    tag = uuid.uuid4().hex[:8]
    edition, now = world["edition_id"], datetime.now(UTC)
    round_row = (
        await ScoringRound.select()
        .output(load_json=True)
        .where(ScoringRound.id == world["round_id"])
        .first()
    )
    organizer = await User.select(User.id).where(User.email == EMAILS["organizer"]).first()
    judges = [await _judge(edition, f"judge-{tag}-{i}@example.id") for i in range(size)]
    in_round = {
        row["entry"]
        for row in await RoundEntry.select(RoundEntry.entry).where(
            RoundEntry.round == world["round_id"]
        )
    }
    entries = await Entry.select(Entry.id, Entry.business).where(
        (Entry.edition == edition) & Entry.id.not_in(sorted(in_round) or [0])
    )
    for entry in entries:
        await RoundEntry.insert(RoundEntry(round=world["round_id"], entry=entry["id"]))
        if entry["id"] != world["entry_id"]:
            for n, judge in enumerate([world["judge_id"], *judges]):
                await _submitted(round_row, entry["id"], judge, 2 + 3 * (n % 3))
    for n, judge in enumerate(judges):
        await _submitted(round_row, world["entry_id"], judge, 2 + 3 * (n % 3))
    await _case_in_review(world, round_row, organizer["id"], size)
    revisions = await SheetRevision.count().where(SheetRevision.sheet == world["sheet_id"])
    for i in range(size):
        conflicted = await _judge(edition, f"conflicted-{tag}-{i}@example.id")
        await Conflict.insert(
            Conflict(edition=edition, judge=conflicted, business=world["business_id"])
        )
        await JudgeInvitation.insert(
            JudgeInvitation(
                edition=edition,
                email=f"invited-{tag}-{i}@example.id",
                token_hash=hashlib.sha256(f"{tag}{i}".encode()).hexdigest(),
                invited_by=organizer["id"],
                expires_at=now + timedelta(days=7),
            )
        )
        await BusinessInvitation.insert(
            BusinessInvitation(
                business=world["business_id"],
                email=f"staff-{tag}-{i}@example.id",
                token_hash=hashlib.sha256(f"staff{tag}{i}".encode()).hexdigest(),
                expires_at=now + timedelta(days=7),
            )
        )
        await SheetRevision.insert(
            SheetRevision(
                sheet=world["sheet_id"],
                version=revisions + i + 2,
                actor=world["judge_id"],
                action="save",
            )
        )
        await EntryNote.insert(
            EntryNote(entry=world["entry_id"], author=organizer["id"], body=f"Catatan {tag}")
        )
        await Attachment.insert(
            Attachment(
                entry=world["entry_id"],
                business=world["business_id"],
                field_key="photos",
                storage_key=f"grown-{tag}-{i}.jpg",
                original_name=f"foto-{i}.jpg",
                content_type="image/jpeg",
                size_bytes=1,
                sha256="0" * 64,
            )
        )
        await Category.insert(
            Category(
                edition=edition,
                slug=f"kategori-{tag}-{i}",
                code=f"K{tag[:4]}{i}",
                name_id=f"Kategori {tag} {i}",
                rubric=DEMO_RUBRIC.to_dict(),
            )
        )
        await AwardTier.insert(
            AwardTier(edition=edition, code=f"T{tag[:4]}{i}", label_id=f"Juara {i}", position=i)
        )
        await EditionStatusChange.insert(
            EditionStatusChange(
                edition=edition, from_status="intake", to_status="judging", reason=tag
            )
        )
        await AccountChange.insert(
            AccountChange(user=conflicted, event="grant", role="judge", edition_id=edition)
        )


async def _case_in_review(
    world: dict[str, Any], round_row: dict[str, Any], organizer: int, size: int
) -> None:
    """The judge's sheet of the world's entry submitted, and a moderation case of the entry
    (``world["case_id"]``) whose panel was asked to review it ``size`` more times, so the
    judge is served the discussion and the organizers the case."""
    scores = {c.key: 6 for c in DEMO_RUBRIC.criteria}
    await ScoreSheet.update(
        {
            ScoreSheet.status: "submitted",
            ScoreSheet.scores: scores,
            ScoreSheet.total: rubric_total(round_row, scores),
            ScoreSheet.submitted_at: datetime.now(UTC),
        }
    ).where(ScoreSheet.id == world["sheet_id"])
    case = (
        await ModerationCase.select(ModerationCase.id)
        .where(
            (ModerationCase.round == world["round_id"])
            & (ModerationCase.entry == world["entry_id"])
        )
        .first()
    )
    if case is None:
        case = (
            await ModerationCase.insert(
                ModerationCase(
                    round=world["round_id"], entry=world["entry_id"], reason="spread", metric=44.4
                )
            ).returning(ModerationCase.id)
        )[0]
    world["case_id"] = case["id"]
    await ModerationAction.insert(
        *(
            ModerationAction(
                moderation_case=case["id"],
                action=REVIEW_ACTION,
                note=f"Tinjau ulang {i}",
                actor=organizer,
            )
            for i in range(size)
        )
    )


async def _judge(edition_id: int, email: str) -> int:
    """A judge of the edition (role and profile) who never logs in."""
    user = (await User.insert(User(email=email, password_hash="!")).returning(User.id))[0]["id"]
    await RoleGrant.insert(RoleGrant(user=user, role="judge", edition_id=edition_id))
    await JudgeProfile.insert(JudgeProfile(edition=edition_id, user=user, affiliation="Klojen"))
    return user


async def _submitted(round_row: dict[str, Any], entry_id: int, judge_id: int, value: int) -> None:
    """An active assignment of the entry to the judge, declared clear, with a submitted sheet
    scoring ``value`` on every criterion."""
    scores = {c.key: value for c in DEMO_RUBRIC.criteria}
    await Assignment.insert(
        Assignment(round=round_row["id"], entry=entry_id, judge=judge_id, declaration="clear")
    )
    await ScoreSheet.insert(
        ScoreSheet(
            round=round_row["id"],
            entry=entry_id,
            judge=judge_id,
            status="submitted",
            rubric_version=round_row["rubric_version"],
            scores=scores,
            total=rubric_total(round_row, scores),
            submitted_at=datetime.now(UTC),
        )
    )
