"""``make bench``: whole-process timings on PostgreSQL, with same-run baselines.

For each size (households; about 2.9 members each):

1. write a roster .xlsx, then time openpyxl reading it in read-only mode in
   a fresh process: the baseline the import, rule run and export are set
   against (ratio = time ÷ baseline);
2. ``import_roster`` into an empty database, then the same file again
   (re-import: every row compared, nothing changed);
3. ``generate_demo`` (households with benefits, PostgreSQL COPY) into an
   empty database, ``evaluate_rules`` twice, ``export_progress_report``;
4. ``VACUUM ANALYZE`` (autovacuum's steady state), then page latency and
   query plans (bench/pages.py): household list, filters,
   searches, detail, dashboard, case queue, against the password-change
   form as the floor.

Every step is a separate process; its wall time and peak memory (max RSS)
are recorded.  Writes docs/benchmarks.md, docs/benchmarks.png and
docs/benchmarks.json.  Usage::

    bench/run.py [--sizes 6000,60000] [--large]

``--large`` adds 300,000 households (IMPORT_MAX_ROWS is raised to fit).
Needs a PostgreSQL server: ``BENCH_DATABASE_URL`` (default
postgres://postgres@127.0.0.1:5432/portal_bench) is dropped and recreated.
"""

from __future__ import annotations

import argparse
import datetime
import json
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
DOCS = ROOT / "docs"
LARGE = 300_000

READ_BASELINE = """
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
n = 0
for ws in wb.worksheets:
    for row in ws.iter_rows(values_only=True):
        n += 1
print(n)
"""

# What issue #8 asks for (2 cores, PostgreSQL): (label, size, value, limit).
TARGET_SIZE = 60_000


def targets(results: list[dict]) -> list[tuple[str, float | None, float, str]]:
    """(target, measured, limit, unit) for the issue's performance targets."""
    by_size = {r["households"]: r for r in results}
    main = by_size.get(TARGET_SIZE)
    small = min(results, key=lambda r: abs(r["rows"] - 18_000))
    rows = []
    if main:
        pages = main["pages"]
        rows += [
            ("household list p95", pages["list"]["p95"], 150, "ms"),
            (
                "household list (admin, county) p95",
                pages["list (admin, county)"]["p95"],
                150,
                "ms",
            ),
            ("search by name p95", pages["search: name"]["p95"], 150, "ms"),
            ("search by full ID p95", pages["search: full ID"]["p95"], 150, "ms"),
            ("household detail p95", pages["detail"]["p95"], 100, "ms"),
            ("full rule evaluation", main["evaluate"], 20, "s"),
            ("rule evaluation, second run", main["evaluate_again"], 20, "s"),
            ("report export", main["export"], 20, "s"),
            (
                "peak memory of a job (import, rule run, export)",
                max(main["memory"][key] for key in JOB_STEPS),
                500,
                "MB",
            ),
        ]
    rows.append((f"roster import of {small['rows']:,} rows", small["import"], 5, "s"))
    return rows


def _connect(url: str, dbname: str):
    import psycopg2

    parts = urlparse(url)
    connection = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname=dbname,
    )
    connection.autocommit = True
    return connection


def recreate_database(url: str) -> None:
    name = urlparse(url).path.lstrip("/")
    admin = _connect(url, "postgres")
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def vacuum(url: str) -> None:
    """What autovacuum reaches within minutes: visibility map and statistics.

    Without it the pages read a database whose cases were all written a
    moment ago, and index-only scans still visit the heap.
    """
    connection = _connect(url, urlparse(url).path.lstrip("/"))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()


def run(args: list[str], env: dict) -> tuple[float, float, str]:
    """Run a child process; return (seconds, peak RSS in MB, stdout)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=err)
        _pid, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode:
            raise SystemExit(
                f"failed ({process.returncode}): {' '.join(args)}\n"
                f"{err.read().decode(errors='replace')[-2000:]}"
            )
        return elapsed, usage.ru_maxrss / 1024, out.read().decode()


def manage(*args: str) -> list[str]:
    return [PY, "manage.py", *args]


def run_size(households: int, url: str, workdir: Path) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "True",
        "IMPORT_MAX_ROWS": str(max(200_000, households * 6)),
        "IMPORT_MAX_BYTES": str(max(30, households // 1000) * 1024 * 1024),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from bench.roster import write_roster

    roster = workdir / f"roster-{households}.xlsx"
    rows = write_roster(roster, households=households)
    figures: dict = {"households": households, "rows": rows, "memory": {}}

    def step(name: str, args: list[str]) -> str:
        seconds, rss, output = run(args, env)
        figures[name] = seconds
        figures["memory"][name] = rss
        print(f"  {name}: {seconds:.2f} s, {rss:.0f} MB", flush=True)
        return output

    figures["read_baseline"] = min(
        run([PY, "-c", READ_BASELINE, str(roster)], env)[0] for _ in range(2)
    )
    print(f"  read_baseline: {figures['read_baseline']:.2f} s", flush=True)

    recreate_database(url)
    run(manage("migrate", "--noinput"), env)
    step("import", manage("import_roster", str(roster), "--format", "json"))
    step("reimport", manage("import_roster", str(roster), "--format", "json"))

    recreate_database(url)
    run(manage("migrate", "--noinput"), env)
    run(manage("demo_users"), env)
    step("generate_demo", manage("generate_demo", "--households", str(households)))
    as_of = datetime.date.today().isoformat()
    step("evaluate", manage("evaluate_rules", "--as-of", as_of))
    step("evaluate_again", manage("evaluate_rules", "--as-of", as_of))
    report = workdir / f"report-{households}.xlsx"
    step("export", manage("export_progress_report", str(report), "--as-of", as_of))
    vacuum(url)
    pages = step("pages", [PY, str(ROOT / "bench" / "pages.py")])
    figures["pages"] = json.loads(pages.strip().splitlines()[-1])
    return figures


# Report ---------------------------------------------------------------------

# What runs as a background job in the portal (docs/jobs.md); generate_demo
# is a demo-data command, measured but not held to the jobs' memory bar.
JOB_STEPS = ("import", "reimport", "evaluate", "evaluate_again", "export")

STEPS = [
    ("import", "import"),
    ("reimport", "re-import"),
    ("generate_demo", "generate_demo"),
    ("evaluate", "evaluate"),
    ("evaluate_again", "evaluate again"),
    ("export", "export"),
]


def growth(results: list[dict], key: str) -> str:
    """Time ratio ÷ size ratio between consecutive sizes (1.0 = linear)."""
    cells = []
    for small, big in zip(results, results[1:], strict=False):
        size = big["households"] / small["households"]
        cells.append(f"{big[key] / small[key] / size:.2f}")
    return ", ".join(cells) or "—"


def markdown(results: list[dict], *, load: str) -> str:
    sizes = ", ".join(f"{r['households']:,}" for r in results)
    lines = [
        "# Benchmarks",
        "",
        f"Measured {results[-1].get('measured', 'in the run recorded')} by "
        "`make bench` "
        f"(sizes {sizes}) on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, PostgreSQL; {load}.",
        "Reproduce with `make bench` (add `BENCH_LARGE=1` for 300,000 households).",
        "Every time is a whole process, start-up included (about 1 s of Django",
        "set-up). The baseline is openpyxl reading the same roster in read-only",
        "mode in the same run; ratio = time ÷ baseline. The chart is",
        "[benchmarks.png](benchmarks.png); the raw figures are in",
        "[benchmarks.json](benchmarks.json).",
        "",
        "## Whole jobs (seconds)",
        "",
        "| households | roster rows | openpyxl read (baseline) | "
        + " | ".join(label for _, label in STEPS)
        + " |",
        "|---:|---:|---:|" + "---:|" * len(STEPS),
    ]
    for r in results:
        cells = [f"{r[key]:.1f}" for key, _ in STEPS]
        lines.append(
            f"| {r['households']:,} | {r['rows']:,} | {r['read_baseline']:.1f} | "
            + " | ".join(cells)
            + " |"
        )
    lines += [
        "",
        "Ratios to the baseline (import bar ≤ 2×, rule run ≤ 1×, export ≤ 1×):",
        "",
        "| households | " + " | ".join(label for _, label in STEPS) + " |",
        "|---:|" + "---:|" * len(STEPS),
    ]
    for r in results:
        base = r["read_baseline"]
        cells = [f"{r[key] / base:.2f}×" for key, _ in STEPS]
        lines.append(f"| {r['households']:,} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Growth between consecutive sizes, (time ratio) ÷ (size ratio); 1.00 is",
        "linear, below 1 means fixed start-up costs still weigh at the small size:",
        "",
        "| step | growth |",
        "|---|---:|",
    ]
    for key, label in STEPS:
        lines.append(f"| {label} | {growth(results, key)} |")
    lines += [
        "",
        "Peak memory of each process (max RSS, MB):",
        "",
        "| households | " + " | ".join(label for _, label in STEPS) + " |",
        "|---:|" + "---:|" * len(STEPS),
    ]
    for r in results:
        cells = [f"{r['memory'][key]:.0f}" for key, _ in STEPS]
        lines.append(f"| {r['households']:,} | " + " | ".join(cells) + " |")
    lines += [
        "",
        f"## Targets (issue #8, at {TARGET_SIZE:,} households)",
        "",
        "| target | measured | limit | met |",
        "|---|---:|---:|:-:|",
    ]
    for label, value, limit, unit in targets(results):
        met = "yes" if value < limit else "**no**"
        lines.append(f"| {label} | {value:.1f} {unit} | < {limit} {unit} | {met} |")
    lines += [
        "",
        "Where a target is missed, README.md (Performance) says why and what",
        "would close it.",
    ]
    lines += page_tables(results)
    return "\n".join(lines) + "\n"


def page_tables(results: list[dict]) -> list[str]:
    lines = [
        "",
        "## Pages (ms)",
        "",
        "Django's test client in-process (no network, no gunicorn), staff of",
        "阿城镇 unless marked; 30 warm requests each, the dashboard both computed",
        "(empty cache) and from the cache. Ratio = p50 ÷ the password form's p50.",
        "",
        "| page | "
        + " | ".join(f"{r['households']:,}: p50 / p95 (ratio)" for r in results)
        + " | queries |",
        "|---|" + "---:|" * len(results) + "---:|",
    ]
    names = list(results[-1]["pages"])
    for name in names:
        cells = []
        for r in results:
            page = r["pages"].get(name)
            base = r["pages"]["baseline: password form"]["p50"]
            cells.append(
                f"{page['p50']:.0f} / {page['p95']:.0f} ({page['p50'] / base:.1f}×)"
                if page
                else "—"
            )
        queries = results[-1]["pages"][name]["queries"]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {queries} |")
    biggest = results[-1]
    lines += [
        "",
        f"## Query plans at {biggest['households']:,} households",
        "",
        "`EXPLAIN (ANALYZE, BUFFERS)` of each page's slowest query: its time and",
        "the scans in its plan. ⚠ marks a sequential scan of households, members",
        "or cases.",
        "",
        "| page | slowest query (ms) | scans |",
        "|---|---:|---|",
    ]
    for name, page in biggest["pages"].items():
        plan = page.get("plan") or {}
        flag = " ⚠" if plan.get("seq_scan_of_big_table") else ""
        scans = "; ".join(plan.get("scans", []))
        ms = plan.get("ms")
        lines.append(
            f"| {name}{flag} | {ms:.1f} | {scans} |"
            if ms is not None
            else f"| {name} | — | — |"
        )
    return lines


def chart(results: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot
    from matplotlib.ticker import FuncFormatter

    sizes = [r["households"] for r in results]
    figure, axis = pyplot.subplots(figsize=(8, 5), dpi=120)
    for key, label in [("read_baseline", "openpyxl read (baseline)"), *STEPS]:
        axis.plot(sizes, [r[key] for r in results], marker="o", label=label)
    first = results[0]
    axis.plot(
        sizes,
        [first["evaluate"] * s / sizes[0] for s in sizes],
        linestyle=":",
        color="grey",
        label="linear from evaluate's first point",
    )
    axis.set_xscale("log")
    axis.set_yscale("log")
    axis.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    axis.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    axis.yaxis.set_minor_formatter(FuncFormatter(lambda v, _: ""))
    axis.xaxis.set_minor_formatter(FuncFormatter(lambda v, _: ""))
    axis.set_xticks(sizes)
    axis.set_xlabel("households")
    axis.set_ylabel("seconds (whole process)")
    axis.set_title("make bench: time against size (log–log)")
    axis.grid(True, which="both", alpha=0.3)
    axis.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path)


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min) / {five:.1f} (5 min) at the end"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="6000,60000")
    parser.add_argument("--large", action="store_true", help="also 300,000 households")
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="rewrite the Markdown and the chart from docs/benchmarks.json",
    )
    args = parser.parse_args()
    if args.report_only:
        results = json.loads((DOCS / "benchmarks.json").read_text(encoding="utf-8"))
        write_report(results, load=results[-1].get("load", "load not recorded"))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.large and LARGE not in sizes:
        sizes.append(LARGE)
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sorted(sizes):
            print(f"== {size:,} households", flush=True)
            results.append(run_size(size, url, Path(tmp)))
    for figures in results:
        figures["measured"] = (
            f"{datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}"
        )
        figures["load"] = load_average()
    (DOCS / "benchmarks.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    write_report(results, load=load_average())


def write_report(results: list[dict], *, load: str) -> None:
    chart(results, DOCS / "benchmarks.png")
    out = DOCS / "benchmarks.md"
    out.write_text(markdown(results, load=load), encoding="utf-8")
    print(out.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
