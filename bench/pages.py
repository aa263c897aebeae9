"""Page latency and query plans for bench/run.py; prints one JSON object.

Run in a child process against a generated database.  For each page:

- p50/p95 (ms) over ``REPEAT`` warm requests through Django's test client
  (in-process: no network and no gunicorn; the load test in
  docs/operations.md measures those), with the query count;
- ``EXPLAIN (ANALYZE, BUFFERS)`` of the page's slowest query: the plan's
  scan nodes, so the benchmark shows which index serves each list filter
  and search, and flags a sequential scan of a big table.

The baseline is the password-change form: an authenticated page with the
navigation bar and no data of its own, i.e. the framework's floor.
"""

import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import User  # noqa: E402
from cases.models import Case  # noqa: E402
from households.models import Household, Member  # noqa: E402

REPEAT = int(os.environ.get("BENCH_PAGE_REPEAT", "30"))
BIG_TABLES = ("households_household", "households_member", "cases_case")
SCAN = re.compile(
    r"((?:Parallel )?(?:Seq Scan|Index Scan|Index Only Scan|Bitmap Index Scan|"
    r"Bitmap Heap Scan)(?: Backward)?(?: using \S+)? on \S+)"
)


def measure(client, url, params=None, *, cached=False) -> dict:
    """Latency of ``url``; ``cached`` pages are timed with an empty cache."""
    client.get(url, params or {})  # warm
    samples = []
    for _ in range(REPEAT):
        if not cached:
            cache.clear()
        started = time.perf_counter()
        response = client.get(url, params or {})
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    samples.sort()
    if not cached:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        client.get(url, params or {})
    return {
        "p50": statistics.median(samples),
        "p95": samples[max(0, int(len(samples) * 0.95) - 1)],
        "queries": len(queries),
        "plan": explain_slowest(queries.captured_queries),
    }


def explain_slowest(captured) -> dict:
    selects = [q for q in captured if q["sql"].lstrip().upper().startswith("SELECT")]
    if not selects or connection.vendor != "postgresql":
        return {}
    slowest = max(selects, key=lambda q: float(q["time"]))
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
        plan = [row[0] for row in cursor.fetchall()]
    scans = sorted({match for line in plan for match in SCAN.findall(line)})
    total = next((line for line in plan if line.startswith("Execution Time")), "")
    return {
        "sql": slowest["sql"][:300],
        "ms": float(total.split(":")[1].split()[0]) if total else None,
        "scans": scans,
        "seq_scan_of_big_table": any(
            s.startswith(("Seq Scan", "Parallel Seq Scan")) and s.endswith(BIG_TABLES)
            for s in scans
        ),
    }


def main():
    staff = User.objects.get(username="staff_acheng")
    admin = User.objects.get(username="admin")
    household = (
        Household.objects.filter(township=staff.township, removed=False)
        .order_by("household_no")
        .first()
    )
    member = Member.objects.filter(household=household, removed=False).first()
    case = Case.objects.filter(township=staff.township).order_by("pk").first()
    village = household.village_id
    pages = {}
    client = Client()
    client.force_login(staff)
    households = reverse("households:list")
    pages["baseline: password form"] = measure(client, reverse("password_change"))
    pages["list"] = measure(client, households)
    pages["list, page 100"] = measure(client, households, {"page": 100})
    pages["list by village"] = measure(client, households, {"village": village})
    pages["list by 贫困户属性"] = measure(client, households, {"poverty_type": "dibao"})
    pages["search: name"] = measure(client, households, {"q": member.name})
    pages["search: full ID"] = measure(client, households, {"q": member.id_number})
    pages["search: ID last 6"] = measure(
        client, households, {"q": member.id_number[-6:]}
    )
    pages["search: household no."] = measure(
        client, households, {"q": household.household_no}
    )
    pages["detail"] = measure(client, household.get_absolute_url())
    pages["dashboard (computed)"] = measure(client, reverse("dashboard"))
    pages["dashboard (cached)"] = measure(client, reverse("dashboard"), cached=True)
    pages["case queue"] = measure(client, reverse("cases:queue"))
    if case is not None:
        pages["case detail"] = measure(client, reverse("cases:detail", args=[case.pk]))
    client = Client()
    client.force_login(admin)
    pages["list (admin, county)"] = measure(client, households)
    pages["search: name (admin)"] = measure(client, households, {"q": member.name})
    pages["dashboard (admin, computed)"] = measure(client, reverse("dashboard"))
    print(json.dumps(pages, ensure_ascii=False))


if __name__ == "__main__":
    main()
