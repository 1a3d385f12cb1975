"""Rubric definitions: the demo rubric, validation errors and the JSON round trip."""

import json
import math
from dataclasses import replace

import pytest

from awards.intake.form.fields import I18nText
from awards.intake.form.rubric import (
    DEMO_RUBRIC,
    MAX_CRITERIA,
    MAX_WEIGHT,
    Criterion,
    Level,
    Rubric,
)
from awards.intake.validators import ValidationErrors


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


def test_rubric_weight_above_the_bound_is_refused():
    """A weight above MAX_WEIGHT (1000) is refused on that criterion's weight; 1000 passes."""
    base = DEMO_RUBRIC.criteria[0]
    too_heavy = Rubric((replace(base, weight=MAX_WEIGHT + 1),))
    heaviest = Rubric((replace(base, weight=MAX_WEIGHT),))

    assert [e.field for e in too_heavy.validate()] == ["criteria.0.weight"]
    assert list(heaviest.validate()) == []


def test_rubric_scale_outside_its_bounds_is_refused():
    """A scale from -1 or to 1001 is refused on the offending end."""
    base = DEMO_RUBRIC.criteria[0]
    low = Rubric((replace(base, scale_min=-1, levels=()),))
    high = Rubric((replace(base, scale_max=1001, levels=()),))

    assert [e.field for e in low.validate()] == ["criteria.0.scale_min"]
    assert [e.field for e in high.validate()] == ["criteria.0.scale_max"]


def test_rubric_shares_are_weights_over_the_total():
    """Weights 25 and 15 x 5 plus 10 give the total 110 and shares w / 110 that add up to 1."""
    extra = replace(DEMO_RUBRIC.criteria[1], key="kebersihan", weight=10)
    rubric = Rubric((*DEMO_RUBRIC.criteria, extra))

    shares = rubric.shares()

    assert rubric.total_weight == 110
    assert shares[0] == 25 / 110
    assert shares[-1] == 10 / 110
    assert math.isclose(sum(shares), 1.0)


def _one(**changes) -> dict:
    criterion = {"key": "mutu", "label": {"id": "Mutu", "en": "Quality"}, "weight": 10}
    return {**criterion, **changes}


def test_rubric_weights_and_scales_are_bounded():
    """Parsed JSON is bounded too: weight 1001, scale -1 to 10**9 are refused by attribute."""
    rubric = Rubric.parse([_one(weight=1001, scale_min=-1, scale_max=10**9)])
    assert set(rubric.validate().as_dict()) == {
        "criteria.0.weight",
        "criteria.0.scale_min",
        "criteria.0.scale_max",
    }
    assert not Rubric.parse([_one(weight=1000, scale_min=0, scale_max=100)]).validate()


def test_rubric_parse_names_each_malformed_part():
    """A string weight, a list as a label, bad levels and a non-object are reported by path."""
    with pytest.raises(ValidationErrors) as problems:
        Rubric.parse([_one(weight="10", label=["x"], levels=[[1]]), "criterion"])
    assert set(problems.value.as_dict()) == {
        "criteria.0.weight",
        "criteria.0.label",
        "criteria.0.levels",
        "criteria.1",
    }


def test_rubric_parse_refuses_too_many_criteria():
    """More than fifty criteria are refused before anything else is read."""
    with pytest.raises(ValidationErrors) as problems:
        Rubric.parse([_one(key=f"c{i}") for i in range(MAX_CRITERIA + 1)])
    assert list(problems.value.as_dict()) == ["criteria"]
