"""What ``web_floor.py`` measures with: the data, the sessions and the paths' definitions.

:func:`prepare` loads the demo edition (accounts, 60 businesses with entries and photos), the
judging demo (open final rounds, declarations answered) and ``entries`` imported entries into
a fresh database, and returns the :class:`Fixture`: the ids the paths use and the sheets the
score save writes (one per connection). :func:`log_in` logs the entrant, the organizer and the
judges in on the project's server and keeps their cookies; :func:`refresh_cookies` brings them
up to date before each path, as a browser keeps the latest cookie. A :class:`PathSpec` builds
one path's project request and floor request from the fixture; :func:`uses_wrk` says which
load generator a path gets. Also used by ``profile_paths.py``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from awards import db
from awards.accounts.tables import User
from awards.intake.tables import Attachment, BusinessMember, Entry
from awards.scoring.tables import Assignment, ScoreSheet, ScoringRound
from benchmarks.intake_common import write_entries_csv
from benchmarks.load_generator import HOST, cookie_header

DEMO_PASSWORD = "anugerah-demo-2026"
ORGANIZER = "panitia@anugerah.example.org"
DEMO_JUDGE = "juri@demo.example.org"
SECRET = "benchmark-secret-key-0123456789-abcdefghij-web"


@dataclass
class Fixture:
    """Ids and sessions the paths use (filled by :func:`prepare` and :func:`log_in`)."""

    edition: int
    entry: int  # the entrant's entry (dashboard, save)
    detail: int  # an entry with attachments (organizer detail)
    entrant: int
    organizer: int
    answers: dict[str, Any]
    judge: int = 0  # the demo judge (queue)
    #: Sheets the score save writes, one per connection: judge id and email, round, entry,
    #: complete scores (two alternating sets, so that every save changes the sheet).
    sheets: list[dict[str, Any]] = field(default_factory=list)
    cookies: dict[str, str] = field(default_factory=dict)  # who -> Cookie header
    csrf: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PathSpec:
    """One measured path: project request and floor request built from the fixture."""

    name: str
    who: str  # "anonymous", "entrant" or "organizer" (whose session the project request uses)
    method: str
    project: Callable[[Fixture], str]
    floor: Callable[[Fixture], str]
    body: Callable[[Fixture], bytes | None] = lambda f: None
    sheets: bool = False  # score save: one sheet per connection, version read from answers


def uses_wrk(spec: PathSpec, fixture: Fixture, generator: str) -> bool:
    """Whether ``wrk`` loads this path: a GET without a body, with ``--generator wrk``, or
    ``auto`` and wrk on PATH."""
    simple = spec.method == "GET" and spec.body(fixture) is None and not spec.sheets
    if generator == "python" or not simple:
        return False
    if shutil.which("wrk") is None:
        if generator == "wrk":
            raise SystemExit("--generator wrk: wrk is not on PATH (Debian/Ubuntu package wrk)")
        return False
    return True


async def prepare(settings: Any, entries: int, csv_path: Path, connections: int = 64) -> Fixture:
    """Demo edition + ``entries`` imported entries; ids for the paths."""
    from awards.demo import generate_demo
    from awards.demo.load import load_demo_edition
    from awards.intake.bulk import service as bulk
    from awards.intake.editions.service import edition_categories
    from awards.intake.tables import Edition

    result = await load_demo_edition(settings, generate_demo(seed=2026, n_businesses=60))
    edition = await Edition.select().output(load_json=True).first()
    categories = await edition_categories(edition["id"])
    # The judging demo first: it enters the demo businesses (not the imported ones) again.
    judge, sheets = await scoring_sheets(settings, connections)
    if entries:
        write_entries_csv(csv_path, entries, categories)
        report = await bulk.validate_file(edition, csv_path, csv_path.name)
        await bulk.import_rows(edition, report)
    emails = [line.email for line in result.accounts if line.role == "entrant"]
    for email in emails:
        user = await User.select(User.id).where(User.email == email).first()
        member = await BusinessMember.select(BusinessMember.business).where(
            BusinessMember.user == user["id"]
        )
        drafts = await (  # drafts or submitted entries
            Entry.select(Entry.id, Entry.answers)
            .where(Entry.business.is_in([m["business"] for m in member] or [0]))
            .where(Entry.status != "withdrawn")
            .output(load_json=True)
        )
        if drafts:
            break
    else:
        raise SystemExit("no demo entrant has an entry")
    organizer = await User.select(User.id).where(User.email == ORGANIZER).first()
    attached = await Attachment.select(Attachment.entry).where(Attachment.entry.is_not_null())
    return Fixture(
        edition=edition["id"],
        entry=drafts[0]["id"],
        detail=attached[0]["entry"],
        entrant=user["id"],
        organizer=organizer["id"],
        answers=drafts[0]["answers"],
        judge=judge,
        sheets=sheets,
        cookies={"entrant_email": email},
    )


async def scoring_sheets(settings: Any, connections: int) -> tuple[int, list[dict[str, Any]]]:
    """The judging demo (open final rounds); every active assignment of an open round declared
    clear; the demo judge's id and up to ``connections`` writable sheets (distinct
    round/entry/judge, not abstained or recused, judges' accounts with the demo password)."""
    from awards.accounts.demo import DEMO_ACCOUNTS, load_demo_accounts
    from awards.demo.scoring import load_demo_scoring
    from awards.scoring.rules import criteria_of

    await load_demo_accounts(settings)  # as ``anugerah demo``: the judging demo's organizer
    await load_demo_scoring(settings, next(a.email for a in DEMO_ACCOUNTS if a.role == "organizer"))
    open_rounds = (
        await ScoringRound.select().where(ScoringRound.status == "open").output(load_json=True)
    )
    ids = [r["id"] for r in open_rounds] or [0]
    async with db.write_transaction():
        await Assignment.update({Assignment.declaration: "clear"}).where(
            Assignment.round.is_in(ids) & (Assignment.status == "active")
        )
    closed = {
        (s["round"], s["entry"], s["judge"])
        for s in await ScoreSheet.select(
            ScoreSheet.round, ScoreSheet.entry, ScoreSheet.judge
        ).where(ScoreSheet.round.is_in(ids) & ScoreSheet.status.is_in(["abstained", "recused"]))
    }
    rows = await (
        Assignment.select(Assignment.round, Assignment.entry, Assignment.judge,
                          Assignment.judge.email.as_alias("email"))
        .where(Assignment.round.is_in(ids) & (Assignment.status == "active"))
        .order_by(Assignment.id)
    )  # fmt: skip
    rubric = {r["id"]: criteria_of(r["rubric"]) for r in open_rounds}
    sheets = []
    for row in rows:
        if (row["round"], row["entry"], row["judge"]) in closed:
            continue
        criteria = rubric[row["round"]]
        sets = [
            {"scores": {c.key: (c.low + c.high) // 2 + shift for c in criteria},
             "comments": {c.key: "Catatan juri" for c in criteria}}
            for shift in (0, 1)
        ]  # fmt: skip
        sheets.append({**row, "bodies": sets})
        if len(sheets) == connections:
            break
    demo = await User.select(User.id).where(User.email == DEMO_JUDGE).first()
    return demo["id"], sheets


def log_in(port: int, fixture: Fixture) -> None:
    """Log the entrant, the organizer and the judges in on the project server; keep their
    cookies (judges writing sheets under ``judge:<email>``)."""
    import httpx

    from awards.demo.scoring import DEMO_JUDGE_PASSWORD

    logins = [
        ("entrant", fixture.cookies["entrant_email"], DEMO_PASSWORD),
        ("organizer", ORGANIZER, DEMO_PASSWORD),
        ("judge", DEMO_JUDGE, DEMO_JUDGE_PASSWORD),
    ]
    logins += [(f"judge:{e}", e, DEMO_JUDGE_PASSWORD) for e in {s["email"] for s in fixture.sheets}]
    for who, email, password in logins:
        with httpx.Client(base_url=f"http://{HOST}:{port}", timeout=30) as client:
            client.get("/login")
            token = client.cookies["csrftoken"]
            answer = client.post(
                "/login", data={"email": email, "password": password, "_csrf_token": token}
            )
            if answer.status_code != 303:
                raise SystemExit(f"login of {email} failed: {answer.status_code}")
            fixture.cookies[who] = cookie_header(client.cookies)
            fixture.csrf[who] = client.cookies["csrftoken"]
    with httpx.Client(base_url=f"http://{HOST}:{port}", timeout=30) as client:
        client.get("/")
        fixture.cookies["anonymous"] = cookie_header(client.cookies)


def refresh_cookies(port: int, fixture: Fixture) -> None:
    """Bring every stored session cookie up to date, as a browser keeps the latest one.

    A session's cookie is re-issued when its ``seen`` time is a minute old
    (``awards.web.auth._SEEN_RESOLUTION``); a load generator replaying the cookie from the
    login would have every request of a path measured more than a minute later re-issue it (an
    encrypted ``Set-Cookie`` on every response, which no browser causes). One GET of the
    landing page per session, before each path, takes the new cookie."""
    import httpx

    with httpx.Client(base_url=f"http://{HOST}:{port}", timeout=30) as client:
        for who, cookie in list(fixture.cookies.items()):
            if who == "entrant_email" or not cookie:
                continue
            answer = client.get("/", headers={"Cookie": cookie})
            if not answer.cookies:
                continue
            jar = dict(part.split("=", 1) for part in cookie.split("; "))
            jar.update(answer.cookies.items())
            fixture.cookies[who] = cookie_header(jar)
            if "csrftoken" in answer.cookies:
                fixture.csrf[who] = answer.cookies["csrftoken"]
