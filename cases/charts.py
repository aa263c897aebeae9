"""Server-side SVG charts: geometry computed here, drawn by a template."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 32


@dataclass(frozen=True)
class Line:
    label: str
    css: str
    points: str
    last: int


def _nice_max(value: int) -> int:
    """A round axis maximum ≥ ``value`` (1, 2, 5 × 10ⁿ)."""
    if value <= 4:
        return 4
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def line_chart(
    days: list[datetime.date], lines: list[tuple[str, str, list[int]]]
) -> dict:
    """Polylines for ``lines`` (label, css class, values) over ``days``."""
    top_value = _nice_max(max((max(v, default=0) for _, _, v in lines), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    count = max(len(days) - 1, 1)

    def x(i: int) -> float:
        return round(LEFT + plot_w * i / count, 1)

    def y(v: int) -> float:
        return round(TOP + plot_h * (1 - v / top_value), 1)

    drawn = [
        Line(
            label=label,
            css=css,
            points=" ".join(f"{x(i)},{y(v)}" for i, v in enumerate(values)),
            last=values[-1] if values else 0,
        )
        for label, css, values in lines
    ]
    y_ticks = [
        {"y": y(top_value * k // 4), "label": top_value * k // 4} for k in range(5)
    ]
    step = max(1, len(days) // 6)
    x_ticks = [
        {"x": x(i), "label": f"{day.month}月{day.day}日", "anchor": "middle"}
        for i, day in enumerate(days)
        if i % step == 0 or i == len(days) - 1
    ]
    if len(x_ticks) > 1 and x_ticks[-1]["x"] - x_ticks[-2]["x"] < 60:
        del x_ticks[-2]
    # The end labels stay inside the drawing.
    if x_ticks:
        x_ticks[0]["anchor"] = "start"
        x_ticks[-1]["anchor"] = "end"
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "bottom": HEIGHT - BOTTOM,
        "lines": drawn,
        "y_ticks": y_ticks,
        "x_ticks": x_ticks,
        "empty": all(line.last == 0 for line in drawn),
    }
