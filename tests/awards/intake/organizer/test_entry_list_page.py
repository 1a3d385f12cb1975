"""The organizer's entry list, rendered whole: counts, filters and rows of every kind (draft
without receipt, imported, withdrawn, screened, escaped names) in both languages, compared with
the expected HTML so that a faster way of rendering it cannot change it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from awards.accounts.tables import User
from awards.intake.tables import Entry
from tests.awards.helpers import login
from tests.awards.intake.organizer_support import make_edition, organizer, seed_entries

ORGANIZER = "panitia@malang.example.org"

#: ``organizer_entry_list.<language>.html``: the expected ``<main>``, with ``{edition}`` and
#: the entries' ids (``{e1}`` ... ``{e5}``, in the order of ``seed_entries``) in place of the ids.
DATA = Path(__file__).parents[1] / "data"


def _main(html: str) -> str:
    """The page's ``<main>`` without indentation and blank lines, the CSRF token blanked."""
    main = html[html.index('<main id="main"') : html.index("</main>")]
    main = re.sub(r'name="_csrf_token" value="[^"]*"', 'name="_csrf_token" value=""', main)
    return "\n".join(line.strip() for line in main.splitlines() if line.strip())


@pytest.mark.parametrize("language", ["id", "en"])
def test_entry_list_page_renders_rows_of_every_kind(app, client, run, language):
    """Counts, filter options and one row per entry: receipt or draft number, escaped business
    name, category, district, size, status with the paper badge for an import, and the
    screening label of submitted entries only, exactly as expected."""
    edition = make_edition(run)
    ids = list(seed_entries(run, edition).values())
    run(
        Entry.update({Entry.source: "import", Entry.screening: "eligible"})
        .where(Entry.id == ids[1])
        .run()
    )
    run(Entry.update({Entry.screening: "ineligible"}).where(Entry.id == ids[4]).run())
    run(Entry.update({Entry.business_name: "Bakso <b>&</b> Co"}).where(Entry.id == ids[4]).run())
    organizer(app, run, client, ORGANIZER, edition["id"])
    run(User.update({User.language: language}).where(User.email == ORGANIZER).run())
    login(client, ORGANIZER)

    page = client.get(f"/organizer/editions/{edition['id']}/entries")

    assert page.status_code == 200
    expected = (DATA / f"organizer_entry_list.{language}.html").read_text(encoding="utf-8")
    names = {f"e{n}": entry for n, entry in enumerate(ids, start=1)}
    assert _main(page.text) == expected.rstrip("\n").format(edition=edition["id"], **names)
