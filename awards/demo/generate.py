"""Seeded, realistic demo data for the Anugerah UMKM Kota Malang 2026 edition.

``generate_demo(seed, n_businesses)`` is pure: it returns dataclasses (and image *specs*, drawn on
demand by :func:`awards.demo.images.render_image`) and touches no database, network or clock. The
same seed gives equal data. Proportions are drawn by largest-remainder quotas (each share is
``floor(n * w)``, the remaining units go to the largest fractional parts), so 300 businesses give
about 70% micro / 22% small / 8% medium, and the entries of every category are about 65%
submitted / 20% draft / 7% withdrawn / 8% ineligible (at least one of each when a category has
four entries or more).

The fixed parts of the edition (categories, forms, rubric, size classes) live in
:mod:`awards.demo.edition`; the vocabulary in :mod:`awards.demo.names`.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from awards.demo import names
from awards.demo.accounts import Account, build_accounts
from awards.demo.answers import answers_for
from awards.demo.categories import Category, build_categories
from awards.demo.edition import (
    DEMO_NOW,
    LOCAL,
    SIZE_CLASSES,
    Edition,
    SizeClassThreshold,
    build_edition,
)
from awards.demo.images import ImageSpec, render_image
from awards.demo.records import Business, Entry
from awards.demo.rubric import Criterion

__all__ = ["Business", "DemoData", "Entry", "generate_demo"]

SIZE_MIX = {"micro": 0.70, "small": 0.22, "medium": 0.08}
STATUS_MIX = {"submitted": 0.65, "draft": 0.20, "withdrawn": 0.07, "ineligible": 0.08}
CATEGORY_MIX = {
    "kuliner": 0.28,
    "fashion-kriya": 0.22,
    "kreatif-digital": 0.14,
    "agribisnis": 0.20,
    "jasa-pariwisata": 0.16,
}
DISTRICT_MIX = {
    "Klojen": 0.17,
    "Blimbing": 0.20,
    "Kedungkandang": 0.20,
    "Sukun": 0.19,
    "Lowokwaru": 0.24,
}
# Smallest declarations of a micro business (capital, turnover); other classes start above the
# class below. Upper bounds (inclusive) are the class thresholds.
MICRO_FLOOR = (5_000_000, 24_000_000)
EMPLOYEES = {"micro": (1, 4), "small": (5, 19), "medium": (20, 99)}  # BPS employment bands
FOUNDED = {"micro": (2010, 2025), "small": (2004, 2021), "medium": (1994, 2016)}
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")  # reserved by RFC 2606
# Photo backgrounds (pastel) and product colours.
PALETTE = (
    (242, 214, 170), (214, 234, 214), (200, 222, 240), (240, 206, 206), (232, 220, 246),
    (250, 236, 190), (210, 236, 232), (236, 226, 210),
)  # fmt: skip
ACCENTS = (
    (178, 34, 34), (204, 102, 0), (34, 102, 68), (30, 80, 150), (120, 60, 140), (150, 110, 20),
    (70, 70, 70), (190, 60, 110),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class DemoData:
    """Everything the demo loader needs, in dependency order."""

    seed: int
    now: datetime  # the demo's "now": every timestamp is before it
    edition: Edition
    size_classes: tuple[SizeClassThreshold, ...]
    sectors: dict[str, tuple[str, str]]  # key -> (label_id, label_en)
    rubric: tuple[Criterion, ...]  # the same for every category (also on each Category)
    categories: tuple[Category, ...]
    businesses: tuple[Business, ...]
    entries: tuple[Entry, ...]
    accounts: tuple[Account, ...]

    def image_specs(self) -> list[ImageSpec]:
        """All image specs of all entries, in entry order."""
        return [spec for entry in self.entries for spec in entry.images]

    @staticmethod
    def render_image(spec: ImageSpec) -> bytes:
        """Encoded bytes of one product photo; see :func:`awards.demo.images.render_image`."""
        return render_image(spec)


def generate_demo(seed: int = 2026, n_businesses: int = 300) -> DemoData:
    """Build the demo edition with ``n_businesses`` businesses and their entries, from ``seed``."""
    if n_businesses < 1:
        raise ValueError("n_businesses must be at least 1")
    rng = random.Random(seed)
    edition = build_edition()
    categories = build_categories()
    businesses, kinds = _businesses(rng, n_businesses)
    entries = _entries(rng, businesses, kinds, {c.slug: c for c in categories}, edition)
    accounts = build_accounts(businesses, entries)
    return DemoData(
        seed=seed,
        now=DEMO_NOW,
        edition=edition,
        size_classes=SIZE_CLASSES,
        sectors=dict(names.SECTORS),
        rubric=categories[0].rubric,
        categories=categories,
        businesses=tuple(businesses),
        entries=tuple(entries),
        accounts=accounts,
    )


def _quota(rng: random.Random, n: int, mix: dict[str, float], at_least_one: bool = False) -> list:
    """Shuffled list of ``n`` keys with counts from ``mix`` by largest remainder."""
    exact = {k: n * w / sum(mix.values()) for k, w in mix.items()}
    counts = {k: math.floor(v) for k, v in exact.items()}
    if at_least_one and n >= len(mix):
        counts = {k: max(1, c) for k, c in counts.items()}
    by_remainder = sorted(mix, key=lambda k: exact[k] - math.floor(exact[k]), reverse=True)
    while sum(counts.values()) < n:
        counts[by_remainder.pop(0) if by_remainder else max(counts, key=counts.get)] += 1
    while sum(counts.values()) > n:
        counts[max(counts, key=counts.get)] -= 1
    keys = [k for k in mix for _ in range(counts[k])]
    rng.shuffle(keys)
    return keys


def _log_uniform_int(rng: random.Random, low: int, high: int, step: int) -> int:
    """Integer in ``(low, high]`` with log-uniform density, rounded to ``step``."""
    value = round(math.exp(rng.uniform(math.log(low), math.log(high))) / step) * step
    return min(max(value, low + step), high)


def _unique(
    rng: random.Random, seen: set[str], make: Callable[[random.Random], str], tries: int = 50
) -> str:
    """A value of ``make(rng)`` not in ``seen`` (then added). After ``tries`` collisions the last
    value gets a number (" 2", or "2" before an e-mail's "@") so large runs always finish."""
    for _ in range(tries):
        value = make(rng)
        if value not in seen:
            seen.add(value)
            return value
    for number in range(2, len(seen) + 3):
        local, at, domain = value.partition("@")
        candidate = f"{local}{number}{at}{domain}" if at else f"{value} {number}"
        if candidate not in seen:
            seen.add(candidate)
            return candidate
    raise AssertionError("unreachable: len(seen) + 1 candidates cannot all be taken")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _businesses(rng: random.Random, n: int) -> tuple[list[Business], list[names.ProductKind]]:
    """``n`` businesses and, per business, the product kind it makes (same order)."""
    classes = _quota(rng, n, SIZE_MIX)
    districts = _quota(rng, n, DISTRICT_MIX, at_least_one=True)
    cats = _quota(rng, n, CATEGORY_MIX, at_least_one=True)
    kinds_by_cat: dict[str, list[names.ProductKind]] = {}
    for kind in names.PRODUCT_KINDS:
        kinds_by_cat.setdefault(kind.category, []).append(kind)
    thresholds = {s.key: s for s in SIZE_CLASSES}
    prev = {"micro": None, "small": thresholds["micro"], "medium": thresholds["small"]}
    seen_names: set[str] = set()
    seen_owners: set[str] = set()
    seen_nib: set[str] = set()
    seen_phone: set[str] = set()
    seen_email: set[str] = set()
    businesses, kinds = [], []
    for i in range(n):
        size, district, kind = classes[i], districts[i], rng.choice(kinds_by_cat[cats[i]])
        woman = rng.random() < 0.62
        given_pool = names.WOMEN_GIVEN if woman else names.MEN_GIVEN
        owner = _unique(
            rng,
            seen_owners,
            lambda r, g=given_pool: f"{r.choice(g)} {r.choice(names.FAMILY_NAMES)}",
        )
        given = owner.split()[0]
        hon = names.WOMEN_HONORIFICS if woman else names.MEN_HONORIFICS

        def make_name(r: random.Random, kind=kind, given=given, hon=hon) -> str:
            pattern = r.random()
            if pattern < 0.35:
                tail = f"{r.choice(hon)} {given}"
            elif pattern < 0.7:
                tail = r.choice(names.PLACE_WORDS)
            elif pattern < 0.9:
                tail = r.choice(names.BRAND_WORDS)
            else:
                tail = f"{r.choice(names.PLACE_WORDS)} {r.choice(names.BRAND_WORDS)}"
            return f"{kind.business_word} {tail}"

        name = _unique(rng, seen_names, make_name)
        local = owner.lower().replace(" ", ".")
        email = _unique(
            rng,
            seen_email,
            lambda r, local=local: (
                f"{local}{r.choice(['', '', str(r.randint(1, 99))])}@{r.choice(EMAIL_DOMAINS)}"
            ),
        )
        streets, kelurahans, postcodes = names.DISTRICTS[district]
        kelurahan = rng.choice(kelurahans)
        gang = f" Gg. {rng.randint(1, 12)}" if size == "micro" and rng.random() < 0.35 else ""
        address = (
            f"{rng.choice(streets)}{gang} No. {rng.randint(1, 180)}, "
            f"RT {rng.randint(1, 12):02d}/RW {rng.randint(1, 9):02d}, Kel. {kelurahan}"
        )
        top, low = thresholds[size], prev[size]
        cap_low, turn_low = MICRO_FLOOR if low is None else (low.max_capital, low.max_turnover)
        businesses.append(
            Business(
                key=f"umkm-{i + 1:04d}",
                name=name,
                owner_name=owner,
                owner_email=email,
                nib=_unique(rng, seen_nib, lambda r: str(r.randint(10**12, 10**13 - 1))),
                phone=_unique(
                    rng,
                    seen_phone,
                    lambda r: f"+62{r.choice(names.MOBILE_PREFIXES)}{r.randint(0, 10**8 - 1):08d}",
                ),
                address=address,
                kelurahan=kelurahan,
                district=district,
                city="Kota Malang",
                province="Jawa Timur",
                postal_code=rng.choice(postcodes),
                sector=kind.sector,
                year_founded=rng.randint(*FOUNDED[size]),
                employees=rng.randint(*EMPLOYEES[size]),
                declared_capital=_log_uniform_int(rng, cap_low, top.max_capital, 500_000),
                declared_turnover=_log_uniform_int(rng, turn_low, top.max_turnover, 1_000_000),
                size_class=size,
            )
        )
        kinds.append(kind)
    return businesses, kinds


def _entries(
    rng: random.Random,
    businesses: list[Business],
    kinds: list[names.ProductKind],
    categories: dict[str, Category],
    edition: Edition,
) -> list[Entry]:
    """One entry per business in its kind's category, plus a few second entries, then statuses."""
    plan: list[tuple[Business, names.ProductKind, str, int]] = []
    for business, kind in zip(businesses, kinds, strict=True):
        plan.append((business, kind, kind.category, 0))
        other = {"kuliner": "agribisnis", "agribisnis": "kuliner"}.get(kind.category)
        if other and kind.shape != "fruit" and rng.random() < 0.15:
            plan.append((business, kind, other, 1))
        elif (
            categories[kind.category].eligibility.max_entries_per_business > 1
            and rng.random() < 0.15
        ):
            plan.append((business, kind, kind.category, 1))
    statuses: dict[int, str] = {}
    for slug in categories:
        rows = [i for i, p in enumerate(plan) if p[2] == slug]
        for i, status in zip(
            rows, _quota(rng, len(rows), STATUS_MIX, at_least_one=True), strict=True
        ):
            statuses[i] = status
    rows = [
        _entry(rng, business, kind, categories[slug], statuses[i], nth, edition)
        for i, (business, kind, slug, nth) in enumerate(plan)
    ]
    rows.sort(key=lambda d: (d["created_at"], d["business_key"], d["category_slug"]))
    submitted = sorted((d for d in rows if d["submitted_at"]), key=lambda d: d["submitted_at"])
    for number, d in enumerate(submitted, start=1):
        d["receipt_number"] = f"MLG26-{categories[d['category_slug']].code}-{number:06d}"
    entries = []
    for number, d in enumerate(rows, start=1):
        key = f"e{number:04d}"
        images = tuple(
            ImageSpec(key=f"{key}-{j + 1}", **spec) for j, spec in enumerate(d.pop("image_parts"))
        )
        if images or "product_photos" in d["answers"]:
            d["answers"]["product_photos"] = [s.filename for s in images]
        if not images and d["status"] == "draft":
            d["answers"].pop("product_photos", None)
        entries.append(Entry(key=key, images=images, **d))
    return entries


def _local_time(rng: random.Random, earliest: datetime, latest: datetime) -> datetime:
    """A UTC instant in ``[earliest, latest]`` at a plausible local hour (06:00-22:59 WIB)."""
    for _ in range(50):
        instant = earliest + (latest - earliest) * rng.random() ** 0.8
        local = instant.astimezone(LOCAL)
        hour = rng.choices(
            range(6, 23), weights=[1, 2, 3, 4, 4, 3, 3, 3, 3, 3, 3, 2, 3, 4, 4, 3, 2]
        )
        candidate = local.replace(
            hour=hour[0], minute=rng.randrange(60), second=rng.randrange(60), microsecond=0
        )
        candidate = candidate.astimezone(UTC)
        if earliest <= candidate <= latest:
            return candidate
    return (earliest + (latest - earliest) / 2).replace(microsecond=0)


def _entry(rng, business, kind, category, status, nth, edition) -> dict[str, Any]:
    answers = answers_for(rng, business, kind, category, nth)
    opens, now = edition.intake_opens_at, DEMO_NOW
    hour = timedelta(hours=1)
    if status == "draft":
        created = _local_time(rng, opens + hour, now - 2 * hour)
        updated = min(created + timedelta(minutes=rng.randint(5, 60 * 24 * 5)), now - hour)
        submitted = None
        for key in rng.sample(sorted(answers), k=rng.randint(1, max(1, len(answers) // 2))):
            if key != "product_name":
                del answers[key]
    else:
        created = _local_time(rng, opens + hour, now - timedelta(days=3))
        submitted = _local_time(
            rng, created + timedelta(minutes=20), min(created + timedelta(days=10), now - 2 * hour)
        )
        updated = submitted
    withdrawn = screened = None
    if status == "withdrawn":
        withdrawn = updated = _local_time(rng, submitted + hour, now - hour)
    if status == "ineligible":
        screened = updated = _local_time(rng, submitted + hour, now - hour)
    n_images = 0
    if status != "draft":
        n_images = rng.choices((1, 2, 3), weights=(60, 30, 10))[0]
    elif "product_photos" in answers:
        n_images = rng.randint(0, 2)
    background, accent = rng.choice(PALETTE), rng.choice(ACCENTS)
    image_parts = []
    for j in range(n_images):
        fmt = "PNG" if rng.random() < 0.2 else "JPEG"
        ext = "png" if fmt == "PNG" else "jpg"
        image_parts.append(
            {
                "filename": f"{_slug(answers['product_name'])}-{j + 1}.{ext}",
                "format": fmt,
                "width": 480,
                "height": 360,
                "shape": kind.shape,
                "title": answers["product_name"],
                "background": background,
                "accent": accent,
                "seed": rng.getrandbits(32),
            }
        )
    return {
        "category_slug": category.slug,
        "business_key": business.key,
        "status": status,
        "answers": answers,
        "image_parts": image_parts,
        "created_at": created,
        "updated_at": updated,
        "submitted_at": submitted,
        "withdrawn_at": withdrawn,
        "screened_at": screened,
        "receipt_number": None,
        "ineligible_reason": rng.choice(names.INELIGIBLE_REASONS) if screened else None,
    }
