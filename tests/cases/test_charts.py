"""The server-side SVG line chart's geometry."""

import datetime

import pytest

from cases.charts import HEIGHT, LEFT, TOP, WIDTH, _nice_max, line_chart


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, 4), (3, 4), (7, 10), (10, 10), (11, 20), (149, 200), (260, 500), (999, 1000)],
)
def test_the_axis_maximum_is_round(value, expected):
    assert _nice_max(value) == expected


def test_lines_span_the_plot_from_left_to_right():
    days = [datetime.date(2020, 3, 1) + datetime.timedelta(days=i) for i in range(3)]

    chart = line_chart(days, [("累计立案", "opened", [0, 2, 4])])

    [line] = chart["lines"]
    points = [tuple(map(float, p.split(","))) for p in line.points.split()]
    assert points[0] == (LEFT, HEIGHT - 32)
    assert points[-1] == (WIDTH - 16, TOP)
    assert line.last == 4
    assert not chart["empty"]
    assert chart["x_ticks"][0]["anchor"] == "start"
    assert chart["x_ticks"][-1] == {"x": WIDTH - 16, "label": "3月3日", "anchor": "end"}


def test_all_zero_lines_are_empty():
    days = [datetime.date(2020, 3, 1)]

    chart = line_chart(days, [("累计销号", "closed", [0])])

    assert chart["empty"]
