"""Rubric definitions: the demo rubric, validation errors and the JSON round trip."""

import json

from awards.intake.fields import I18nText
from awards.intake.rubric import DEMO_RUBRIC, Criterion, Level, Rubric


def test_demo_rubric_is_valid_with_seed_criteria_and_weights():
    """The demo rubric has the six seed criteria, weights 25/15x5 on a 1-10 scale, and is valid."""
    assert not DEMO_RUBRIC.validate()
    assert [(c.key, c.weight, c.scale_min, c.scale_max) for c in DEMO_RUBRIC.criteria] == [
        ("kualitas_produk", 25, 1, 10),
        ("kemasan", 15, 1, 10),
        ("jangkauan_pemasaran", 15, 1, 10),
        ("manajemen_produksi", 15, 1, 10),
        ("manajemen_keuangan", 15, 1, 10),
        ("inovasi", 15, 1, 10),
    ]


def test_demo_rubric_has_indonesian_labels_and_level_descriptors():
    """Every criterion has an Indonesian label and four described levels."""
    assert all(c.label.id and len(c.levels) == 4 for c in DEMO_RUBRIC.criteria)


def test_rubric_round_trips_through_json():
    """to_dict -> JSON -> from_dict gives back an equal rubric."""
    assert Rubric.from_dict(json.loads(json.dumps(DEMO_RUBRIC.to_dict()))) == DEMO_RUBRIC


def test_rubric_invalid_weight_scale_and_levels_are_reported():
    """Zero weight, inverted scale, a level off the scale and a duplicate key are reported."""
    rubric = Rubric(
        (
            Criterion("a", I18nText("A"), 0, 1, 10),
            Criterion("b", I18nText("B"), 10, 5, 5),
            Criterion("c", I18nText("C"), 10, 1, 5, (Level(6, I18nText("terlalu tinggi")),)),
            Criterion("a", I18nText("A lagi"), 10, 1, 5),
        )
    )
    assert sorted(rubric.validate().errors) == [
        "criteria.0.weight",
        "criteria.1.scale_max",
        "criteria.2.levels",
        "criteria.3.key",
    ]


def test_rubric_without_criteria_is_invalid():
    """A rubric needs at least one criterion."""
    assert Rubric(()).validate().messages("criteria") == ["Add at least one criterion."]
