"""bench/run.py's report: the targets table says met or missed from the figures."""

import json
from pathlib import Path

from bench.run import growth, markdown, targets

RECORDED = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.json"


def _results():
    return json.loads(RECORDED.read_text(encoding="utf-8"))


def test_the_recorded_run_has_both_sizes_and_every_step():
    results = _results()
    assert [r["households"] for r in results][:2] == [6000, 60000]
    for r in results:
        for key in ("import", "reimport", "evaluate", "evaluate_again", "export"):
            assert r[key] > 0 and r["memory"][key] > 0
        assert "plan" in r["pages"]["list"]


def test_targets_are_judged_from_the_figures():
    results = _results()
    results[1]["evaluate"] = 19.9
    results[1]["export"] = 20.0
    verdicts = {label: value < limit for label, value, limit, _ in targets(results)}
    assert verdicts["full rule evaluation"] is True
    assert verdicts["report export"] is False
    # The 18,000-row bar is read at the size whose roster is nearest.
    assert any(label.startswith("roster import of 17,") for label in verdicts)


def test_growth_is_time_ratio_over_size_ratio():
    small = {"households": 1000, "evaluate": 2.0}
    big = {"households": 10000, "evaluate": 20.0}
    assert growth([small, big], "evaluate") == "1.00"


def test_the_markdown_names_a_miss_and_a_pass():
    results = _results()
    results[1]["evaluate"] = 99.0
    results[1]["export"] = 3.0
    text = markdown(results, load="load 1.0")
    assert "## Query plans at 60,000 households" in text
    assert "| full rule evaluation | 99.0 s | < 20 s | **no** |" in text
    assert "| report export | 3.0 s | < 20 s | yes |" in text
