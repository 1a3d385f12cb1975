"""The fixed part of the demo: edition, size classes, categories with forms, rubric and accounts.

Nothing here is random. Times are aware UTC datetimes computed from Malang local time (WIB,
UTC+7; Asia/Jakarta has had no daylight saving since 1964, so a fixed offset is exact).

Accounts carry :data:`DEMO_PASSWORD` in clear text: it is a demo-only password, documented as
such, for a local demo database; never load these accounts into a production database.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from awards.demo.records import Business, Entry

__all__ = [
    "DEMO_NOW",
    "DEMO_PASSWORD",
    "LOCAL",
    "SIZE_CLASSES",
    "Account",
    "Category",
    "Criterion",
    "Edition",
    "Eligibility",
    "RubricLevel",
    "SizeClassThreshold",
    "rubric_to_dict",
    "size_thresholds_to_dict",
]

LOCAL = timezone(timedelta(hours=7), "WIB")
DEMO_NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)  # 10:00 WIB: intake is open
DEMO_PASSWORD = "anugerah-demo-2026"  # DEMO ONLY: every demo account uses it
DISTRICTS = ("Klojen", "Blimbing", "Kedungkandang", "Sukun", "Lowokwaru")


def _wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0):
    """The UTC instant of a Malang wall-clock time."""
    return datetime(year, month, day, hour, minute, second, tzinfo=LOCAL).astimezone(UTC)


@dataclass(frozen=True, slots=True)
class SizeClassThreshold:
    """PP 7/2021 class limits (inclusive): a business is in the first class whose limits it meets.

    Capital excludes land and buildings; turnover is annual sales. Rupiah, integers.
    """

    key: str  # "micro" | "small" | "medium"
    label_id: str
    label_en: str
    max_capital: int
    max_turnover: int


SIZE_CLASSES = (
    SizeClassThreshold("micro", "Usaha Mikro", "Micro enterprise", 1_000_000_000, 2_000_000_000),
    SizeClassThreshold("small", "Usaha Kecil", "Small enterprise", 5_000_000_000, 15_000_000_000),
    SizeClassThreshold(
        "medium", "Usaha Menengah", "Medium enterprise", 10_000_000_000, 50_000_000_000
    ),
)


@dataclass(frozen=True, slots=True)
class Edition:
    """One annual edition; all datetimes aware UTC."""

    slug: str
    year: int
    name_id: str
    name_en: str
    description_id: str
    description_en: str
    time_zone: str
    intake_opens_at: datetime
    intake_closes_at: datetime
    judging_starts_at: datetime
    judging_ends_at: datetime
    results_at: datetime
    status: str  # draft -> open -> closed -> judging -> published


def build_edition() -> Edition:
    """Anugerah UMKM Kota Malang 2026, open for entries on the demo's "now"."""
    return Edition(
        slug="malang-2026",
        year=2026,
        name_id="Anugerah UMKM Kota Malang 2026",
        name_en="Malang City UMKM Awards 2026",
        description_id=(
            "Anugerah UMKM Kota Malang 2026 mengajak usaha mikro, kecil dan menengah di Kota "
            "Malang untuk naik kelas. Akademisi dan pelaku industri kreatif menilai mutu dan "
            "kontrol kualitas produk, kemasan, jangkauan pemasaran, serta manajemen produksi dan "
            "keuangan. Tujuannya: produk Malang yang murah tetapi berkualitas dan mampu menembus "
            "pasar di luar Malang, hingga pasar dunia."
        ),
        description_en=(
            "The Malang City UMKM Awards 2026 invite micro, small and medium enterprises in "
            "Malang to move up a class. Academics and creative professionals judge product "
            "quality and quality control, packaging, marketing reach, and production and "
            "financial management. The aim: low-cost, good-quality Malang products that sell "
            "beyond Malang and on to the world."
        ),
        time_zone="Asia/Jakarta",
        intake_opens_at=_wib(2026, 10, 1),
        intake_closes_at=_wib(2026, 12, 31, 23, 59, 59),
        judging_starts_at=_wib(2027, 1, 5),
        judging_ends_at=_wib(2027, 1, 31, 23, 59, 59),
        results_at=_wib(2027, 2, 14, 10, 0),
        status="open",
    )


@dataclass(frozen=True, slots=True)
class RubricLevel:
    """What a score between ``min_score`` and ``max_score`` (inclusive) means."""

    min_score: int
    max_score: int
    descriptor_id: str
    descriptor_en: str


@dataclass(frozen=True, slots=True)
class Criterion:
    """A rubric criterion; the entry total is ``sum(weight_c * score_c) / sum(weight_c)``."""

    key: str
    label_id: str
    label_en: str
    weight: int  # percent; the six demo weights sum to 100
    scale_min: int
    scale_max: int
    levels: tuple[RubricLevel, ...]

    def to_dict(self) -> dict[str, Any]:
        """One criterion in the JSON shape of ``awards.intake.rubric.Rubric``: each level band
        is anchored at its top score (``[max_score, {"id", "en"}]``)."""
        return {
            "key": self.key,
            "label": {"id": self.label_id, "en": self.label_en},
            "weight": self.weight,
            "scale_min": self.scale_min,
            "scale_max": self.scale_max,
            "levels": [
                [lv.max_score, {"id": lv.descriptor_id, "en": lv.descriptor_en}]
                for lv in self.levels
            ],
        }


def rubric_to_dict(rubric: Sequence[Criterion]) -> dict[str, Any]:
    """A whole rubric in the JSON shape of ``awards.intake.rubric.Rubric.to_dict``."""
    return {"version": 1, "criteria": [criterion.to_dict() for criterion in rubric]}


def size_thresholds_to_dict(classes: Sequence[SizeClassThreshold] = ()) -> dict[str, Any]:
    """Thresholds in the JSON shape of ``awards.intake.sizeclass.SizeThresholds`` (turnover
    first; demo businesses fall in the same class on both criteria)."""
    data: dict[str, Any] = {}
    for item in classes or SIZE_CLASSES:
        data[f"{item.key}_capital_max"] = item.max_capital
        data[f"{item.key}_turnover_max"] = item.max_turnover
    data["rule"] = "turnover_first"
    return data


_BANDS = ((1, 2), (3, 4), (5, 6), (7, 8), (9, 10))
_RUBRIC_TEXT: tuple[tuple[str, str, str, int, tuple[tuple[str, str], ...]], ...] = (
    ("kualitas_produk", "Mutu produk & kontrol kualitas", "Product quality & quality control", 25, (
        ("Mutu tidak konsisten, tanpa pemeriksaan", "Inconsistent quality, no checks"),
        ("Pemeriksaan sesekali, banyak cacat", "Occasional checks, frequent defects"),
        ("Mutu cukup, standar belum tertulis", "Fair quality, unwritten standards"),
        ("Standar tertulis dan dicatat per batch", "Written standards, recorded per batch"),
        ("Mutu unggul dan tersertifikasi", "Excellent, certified quality"),
    )),
    ("kemasan", "Kemasan", "Packaging", 15, (
        ("Tanpa kemasan atau label", "No packaging or label"),
        ("Kemasan seadanya, label minim", "Basic packaging, minimal label"),
        ("Kemasan layak, informasi lengkap", "Decent packaging, complete information"),
        ("Kemasan menarik dan aman dikirim", "Attractive packaging, safe to ship"),
        ("Kemasan siap pasar nasional dan ekspor", "Ready for national and export shelves"),
    )),
    ("jangkauan_pemasaran", "Jangkauan pemasaran", "Marketing reach", 15, (
        ("Hanya lingkungan sekitar", "Neighbourhood only"),
        ("Kota Malang, satu saluran", "Malang city, one channel"),
        ("Jawa Timur, beberapa saluran", "East Java, several channels"),
        ("Nasional lewat daring dan reseller", "Nationwide online and via resellers"),
        ("Sudah atau siap ekspor", "Exporting or export-ready"),
    )),
    ("manajemen_produksi", "Manajemen produksi", "Production management", 15, (
        ("Produksi tidak terencana", "Unplanned production"),
        ("Rencana sederhana, sering terlambat", "Simple plans, often late"),
        ("Jadwal dan stok dicatat", "Schedule and stock recorded"),
        ("Kapasitas terukur dan efisien", "Measured, efficient capacity"),
        ("Proses terstandar dan siap tumbuh", "Standardized, ready to scale"),
    )),
    ("manajemen_keuangan", "Manajemen keuangan", "Financial management", 15, (
        ("Keuangan usaha dan keluarga tercampur", "Business and household money mixed"),
        ("Catatan kas seadanya", "Basic cash notes"),
        ("Pembukuan terpisah dan rutin", "Separate, regular bookkeeping"),
        ("Laporan laba rugi bulanan", "Monthly profit and loss statements"),
        ("Laporan lengkap, siap akses pembiayaan", "Full statements, finance-ready"),
    )),
    ("inovasi", "Inovasi", "Innovation", 15, (
        ("Meniru produk yang ada", "Copies existing products"),
        ("Sedikit perbedaan dari pesaing", "Slightly different from competitors"),
        ("Ada keunikan yang jelas", "Clearly distinctive"),
        ("Inovasi produk atau proses yang teruji", "Proven product or process innovation"),
        ("Inovasi baru yang bisa menjadi contoh", "New innovation others can learn from"),
    )),
)  # fmt: skip


def build_rubric() -> tuple[Criterion, ...]:
    """The seed's rubric: six criteria on a 1-10 scale, weights 25/15/15/15/15/15."""
    return tuple(
        Criterion(
            key=key,
            label_id=label_id,
            label_en=label_en,
            weight=weight,
            scale_min=1,
            scale_max=10,
            levels=tuple(
                RubricLevel(lo, hi, d_id, d_en)
                for (lo, hi), (d_id, d_en) in zip(_BANDS, levels, strict=True)
            ),
        )
        for key, label_id, label_en, weight, levels in _RUBRIC_TEXT
    )


@dataclass(frozen=True, slots=True)
class Eligibility:
    """Who may enter a category; ``max_entries_per_business`` counts non-withdrawn entries."""

    size_classes: tuple[str, ...]
    sectors: tuple[str, ...]
    districts: tuple[str, ...]
    max_entries_per_business: int

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``awards.intake.eligibility.EligibilityRules``."""
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
    """One field in the JSON shape of ``awards.intake.formspec.FormSpec`` (``order`` set later).

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


@dataclass(frozen=True, slots=True)
class Account:
    """A demo login. ``password`` is :data:`DEMO_PASSWORD` (demo only; hash it when loading)."""

    email: str
    full_name: str
    role: str  # "organizer" | "judge" | "entrant"
    password: str
    locale: str  # "id" | "en"
    affiliation: str | None  # institution (organizer, judges)
    expertise: tuple[str, ...]  # category slugs a judge suits; empty for others
    business_key: str | None  # the business an entrant manages


_STAFF = (
    ("organizer", "Retno Wulandari, S.E.", "panitia@anugerah.example.org",
     "Dinas Koperasi, Perindustrian dan Perdagangan Kota Malang", ()),
    ("judge", "Dr. Ir. Hendra Kusuma, M.T.", "hendra.kusuma@juri.example.org",
     "Universitas Brawijaya", ("kuliner", "agribisnis")),
    ("judge", "Rina Kartika, S.Ds.", "rina.kartika@juri.example.org",
     "Studio Kreatif Kayutangan", ("fashion-kriya", "kreatif-digital")),
    ("judge", "Prof. Dr. Sri Wahyuni, S.E., M.Si.", "sri.wahyuni@juri.example.org",
     "Universitas Negeri Malang", ("kuliner", "fashion-kriya", "jasa-pariwisata")),
    ("judge", "Anita Permatasari, S.TP., M.P.", "anita.permatasari@juri.example.org",
     "Universitas Muhammadiyah Malang", ("kuliner", "agribisnis")),
    ("judge", "Dimas Prasetyo, S.Kom., M.Kom.", "dimas.prasetyo@juri.example.org",
     "Politeknik Negeri Malang", ("kreatif-digital", "jasa-pariwisata")),
    ("judge", "Yoga Aditya, S.Sn.", "yoga.aditya@juri.example.org",
     "Komunitas Desain Grafis Malang", ("fashion-kriya", "kreatif-digital", "agribisnis")),
)  # fmt: skip


def build_accounts(businesses: Sequence[Business], entries: Sequence[Entry]) -> tuple[Account, ...]:
    """The organizer, six judges, and one entrant per category (owner of its first submitted
    entry's business, so each entrant has a receipt to look at)."""
    accounts = [
        Account(email, name, role, DEMO_PASSWORD, "id", affiliation, expertise, None)
        for role, name, email, affiliation, expertise in _STAFF
    ]
    by_key = {b.key: b for b in businesses}
    chosen: dict[str, str] = {}
    for entry in entries:
        if (
            entry.status == "submitted"
            and entry.category_slug not in chosen
            and entry.business_key not in chosen.values()
        ):
            chosen[entry.category_slug] = entry.business_key
    for business_key in chosen.values():
        owner = by_key[business_key]
        accounts.append(
            Account(owner.owner_email, owner.owner_name, "entrant", DEMO_PASSWORD, "id", None, (),
                    business_key)
        )  # fmt: skip
    return tuple(accounts)
