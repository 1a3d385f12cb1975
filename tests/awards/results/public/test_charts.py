"""Server-side SVG charts: valid, accessible markup whose shapes follow the numbers."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest

from awards.results.public.charts import Interval, bin_counts, interval_chart, score_histogram

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_bin_counts_hand_example():
    """Values fall in half-open bins; the top edge and out-of-range values are clamped."""
    assert bin_counts([0, 9.99, 10, 55, 100, 120, -3, math.nan], 10, 0, 100) == [
        3,
        1,
        0,
        0,
        0,
        1,
        0,
        0,
        0,
        2,
    ]


def test_bin_counts_invalid_range_refused():
    """A range without width or no bins is an error, not a division by zero."""
    with pytest.raises(ValueError, match="high > low"):
        bin_counts([1.0], 5, 10, 10)


def test_score_histogram_accessible_title_and_desc():
    """The SVG has role=img and aria-labelledby pointing at its title and desc."""
    svg = score_histogram([50.0], title="Sebaran <skor>", desc="Desc & more", chart_id="c1")
    root = _parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.find(f"{SVG}title").text == "Sebaran <skor>"
    assert root.find(f"{SVG}desc").text == "Desc & more"


def test_score_histogram_bar_heights_proportional_to_counts():
    """The tallest bin fills the plot; a bin with half the count is half as tall."""
    values = [5, 5, 5, 5, 15, 15, 95]
    root = _parse(score_histogram(values, title="t", desc="d", bins=10))
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "bar"]
    heights = [float(r.get("height")) for r in bars]
    assert len(bars) == 10
    assert heights[1] == pytest.approx(heights[0] / 2, abs=0.1)
    assert heights[9] == pytest.approx(heights[0] / 4, abs=0.1)
    assert heights[2:9] == [0.0] * 7


def test_score_histogram_marks_escaped_and_drawn():
    """Each mark is a line with its label as tooltip text, escaped."""
    svg = score_histogram([10, 20], title="t", desc="d", marks=[(80.0, "Juara <1>")])
    root = _parse(svg)
    marks = [line for line in root.iter(f"{SVG}line") if line.get("class") == "mark"]
    assert len(marks) == 1
    assert marks[0].find(f"{SVG}title").text == "Juara <1>: 80.0"


def test_interval_chart_positions_follow_values():
    """A wider interval draws a longer bar; dots sit between the bar ends."""
    rows = [Interval("A", 80, 75, 85), Interval("B", 70, 60, 80)]
    root = _parse(interval_chart(rows, title="Interval", desc="d"))
    groups = [g for g in root.iter(f"{SVG}g") if g.get("class") == "interval"]
    assert len(groups) == 2
    lengths = []
    for group in groups:
        line = group.find(f"{SVG}line")
        dot = group.find(f"{SVG}circle")
        x1, x2 = float(line.get("x1")), float(line.get("x2"))
        assert x1 <= float(dot.get("cx")) <= x2
        lengths.append(x2 - x1)
    assert lengths[1] == pytest.approx(2 * lengths[0], abs=0.2)
    assert groups[0].find(f"{SVG}text").text == "A"


def test_interval_chart_empty_rows_still_valid():
    """No rows: a valid SVG with title and description only."""
    root = _parse(interval_chart([], title="Kosong", desc="Tidak ada data"))
    assert root.find(f"{SVG}title").text == "Kosong"
    assert list(root.iter(f"{SVG}g")) == []
