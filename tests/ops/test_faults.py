"""Faults: a database connection lost in the middle of a write, oversize files.

The two long writers, the roster import and the rule run, each commit in
one transaction.  These tests run the real commands in a child process
against the (committed) test database, make the child block *inside* its
transaction after it has already written rows — a second connection holds
a SHARE lock on the table the child writes next, which lets reads through
and stops the next INSERT/COPY — and then kill the child's backend with
``pg_terminate_backend`` from a third connection, as a server restart or a
network cut would.  Then: nothing of the run is left, the command exits 1
with a Chinese message and no traceback, and a retry gives exactly what an
uninterrupted run gives.

PostgreSQL only (SQLite has no server to lose); CI runs both databases.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from cases.models import Case, CaseEvent
from checklists.models import HouseholdCheck, HouseholdEvaluation, PolicyOutcome
from households.models import Household, ImportBatch, Member, Village

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "data" / "village-roster-example.xlsx"
IMPORT_LOST = "数据库连接中断，本次导入未写入任何数据，请稍后重试"
RULE_RUN_LOST = "数据库连接中断，本次核查未写入任何数据，请稍后重试"
ON_POSTGRES = connection.vendor == "postgresql"
NEEDS_POSTGRES = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="needs PostgreSQL: pg_terminate_backend kills a server connection; "
    "SQLite has none (CI runs the suite on both)",
)


def postgres_only(test):
    return pytest.mark.postgres_only(NEEDS_POSTGRES(test))


def _connect():
    """A connection of our own to the test database (not Django's)."""
    import psycopg2

    db = connection.settings_dict
    raw = psycopg2.connect(
        dbname=db["NAME"],
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        host=db["HOST"] or None,
        port=db["PORT"] or None,
    )
    return raw


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or 5432
    return f"postgres://{quote(db['USER'] or 'postgres')}{password}@{host}:{port}/{db['NAME']}"


def _start(args: list[str], *, app_name: str, media: Path) -> subprocess.Popen:
    """``manage.py ARGS`` in a child process, on the test database."""
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "PGAPPNAME": app_name,  # libpq: lets pg_stat_activity find the child
        "MEDIA_ROOT": str(media),
        "CONN_MAX_AGE": "0",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@contextmanager
def _table_held(table: str):
    """Hold a SHARE lock on ``table``: reads pass, the first write waits."""
    holder = _connect()
    try:
        with holder.cursor() as cursor:
            cursor.execute(f'LOCK TABLE "{table}" IN SHARE MODE')
        yield
    finally:
        holder.rollback()
        holder.close()


def _wait_until_blocked(monitor, app_name: str, child: subprocess.Popen) -> int:
    """The pid of the child's backend once it waits for our lock."""
    deadline = time.monotonic() + 60
    with monitor.cursor() as cursor:
        while time.monotonic() < deadline:
            if child.poll() is not None:
                out, err = child.communicate()
                pytest.fail(f"the child ended before it blocked:\n{out}\n{err}")
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE application_name = %s "
                "AND state = 'active' AND wait_event_type = 'Lock' "
                "AND xact_start IS NOT NULL",
                [app_name],
            )
            row = cursor.fetchone()
            if row:
                return row[0]
            time.sleep(0.05)
    child.kill()
    pytest.fail("the child never reached the locked table")


def _tables_written(monitor, pid: int) -> set[str]:
    """Tables the backend has written in its open transaction."""
    with monitor.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "WHERE l.pid = %s AND l.granted AND l.mode = 'RowExclusiveLock' "
            "AND c.relkind = 'r'",
            [pid],
        )
        return {name for (name,) in cursor.fetchall()}


def _kill_inside_transaction(
    args: list[str], *, lock: str, app_name: str, media: Path
) -> tuple[set[str], subprocess.CompletedProcess]:
    """Run the command, kill its backend mid-transaction; (tables, result)."""
    monitor = _connect()
    monitor.autocommit = True
    try:
        with _table_held(lock):
            child = _start(args, app_name=app_name, media=media)
            pid = _wait_until_blocked(monitor, app_name, child)
            written = _tables_written(monitor, pid)
            with monitor.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
                assert cursor.fetchone() == (True,)
        out, err = child.communicate(timeout=60)
    finally:
        monitor.close()
    return written, subprocess.CompletedProcess(args, child.returncode, out, err)


def _command(*args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command(*map(str, args), stdout=out)
    except SystemExit as exc:
        return exc.code, out.getvalue()
    return 0, out.getvalue()


def _json(*args) -> tuple[int, dict]:
    status, out = _command(*args)
    return status, json.loads(out)


def _assert_clean_failure(result: subprocess.CompletedProcess, message: str):
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.strip() == message


# Killed in the middle of the transaction -------------------------------------


@pytest.mark.django_db(transaction=True)
@postgres_only
def test_it_rolls_back_an_import_whose_connection_is_killed(
    reference_data, tmp_path, settings
):
    """Households and history are written, members wait; the kill undoes all."""
    settings.MEDIA_ROOT = tmp_path / "media"
    args = ["import_roster", str(SAMPLE), "--township", "七级镇", "--format", "json"]
    status, plan = _json(*args, "--dry-run")
    assert status == 0 and plan["households"]["created"] == 5
    villages = Village.objects.count()

    written, result = _kill_inside_transaction(
        args, lock="households_member", app_name="fault-import", media=tmp_path
    )

    # It was killed mid-transaction, with rows already written...
    assert {"households_household", "households_importbatch"} <= written
    _assert_clean_failure(result, IMPORT_LOST)
    # ...and none of them survived.
    assert Household.objects.count() == 0
    assert Member.objects.count() == 0
    assert Household.history.count() == 0 and Member.history.count() == 0
    assert ImportBatch.objects.count() == 0
    assert Village.objects.count() == villages

    status, retried = _json(*args)
    assert status == 0 and retried["written"] is True
    for key in ("households", "members", "villages_created", "errors", "warnings"):
        assert retried[key] == plan[key], key
    assert Household.objects.count() == 5
    assert Member.objects.count() == 11
    assert ImportBatch.objects.filter(status="committed").count() == 1
    assert Village.objects.filter(name="示例村").count() == 1


@pytest.mark.django_db(transaction=True)
@postgres_only
@pytest.mark.parametrize(
    ("lock", "written_before"),
    [
        # Killed during the coverage matrix's COPY (a raw driver call).
        ("checklists_policyoutcome", {"checklists_householdevaluation"}),
        # Killed in the ledger sync, after every outcome is stored.
        (
            "cases_case",
            {"checklists_householdevaluation", "checklists_policyoutcome"},
        ),
    ],
)
def test_it_rolls_back_a_rule_run_whose_connection_is_killed(
    lock, written_before, reference_data, tmp_path, settings
):
    """Outcomes are being stored; the kill undoes the whole run."""
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("generate_demo", households=40, seed=7, stdout=io.StringIO())
    as_of = timezone.localdate().isoformat()
    args = ["evaluate_rules", "--as-of", as_of, "--format", "json"]
    status, plan = _json(*args, "--dry-run")
    assert status == 0 and plan["ledger"]["opened"] > 0
    checks = list(HouseholdCheck.objects.order_by("pk").values())

    written, result = _kill_inside_transaction(
        args, lock=lock, app_name="fault-rules", media=tmp_path
    )

    assert written_before <= written
    _assert_clean_failure(result, RULE_RUN_LOST)
    assert HouseholdEvaluation.objects.count() == 0
    assert PolicyOutcome.objects.count() == 0
    assert Case.objects.count() == 0 and CaseEvent.objects.count() == 0
    assert list(HouseholdCheck.objects.order_by("pk").values()) == checks

    status, retried = _json(*args)
    assert status == 0
    assert {**retried, "dry_run": True} == plan
    assert retried["ledger"]["opened"] == Case.objects.count()
    assert CaseEvent.objects.filter(kind="opened").count() == Case.objects.count()
    evaluated = plan["households_evaluated"]
    assert HouseholdEvaluation.objects.count() == evaluated
    assert PolicyOutcome.objects.exists()


# Oversize files ------------------------------------------------------------


@pytest.mark.django_db
def test_it_refuses_a_file_over_the_limit_without_reading_it(
    tmp_path, settings, monkeypatch
):
    """A 30 MB + 1 byte file (sparse: costs no disk) is refused by its size."""
    settings.MEDIA_ROOT = tmp_path / "media"
    assert settings.IMPORT_MAX_BYTES == 30 * 1024 * 1024
    huge = tmp_path / "huge.xlsx"
    with huge.open("wb") as stream:
        stream.truncate(settings.IMPORT_MAX_BYTES + 1)

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was read")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    monkeypatch.setattr(Path, "open", no_reading)
    status, out = _command(
        "import_roster", huge, "--township", "阿城镇", "--format", "json"
    )

    assert status == 1
    data = json.loads(out)
    assert [e["code"] for e in data["errors"]] == ["file_unreadable"]
    assert "上限" in data["errors"][0]["message"]
    assert data["written"] is False
    assert ImportBatch.objects.count() == 0


@pytest.mark.django_db
def test_it_reads_a_file_exactly_at_the_limit(tmp_path, settings):
    """The limit is inclusive: one byte less and the same file is refused."""
    settings.MEDIA_ROOT = tmp_path / "media"
    args = ["import_roster", SAMPLE, "--township", "七级镇", "--dry-run"]

    settings.IMPORT_MAX_BYTES = SAMPLE.stat().st_size
    status, out = _command(*args, "--format", "json")
    assert status == 0 and json.loads(out)["households"]["created"] == 5

    settings.IMPORT_MAX_BYTES = SAMPLE.stat().st_size - 1
    status, out = _command(*args, "--format", "json")
    assert status == 1
    assert [e["code"] for e in json.loads(out)["errors"]] == ["file_unreadable"]
