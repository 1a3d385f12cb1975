"""PP 7/2021 size classes: thresholds exactly at the bounds, combining rules, configuration."""

import pytest

from awards.intake.businesses.sizeclass import (
    SizeClass,
    SizeRule,
    SizeThresholds,
    assess_size,
    class_by_capital,
    class_by_turnover,
)

M = 1_000_000  # one million rupiah


@pytest.mark.parametrize(
    ("capital", "expected"),
    [
        (0, SizeClass.MICRO),
        (1_000 * M, SizeClass.MICRO),
        (1_000 * M + 1, SizeClass.SMALL),
        (5_000 * M, SizeClass.SMALL),
        (5_000 * M + 1, SizeClass.MEDIUM),
        (10_000 * M, SizeClass.MEDIUM),
        (10_000 * M + 1, SizeClass.LARGE),
    ],
)
def test_class_by_capital_bounds_are_inclusive(capital, expected):
    """Capital exactly at Rp1/5/10 bn stays in the lower class; one rupiah more moves up."""
    assert class_by_capital(capital) == expected


@pytest.mark.parametrize(
    ("turnover", "expected"),
    [
        (2_000 * M, SizeClass.MICRO),
        (2_000 * M + 1, SizeClass.SMALL),
        (15_000 * M, SizeClass.SMALL),
        (15_000 * M + 1, SizeClass.MEDIUM),
        (50_000 * M, SizeClass.MEDIUM),
        (50_000 * M + 1, SizeClass.LARGE),
    ],
)
def test_class_by_turnover_bounds_are_inclusive(turnover, expected):
    """Turnover exactly at Rp2/15/50 bn stays in the lower class; one rupiah more moves up."""
    assert class_by_turnover(turnover) == expected


def test_assess_size_default_rule_follows_turnover_when_criteria_disagree():
    """Capital says small, turnover says micro: the default (turnover first) gives micro."""
    result = assess_size(3_000 * M, 500 * M)
    assert (result.size_class, result.by_capital, result.by_turnover) == (
        SizeClass.MICRO,
        SizeClass.SMALL,
        SizeClass.MICRO,
    )


def test_assess_size_without_turnover_uses_capital():
    """A new business with no declared turnover is classed by capital (Art. 35(2))."""
    assert assess_size(6_000 * M, None).size_class == SizeClass.MEDIUM


def test_assess_size_with_nothing_declared_is_unknown():
    """Neither figure declared gives no class."""
    assert assess_size(None, None).size_class is None


def test_assess_size_capital_first_rule_uses_capital():
    """With CAPITAL_FIRST the capital indication wins."""
    thresholds = SizeThresholds(rule=SizeRule.CAPITAL_FIRST)
    assert assess_size(3_000 * M, 500 * M, thresholds).size_class == SizeClass.SMALL


def test_assess_size_larger_rule_takes_the_larger_indication():
    """With LARGER the class is the larger of the two indications, in either direction."""
    thresholds = SizeThresholds(rule=SizeRule.LARGER)
    assert assess_size(3_000 * M, 500 * M, thresholds).size_class == SizeClass.SMALL
    assert assess_size(100 * M, 20_000 * M, thresholds).size_class == SizeClass.MEDIUM


def test_thresholds_are_configurable_per_edition():
    """Custom thresholds move the bounds."""
    thresholds = SizeThresholds(micro_turnover_max=300 * M, small_turnover_max=2_500 * M)
    assert class_by_turnover(301 * M, thresholds) == SizeClass.SMALL


def test_thresholds_round_trip_through_a_dict():
    """to_dict/from_dict restore the same thresholds and rule."""
    thresholds = SizeThresholds(medium_capital_max=12_000 * M, rule=SizeRule.LARGER)
    assert SizeThresholds.from_dict(thresholds.to_dict()) == thresholds


def test_thresholds_not_increasing_are_reported():
    """Bounds that do not increase from micro to medium are an error for that criterion."""
    errors = SizeThresholds(micro_capital_max=6_000 * M).validate()
    assert errors.as_dict() == {
        "capital": ["Thresholds must increase from micro to small to medium."]
    }


def test_thresholds_floats_are_refused():
    """Amounts are whole rupiah; a float threshold is reported."""
    errors = SizeThresholds(micro_capital_max=1e9).validate()
    assert "micro_capital_max" in errors


def test_default_thresholds_are_valid():
    """The PP 7/2021 defaults pass validation."""
    assert not SizeThresholds().validate()


def test_classify_float_amount_raises_type_error():
    """Rupiah amounts must be integers, never floats."""
    with pytest.raises(TypeError):
        class_by_capital(1.5e9)
