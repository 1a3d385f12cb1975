"""Setup helpers for the organizer tests: an edition with two categories, businesses, entries.

Rows are written through the tables on the app's event loop (``run``), the way a real edition
would look after set-up; the behaviour under test always goes through HTTP or the services.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from awards.intake.businesses.identity import DEFAULT_DISTRICTS
from awards.intake.businesses.sizeclass import SizeClass, SizeThresholds
from awards.intake.editions.eligibility import EligibilityRules
from awards.intake.form.fields import I18nText, ShortTextField
from awards.intake.form.formspec import FormSpec
from awards.intake.form.rubric import DEMO_RUBRIC
from awards.intake.tables import Business, BusinessMember, Category, Edition, Entry
from tests.awards.helpers import PASSWORD, login

Run = Callable[[Any], Any]
RULES = EligibilityRules(
    size_classes=(SizeClass.MICRO, SizeClass.SMALL, SizeClass.MEDIUM),
    max_entries_per_business=1,
)


def _f(kind: str, key: str, label: str, required: bool = False, **limits: Any) -> dict[str, Any]:
    return {"type": kind, "key": key, "label": {"id": label, "en": ""}, "required": required,
            **limits}  # fmt: skip


def _options(*keys: str) -> list[dict[str, Any]]:
    return [{"key": key, "label": {"id": key.title(), "en": key.title()}} for key in keys]


FASHION_FORM = FormSpec.from_dict(
    {
        "fields": [
            {**_f("short_text", "product_name", "Nama produk", True, max_length=60), "order": 1},
            {**_f("long_text", "description", "Deskripsi", True, max_chars=300), "order": 2},
            {**_f("number", "price", "Harga (Rp)", min_value="0"), "order": 3},
            {**_f("number", "output_kg", "Produksi (kg)", decimal_places=2, min_value="0.5"),
             "order": 3},
            {**_f("single_choice", "channel", "Saluran", True,
                  options=_options("offline", "online", "both")), "order": 4},
            {**_f("multiple_choice", "markets", "Pasar",
                  options=_options("malang", "jatim", "nasional")), "order": 5},
            {**_f("url", "website", "Situs web"), "order": 6},
            {**_f("date", "launched_on", "Tanggal rilis"), "order": 7},
            {**_f("file", "photos", "Foto produk", True, kinds=["jpeg", "png"], max_count=3),
             "order": 8},
        ]
    }
)  # fmt: skip
KULINER_FORM = FormSpec(
    (ShortTextField(key="menu", label=I18nText("Menu andalan", "Signature dish"), required=True),)
)


def make_edition(run: Run, slug: str = "malang-2026", **overrides: Any) -> dict[str, Any]:
    """An open edition (intake open now) with ``fashion-kriya`` and ``kuliner`` categories."""
    now = datetime.now(UTC)
    values: dict[str, Any] = {
        "slug": slug,
        "year": 2026,
        "name_id": f"Anugerah UMKM {slug}",
        "name_en": f"UMKM Awards {slug}",
        "time_zone": "Asia/Jakarta",
        "intake_opens_at": now - timedelta(days=10),
        "intake_closes_at": now + timedelta(days=30),
        "judging_starts_at": now + timedelta(days=31),
        "judging_ends_at": now + timedelta(days=40),
        "results_at": now + timedelta(days=45),
        "status": "open",
        "size_thresholds": SizeThresholds().to_dict(),
        "districts": list(DEFAULT_DISTRICTS),
        "sectors": [],
    }
    values.update(overrides)

    async def create() -> dict[str, Any]:
        rows = await Edition.insert(Edition(**values)).returning(Edition.id)
        edition_id = rows[0]["id"]
        for position, (slug_, code, form) in enumerate(
            (("fashion-kriya", "FKR", FASHION_FORM), ("kuliner", "KUL", KULINER_FORM)), start=1
        ):
            await Category.insert(
                Category(
                    edition=edition_id,
                    slug=slug_,
                    code=code,
                    position=position,
                    name_id=slug_.title(),
                    name_en=slug_.title(),
                    eligibility=RULES.to_dict(),
                    form=form.to_dict(),
                    rubric={"version": 1, **DEMO_RUBRIC.to_dict()},
                )
            )
        edition = await Edition.select().output(load_json=True).where(Edition.id == edition_id)
        return edition[0]

    return run(create())


def categories(run: Run, edition_id: int) -> dict[str, dict[str, Any]]:
    rows = run(Category.select().output(load_json=True).where(Category.edition == edition_id).run())
    return {row["slug"]: row for row in rows}


def make_business(run: Run, nib: str, name: str = "Keripik Bu Sri", **values: Any) -> int:
    data = {
        "name": name,
        "owner_name": "Sri Wahyuni",
        "nib": nib,
        "phone": "+6281233001122",
        "email": "",
        "address": "Jl. Sanan 12",
        "district": "Blimbing",
        "sector": "kuliner",
        **values,
    }
    rows = run(Business.insert(Business(**data)).returning(Business.id).run())
    return rows[0]["id"]


def make_entry(
    run: Run,
    edition: dict[str, Any],
    category: dict[str, Any],
    business_id: int,
    *,
    status: str = "submitted",
    name: str = "Keripik Bu Sri",
    district: str = "Blimbing",
    size_class: str = "micro",
    receipt: str | None = None,
    answers: dict[str, Any] | None = None,
) -> int:
    """An entry row with snapshot columns, as the entrant side saves it."""
    now = datetime.now(UTC)
    entry = Entry(
        edition=edition["id"],
        category=category["id"],
        business=business_id,
        status=status,
        answers=answers if answers is not None else {"menu": "Keripik tempe"},
        receipt_number=receipt,
        business_name=name,
        district=district,
        size_class=size_class,
        sector="kuliner",
        submitted_at=now if status != "draft" else None,
    )
    rows = run(Entry.insert(entry).returning(Entry.id).run())
    return rows[0]["id"]


def add_member(run: Run, business_id: int, user_id: int, role: str = "owner") -> None:
    run(BusinessMember.insert(BusinessMember(business=business_id, user=user_id, role=role)).run())


def organizer(app: Any, run: Run, client: Any, email: str, edition_id: int | None = None) -> Any:
    """Sign up ``email`` as an organizer (of ``edition_id`` only, or of every edition when
    None), log it in on ``client`` and return the user."""
    accounts = app.state.accounts
    user = run(accounts.sign_up(email, PASSWORD, roles=()))
    run(accounts.grant_role(user.id, "organizer", edition_id))
    response = login(client, email)
    assert response.status_code == 303
    return user


def sample_nib(n: int) -> str:
    """A 13-digit NIB of its own for each ``n`` (91200 then ``n`` in eight digits)."""
    return f"91200{n:08d}"


def seed_entries(run: Run, edition: dict[str, Any]) -> dict[str, int]:
    """Five entries across categories, districts, sizes and statuses; returns their ids."""
    cats = categories(run, edition["id"])
    plan = [
        ("Keripik Bu Sri", "kuliner", "Blimbing", "micro", "submitted", "MLG26-KUL-000001"),
        ("Batik Celaket", "fashion-kriya", "Klojen", "small", "submitted", "MLG26-FKR-000002"),
        ("Kopi Dampit", "kuliner", "Kedungkandang", "micro", "draft", None),
        ("Tenun Sukun", "fashion-kriya", "Sukun", "medium", "withdrawn", "MLG26-FKR-000003"),
        ("Bakso Lowokwaru", "kuliner", "Lowokwaru", "small", "submitted", "MLG26-KUL-000004"),
    ]
    ids = {}
    for n, (name, slug, district, size, status, receipt) in enumerate(plan, start=1):
        business = make_business(run, sample_nib(n), name, district=district)
        ids[name] = make_entry(
            run,
            edition,
            cats[slug],
            business,
            status=status,
            name=name,
            district=district,
            size_class=size,
            receipt=receipt,
        )
    return ids
