"""The organizer's entry page, rendered whole: every part of the page (entry, business, answers
of each field type, files, screening, notice, notes) for a fully populated entry, in both
languages, compared with the expected HTML so that a faster way of reading it cannot change it."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from awards.accounts.tables import User
from awards.intake.tables import Attachment, Entry, EntryNote
from tests.awards.helpers import login
from tests.awards.intake.organizer_support import (
    categories,
    make_business,
    make_edition,
    make_entry,
    organizer,
)

ORGANIZER = "panitia@malang.example.org"
ANSWERS = {
    "product_name": "Batik <b>tulis</b> Teplok",
    "description": "Baris satu\nBaris dua",
    "price": 450000,
    "channel": "both",
    "markets": ["malang", "jatim", "dihapus"],
    "website": "https://batik.example.id/?a=1&b=2",
    "launched_on": "2023-08-17",
}


def _attach(run, entry_id: int, business_id: int, field_key: str, name: str, thumb: bool) -> int:
    row = Attachment(
        entry=entry_id,
        business=business_id,
        field_key=field_key,
        storage_key=f"detail-{name}",
        thumbnail_key=f"detail-{name}-thumb" if thumb else None,
        original_name=name,
        content_type="image/jpeg",
        size_bytes=1000,
        sha256="0" * 64,
    )
    return run(Attachment.insert(row).returning(Attachment.id).run())[0]["id"]


def _populated_entry(app, run, client) -> dict[str, int]:
    """A screened, notified, imported entry with answers of every type, two photos (one with
    a thumbnail), a file of a removed question and two notes by two organizers; the organizer
    is logged in on ``client``."""
    edition = make_edition(run)
    fashion = categories(run, edition["id"])["fashion-kriya"]
    business = make_business(run, "9120000000001", "Batik Celaket", sector="kuliner")
    entry = make_entry(
        run,
        edition,
        fashion,
        business,
        name="Batik Celaket",
        size_class="small",
        receipt="MLG26-FKR-000001",
        answers=ANSWERS,
    )
    author = organizer(app, run, client, ORGANIZER, edition["id"])
    accounts = app.state.accounts
    colleague = run(accounts.sign_up("rekan@malang.example.org", "correct-horse-42", roles=()))
    run(User.update({User.display_name: "Bu Panitia"}).where(User.id == author.id).run())
    run(
        Entry.update(
            {
                Entry.source: "import",
                Entry.submitted_at: datetime(2026, 3, 1, 2, 30, tzinfo=UTC),
                Entry.screening: "ineligible",
                Entry.screening_reason: "Foto kurang jelas & <buram>",
                Entry.screened_by: author.id,
                Entry.screened_at: datetime(2026, 3, 2, 3, 0, tzinfo=UTC),
                Entry.screening_notified: "ineligible",
                Entry.screening_notified_at: datetime(2026, 3, 3, 4, 15, tzinfo=UTC),
            }
        )
        .where(Entry.id == entry)
        .run()
    )
    ids = {
        "entry": entry,
        "edition": edition["id"],
        "first": _attach(run, entry, business, "photos", "depan.jpg", thumb=True),
        "second": _attach(run, entry, business, "photos", "belakang.jpg", thumb=False),
    }
    _attach(run, entry, business, "old_question", "lama.pdf", thumb=False)
    for who, body, hour in ((author.id, "Cek NIB.", 5), (colleague.id, "Sudah dicek.", 6)):
        note = EntryNote(
            entry=entry, author=who, body=body, created_at=datetime(2026, 3, 4, hour, tzinfo=UTC)
        )
        run(EntryNote.insert(note).run())
    return ids


def _main(html: str) -> str:
    """The page's ``<main>`` without flash messages, indentation and blank lines, the CSRF
    token blanked."""
    main = html[html.index('<main id="main"') : html.index("</main>")]
    main = re.sub(r'<div class="flashes".*?</div>', "", main, flags=re.DOTALL)
    main = re.sub(r'name="_csrf_token" value="[^"]*"', 'name="_csrf_token" value=""', main)
    return "\n".join(line.strip() for line in main.splitlines() if line.strip())


#: ``organizer_entry_detail.<language>.html``: the expected ``<main>``, with ``{entry}``,
#: ``{edition}``, ``{first}`` and ``{second}`` (the photos' attachment ids) in place of the ids.
DATA = Path(__file__).parents[1] / "data"


@pytest.mark.parametrize("language", ["id", "en"])
def test_entry_detail_page_renders_every_part_of_a_populated_entry(app, client, run, language):
    """The page shows the entry, business, every answer type (escaped, choice labels, unknown
    option keys as written, files with and without thumbnails, removed questions' files left
    out), the decision with its reason, screener and notice time, and notes with their authors,
    exactly as expected."""
    ids = _populated_entry(app, run, client)
    run(User.update({User.language: language}).where(User.email == ORGANIZER).run())
    login(client, ORGANIZER)

    page = client.get(f"/organizer/entries/{ids['entry']}")

    assert page.status_code == 200
    expected = (DATA / f"organizer_entry_detail.{language}.html").read_text(encoding="utf-8")
    assert _main(page.text) == expected.rstrip("\n").format(**ids)
