"""Rubric editor and form builder pages: errors beside the field with the input kept, translated
messages, bounded weights shown as shares of the total, human field-type names, and "Remove"
disabled with its reason once a category has entries."""

from __future__ import annotations

import re

from awards.intake.tables import Category
from tests.awards.helpers import post_form
from tests.awards.intake.organizer_support import (
    categories,
    make_business,
    make_edition,
    make_entry,
    organizer,
)

NEW = {
    "key": "kebersihan",
    "label_id": "Kebersihan dapur",
    "label_en": "Kitchen hygiene",
    "weight": "10",
    "scale_min": "1",
    "scale_max": "5",
    "levels": "1 | Kotor | Dirty",
}


def _rubric(run, category_id):
    row = run(
        Category.select().output(load_json=True).where(Category.id == category_id).first().run()
    )
    return row["rubric"]["criteria"]


def _field_block(html: str, input_id: str) -> str:
    """The ``<div class="field">`` that holds the input ``input_id``."""
    start = html.rindex('<div class="field', 0, html.index(f'id="{input_id}"'))
    return html[start : html.index("</div>", start)]


def _setup(app, client, run, language="id"):
    edition = make_edition(run)
    category = categories(run, edition["id"])["kuliner"]
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])
    if language != "id":
        post_form(client, "/language", {"language": language, "next": "/"})
    return edition, category


def test_rubric_bad_scale_error_sits_beside_the_field_with_input_kept(app, client, run):
    """A scale whose maximum is below its minimum is refused beside "Highest score", in
    Indonesian, and every typed value stays in the form; nothing is stored."""
    _edition, category = _setup(app, client, run)
    before = _rubric(run, category["id"])

    response = post_form(
        client,
        f"/organizer/categories/{category['id']}/criteria",
        {**NEW, "scale_min": "7", "scale_max": "3"},
    )

    block = _field_block(response.text, "new-f-scale_max")
    assert response.status_code == 422
    assert "Nilai tertinggi harus lebih besar daripada nilai terendah." in block
    assert 'value="3"' in block
    assert 'value="7"' in _field_block(response.text, "new-f-scale_min")
    assert 'value="Kebersihan dapur"' in _field_block(response.text, "new-f-label_id")
    assert "1 | Kotor | Dirty" in _field_block(response.text, "new-f-levels")
    assert "The scale maximum" not in response.text
    assert _rubric(run, category["id"]) == before


def test_rubric_duplicate_key_error_is_translated_beside_the_key(app, client, run):
    """Adding a criterion whose key another criterion uses says so, in Indonesian, beside Key."""
    _edition, category = _setup(app, client, run)

    response = post_form(
        client, f"/organizer/categories/{category['id']}/criteria", {**NEW, "key": "kemasan"}
    )

    block = _field_block(response.text, "new-f-key")
    assert response.status_code == 422
    assert "Kunci ini sudah dipakai kriteria lain." in block
    assert 'value="kemasan"' in block
    assert "Another criterion already uses this key." not in response.text


def test_rubric_weight_above_the_bound_is_refused_beside_weight(app, client, run):
    """A weight of 100000 is refused beside the weight of the criterion being edited, which
    opens with the typed value; the stored weight is unchanged."""
    _edition, category = _setup(app, client, run, language="en")

    response = post_form(
        client,
        f"/organizer/categories/{category['id']}/criteria/kemasan",
        {**NEW, "key": "kemasan", "weight": "100000"},
    )

    block = _field_block(response.text, "c-kemasan-f-weight")
    assert response.status_code == 422
    assert "The weight may be at most 1000." in block
    assert 'value="100000"' in block
    assert '<details id="criterion-kemasan" open>' in response.text
    weights = {c["key"]: c["weight"] for c in _rubric(run, category["id"])}
    assert weights["kemasan"] == 15


def test_rubric_weights_are_shown_as_shares_of_the_total(app, client, run):
    """With weights 25 + 5 x 15 + 10 = 110 the page shows the total 110 and 25 as 22,7 %."""
    _edition, category = _setup(app, client, run)
    post_form(client, f"/organizer/categories/{category['id']}/criteria", NEW)

    page = client.get(f"/organizer/categories/{category['id']}").text

    assert re.search(r'data-weight="total">110<', page)
    assert 'data-share="kualitas_produk">22,7 %<' in page
    assert 'data-share="kebersihan">9,1 %<' in page


def test_form_builder_shows_field_types_by_name_in_both_languages(app, client, run):
    """The field table and the type chooser name types ("Pilihan tunggal" / "Single choice"),
    never the raw type codes."""
    edition = make_edition(run)
    category = categories(run, edition["id"])["fashion-kriya"]
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])

    indonesian = client.get(f"/organizer/categories/{category['id']}").text
    post_form(client, "/language", {"language": "en", "next": "/"})
    english = client.get(f"/organizer/categories/{category['id']}").text

    assert "<td>Pilihan tunggal</td>" in indonesian
    assert '<option value="short_text">Teks pendek</option>' in indonesian
    assert "<td>Single choice</td>" in english
    assert "<td>single_choice</td>" not in indonesian + english


def test_form_builder_disables_remove_with_the_reason_once_entries_exist(app, client, run):
    """With an entry in the category, "Hapus" is a disabled button with the reason beside it
    and no delete form is offered; without entries the delete form is there."""
    edition = make_edition(run)
    cats = categories(run, edition["id"])
    make_entry(run, edition, cats["kuliner"], make_business(run, "9120001234567"))
    organizer(app, run, client, "panitia@malang.example.org", edition["id"])

    locked = client.get(f"/organizer/categories/{cats['kuliner']['id']}").text
    free = client.get(f"/organizer/categories/{cats['fashion-kriya']['id']}").text

    assert "/fields/menu/delete" not in locked
    assert re.search(r"<button[^>]*disabled[^>]*>Hapus</button>", locked)
    assert "Pertanyaan tidak dapat dihapus setelah kategori memiliki pendaftaran." in locked
    assert "/fields/product_name/delete" in free
