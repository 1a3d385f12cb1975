"""Each test starts with empty in-process caches (databases are recreated per test, so ids and
engine objects repeat between tests)."""

from __future__ import annotations

import pytest

from awards.results.public import feedback, reader


@pytest.fixture(autouse=True)
def _fresh_public_caches():
    reader.forget_settings()
    feedback._CACHE.clear()
    feedback._MANIFESTS.clear()
    yield
    reader.forget_settings()
