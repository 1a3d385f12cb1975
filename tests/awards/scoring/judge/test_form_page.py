"""The judge's scoring form, rendered whole: criteria with their level descriptors, one radio
per scale value with the judge's choice kept, errors and comments beside their criterion, the
confidence question, the autosave status and the actions, in both languages, compared with the
expected HTML so that a faster way of rendering it cannot change it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from awards.accounts.tables import User
from tests.awards.helpers import login, post_form
from tests.awards.scoring.support import assigned_entries, build_world

#: ``judge_form.<language>.html``: the expected ``<main>``, with ``{round}`` and ``{entry}`` in
#: place of the ids.
DATA = Path(__file__).parents[1] / "data"


def _main(html: str) -> str:
    """The page's ``<main>`` without indentation and blank lines; the CSRF token, the one-use
    save keys and the deadline (an hour from the test's start) blanked."""
    main = html[html.index('<main id="main"') : html.index("</main>")]
    main = re.sub(r'name="_csrf_token" value="[^"]*"', 'name="_csrf_token" value=""', main)
    main = re.sub(r'name="key" value="[^"]*"', 'name="key" value=""', main)
    main = re.sub(r'"key": "[^"]*"', '"key": ""', main)
    main = re.sub(r"<strong>[^<]*</strong>", "<strong></strong>", main, count=1)
    return "\n".join(line.strip() for line in main.splitlines() if line.strip())


@pytest.mark.parametrize("language", ["id", "en"])
def test_judge_form_page_keeps_input_errors_and_comments_beside_criteria(client, run, language):
    """A refused save (422) shows every criterion's radios with the typed scores checked, the
    out-of-range score's error beside its criterion, the typed comments (escaped, their
    details open), the chosen confidence and the free-text fields, exactly as expected."""
    world = build_world(run)
    judge = world.judges[0]
    run(User.update({User.language: language}).where(User.id == judge.id).run())
    assert login(client, judge.email).status_code == 303
    entry = run(assigned_entries(world.round_id, judge.id))[0]
    url = f"/judge/rounds/{world.round_id}/entries/{entry}"
    post_form(client, f"{url}/declaration", {"answer": "clear"})
    data = {
        "score.kemasan": "12",
        "score.inovasi": "4",
        "comment.inovasi": "Ide <baru> & segar",
        "action": "save",
        "version": "0",
        "key": "k-1",
        "confidence": "low",
        "comment_to_entrant": 'Bagus "sekali"',
        "private_note": "Cek lagi",
    }

    page = post_form(client, f"{url}/sheet", data)

    assert page.status_code == 422
    expected = (DATA / f"judge_form.{language}.html").read_text(encoding="utf-8")
    assert _main(page.text) == expected.rstrip("\n").format(round=world.round_id, entry=entry)
