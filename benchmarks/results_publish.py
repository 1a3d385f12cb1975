"""Freeze, publish and statically export a large edition; the public winners page against a floor.

    uv run python benchmarks/results_publish.py [--entries 30000] [--categories 5]
        [--judges-per-entry 3] [--seconds 10] [--connections 32] [--database sqlite:///...]

Set-up (not timed): a fresh migrated database (``--database``, default a SQLite file in a
temporary folder; ``postgresql://.../name`` makes a scratch database next to ``name``) gets one
edition in judging with ``--categories`` categories (the demo rubric, six criteria), ``--entries``
eligible entries spread evenly (one business each), 30 judges per category, and per category one
closed final round in which every entry is scored by ``--judges-per-entry`` judges (all sheets
submitted: 90,000 by default). Scores are ``clip(round(quality + bias_judge + noise), 1, 10)``.

Timed, in this order, each printed:

1. **freeze** — :func:`awards.results.snapshots.freeze` per category (read and hash the sheets,
   the engine with a fixed seed, placements stored in one transaction);
2. **publish** — :func:`awards.results.publishing.publish` per category (the last one moves the
   edition to published);
3. **static export** — ``anugerah publish --static``'s
   :func:`awards.results.public.static_export.export_edition` of the edition, when present.

Then the winners page of the first category (``/results/<edition>/<category>``) is served by the
project (``awards.app:create_app`` under uvicorn, one worker pinned to core 0) and by the floor
(:func:`floor_app`: a bare Litestar app with the project's Jinja environment, rendering the same
template ``results/public/category.html`` with the same context, built once on the first request
— no middleware, no guards, no queries after that). The load generator
(:func:`benchmarks.load_generator.measure`'s closed-loop client, pinned to core 1) runs each for
``--seconds`` after a 1 s warm-up. Ports: project 8300, floor 8301.

The last line: ``results-publish: entries=<n> sheets=<n> freeze=<s> publish=<s> export=<s>
total=<s> page_rps=<r> floor_rps=<r> ratio=<r>``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from litestar import Litestar, Request, get
from litestar.response import Template

from awards import db
from awards.accounts.identity import CurrentUser
from awards.accounts.tables import User
from awards.intake.bulk.service import chunks
from awards.intake.form.rubric import DEMO_RUBRIC
from awards.intake.tables import Business, Category, Edition, Entry
from awards.results import publishing, snapshots
from awards.scoring.rules import rubric_snapshot
from awards.scoring.tables import ScoreSheet, ScoringRound
from awards.settings import Settings
from benchmarks import servers
from benchmarks.intake_common import fresh_database
from benchmarks.load_generator import HOST, build_request, measure
from benchmarks.servers import uvicorn_command

ROOT = Path(__file__).resolve().parents[1]
PROJECT_PORT, FLOOR_PORT = 8300, 8301
SLUG = "bench-results-2026"
SECRET = "results-benchmark-secret-key-0123456789abcdef"
JUDGES_PER_CATEGORY = 30


async def prepare(entries: int, categories: int, per_entry: int) -> dict[str, Any]:
    """The edition, businesses, entries, judges, closed rounds and submitted sheets."""
    rng = random.Random(11)
    now = datetime.now(UTC)
    rubric, digest = rubric_snapshot(DEMO_RUBRIC.to_dict())
    keys = [c.key for c in DEMO_RUBRIC.criteria]
    async with db.write_transaction():
        admin = await User.insert(
            User(email="bench-admin@example.org", password_hash="x", display_name="Admin")
        ).returning(User.id)
        edition = await Edition.insert(
            Edition(
                slug=SLUG, year=2026, name_id="Anugerah Benchmark 2026", time_zone="Asia/Jakarta",
                intake_opens_at=now - timedelta(days=90), intake_closes_at=now - timedelta(days=40),
                judging_starts_at=now - timedelta(days=30), judging_ends_at=now + timedelta(days=1),
                status="judging",
            )
        ).returning(Edition.id)  # fmt: skip
        edition_id = edition[0]["id"]
        category_ids = []
        for c in range(categories):
            row = await Category.insert(
                Category(edition=edition_id, slug=f"kategori-{c + 1}", code=f"K{c + 1}",
                         position=c, name_id=f"Kategori {c + 1}", name_en=f"Category {c + 1}",
                         rubric=DEMO_RUBRIC.to_dict())
            ).returning(Category.id)  # fmt: skip
            category_ids.append(row[0]["id"])
        judges = []
        for j in range(JUDGES_PER_CATEGORY * categories):
            row = await User.insert(
                User(email=f"juri{j}@bench.example.org", password_hash="x", display_name=f"J{j}")
            ).returning(User.id)
            judges.append(row[0]["id"])
        bias = {j: rng.gauss(0, 1.0) for j in judges}
        businesses = [
            Business(name=f"Usaha {i:05d}", owner_name=f"Pemilik {i}", nib=f"9{i:012d}",
                     district=("Klojen", "Blimbing", "Lowokwaru", "Sukun", "Kedungkandang")[i % 5],
                     sector="kuliner")
            for i in range(entries)
        ]  # fmt: skip
        for chunk in chunks(businesses):
            await Business.insert(*chunk)
        business_ids = [r["id"] for r in await Business.select(Business.id).order_by(Business.id)]
        new = [
            Entry(edition=edition_id, category=category_ids[i % categories],
                  business=business_ids[i], status="submitted", screening="eligible",
                  business_name=f"Usaha {i:05d}", district="Klojen", size_class="micro",
                  sector="kuliner", answers={"product_name": f"Produk {i}"})
            for i in range(entries)
        ]  # fmt: skip
        for chunk in chunks(new):
            await Entry.insert(*chunk)
        rows = await Entry.select(Entry.id, Entry.category).where(Entry.edition == edition_id)
        rounds = {}
        for c, category_id in enumerate(category_ids):
            row = await ScoringRound.insert(
                ScoringRound(edition=edition_id, category=category_id, kind="final",
                             name="Final", status="closed", opens_at=now - timedelta(days=20),
                             closes_at=now - timedelta(days=1), judges_per_entry=per_entry,
                             rubric=rubric, rubric_version=1, rubric_hash=digest, seed=2026)
            ).returning(ScoringRound.id)  # fmt: skip
            rounds[category_id] = (
                row[0]["id"],
                judges[c * JUDGES_PER_CATEGORY :][:JUDGES_PER_CATEGORY],
            )
        sheets = []
        for entry in rows:
            round_id, pool = rounds[entry["category"]]
            quality = rng.uniform(3.0, 8.5)
            for judge in rng.sample(pool, per_entry):
                scores = {
                    k: max(1, min(10, round(quality + bias[judge] + rng.gauss(0, 0.8))))
                    for k in keys
                }
                sheets.append(
                    ScoreSheet(round=round_id, entry=entry["id"], judge=judge, status="submitted",
                               rubric_version=1, scores=scores, confidence="medium",
                               submitted_at=now - timedelta(days=2))
                )  # fmt: skip
        for chunk in chunks(sheets):
            await ScoreSheet.insert(*chunk)
    return {
        "actor": CurrentUser(
            admin[0]["id"],
            "bench-admin@example.org",
            "Admin",
            "id",
            1,
            frozenset({("admin", None)}),
        ),
        "categories": category_ids,
        "sheets": len(sheets),
    }


async def freeze_and_publish(state: dict[str, Any]) -> tuple[float, float, list[float]]:
    actor = state["actor"]
    per_category = []
    frozen = []
    started = time.perf_counter()
    for category_id in state["categories"]:
        t = time.perf_counter()
        frozen.append(await snapshots.freeze(actor, category_id))
        per_category.append(time.perf_counter() - t)
    freeze_s = time.perf_counter() - started
    started = time.perf_counter()
    for f in frozen:
        result = await publishing.publish(actor, f.snapshot_id)
    publish_s = time.perf_counter() - started
    assert result["edition_status"] == "published", result
    return freeze_s, publish_s, per_category


def floor_app():
    """A bare Litestar app rendering the public category template with the same context as the
    project's page (built on the first request, then reused): the render floor."""
    from awards.i18n import set_language
    from awards.results.public import reader
    from awards.results.public.presenters import category_charts, page_meta
    from awards.web.templating import template_config

    url = os.environ["ANUGERAH_DATABASE_URL"]
    cache: dict[str, Any] = {}

    @get("/results/{edition_slug:str}/{category_slug:str}")
    async def page(request: Request, edition_slug: str, category_slug: str) -> Template:
        set_language("id")
        if "context" not in cache:
            edition, publications = await reader.edition_state(edition_slug)
            result = await reader.category_result(edition, publications, category_slug)
            path = f"/results/{edition['slug']}/{result.category['slug']}"
            cache["context"] = {
                "edition": edition,
                "result": result,
                "charts": category_charts(result),
                **page_meta(request, "id", path, edition=edition, winners=result.winners),
            }
        return Template("results/public/category.html", context=cache["context"])

    async def start() -> None:
        db.configure(url)
        await db.start(1, 1)

    async def stop() -> None:
        await db.stop()

    app = Litestar(
        route_handlers=[page],
        template_config=template_config(),
        on_startup=[start],
        on_shutdown=[stop],
        debug=bool(os.environ.get("FLOOR_DEBUG")),
    )
    app.state.settings = Settings.from_env(dict(os.environ))
    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=30000)
    parser.add_argument("--categories", type=int, default=5)
    parser.add_argument("--judges-per-entry", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--database", default="")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database or f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        with fresh_database(url) as scratch:
            env = {
                **{k: v for k, v in os.environ.items() if not k.startswith("ANUGERAH_")},
                "ANUGERAH_DATABASE_URL": scratch,
                "ANUGERAH_DATA_DIR": str(Path(tmp) / "data"),
                "ANUGERAH_SECRET_KEY": SECRET,
                "ANUGERAH_BASE_URL": f"http://{HOST}:{PROJECT_PORT}",
                "PYTHONPATH": str(ROOT),
            }
            settings = Settings.from_env(env)
            db.configure(scratch)
            started = time.perf_counter()
            state = asyncio.run(prepare(args.entries, args.categories, args.judges_per_entry))
            print(
                f"data: {args.entries} entries, {state['sheets']} sheets, "
                f"{args.categories} categories in {time.perf_counter() - started:.1f} s",
                flush=True,
            )
            freeze_s, publish_s, per_category = asyncio.run(freeze_and_publish(state))
            print(
                f"freeze: {freeze_s:.2f} s ("
                + ", ".join(f"{s:.2f}" for s in per_category)
                + " s per category)"
            )
            print(f"publish: {publish_s:.2f} s")
            export_s = float("nan")
            try:
                from awards.results.public.static_export import export_edition
            except ImportError:
                print("static export: not available (rpublic's exporter missing)")
            else:
                started = time.perf_counter()
                result = asyncio.run(export_edition(settings, SLUG, Path(tmp) / "site"))
                export_s = time.perf_counter() - started
                print(f"static export: {export_s:.2f} s ({len(result.pages)} files)")
            total = freeze_s + publish_s + (0.0 if export_s != export_s else export_s)
            print(f"whole publish: {total:.2f} s (target < 60 s)", flush=True)

            path = f"/results/{SLUG}/kategori-1"
            request = build_request("GET", path, "", "", None)
            rates = {}
            for name, target, port in (
                ("project", "awards.app:create_app", PROJECT_PORT),
                ("floor", "benchmarks.results_publish:floor_app", FLOOR_PORT),
            ):
                server = servers.start(
                    uvicorn_command(target, port), port, env, pin="0", probe=path
                )
                try:
                    rates[name] = measure(port, request, args.seconds, args.connections)
                finally:
                    servers.stop(server)
                r = rates[name]
                print(
                    f"winners page [{name}]: {r['rps']:.0f} req/s p50={r['p50']:.1f} ms "
                    f"p99={r['p99']:.1f} ms errors={r['errors']}",
                    flush=True,
                )
            ratio = rates["project"]["rps"] / rates["floor"]["rps"]
            print(f"winners page ratio project/floor: {ratio:.2f} (target >= 0.50)")
            print(
                f"results-publish: entries={args.entries} sheets={state['sheets']} "
                f"freeze={freeze_s:.2f} publish={publish_s:.2f} export={export_s:.2f} "
                f"total={total:.2f} page_rps={rates['project']['rps']:.0f} "
                f"floor_rps={rates['floor']['rps']:.0f} ratio={ratio:.2f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
