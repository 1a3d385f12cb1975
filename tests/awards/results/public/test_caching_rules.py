"""ETag / Last-Modified rules of the public pages (RFC 9110 conditional requests)."""

from __future__ import annotations

from datetime import UTC, datetime

from awards.results.public.caching import cache_headers, etag_for, not_modified

MOMENT = datetime(2026, 12, 1, 3, 0, 0, 500000, tzinfo=UTC)


def test_etag_for_changes_with_parts():
    """Different parts give a different ETag; the same parts the same one."""
    assert etag_for(["a", 1]) == etag_for(["a", 1])
    assert etag_for(["a", 1]) != etag_for(["a", 2])
    assert etag_for(["ab", ""]) != etag_for(["a", "b"])


def test_not_modified_if_none_match_weak_and_strong():
    """A listed tag matches whether or not the client sent it weak; '*' matches anything."""
    tag = etag_for(["x"])
    assert not_modified({"if-none-match": tag}, tag, None)
    assert not_modified({"if-none-match": f'"zzz", {tag.removeprefix("W/")}'}, tag, None)
    assert not_modified({"if-none-match": "*"}, tag, None)
    assert not not_modified({"if-none-match": '"other"'}, tag, MOMENT)


def test_not_modified_if_modified_since_compares_seconds():
    """If-Modified-Since at or after Last-Modified (to the second) is current; earlier is not."""
    headers = cache_headers('W/"t"', MOMENT)
    assert headers["Last-Modified"] == "Tue, 01 Dec 2026 03:00:00 GMT"
    assert not_modified({"if-modified-since": headers["Last-Modified"]}, 'W/"t"', MOMENT)
    earlier = "Tue, 01 Dec 2026 02:59:59 GMT"
    assert not not_modified({"if-modified-since": earlier}, 'W/"t"', MOMENT)
    assert not not_modified({"if-modified-since": "garbage"}, 'W/"t"', MOMENT)


def test_not_modified_if_none_match_takes_precedence():
    """A stale ETag wins over a current date."""
    headers = {"if-none-match": '"old"', "if-modified-since": "Tue, 01 Dec 2026 04:00:00 GMT"}
    assert not not_modified(headers, etag_for(["new"]), MOMENT)
