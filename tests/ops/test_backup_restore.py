"""Backup and restore (scripts/backup.sh, scripts/restore.sh, ops/backup.py).

The test commits real data first (a roster import with its original file
under MEDIA_ROOT, demo households with benefits, a rule run with cases),
backs it up with the script, restores into a new database and a new media
directory with the other script, and compares every model table — counts
and every row — and every file with the source.  The new database is
dropped at the end.  PostgreSQL only: pg_dump and pg_restore.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from cases.models import Case
from households.models import ImportBatch, Member

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "data" / "village-roster-example.xlsx"
NEEDS_POSTGRES = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: the procedure is pg_dump/pg_restore (CI runs the "
    "suite on both databases)",
)


def _url(name: str) -> str:
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or 5432
    return (
        f"postgres://{quote(db['USER'] or 'postgres')}{password}@{host}:{port}/{name}"
    )


def _script(*args, database_url: str, media: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media),
        "PYTHON": sys.executable,
    }
    return subprocess.run(
        [*map(str, args)], cwd=ROOT, env=env, capture_output=True, text=True
    )


def _rows(cursor, table: str, key: str) -> list[tuple]:
    cursor.execute(f'SELECT * FROM "{table}" ORDER BY "{key}"')
    return cursor.fetchall()


def _model_tables() -> dict[str, str]:
    """db_table → primary key column of every model (history, m2m included),
    and the migration record (the restored database needs no migration)."""
    tables = {"django_migrations": "id"}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            tables[model._meta.db_table] = model._meta.pk.column
    return tables


def _files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file()
    }


@pytest.mark.postgres_only
@NEEDS_POSTGRES
@pytest.mark.django_db(transaction=True)
def test_it_restores_a_backup_into_a_new_database_equal_to_the_source(
    reference_data, tmp_path, settings
):
    import psycopg2

    from ops.backup import drop_database

    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    quiet = io.StringIO()
    call_command("import_roster", str(SAMPLE), township="七级镇", stdout=quiet)
    call_command("generate_demo", households=30, seed=3, stdout=quiet)
    call_command("evaluate_rules", stdout=quiet)
    (media / "evidence").mkdir(parents=True, exist_ok=True)
    (media / "evidence" / "入户照片.jpg").write_bytes(os.urandom(2048))
    assert ImportBatch.objects.exists() and Case.objects.exists()
    source_name = connection.settings_dict["NAME"]
    source_url = _url(source_name)
    backups = tmp_path / "backups"

    done = _script(
        "scripts/backup.sh",
        "--output-dir",
        backups,
        database_url=source_url,
        media=media,
    )
    assert done.returncode == 0, done.stderr
    (backup,) = backups.iterdir()
    assert backup.name.startswith("portal-")
    assert {p.name for p in backup.iterdir()} == {
        "database.dump",
        "media.tar.gz",
        "manifest.json",
    }

    restored_name = f"{source_name}_restored"
    restored_url = _url(restored_name)
    restored_media = tmp_path / "restored-media"
    drop_database(restored_url)
    try:
        done = _script(
            "scripts/restore.sh",
            backup,
            "--database-url",
            restored_url,
            "--media-root",
            restored_media,
            database_url=source_url,
            media=media,
        )
        assert done.returncode == 0, done.stderr
        assert "恢复完成" in done.stdout

        # Every model table: the same count and the same rows.
        # (Both through the same driver, which decodes JSON alike.)
        original, restored = (
            psycopg2.connect(source_url),
            psycopg2.connect(restored_url),
        )
        try:
            with original.cursor() as source, restored.cursor() as copy:
                for table, key in _model_tables().items():
                    want, got = _rows(source, table, key), _rows(copy, table, key)
                    assert len(got) == len(want), table
                    assert got == want, table
                copy.execute(
                    "SELECT name FROM households_member WHERE id_number = %s",
                    ["371521195205201241"],
                )
                assert copy.fetchone() == ("高凤琴",)
        finally:
            original.close()
            restored.close()
        assert Member.objects.count() > 11
        # Every uploaded file, byte for byte (the roster kept by the batch too).
        assert _files(restored_media) == _files(media)
        batch = ImportBatch.objects.get()
        assert (restored_media / batch.file.name).is_file()
        # Verification notices a difference...
        restored = psycopg2.connect(restored_url)
        with restored, restored.cursor() as cursor:
            cursor.execute(
                "DELETE FROM cases_caseevent WHERE id = (SELECT min(id) FROM cases_caseevent)"
            )
        restored.close()
        done = _script(
            sys.executable,
            "ops/backup.py",
            "verify",
            backup,
            "--database-url",
            restored_url,
            database_url=source_url,
            media=media,
        )
        assert done.returncode == 1
        assert "public.cases_caseevent" in done.stderr
        # ...and restore never overwrites an existing database.
        done = _script(
            "scripts/restore.sh",
            backup,
            "--database-url",
            source_url,
            database_url=source_url,
            media=media,
        )
        assert done.returncode == 1 and "已存在" in done.stderr
        assert Case.objects.exists()
    finally:
        drop_database(restored_url)


@pytest.mark.postgres_only
@NEEDS_POSTGRES
@pytest.mark.django_db(transaction=True)
def test_it_refuses_a_damaged_backup_before_creating_anything(reference_data, tmp_path):
    from ops.backup import drop_database

    media = tmp_path / "media"
    source_url = _url(connection.settings_dict["NAME"])
    backups = tmp_path / "backups"
    done = _script(
        "scripts/backup.sh",
        "--output-dir",
        backups,
        database_url=source_url,
        media=media,
    )
    assert done.returncode == 0, done.stderr
    (backup,) = backups.iterdir()
    dump = backup / "database.dump"
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))

    restored_url = _url(f"{connection.settings_dict['NAME']}_damaged")
    try:
        done = _script(
            "scripts/restore.sh",
            backup,
            "--database-url",
            restored_url,
            database_url=source_url,
            media=media,
        )
        assert done.returncode == 1
        assert "已损坏" in done.stderr
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s",
                [f"{connection.settings_dict['NAME']}_damaged"],
            )
            assert cursor.fetchone() is None
    finally:
        drop_database(restored_url)
