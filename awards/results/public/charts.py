"""Charts as server-side SVG: pure functions from numbers to an accessible ``<svg>`` string.

No JavaScript and no chart library: each function returns the markup of one inline SVG with
``role="img"``, a ``<title>`` and a ``<desc>`` (referenced by ``aria-labelledby``), so a screen
reader reads what the chart says and the page needs nothing else. Text is escaped here; the
result is safe to insert with ``|safe``.

* :func:`score_histogram` — the distribution of a category's scores: ``bins`` equal-width bins
  over ``[low, high]`` (a value equal to ``high`` falls in the last bin), bar height proportional
  to the count, optional marks (e.g. the winners' scores) drawn as vertical lines.
* :func:`interval_chart` — one row per entry: a dot at the estimate and a bar from ``lower`` to
  ``upper`` (e.g. score ± 1.96 SE); the axis spans every interval, widened to whole tens.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

__all__ = ["Interval", "bin_counts", "interval_chart", "score_histogram"]

_FONT = 'font-family="system-ui, sans-serif" font-size="11"'


@dataclass(frozen=True)
class Interval:
    """One row of an interval chart: ``label``, point ``estimate`` and its ``[lower, upper]``."""

    label: str
    estimate: float
    lower: float
    upper: float


def bin_counts(values: Sequence[float], bins: int, low: float, high: float) -> list[int]:
    """Counts of ``values`` in ``bins`` equal bins of ``[low, high]``; values outside are
    clamped into the first or last bin, NaN is ignored. Bin ``i`` holds
    ``low + i*w <= v < low + (i+1)*w`` with ``w = (high - low) / bins``."""
    if bins < 1 or not high > low:
        raise ValueError("need at least one bin and high > low")
    counts = [0] * bins
    width = (high - low) / bins
    for value in values:
        if value is None or math.isnan(value):
            continue
        index = int((value - low) // width)
        counts[min(max(index, 0), bins - 1)] += 1
    return counts


def _fmt(number: float) -> str:
    """A coordinate with at most one decimal, no trailing zeros."""
    text = f"{number:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _open(chart_id: str, width: int, height: int, title: str, desc: str) -> list[str]:
    cid = escape(chart_id, quote=True)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{cid}-title {cid}-desc" class="chart">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(desc)}</desc>',
    ]


def score_histogram(
    values: Sequence[float],
    *,
    title: str,
    desc: str,
    chart_id: str = "histogram",
    bins: int = 10,
    low: float = 0.0,
    high: float = 100.0,
    marks: Sequence[tuple[float, str]] = (),
    width: int = 360,
    height: int = 170,
) -> str:
    """An SVG histogram of ``values`` (see :func:`bin_counts`) with optional labelled marks."""
    counts = bin_counts(values, bins, low, high)
    left, right, top, bottom = 30, 10, 10, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    tallest = max(counts) or 1
    bar_w = plot_w / bins
    parts = _open(chart_id, width, height, title, desc)
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        'stroke="#555"/>'
    )
    for i, count in enumerate(counts):
        bar_h = plot_h * count / tallest
        x = left + i * bar_w
        lo_edge = low + i * (high - low) / bins
        hi_edge = lo_edge + (high - low) / bins
        parts.append(
            f'<rect class="bar" x="{_fmt(x + 1)}" y="{_fmt(top + plot_h - bar_h)}" '
            f'width="{_fmt(bar_w - 2)}" height="{_fmt(bar_h)}" fill="#2f6f9f">'
            f"<title>{_fmt(lo_edge)}–{_fmt(hi_edge)}: {count}</title></rect>"
        )
    for tick in range(bins + 1):
        if tick % max(1, bins // 5):
            continue
        x = left + tick * bar_w
        parts.append(
            f'<text x="{_fmt(x)}" y="{height - 12}" text-anchor="middle" {_FONT}>'
            f"{_fmt(low + tick * (high - low) / bins)}</text>"
        )
    parts.append(f'<text x="{left - 4}" y="{top + 8}" text-anchor="end" {_FONT}>{tallest}</text>')
    for value, label in marks:
        x = left + plot_w * (min(max(value, low), high) - low) / (high - low)
        parts.append(
            f'<line class="mark" x1="{_fmt(x)}" y1="{top}" x2="{_fmt(x)}" y2="{top + plot_h}" '
            f'stroke="#b5651d" stroke-width="2"><title>{escape(label)}: {value:.1f}</title></line>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _axis(rows: Sequence[Interval]) -> tuple[float, float]:
    """Axis bounds covering every interval, widened outwards to multiples of ten."""
    lowest = min(row.lower for row in rows)
    highest = max(row.upper for row in rows)
    low = math.floor(lowest / 10) * 10
    high = math.ceil(highest / 10) * 10
    return (low, high) if high > low else (low, low + 10)


def interval_chart(
    rows: Sequence[Interval],
    *,
    title: str,
    desc: str,
    chart_id: str = "intervals",
    width: int = 360,
    row_height: int = 26,
) -> str:
    """An SVG of one interval per row (label above a bar from lower to upper, dot at the
    estimate), sharing one axis; an empty ``rows`` gives a chart saying only its title."""
    top, bottom, left, right = 6, 24, 8, 12
    height = top + bottom + row_height * max(len(rows), 1)
    parts = _open(chart_id, width, height, title, desc)
    if not rows:
        parts.append("</svg>")
        return "".join(parts)
    low, high = _axis(rows)
    plot_w = width - left - right

    def x_of(value: float) -> float:
        return left + plot_w * (value - low) / (high - low)

    for i, row in enumerate(rows):
        y = top + i * row_height + row_height - 7
        parts.append(
            f'<g class="interval"><title>{escape(row.label)}: {row.estimate:.1f} '
            f"({row.lower:.1f}–{row.upper:.1f})</title>"
            f'<text x="{left}" y="{y - 7}" {_FONT}>{escape(row.label)}</text>'
            f'<line x1="{_fmt(x_of(row.lower))}" y1="{y}" x2="{_fmt(x_of(row.upper))}" '
            f'y2="{y}" stroke="#2f6f9f" stroke-width="3"/>'
            f'<circle cx="{_fmt(x_of(row.estimate))}" cy="{y}" r="4" fill="#b5651d"/></g>'
        )
    axis_y = height - bottom + 4
    parts.append(
        f'<line x1="{left}" y1="{axis_y}" x2="{left + plot_w}" y2="{axis_y}" stroke="#555"/>'
    )
    step = (high - low) / 5
    for tick in range(6):
        value = low + tick * step
        parts.append(
            f'<text x="{_fmt(x_of(value))}" y="{axis_y + 14}" text-anchor="middle" {_FONT}>'
            f"{_fmt(value)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
