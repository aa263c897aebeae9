"""``make bench``: whole-process timings on PostgreSQL, with same-run baselines.

For each size (households; about 2.8 members each):

1. write a roster .xlsx, then time openpyxl reading it in read-only mode in
   a fresh process — the baseline every bar of the issues is measured against;
2. ``import_roster`` into an empty database, then the same file again;
3. ``generate_demo`` (households with benefits) into an empty database,
   ``evaluate_rules`` twice, ``export_progress_report``;
4. page latency through Django's test client (in-process, no network):
   household list, search, detail, dashboard.

Writes docs/benchmarks.md.  Usage: ``bench/run.py [--sizes 6000,60000]``.
Needs a PostgreSQL server: ``BENCH_DATABASE_URL`` (default
postgres://postgres@127.0.0.1:5432/portal_bench) is dropped and recreated.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = sys.executable
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/portal_bench"

READ_BASELINE = """
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
n = 0
for ws in wb.worksheets:
    for row in ws.iter_rows(values_only=True):
        n += 1
print(n)
"""


def recreate_database(url: str) -> None:
    import psycopg2

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def timed(args: list[str], env: dict) -> float:
    started = time.perf_counter()
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode not in (0,):
        raise SystemExit(
            f"failed ({result.returncode}): {' '.join(args)}\n{result.stderr[-2000:]}"
        )
    return elapsed


def manage(*args: str) -> list[str]:
    return [PY, "manage.py", *args]


def page_latency(env: dict, household_count: int) -> dict[str, tuple[float, float]]:
    """p50 and p95 in milliseconds per page, measured in a child process."""
    script = ROOT / "bench" / "pages.py"
    result = subprocess.run(
        [PY, str(script)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        raise SystemExit(result.stderr[-2000:])
    latencies = {}
    for line in result.stdout.splitlines():
        name, p50, p95 = line.split()
        latencies[name] = (float(p50), float(p95))
    return latencies


def run_size(households: int, url: str, workdir: Path) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "True",
        "IMPORT_MAX_ROWS": str(max(200_000, households * 6)),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from bench.roster import write_roster

    roster = workdir / f"roster-{households}.xlsx"
    rows = write_roster(roster, households=households)
    figures: dict = {"households": households, "rows": rows}
    figures["read_baseline"] = min(
        timed([PY, "-c", READ_BASELINE, str(roster)], env) for _ in range(2)
    )

    recreate_database(url)
    timed(manage("migrate", "--noinput"), env)
    figures["import"] = timed(
        manage("import_roster", str(roster), "--format", "json"), env
    )
    figures["reimport"] = timed(
        manage("import_roster", str(roster), "--format", "json"), env
    )

    recreate_database(url)
    timed(manage("migrate", "--noinput"), env)
    timed(manage("demo_users"), env)
    figures["generate_demo"] = timed(
        manage("generate_demo", "--households", str(households)), env
    )
    as_of = datetime.date.today().isoformat()
    figures["evaluate"] = timed(manage("evaluate_rules", "--as-of", as_of), env)
    figures["evaluate_again"] = timed(manage("evaluate_rules", "--as-of", as_of), env)
    report = workdir / f"report-{households}.xlsx"
    figures["export"] = timed(
        manage("export_progress_report", str(report), "--as-of", as_of), env
    )
    figures["pages"] = page_latency(env, households)
    return figures


def markdown(results: list[dict]) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Measured {datetime.datetime.now():%Y-%m-%d %H:%M} by `make bench` on "
        f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, PostgreSQL.  Every time is a whole process "
        "(start-up included); the baseline is openpyxl reading the same roster "
        "in read-only mode, in the same run.  Ratio = time ÷ baseline "
        "(bars: import ≤ 2×, evaluation ≤ 1×, export ≤ 1×).",
        "",
        "| households | rows | openpyxl read (s) | import (s) | ratio | re-import (s) "
        "| ratio | evaluate (s) | ratio | evaluate again (s) | export (s) | ratio "
        "| generate_demo (s) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        base = r["read_baseline"]
        lines.append(
            f"| {r['households']:,} | {r['rows']:,} | {base:.2f} | {r['import']:.2f} | "
            f"{r['import'] / base:.2f} | {r['reimport']:.2f} | {r['reimport'] / base:.2f} | "
            f"{r['evaluate']:.2f} | {r['evaluate'] / base:.2f} | "
            f"{r['evaluate_again']:.2f} | {r['export']:.2f} | {r['export'] / base:.2f} | "
            f"{r['generate_demo']:.2f} |"
        )
    lines += ["", "Page latency (ms, Django test client in-process, p50 / p95):", ""]
    pages = sorted({name for r in results for name in r["pages"]})
    lines.append("| households | " + " | ".join(pages) + " |")
    lines.append("|---|" + "---|" * len(pages))
    for r in results:
        cells = [
            f"{r['pages'][p][0]:.0f} / {r['pages'][p][1]:.0f}"
            if p in r["pages"]
            else "—"
            for p in pages
        ]
        lines.append(f"| {r['households']:,} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="6000")
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in [int(s) for s in args.sizes.split(",")]:
            print(f"== {size} households", flush=True)
            figures = run_size(size, url, Path(tmp))
            print(figures, flush=True)
            results.append(figures)
    out = ROOT / "docs" / "benchmarks.md"
    out.write_text(markdown(results), encoding="utf-8")
    print(out.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
