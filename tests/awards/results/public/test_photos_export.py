"""Winners' photos behind the gate, the static export, and the results-are-out e-mail."""

from __future__ import annotations

import io
import random
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image

from awards.intake.common import uploads_root
from awards.results.public.announce import notify_entrants
from awards.results.public.og_image import MAX_BYTES
from awards.results.public.static_export import ExportError, export_edition, file_for
from tests.awards.helpers import PASSWORD, outbox_messages
from tests.awards.results.public.support import add_photo, correct, make_published


def _big_jpeg() -> bytes:
    rng = random.Random(3)
    image = Image.frombytes("RGB", (1600, 1200), rng.randbytes(1600 * 1200 * 3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def test_winner_photo_served_small_jpeg_after_publication(client, run, settings):
    """The winner's photo is a JPEG under 300 KB at an absolute og:image URL."""
    world = run(make_published())
    source = _big_jpeg()
    assert len(source) > MAX_BYTES
    run(add_photo(world, 0, uploads_root(settings), source))
    page = client.get(f"/results/{world.edition_slug}/kuliner").text
    url = f"http://testserver.local/results/photos/{world.entries[0]}.jpg"
    assert f'<meta property="og:image" content="{url}">' in page
    photo = client.get(f"/results/photos/{world.entries[0]}.jpg")
    assert photo.status_code == 200
    assert photo.headers["content-type"] == "image/jpeg"
    assert len(photo.content) <= MAX_BYTES
    assert photo.headers["cache-control"].startswith("public")
    assert not list((settings.data_dir).glob("**/static/**/*.jpg"))


def test_photo_embargoed_and_only_for_award_holders(client, run, settings):
    """Before publish_at, and for an entry without award, the photo is 404."""
    later = run(make_published(publish_at=datetime.now(UTC) + timedelta(hours=1)))
    run(add_photo(later, 0, uploads_root(settings), _big_jpeg()))
    assert client.get(f"/results/photos/{later.entries[0]}.jpg").status_code == 404
    assert "og:image" not in client.get(f"/results/{later.edition_slug}/kuliner").text
    now = run(make_published())
    run(add_photo(now, 5, uploads_root(settings), _big_jpeg()))
    assert client.get(f"/results/photos/{now.entries[5]}.jpg").status_code == 404
    assert client.get("/results/photos/..%2Fx.jpg").status_code == 404


def test_static_export_equals_served_pages(client, run, settings, tmp_path, app):
    """Every exported file holds exactly the bytes the server sends an anonymous visitor."""
    world = run(make_published())
    run(correct(world, "Ralat nilai", order=[1, 0, 2, 3, 4, 5]))
    run(add_photo(world, 1, uploads_root(settings), _big_jpeg()))
    target = tmp_path / "site"
    result = run(export_edition(settings, world.edition_slug, target, app=app))
    expected = {
        f"/results/{world.edition_slug}",
        f"/en/results/{world.edition_slug}/kuliner",
        f"/results/{world.edition_slug}/methodology",
        f"/results/{world.edition_slug}/naik-kelas",
        f"/results/businesses/{world.businesses[1]}",
        f"/results/photos/{world.entries[1]}.jpg",
        "/results/feed.xml",
    }
    assert expected <= set(result.pages)
    client.cookies.clear()
    for path, file in result.pages.items():
        assert file == file_for(target, path)
        assert file.read_bytes() == client.get(path).content, path
    assert (target / "static" / "results.css").is_file()


def test_static_export_skips_embargoed_category(client, run, settings, tmp_path, app):
    """A category under embargo is absent from the export; an edition with nothing public is
    refused."""
    visible = run(make_published())
    run(make_published(slug=None, publish_at=datetime.now(UTC) + timedelta(days=1)))
    result = run(export_edition(settings, visible.edition_slug, tmp_path / "a", app=app))
    assert all("Usaha" not in path for path in result.pages)
    hidden = run(make_published(publish_at=datetime.now(UTC) + timedelta(days=1)))
    with pytest.raises(ExportError, match="no published results"):
        run(export_edition(settings, hidden.edition_slug, tmp_path / "b", app=app))
    assert not (tmp_path / "b").exists()
    with pytest.raises(ExportError, match="no edition"):
        run(export_edition(settings, "nope", tmp_path / "c", app=app))


def test_file_for_refuses_paths_leaving_the_directory(tmp_path):
    """'..' in a crawled path can never write outside the export directory."""
    assert file_for(tmp_path, "/results/x") == tmp_path / "results" / "x" / "index.html"
    with pytest.raises(ExportError, match="refusing"):
        file_for(tmp_path, "/results/../../etc/passwd")


def test_notify_entrants_once_per_publication_and_not_before(client, run, settings, make_user, app):
    """Nothing is sent under embargo; after publish_at each member gets one e-mail, once."""
    owner = make_user("owner@example.id", PASSWORD, "entrant")
    later = datetime.now(UTC) + timedelta(hours=1)
    world = run(make_published(owner_id=owner.id, publish_at=later))
    mailer = app.state.accounts.mailer
    assert run(notify_entrants(mailer)) == 0
    assert outbox_messages(settings.outbox_dir) == []
    after = later + timedelta(minutes=1)
    assert run(notify_entrants(mailer, now=after)) == 1
    assert run(notify_entrants(mailer, now=after)) == 0
    messages = outbox_messages(settings.outbox_dir)
    assert len(messages) == 1
    assert messages[0]["To"] == "owner@example.id"
    body = messages[0].get_content()
    assert f"/entries/{world.entries[0]}/feedback" in body


def test_notify_entrants_again_for_a_correction(client, run, settings, make_user, app):
    """A correction is a new publication: members get one "corrected" e-mail for it; a loop's
    ``recorded`` set skips publications it already recorded."""
    owner = make_user("owner@example.id", PASSWORD, "entrant")
    world = run(make_published(owner_id=owner.id))
    mailer = app.state.accounts.mailer
    recorded: set[int] = set()
    assert run(notify_entrants(mailer, recorded=recorded)) == 1
    assert recorded == {world.publication_id}
    run(correct(world, "Ralat", order=[1, 0, 2, 3, 4, 5]))
    assert run(notify_entrants(mailer, recorded=recorded)) == 1
    assert run(notify_entrants(mailer, recorded=recorded)) == 0
    subjects = [m["Subject"] for m in outbox_messages(settings.outbox_dir)]
    assert len(subjects) == 2
    assert subjects[1].startswith("Hasil dikoreksi")
