"""Horizontal grouped bar charts as inline SVG (decimal values, one bar per series per row).

Rows are labelled on the left (units, kinds of unit); each row has one bar per series (periods),
coloured by series with a legend. A value that is text (e.g. "样本不足") or missing (``None``:
"—" by default) draws no bar and writes that note instead of a number.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from reports.charts import PALETTE


def _number(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def grouped_hbar_chart(rows: Sequence[tuple[str, Sequence[Decimal | str | None]]],
                       series: Sequence[str], *, unit: str = "", width: int = 640,
                       bar_height: int = 9, missing: str = "—") -> str:
    label_w, value_w, top, gap = 150, 70, 8, 6
    legend_h = 18 if len(series) > 1 else 0
    n_series = max(len(series), 1)
    row_h = n_series * bar_height + gap
    height = top + legend_h + row_h * max(len(rows), 1) + 4
    inner = width - label_w - value_w
    peak = max((v for _, values in rows for v in values if isinstance(v, Decimal) and v > 0),
               default=Decimal(1))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" class="chart">']
    for i, name in enumerate(series if len(series) > 1 else ()):
        x = label_w + i * 110
        parts.append(f'<rect x="{x}" y="{top}" width="10" height="8" '
                     f'fill="{PALETTE[i % len(PALETTE)]}"/>')
        parts.append(f'<text x="{x + 14}" y="{top + 8}" font-size="8">{escape(name)}</text>')
    y0 = top + legend_h
    parts.append(f'<line x1="{label_w}" y1="{y0}" x2="{label_w}" '
                 f'y2="{y0 + row_h * max(len(rows), 1)}" stroke="#555" stroke-width="0.6"/>')
    for r, (label, values) in enumerate(rows):
        y = y0 + r * row_h
        middle = y + n_series * bar_height / 2 + 3
        parts.append(f'<text x="{label_w - 4}" y="{middle:.1f}" text-anchor="end" '
                     f'font-size="8">{escape(label[:18])}</text>')
        for s, value in enumerate(values):
            by = y + s * bar_height
            if not isinstance(value, Decimal):
                note = missing if value is None else value
                parts.append(f'<text x="{label_w + 3}" y="{by + bar_height - 2}" '
                             f'font-size="7" fill="#777">{escape(note)}</text>')
                continue
            w = float(inner * max(value, Decimal(0)) / peak)
            parts.append(f'<rect x="{label_w}" y="{by}" width="{w:.1f}" '
                         f'height="{bar_height - 1}" fill="{PALETTE[s % len(PALETTE)]}"/>')
            parts.append(f'<text x="{label_w + w + 3:.1f}" y="{by + bar_height - 2}" '
                         f'font-size="7">{escape(_number(value) + unit)}</text>')
    parts.append("</svg>")
    return "".join(parts)
