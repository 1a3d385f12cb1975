"""Attachments: validated by content and size, nothing stored on refusal, served only to the
entry's business, organizers of its edition and admins (404 for everybody else)."""

from __future__ import annotations

from pathlib import Path

from awards.intake.common import uploads_root
from awards.intake.tables import Attachment
from tests.awards.helpers import PASSWORD, api_post, csrf_token, login, post_form
from tests.awards.intake.entrant_support import (
    NIBS,
    VALID_ANSWERS,
    entrant_with_business,
    entry_row,
    jpeg_bytes,
    pdf_bytes,
    save_entry,
    seed_edition,
    start_entry,
)


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def _attachment_count(run) -> int:
    async def count() -> int:
        return await Attachment.count()

    return run(count())


def _setup(client, make_user, run):
    """An edition, Sri's business with a submitted entry holding a photo and a PDF."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])
    entry_id = start_entry(client, business, ids["KUL"])
    files = [
        ("photos", ("produk.jpg", jpeg_bytes(), "image/jpeg")),
        ("brochure", ("brosur.pdf", pdf_bytes(), "application/pdf")),
    ]
    response = save_entry(client, entry_id, VALID_ANSWERS, action="submit", files=files)
    assert response.status_code == 303, response.text
    answers = entry_row(run, entry_id)["answers"]
    photo_id = answers["photos"][0]["attachment_id"]
    pdf_id = answers["brochure"][0]["attachment_id"]
    return ids, business, entry_id, photo_id, pdf_id


def test_upload_with_jpg_name_but_other_content_refused(client, make_user, run, settings):
    """A PDF renamed to .jpg is refused beside the photo field; nothing is stored."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])
    entry_id = start_entry(client, business, ids["KUL"])
    root = uploads_root(settings)
    before = _files(root)

    fake = [("photos", ("foto.jpg", pdf_bytes(), "image/jpeg"))]
    response = save_entry(client, entry_id, {"product_name": "Keripik"}, files=fake)

    assert response.status_code == 422
    assert 'id="error-photos"' in response.text
    assert _files(root) == before
    assert _attachment_count(run) == 0


def test_upload_oversized_refused_without_storing_anything(client, make_user, run, settings):
    """A photo over the field's 200 kB limit is refused; the storage tree and the attachment
    table are unchanged."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])
    entry_id = start_entry(client, business, ids["KUL"])
    root = uploads_root(settings)
    big = jpeg_bytes((500, 400), noise=True)
    assert len(big) > 200_000
    before = _files(root)

    response = save_entry(
        client, entry_id, {}, files=[("photos", ("besar.jpg", big, "image/jpeg"))]
    )

    assert response.status_code == 422
    assert 'id="error-photos"' in response.text
    assert _files(root) == before
    assert _attachment_count(run) == 0


def test_upload_body_over_route_limit_refused_with_413(client, make_user, run, settings):
    """A request body over the logo route's limit is refused (413) before anything is stored."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])
    root = uploads_root(settings)
    before = _files(root)

    response = client.post(
        f"/business/{business}/logo",
        data={"_csrf_token": csrf_token(client)},
        files={"logo": ("logo.jpg", b"\xff\xd8\xff" + b"0" * (4 * 1024 * 1024), "image/jpeg")},
        follow_redirects=False,
    )

    assert response.status_code == 413
    assert _files(root) == before
    assert _attachment_count(run) == 0


def test_upload_count_limit_per_field(client, make_user, run):
    """The photo field takes two files; a third is refused beside the field."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])
    entry_id = start_entry(client, business, ids["KUL"])
    three = [("photos", (f"p{i}.jpg", jpeg_bytes((40 + i, 30)), "image/jpeg")) for i in range(3)]

    response = save_entry(client, entry_id, {}, files=three)

    assert response.status_code == 422
    assert 'id="error-photos"' in response.text
    assert len(entry_row(run, entry_id)["answers"]["photos"]) == 2
    assert _attachment_count(run) == 2


def test_attachment_delete_removes_row_answer_and_files(client, make_user, run, settings):
    """Ticking "remove" on a draft deletes the attachment, its answer and its stored files."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])
    entry_id = start_entry(client, business, ids["KUL"])
    photo = [("photos", ("produk.jpg", jpeg_bytes(), "image/jpeg"))]
    save_entry(client, entry_id, {}, files=photo)
    attachment_id = entry_row(run, entry_id)["answers"]["photos"][0]["attachment_id"]
    assert len(_files(uploads_root(settings))) == 2  # the image and its thumbnail

    response = save_entry(client, entry_id, {}, extra=[("remove_attachment", str(attachment_id))])

    assert response.status_code == 303
    assert "photos" not in entry_row(run, entry_id)["answers"]
    assert _attachment_count(run) == 0
    assert _files(uploads_root(settings)) == set()


def test_attachment_download_headers_for_image_pdf_and_thumbnail(client, make_user, run):
    """Images are inline, PDFs attachments; always nosniff and never stored in a cache."""
    _ids, _business, entry_id, photo_id, pdf_id = _setup(client, make_user, run)

    image = client.get(f"/entries/{entry_id}/attachments/{photo_id}")
    thumb = client.get(f"/entries/{entry_id}/attachments/{photo_id}/thumbnail")
    pdf = client.get(f"/entries/{entry_id}/attachments/{pdf_id}")

    assert image.status_code == 200
    assert image.content.startswith(b"\xff\xd8\xff")
    assert image.headers["content-type"] == "image/jpeg"
    assert image.headers["content-disposition"].startswith("inline")
    assert thumb.headers["content-type"] == "image/webp"
    assert pdf.headers["content-disposition"].startswith("attachment")
    assert pdf.content == pdf_bytes()
    for response in (image, thumb, pdf):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["cache-control"] == "no-store"


def test_other_entrant_cannot_see_or_change_entry_pages(client, make_user, run):
    """Another business's entry, its attachments and thumbnails are 404 on every page route,
    and nothing changes."""
    ids, _business, entry_id, photo_id, _pdf = _setup(client, make_user, run)
    entrant_with_business(client, make_user, "lain@example.id", ids["edition"], nib=NIBS[1])

    gets = [
        f"/entries/{entry_id}",
        f"/entries/{entry_id}/edit",
        f"/entries/{entry_id}/withdraw",
        f"/entries/{entry_id}/attachments/{photo_id}",
        f"/entries/{entry_id}/attachments/{photo_id}/thumbnail",
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [
        save_entry(client, entry_id, VALID_ANSWERS | {"product_name": "Dibajak"}),
        post_form(client, f"/entries/{entry_id}/withdraw", {}),
        post_form(client, f"/entries/{entry_id}/attachments/{photo_id}/delete", {}),
    ]
    assert [r.status_code for r in posts] == [404, 404, 404]
    assert "MLG26" not in client.get("/entries").text
    row = entry_row(run, entry_id)
    assert (row["status"], row["answers"]["product_name"]) == ("submitted", "Keripik Tempe Sanan")
    assert _attachment_count(run) == 2


def test_other_entrant_cannot_see_or_change_entry_via_api(client, make_user, run):
    """The API answers 404 for another business's entry, its attachments and its business."""
    ids, business, entry_id, photo_id, _pdf = _setup(client, make_user, run)
    entrant_with_business(client, make_user, "lain@example.id", ids["edition"], nib=NIBS[1])
    headers = {"x-csrftoken": csrf_token(client)}

    responses = [
        client.get(f"/api/v1/entries/{entry_id}"),
        client.get(f"/api/v1/entries/{entry_id}/attachments"),
        client.patch(f"/api/v1/entries/{entry_id}", json={"answers": {}}, headers=headers),
        api_post(client, f"/api/v1/entries/{entry_id}/submit"),
        api_post(client, f"/api/v1/entries/{entry_id}/withdraw"),
        client.delete(f"/api/v1/entries/{entry_id}/attachments/{photo_id}", headers=headers),
        client.post(
            f"/api/v1/entries/{entry_id}/attachments",
            data={"field_key": "photos"},
            files={"file": ("x.jpg", jpeg_bytes(), "image/jpeg")},
            headers=headers,
        ),
        client.get(f"/api/v1/businesses/{business}"),
        client.put(f"/api/v1/businesses/{business}", json={"name": "x"}, headers=headers),
    ]

    assert [r.status_code for r in responses] == [404] * len(responses)
    assert client.get("/api/v1/entries/mine").json() == []
    assert _attachment_count(run) == 2
    assert entry_row(run, entry_id)["status"] == "submitted"


def test_attachment_visible_to_edition_organizer_and_admin_only(client, make_user, run, app):
    """Organizers of the entry's edition and admins may download; an organizer of another
    edition gets 404."""
    ids, _business, entry_id, photo_id, _pdf = _setup(client, make_user, run)
    other = seed_edition(run, slug="batu-2026")
    make_user("panitia@example.id", PASSWORD, "entrant")
    make_user("panitia-lain@example.id", PASSWORD, "entrant")
    make_user("admin@example.id", PASSWORD, "admin")
    accounts = app.state.accounts
    for email, edition in (("panitia@example.id", ids), ("panitia-lain@example.id", other)):
        user = run(accounts.find_by_email(email))
        run(accounts.grant_role(user.id, "organizer", edition["edition"]))
    url = f"/entries/{entry_id}/attachments/{photo_id}"

    statuses = {}
    for email in ("panitia@example.id", "panitia-lain@example.id", "admin@example.id"):
        login(client, email)
        statuses[email] = (client.get(url).status_code, client.get(url + "/thumbnail").status_code)

    assert statuses == {
        "panitia@example.id": (200, 200),
        "panitia-lain@example.id": (404, 404),
        "admin@example.id": (200, 200),
    }


def test_attachment_of_other_entry_id_in_url_is_404(client, make_user, run):
    """An attachment id paired with a different entry id in the URL is not served."""
    ids, business, entry_id, photo_id, _pdf = _setup(client, make_user, run)
    second = start_entry(client, business, ids["KUL"])

    assert client.get(f"/entries/{second}/attachments/{photo_id}").status_code == 404
    assert client.get(f"/entries/{entry_id}/attachments/{photo_id}").status_code == 200


def test_download_is_named_by_detected_type(client, make_user, run):
    """A PDF uploaded as page.html downloads as page.pdf; a JPEG as foto.png as foto.jpg."""
    ids = seed_edition(run)
    business = entrant_with_business(client, make_user, "sri@example.id", ids["edition"])
    entry_id = start_entry(client, business, ids["KUL"])
    files = [
        ("photos", ("foto.png", jpeg_bytes(), "image/png")),
        ("brochure", ("page.html", pdf_bytes(), "text/html")),
    ]
    assert save_entry(client, entry_id, VALID_ANSWERS, files=files).status_code == 303
    answers = entry_row(run, entry_id)["answers"]
    pdf = client.get(f"/entries/{entry_id}/attachments/{answers['brochure'][0]['attachment_id']}")
    photo = client.get(f"/entries/{entry_id}/attachments/{answers['photos'][0]['attachment_id']}")
    assert 'filename="page.pdf"' in pdf.headers["content-disposition"]
    assert 'filename="foto.jpg"' in photo.headers["content-disposition"]


def test_api_answers_do_not_expose_storage_keys_or_hashes(client, make_user, run):
    """The entry API shows file answers by attachment id and name, never key or sha256."""
    _ids, _business, entry_id, photo_id, _pdf_id = _setup(client, make_user, run)
    body = client.get(f"/api/v1/entries/{entry_id}")
    [photo] = body.json()["answers"]["photos"]
    assert photo["attachment_id"] == photo_id
    assert {"key", "thumbnail_key", "sha256"}.isdisjoint(photo)
    stored = entry_row(run, entry_id)["answers"]["photos"][0]
    assert stored["key"] not in body.text
    assert stored["sha256"] not in body.text
