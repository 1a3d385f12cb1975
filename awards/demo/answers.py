"""Complete, plausible form answers for one demo entry (the caller drops some for drafts).

Answers are consistent with the business: the main market and capacity grow with the size
class (capacity in the category's unit: packs, kg, pieces, projects or orders, customers),
"ekspor" is a sales channel exactly when the main market is export, certifications are the
category's own (food permits such as P-IRT for micro and BPOM more often for larger food
businesses; SNI and trademarks for fashion and crafts; copyright and PSE registration for
digital; CHSE and the risk-based licence for services), a service's customers per month do
not exceed its capacity, and every value lies within its form field's limits.
"""

from __future__ import annotations

import random
import re
from typing import Any

from awards.demo import names
from awards.demo.categories import Category
from awards.demo.records import Business

#: Monthly capacity (the unit of each category's form: packs, kg, pieces, projects or orders,
#: customers) by category and size class, inclusive ranges within the form's limits.
CAPACITY = {
    "kuliner": {"micro": (200, 3_000), "small": (2_000, 20_000), "medium": (10_000, 200_000)},
    "agribisnis": {"micro": (100, 5_000), "small": (2_000, 50_000), "medium": (20_000, 500_000)},
    "fashion-kriya": {"micro": (20, 500), "small": (200, 5_000), "medium": (2_000, 50_000)},
    "kreatif-digital": {"micro": (2, 30), "small": (10, 200), "medium": (50, 2_000)},
    "jasa-pariwisata": {"micro": (60, 600), "small": (300, 5_000), "medium": (2_000, 40_000)},
}
MARKET_MIX = {
    "micro": {"kota_malang": 50, "jawa_timur": 30, "nasional": 18, "ekspor": 2},
    "small": {"kota_malang": 20, "jawa_timur": 35, "nasional": 35, "ekspor": 10},
    "medium": {"kota_malang": 5, "jawa_timur": 25, "nasional": 45, "ekspor": 25},
}
#: Probability of each certification by category and size class (keys are the options of
#: the category's form); fresh produce (no processing) carries no food permits.
CERT_ODDS = {
    "food": {
        "micro": {"pirt": 0.6, "halal": 0.45, "bpom": 0.05, "haki_merek": 0.1},
        "small": {"pirt": 0.5, "halal": 0.7, "bpom": 0.4, "haki_merek": 0.3},
        "medium": {"pirt": 0.1, "halal": 0.9, "bpom": 0.85, "haki_merek": 0.6},
    },
    "fresh": {
        "micro": {"haki_merek": 0.05},
        "small": {"haki_merek": 0.2},
        "medium": {"haki_merek": 0.4},
    },
    "fashion-kriya": {
        "micro": {"haki_merek": 0.1, "sni": 0.02, "halal": 0.05},
        "small": {"haki_merek": 0.3, "sni": 0.1, "halal": 0.15},
        "medium": {"haki_merek": 0.6, "sni": 0.3, "halal": 0.3},
    },
    "kreatif-digital": {
        "micro": {"haki_merek": 0.1, "hak_cipta": 0.2, "pse": 0.1},
        "small": {"haki_merek": 0.3, "hak_cipta": 0.4, "pse": 0.4},
        "medium": {"haki_merek": 0.6, "hak_cipta": 0.6, "pse": 0.8},
    },
    "jasa-pariwisata": {
        "micro": {"chse": 0.15, "halal": 0.1, "izin_risiko": 0.5, "haki_merek": 0.05},
        "small": {"chse": 0.4, "halal": 0.25, "izin_risiko": 0.8, "haki_merek": 0.2},
        "medium": {"chse": 0.8, "halal": 0.4, "izin_risiko": 0.95, "haki_merek": 0.5},
    },
}
TECHNIQUE_BY_WORD = {
    "Batik": "tulis",
    "Daster Bordir": "bordir",
    "Mukena": "bordir",
    "Rajut": "jahit",
    "Kerajinan Topeng": "ukir",
    "Keramik": "cetak",
    "Anyaman": "anyam",
    "Sepatu Kulit": "jahit",
}
ORIGIN_MIX = {
    "kota_malang": 20,
    "kabupaten_malang": 40,
    "kota_batu": 25,
    "jawa_timur_lain": 10,
    "luar_jawa_timur": 5,
}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def description(
    rng: random.Random,
    business: Business,
    product: str,
    material: str,
    market: str,
    channels: list[str],
) -> str:
    """Four or five sentences: intro, quality control, packaging (or presentation, for services),
    market, aim; at most 1000 characters."""
    phrases = [names.CHANNEL_PHRASES[c] for c in channels]
    listed = phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " dan " + phrases[-1]
    values = {
        "channels": listed,
        "product": product,
        "material": material,
        "business": business.name,
        "district": business.district,
        "year": business.year_founded,
        "market": names.MARKET_PHRASES[market],
    }
    service = business.sector in ("jasa", "pariwisata", "kreatif-digital")
    quality = names.SERVICE_QUALITY_SENTENCES if service else names.QUALITY_SENTENCES
    packaging = names.SERVICE_PACKAGING_SENTENCES if service else names.PACKAGING_SENTENCES
    intro = names.SERVICE_INTRO_SENTENCES if service else names.INTRO_SENTENCES
    pools = [intro, quality]
    pools += rng.sample([packaging, names.MARKET_SENTENCES], k=rng.randint(1, 2))
    pools.append(names.AIM_SENTENCES)
    text = " ".join(rng.choice(pool).format(**values) for pool in pools)
    return text[:1000]


def answers_for(
    rng: random.Random, business: Business, kind: names.ProductKind, category: Category, nth: int
) -> dict[str, Any]:
    """Every field of ``category.form`` answered (optional ones sometimes left out).

    ``nth`` is the business's entry number (0, 1) so a second entry names another variant.
    """
    size = business.size_class
    variant = kind.variants[(rng.randrange(len(kind.variants)) + nth) % len(kind.variants)]
    product = f"{kind.product} {variant}"
    market = _pick(rng, MARKET_MIX[size])
    channels = [c for c in ("toko_offline", "marketplace", "media_sosial", "reseller")
                if rng.random() < 0.55]  # fmt: skip
    if not channels:
        channels = [rng.choice(("toko_offline", "media_sosial"))]
    if market == "ekspor":
        channels.append("ekspor")
    certs = [c for c, p in CERT_ODDS[_cert_group(kind, category.slug)][size].items()
             if rng.random() < p]  # fmt: skip
    low, high = CAPACITY[category.slug][size]
    capacity = rng.randint(low, high)
    answers: dict[str, Any] = {
        "product_name": product,
        "product_description": description(rng, business, product, kind.material, market, channels),
        "main_market": market,
        "sales_channels": channels,
        "monthly_capacity": round(capacity, -1) if capacity >= 100 else capacity,
        "certifications": certs,
        "product_photos": [],  # filled with image file names by the generator
    }
    if rng.random() < 0.6:
        site = rng.choice(("https://{}.example.com", "https://shop.example.com/{}"))
        answers["website_url"] = site.format(_slug(business.name))
    answers.update(_specific(rng, business, kind, category.slug, answers["monthly_capacity"]))
    return answers


def _cert_group(kind: names.ProductKind, slug: str) -> str:
    """Which odds apply: processed food, fresh produce, or the category's own."""
    if slug in ("kuliner", "agribisnis"):
        return "fresh" if kind.shape == "fruit" else "food"
    return slug


def _specific(
    rng: random.Random, business: Business, kind: names.ProductKind, slug: str, capacity: int
) -> dict:
    size = business.size_class
    if slug == "kuliner":
        frozen = kind.shape in ("cup", "box") and rng.random() < 0.5
        storage = "beku" if frozen else _pick(rng, {"suhu_ruang": 7, "dingin": 3})
        days = {"suhu_ruang": (14, 365), "dingin": (3, 30), "beku": (30, 180)}[storage]
        return {"shelf_life_days": rng.randint(*days), "storage": storage}
    if slug == "fashion-kriya":
        out: dict[str, Any] = {"main_material": kind.material}
        if kind.business_word in TECHNIQUE_BY_WORD and rng.random() < 0.8:
            out["technique"] = TECHNIQUE_BY_WORD[kind.business_word]
        return out
    if slug == "kreatif-digital":
        scale = {"micro": 500, "small": 5_000, "medium": 50_000}[size]
        out = {"active_users": rng.randint(scale // 10, scale)}
        if rng.random() < 0.7:
            year = max(business.year_founded, 2015)
            out["launched_on"] = f"{rng.randint(year, 2026):04d}-{rng.randint(1, 10):02d}-" + (
                f"{rng.randint(1, 28):02d}"
            )
        return out
    if slug == "agribisnis":
        return {"raw_material_origin": _pick(rng, ORIGIN_MIX)}
    out = {"customers_per_month": rng.randint(max(1, capacity // 3), capacity)}  # <= capacity
    if rng.random() < 0.6:
        out["service_started_on"] = (
            f"{business.year_founded:04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        )
    return out
