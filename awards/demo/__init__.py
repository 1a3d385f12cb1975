"""Seeded demo data for the Anugerah UMKM Kota Malang 2026 edition (pure: no database, no web).

``generate_demo(seed=2026, n_businesses=300)`` returns a :class:`DemoData`; product photos are
:class:`ImageSpec` values drawn to JPEG/PNG bytes only when :func:`render_image` is called.
All accounts use :data:`DEMO_PASSWORD`, which is for local demos only.
"""

from awards.demo.accounts import Account
from awards.demo.categories import Category, Eligibility
from awards.demo.edition import (
    DEMO_NOW,
    DEMO_PASSWORD,
    SIZE_CLASSES,
    Edition,
    SizeClassThreshold,
    size_thresholds_to_dict,
)
from awards.demo.generate import Business, DemoData, Entry, generate_demo
from awards.demo.images import ImageSpec, render_image
from awards.demo.rubric import Criterion, RubricLevel, rubric_to_dict

__all__ = [
    "DEMO_NOW",
    "DEMO_PASSWORD",
    "SIZE_CLASSES",
    "Account",
    "Business",
    "Category",
    "Criterion",
    "DemoData",
    "Edition",
    "Eligibility",
    "Entry",
    "ImageSpec",
    "RubricLevel",
    "SizeClassThreshold",
    "generate_demo",
    "render_image",
    "rubric_to_dict",
    "size_thresholds_to_dict",
]
