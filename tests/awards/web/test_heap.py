"""The serving process freezes its start-up heap; other apps (the tests') do not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.awards.conftest import TEST_SECRET

_PROBE = """
import asyncio, gc, sys
from awards.cli import serving_app
from awards.app import create_app

async def frozen_after_startup(app):
    async with app.lifespan():
        return gc.get_freeze_count()

print(asyncio.run(frozen_after_startup(create_app())))
print(asyncio.run(frozen_after_startup(serving_app())))
"""


def test_serving_app_freezes_its_heap_after_startup(database_url: str, tmp_path: Path):
    """``serving_app`` (what ``anugerah serve`` runs) moves the start-up objects out of the
    collector's reach once started; ``create_app`` alone leaves the collector as it is."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANUGERAH_")}
    env |= {
        "ANUGERAH_DATABASE_URL": database_url,
        "ANUGERAH_DATA_DIR": str(tmp_path / "data"),
        "ANUGERAH_SECRET_KEY": TEST_SECRET,
    }
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    plain, serving = (int(line) for line in done.stdout.split())
    assert plain == 0
    assert serving > 50_000
