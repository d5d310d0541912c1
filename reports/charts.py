"""Inline SVG charts: WeasyPrint draws them as vectors, so they stay sharp and add no images."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

PALETTE = ("#2f6fb3", "#4f9a5b", "#d9a21b", "#c4453c", "#7f7f7f", "#8e5fb0")


def bar_chart(bars: Sequence[tuple[str, int]], *, width: int = 420, height: int = 180,
              unit: str = "人") -> str:
    """Vertical bars with the count above each bar and the label below it."""
    top, bottom, side = 22, 26, 12
    inner_h = height - top - bottom
    peak = max((v for _, v in bars), default=0) or 1
    slot = (width - 2 * side) / max(len(bars), 1)
    bar_w = min(slot * 0.6, 60)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" class="chart">',
             f'<line x1="{side}" y1="{top + inner_h}" x2="{width - side}" y2="{top + inner_h}" '
             'stroke="#555" stroke-width="0.8"/>']
    for i, (label, value) in enumerate(bars):
        h = inner_h * value / peak
        x = side + slot * i + (slot - bar_w) / 2
        y = top + inner_h - h
        color = PALETTE[i % len(PALETTE)]
        cx = x + bar_w / 2
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                     f'fill="{color}"/>')
        parts.append(f'<text x="{cx:.1f}" y="{y - 5:.1f}" text-anchor="middle" '
                     f'font-size="10">{value}{escape(unit)}</text>')
        parts.append(f'<text x="{cx:.1f}" y="{top + inner_h + 16:.1f}" text-anchor="middle" '
                     f'font-size="10">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
