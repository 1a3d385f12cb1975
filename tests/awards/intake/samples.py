"""A realistic entry form and import context shared by the intake building-block tests.

Plain functions (no conftest fixtures) so they cannot shadow fixtures of other intake tests.
"""

from decimal import Decimal

from awards.intake.bulk.records import ImportCategory, ImportContext
from awards.intake.businesses.sizeclass import SizeClass
from awards.intake.editions.eligibility import EligibilityRules
from awards.intake.form.fields import (
    DateField,
    FileField,
    I18nText,
    LongTextField,
    MultipleChoiceField,
    NumberField,
    Option,
    ShortTextField,
    SingleChoiceField,
    UrlField,
)
from awards.intake.form.formspec import FormSpec


def make_form() -> FormSpec:
    return FormSpec(
        (
            ShortTextField(
                key="product_name", label=I18nText("Nama produk", "Product name"),
                required=True, max_length=60, order=1,
            ),
            LongTextField(
                key="description", label=I18nText("Deskripsi", "Description"),
                required=True, max_chars=300, order=2,
            ),
            NumberField(
                key="price", label=I18nText("Harga (Rp)", "Price (IDR)"),
                min_value=Decimal(0), max_value=Decimal(10_000_000), order=3,
            ),
            NumberField(
                key="output_kg", label=I18nText("Produksi per bulan (kg)", "Monthly output (kg)"),
                decimal_places=2, min_value=Decimal("0.5"), order=4,
            ),
            SingleChoiceField(
                key="channel", label=I18nText("Saluran penjualan", "Sales channel"), required=True,
                options=(
                    Option("offline", I18nText("Toko fisik", "Physical shop")),
                    Option("online", I18nText("Daring", "Online")),
                    Option("both", I18nText("Keduanya", "Both")),
                ),
                order=5,
            ),
            MultipleChoiceField(
                key="markets", label=I18nText("Pasar", "Markets"), max_choices=3,
                options=(
                    Option("malang", I18nText("Malang Raya", "Greater Malang")),
                    Option("jatim", I18nText("Jawa Timur", "East Java")),
                    Option("nasional", I18nText("Nasional", "National")),
                    Option("ekspor", I18nText("Ekspor", "Export")),
                ),
                order=6,
            ),
            UrlField(key="website", label=I18nText("Situs web", "Website"), order=7),
            DateField(key="launched_on", label=I18nText("Tanggal rilis", "Launch date"), order=8),
            FileField(
                key="photos", label=I18nText("Foto produk", "Product photos"), required=True,
                kinds=("jpeg", "png", "webp"), max_size_bytes=2_000_000, max_count=3, order=9,
            ),
        )
    )  # fmt: skip


def make_context(**overrides) -> ImportContext:
    rules = EligibilityRules(
        size_classes=(SizeClass.MICRO, SizeClass.SMALL, SizeClass.MEDIUM),
        max_entries_per_business=1,
    )
    other = FormSpec(
        (
            ShortTextField(
                key="menu", label=I18nText("Menu andalan", "Signature dish"), required=True
            ),
        )
    )
    categories = {
        "fashion-kriya": ImportCategory("fashion-kriya", make_form(), rules),
        "kuliner": ImportCategory("kuliner", other, rules),
    }
    values = {"categories": categories, "current_year": 2026}
    values.update(overrides)
    return ImportContext(**values)
