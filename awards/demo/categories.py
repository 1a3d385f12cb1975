"""The demo's categories: eligibility rules and entry forms (common fields plus each category's
own), each with the demo rubric."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from awards.demo.edition import DISTRICTS, SIZE_CLASSES
from awards.demo.rubric import Criterion, build_rubric

__all__ = ["Category", "Eligibility", "build_categories"]


@dataclass(frozen=True, slots=True)
class Eligibility:
    """Who may enter a category; ``max_entries_per_business`` counts non-withdrawn entries."""

    size_classes: tuple[str, ...]
    sectors: tuple[str, ...]
    districts: tuple[str, ...]
    max_entries_per_business: int

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``awards.intake.editions.eligibility.EligibilityRules``."""
        return {
            "size_classes": list(self.size_classes),
            "sectors": list(self.sectors),
            "districts": list(self.districts),
            "max_entries_per_business": self.max_entries_per_business,
        }


@dataclass(frozen=True, slots=True)
class Category:
    """A category with its eligibility, entry form (plain dicts, in display order) and rubric."""

    slug: str
    code: str  # three letters used in receipt numbers
    order: int
    name_id: str
    name_en: str
    description_id: str
    description_en: str
    eligibility: Eligibility
    form: list[dict[str, Any]]
    rubric: tuple[Criterion, ...]


_LIMIT_NAMES = {"max_length": "max_length", "min": "min_value", "max": "max_value"}


def _field(key, type_, label_id, label_en, help_id, help_en, required, **limits) -> dict:
    """One field in the JSON shape of ``awards.intake.form.formspec.FormSpec`` (``order`` set
    later).

    Long text limits are ``max_chars``; numbers ``min_value``/``max_value`` (integers,
    ``decimal_places`` 0); files ``kinds``/``max_size_bytes``/``max_count``.
    """
    data = {
        "type": type_,
        "key": key,
        "label": {"id": label_id, "en": label_en},
        "help": {"id": help_id, "en": help_en},
        "required": required,
        "order": 0,
    }
    if type_ == "long_text":
        data["max_chars"] = limits.pop("max_length")
    if type_ == "number":
        data["decimal_places"] = 0
    for name, value in limits.items():
        data[_LIMIT_NAMES.get(name, name)] = value
    return data


def _options(*pairs: tuple[str, str, str]) -> list[dict[str, Any]]:
    return [{"key": k, "label": {"id": i, "en": e}} for k, i, e in pairs]


MARKETS = _options(
    ("kota_malang", "Kota Malang", "Malang City"),
    ("jawa_timur", "Jawa Timur", "East Java"),
    ("nasional", "Nasional", "Nationwide"),
    ("ekspor", "Ekspor", "Export"),
)
CHANNELS = _options(
    ("toko_offline", "Toko offline", "Physical shop"),
    ("marketplace", "Marketplace", "Online marketplace"),
    ("media_sosial", "Media sosial", "Social media"),
    ("reseller", "Reseller", "Resellers"),
    ("ekspor", "Ekspor", "Export"),
)
#: Certifications that matter per category: food permits (P-IRT for home industry, BPOM
#: registration, halal) for food; SNI, trademark and halal for materials (leather, dyes) in
#: fashion and crafts; trademark/copyright and PSE registration for digital products; CHSE,
#: halal and the risk-based business licence for services and tourism.
_HALAL = ("halal", "Sertifikat halal", "Halal certificate")
_TRADEMARK = ("haki_merek", "Merek terdaftar (HKI)", "Registered trademark")
_FOOD_CERTIFICATIONS = (
    ("pirt", "P-IRT", "P-IRT (home food industry permit)"),
    _HALAL,
    ("bpom", "Izin edar BPOM", "BPOM registration"),
    _TRADEMARK,
)
CERTIFICATIONS: dict[str, list[dict[str, Any]]] = {
    "kuliner": _options(*_FOOD_CERTIFICATIONS),
    "agribisnis": _options(*_FOOD_CERTIFICATIONS),
    "fashion-kriya": _options(
        ("sni", "SNI", "Indonesian National Standard (SNI)"),
        _TRADEMARK,
        ("halal", "Sertifikat halal (bahan)", "Halal certificate (materials)"),
    ),
    "kreatif-digital": _options(
        _TRADEMARK,
        ("hak_cipta", "Pencatatan hak cipta (HKI)", "Registered copyright"),
        ("pse", "Terdaftar sebagai PSE (Komdigi)", "Registered electronic system operator (PSE)"),
    ),
    "jasa-pariwisata": _options(
        ("chse", "Sertifikat CHSE", "CHSE certificate (cleanliness, health, safety, environment)"),
        _HALAL,
        ("izin_risiko", "Izin usaha berbasis risiko (OSS)", "Risk-based business licence (OSS)"),
        _TRADEMARK,
    ),
}
#: The product-name question per category: (label id, label en, help id, help en).
PRODUCT_NAMES: dict[str, tuple[str, str, str, str]] = {
    "kuliner": ("Nama produk", "Product name", "Nama yang tertulis di kemasan.",
                "The name printed on the package."),
    "agribisnis": ("Nama produk", "Product name", "Nama yang tertulis di kemasan atau label.",
                   "The name on the package or label."),
    "fashion-kriya": ("Nama produk", "Product name", "Nama produk atau koleksi.",
                      "The product or collection name."),
    "kreatif-digital": ("Nama produk atau layanan", "Product or service name",
                        "Nama aplikasi, gim, karya atau layanan digital.",
                        "The app, game, work or digital service."),
    "jasa-pariwisata": ("Nama layanan", "Service name", "Nama layanan atau paket wisata.",
                        "The service or tour package."),
}  # fmt: skip
#: Monthly capacity per category: (label in Indonesian, label in English, upper limit).
CAPACITY_UNITS: dict[str, tuple[str, str, int]] = {
    "kuliner": ("Kapasitas produksi per bulan (kemasan)", "Monthly production capacity (packs)",
                1_000_000),
    "agribisnis": ("Kapasitas produksi per bulan (kg)", "Monthly production capacity (kg)",
                   1_000_000),
    "fashion-kriya": ("Kapasitas produksi per bulan (potong/buah)",
                      "Monthly production capacity (pieces)", 100_000),
    "kreatif-digital": ("Kapasitas per bulan (proyek atau pesanan)",
                        "Monthly capacity (projects or orders)", 10_000),
    "jasa-pariwisata": ("Kapasitas layanan per bulan (pelanggan)",
                        "Monthly service capacity (customers)", 100_000),
}  # fmt: skip
ORIGINS = _options(
    ("kota_malang", "Kota Malang", "Malang City"),
    ("kabupaten_malang", "Kabupaten Malang", "Malang Regency"),
    ("kota_batu", "Kota Batu", "Batu City"),
    ("jawa_timur_lain", "Daerah lain di Jawa Timur", "Elsewhere in East Java"),
    ("luar_jawa_timur", "Luar Jawa Timur", "Outside East Java"),
)
STORAGE = _options(
    ("suhu_ruang", "Suhu ruang", "Room temperature"),
    ("dingin", "Dingin (kulkas)", "Chilled"),
    ("beku", "Beku", "Frozen"),
)
TECHNIQUES = _options(
    ("tulis", "Batik tulis", "Hand-drawn batik"),
    ("cap", "Batik cap", "Stamped batik"),
    ("bordir", "Bordir", "Embroidery"),
    ("jahit", "Jahit", "Sewing"),
    ("anyam", "Anyam", "Weaving"),
    ("ukir", "Ukir/pahat", "Carving"),
    ("cetak", "Cetak/keramik", "Moulding/ceramics"),
)
PHOTO_KINDS = ["jpeg", "png", "webp"]
MAX_FILE = 5 * 1024 * 1024


def _common_fields(slug: str) -> list[dict]:
    """Fields every category asks, worded for ``slug`` (capacity unit, certifications)."""
    capacity_id, capacity_en, capacity_max = CAPACITY_UNITS[slug]
    name_id, name_en, help_id, help_en = PRODUCT_NAMES[slug]
    return [
        _field("product_name", "short_text", name_id, name_en, help_id, help_en, True,
               max_length=120),
        _field("product_description", "long_text", "Deskripsi produk", "Product description",
               "Bahan, proses, kontrol kualitas dan keunggulan.",
               "Materials, process, quality control and strengths.", True, max_length=1000),
        _field("main_market", "single_choice", "Pasar utama", "Main market",
               "Di mana sebagian besar pembeli Anda?", "Where are most of your buyers?", True,
               options=MARKETS),
        _field("sales_channels", "multiple_choice", "Saluran penjualan", "Sales channels",
               "Pilih semua yang Anda pakai.", "Choose all that you use.", True,
               options=CHANNELS, min_choices=1),
        _field("monthly_capacity", "number", capacity_id, capacity_en, "Perkiraan rata-rata.",
               "An average.", True, min=1, max=capacity_max),
        _field("certifications", "multiple_choice", "Sertifikasi dan izin yang dimiliki",
               "Certifications and permits held", "Kosongkan jika belum ada.",
               "Leave empty if none.", False, options=CERTIFICATIONS[slug]),
        _field("website_url", "url", "Situs web atau media sosial", "Website or social media",
               "Alamat lengkap, diawali https://.", "Full address starting with https://.",
               False, max_length=200),
        _field("product_photos", "file", "Foto produk", "Product photos",
               "1-3 foto JPEG, PNG atau WebP, masing-masing paling besar 5 MB.",
               "1-3 JPEG, PNG or WebP photos, at most 5 MB each.", True,
               kinds=PHOTO_KINDS, max_size_bytes=MAX_FILE, max_count=3),
    ]  # fmt: skip


_SPECIFIC = {
    "kuliner": [
        _field("shelf_life_days", "number", "Masa simpan (hari)", "Shelf life (days)",
               "Sejak tanggal produksi.", "From the production date.", True, min=1, max=730),
        _field("storage", "single_choice", "Cara penyimpanan", "Storage", "", "", True,
               options=STORAGE),
    ],
    "fashion-kriya": [
        _field("main_material", "short_text", "Bahan utama", "Main material",
               "Misalnya kain katun, kayu sengon, tanah liat.",
               "E.g. cotton, sengon wood, clay.", True, max_length=120),
        _field("technique", "single_choice", "Teknik pembuatan", "Technique", "", "", False,
               options=TECHNIQUES),
    ],
    "kreatif-digital": [
        _field("active_users", "number", "Jumlah pengguna/klien aktif", "Active users or clients",
               "Dalam 30 hari terakhir.", "In the last 30 days.", True, min=0, max=10_000_000),
        _field("launched_on", "date", "Tanggal peluncuran", "Launch date", "", "", False),
    ],
    "agribisnis": [
        _field("raw_material_origin", "single_choice", "Asal bahan baku", "Raw material origin",
               "", "", True, options=ORIGINS),
        _field("lab_report", "file", "Hasil uji laboratorium", "Laboratory test report",
               "Opsional, PDF.", "Optional, PDF.", False, kinds=["pdf"],
               max_size_bytes=MAX_FILE, max_count=1),
    ],
    "jasa-pariwisata": [
        _field("customers_per_month", "number", "Pelanggan per bulan", "Customers per month",
               "Rata-rata tiga bulan terakhir.", "Average of the last three months.", True,
               min=0, max=100_000),
        _field("service_started_on", "date", "Mulai beroperasi", "In operation since", "", "",
               False),
    ],
}  # fmt: skip

_CATEGORIES = (
    ("kuliner", "KUL", "Kuliner", "Culinary", ("kuliner", "agribisnis"), 1,
     "Makanan dan minuman olahan siap jual, dari camilan hingga bumbu dan minuman tradisional.",
     "Ready-to-sell food and drinks, from snacks to condiments and traditional drinks."),
    ("fashion-kriya", "FKR", "Fashion & Kriya", "Fashion & Crafts", ("fashion", "kriya"), 2,
     "Busana, batik, bordir, aksesori dan kerajinan tangan khas Malang.",
     "Clothing, batik, embroidery, accessories and Malang handicrafts."),
    ("kreatif-digital", "DIG", "Industri Kreatif & Digital", "Creative & Digital Industry",
     ("kreatif-digital",), 1,
     "Desain, aplikasi, gim, animasi dan produk digital buatan pelaku kreatif Malang.",
     "Design, apps, games, animation and digital products made in Malang."),
    ("agribisnis", "AGR", "Agribisnis & Olahan Pangan", "Agribusiness & Food Processing",
     ("agribisnis", "kuliner"), 1,
     "Hasil pertanian, perkebunan dan peternakan beserta olahannya, dari hulu ke hilir.",
     "Farm, plantation and livestock produce and their processed products."),
    ("jasa-pariwisata", "JSP", "Jasa & Pariwisata", "Services & Tourism", ("jasa", "pariwisata"),
     1, "Layanan dan usaha wisata: penginapan, tur, katering, perawatan dan kursus.",
     "Services and tourism: lodging, tours, catering, personal care and courses."),
)  # fmt: skip


def _numbered(form: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for order, item in enumerate(form, start=1):
        item["order"] = order
    return form


def build_categories() -> tuple[Category, ...]:
    """The five demo categories, all sizes and districts eligible, sharing one rubric."""
    rubric = build_rubric()
    return tuple(
        Category(
            slug=slug,
            code=code,
            order=order,
            name_id=name_id,
            name_en=name_en,
            description_id=desc_id,
            description_en=desc_en,
            eligibility=Eligibility(
                size_classes=tuple(s.key for s in SIZE_CLASSES),
                sectors=sectors,
                districts=DISTRICTS,
                max_entries_per_business=max_entries,
            ),
            form=_numbered(copy.deepcopy(_common_fields(slug) + _SPECIFIC[slug])),
            rubric=rubric,
        )
        for order, (
            slug,
            code,
            name_id,
            name_en,
            sectors,
            max_entries,
            desc_id,
            desc_en,
        ) in enumerate(_CATEGORIES, start=1)
    )
