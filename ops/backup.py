"""Backup and restore of the portal: the PostgreSQL database and MEDIA_ROOT.

    scripts/backup.sh  [--output-dir DIR] [--database-url URL] [--media-root DIR]
    scripts/restore.sh BACKUP_DIR --database-url NEW_URL [--media-root DIR]
    python ops/backup.py verify BACKUP_DIR --database-url URL [--media-root DIR]

A backup is one directory, ``portal-YYYYMMDD-HHMMSS/``, holding

- ``database.dump``: ``pg_dump --format=custom`` of the whole database;
- ``media.tar.gz``: every file under MEDIA_ROOT (uploaded rosters, evidence);
- ``manifest.json``: for every table its row count and an MD5 digest of a
  sample of its rows (the first and last rows by primary key and about one
  in 256 spread over the table); every file of MEDIA_ROOT with its size and
  SHA-256; the SHA-256 of both archives.

The manifest is computed inside the very snapshot that pg_dump dumps (an
exported snapshot of a REPEATABLE READ transaction), so it describes the
dump exactly even while the portal keeps writing.  The directory is written
under a temporary name and renamed when complete: a backup that is there is
whole.

Restoring never overwrites anything: it checks both archives against the
manifest, creates a NEW database (an existing one is refused), restores the
dump into it and unpacks the files into an empty directory, then verifies
the result — every table's count and sample digest, every sequence ahead of
its table's largest key, every file — against the manifest.  Any difference
exits 1.  Pointing the portal at the restored database is a separate,
deliberate step (docs/operations.md).

Only psycopg2 and the PostgreSQL client programs are needed (no Django), so
the tool runs on a database host or a backup host as well.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

import psycopg2
from psycopg2 import sql
from psycopg2.extensions import ISOLATION_LEVEL_REPEATABLE_READ

ROOT = Path(__file__).resolve().parent.parent
FORMAT = 1
DUMP = "database.dump"
MEDIA = "media.tar.gz"
MANIFEST = "manifest.json"
# The sample: this many rows at each end of the primary key, plus the rows
# whose key's MD5 starts with SAMPLE_PREFIX (one in 256, spread evenly).
EDGE_ROWS = 20
SAMPLE_PREFIX = "00"
_SCHEMES = {"postgres", "postgresql", "pgsql", "postgis"}
_CHUNK = 1 << 20


class BackupError(Exception):
    """A failure to report to the operator (Chinese message), exit 1."""


# Connections ---------------------------------------------------------------


def libpq_url(url: str) -> str:
    """A DATABASE_URL as django-environ takes it, for libpq and pg_dump."""
    parts = urlsplit(url)
    if parts.scheme not in _SCHEMES:
        raise BackupError(
            f"只支持 PostgreSQL 数据库（DATABASE_URL 以 postgres:// 开头），收到“{parts.scheme}://…”"
        )
    if not database_name(url):
        raise BackupError("DATABASE_URL 中没有数据库名称")
    return urlunsplit(("postgresql", *parts[1:]))


def database_name(url: str) -> str:
    return unquote(urlsplit(url).path.lstrip("/"))


def _maintenance_url(url: str) -> str:
    """The same server's ``postgres`` database (to create databases)."""
    parts = urlsplit(libpq_url(url))
    return urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))


def connect(url: str, *, snapshot: bool = False):
    try:
        conn = psycopg2.connect(libpq_url(url))
    except psycopg2.OperationalError as exc:
        raise BackupError(
            f"无法连接数据库“{database_name(url)}”：{str(exc).strip()}"
        ) from exc
    if snapshot:
        conn.set_session(isolation_level=ISOLATION_LEVEL_REPEATABLE_READ, readonly=True)
    with conn.cursor() as cursor:
        # Rows are compared as text: timestamps must print the same way.
        cursor.execute("SET TIME ZONE 'UTC'")
    return conn


def _run(args: list[str], what: str) -> None:
    try:
        done = subprocess.run(args, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise BackupError(
            f"找不到 {args[0]}：请安装 PostgreSQL 客户端（postgresql-client，"
            "版本不低于数据库服务器）"
        ) from exc
    if done.returncode != 0:
        raise BackupError(f"{what}失败：{done.stderr.strip()[-2000:]}")


# What a database holds -----------------------------------------------------


@dataclass(frozen=True)
class Table:
    schema: str
    name: str
    key: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.schema}.{self.name}"


def tables(cursor) -> list[Table]:
    """Every ordinary table outside the system schemas, with its primary key."""
    cursor.execute(
        """
        SELECT c.oid, n.nspname, c.relname,
               ARRAY(SELECT a.attname FROM pg_index i
                     JOIN pg_attribute a
                       ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                     WHERE i.indrelid = c.oid AND i.indisprimary
                     ORDER BY array_position(i.indkey::int2[], a.attnum))
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r'
          AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg\\_%'
        ORDER BY n.nspname, c.relname
        """
    )
    return [Table(schema, name, tuple(key)) for _oid, schema, name, key in cursor]


def table_summary(cursor, table: Table) -> dict[str, object]:
    """Row count, and the size and MD5 of the sample rows as text."""
    ident = sql.Identifier(table.schema, table.name)
    cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(ident))
    (rows,) = cursor.fetchone()
    if table.key:
        key = sql.SQL(", ").join(map(sql.Identifier, table.key))
        key_desc = sql.SQL(", ").join(
            sql.SQL("{} DESC").format(sql.Identifier(c)) for c in table.key
        )
        row_key = sql.SQL(", ").join(sql.Identifier("_row", c) for c in table.key)
        query = sql.SQL(
            """
            SELECT count(*), md5(string_agg(_row::text, E'\\n' ORDER BY {row_key}))
            FROM {table} _row
            WHERE ({row_key}) IN (
                (SELECT {key} FROM {table} ORDER BY {key} LIMIT {edge})
                UNION (SELECT {key} FROM {table} ORDER BY {key_desc} LIMIT {edge})
                UNION (SELECT {key} FROM {table}
                       WHERE left(md5(ROW({key})::text), {width}) = {prefix})
            )
            """
        ).format(
            row_key=row_key,
            key=key,
            key_desc=key_desc,
            table=ident,
            edge=sql.Literal(EDGE_ROWS),
            width=sql.Literal(len(SAMPLE_PREFIX)),
            prefix=sql.Literal(SAMPLE_PREFIX),
        )
    else:
        # No key to sample by: digest the whole table in a stable order.
        query = sql.SQL(
            "SELECT count(*), md5(string_agg(_row::text, E'\\n' ORDER BY _row::text)) "
            "FROM {} _row"
        ).format(ident)
    cursor.execute(query)
    sampled, digest = cursor.fetchone()
    return {"rows": rows, "sample_rows": sampled, "sample_md5": digest or ""}


def database_summary(cursor) -> dict[str, dict]:
    return {table.label: table_summary(cursor, table) for table in tables(cursor)}


def sequences_behind(cursor) -> list[str]:
    """Sequences whose next value would collide with an existing key."""
    cursor.execute(
        """
        SELECT s.seqrelid::regclass::text, n.nspname, t.relname, a.attname
        FROM pg_sequence s
        JOIN pg_depend d ON d.objid = s.seqrelid
         AND d.classid = 'pg_class'::regclass
         AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
        JOIN pg_class t ON t.oid = d.refobjid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
        ORDER BY 1
        """
    )
    owned = cursor.fetchall()
    behind = []
    for sequence, schema, table, column in owned:
        cursor.execute(
            sql.SQL("SELECT max({}) FROM {}").format(
                sql.Identifier(column), sql.Identifier(schema, table)
            )
        )
        (largest,) = cursor.fetchone()
        if largest is None:
            continue
        cursor.execute(
            sql.SQL("SELECT last_value, is_called FROM {}").format(
                sql.SQL(sequence)  # regclass text: already quoted
            )
        )
        last_value, is_called = cursor.fetchone()
        following = last_value + 1 if is_called else last_value
        if following <= largest:
            behind.append(f"{sequence}（下一个值 {following}，表中最大值 {largest}）")
    return behind


# Files ---------------------------------------------------------------------


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def media_files(root: Path) -> dict[str, dict]:
    """Every regular file under ``root``: relative path → size and SHA-256."""
    if not root.is_dir():
        return {}
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            found[path.relative_to(root).as_posix()] = {
                "bytes": path.stat().st_size,
                "sha256": sha256(path),
            }
    return found


def archive_media(root: Path, target: Path) -> dict[str, dict]:
    files = media_files(root)
    with tarfile.open(target, "w:gz") as archive:
        for name in files:
            archive.add(root / name, arcname=name, recursive=False)
    return files


# Backup --------------------------------------------------------------------


def create_backup(*, database_url: str, media_root: Path, output_dir: Path) -> Path:
    """Write a complete backup directory under ``output_dir``; return it."""
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = output_dir / f"portal-{stamp}"
    if target.exists():
        raise BackupError(f"备份目录 {target} 已存在，请稍后再试")
    partial = output_dir / f".portal-{stamp}.partial"
    output_dir.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    try:
        conn = connect(database_url, snapshot=True)
        try:
            with conn.cursor() as cursor:
                cursor.execute("SELECT pg_export_snapshot(), version()")
                snapshot, server = cursor.fetchone()
                _run(
                    [
                        "pg_dump",
                        "--format=custom",
                        f"--snapshot={snapshot}",
                        f"--file={partial / DUMP}",
                        f"--dbname={libpq_url(database_url)}",
                    ],
                    "pg_dump 导出数据库",
                )
                summary = database_summary(cursor)
        finally:
            conn.rollback()
            conn.close()
        # After the database's snapshot: every file a row refers to was
        # uploaded before it, and uploads are never changed in place.
        files = archive_media(media_root, partial / MEDIA)
        manifest = {
            "format": FORMAT,
            "created_at": datetime.datetime.now().astimezone().isoformat(),
            "database": database_name(database_url),
            "server_version": server,
            "sample": {"edge_rows": EDGE_ROWS, "md5_prefix": SAMPLE_PREFIX},
            "dump": {"file": DUMP, "sha256": sha256(partial / DUMP)},
            "tables": summary,
            "media": {
                "file": MEDIA,
                "sha256": sha256(partial / MEDIA),
                "source": str(media_root),
                "files": files,
            },
        }
        (partial / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        partial.rename(target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return target


# Restore and verify --------------------------------------------------------


def load_manifest(backup: Path) -> dict:
    try:
        manifest = json.loads((backup / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(
            f"{backup} 不是完整的备份目录（缺少或无法读取 {MANIFEST}）"
        ) from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"不认识的备份格式：{manifest.get('format')!r}")
    return manifest


def check_archives(backup: Path, manifest: dict) -> None:
    """Both archives are there and unchanged since the backup."""
    for entry in (manifest["dump"], manifest["media"]):
        path = backup / entry["file"]
        if not path.is_file():
            raise BackupError(f"备份不完整：缺少 {path}")
        if sha256(path) != entry["sha256"]:
            raise BackupError(f"{path} 已损坏（SHA-256 与清单不符），不能用于恢复")


def create_database(database_url: str) -> None:
    """Create the target database; refuse one that exists."""
    name = database_name(database_url)
    admin = psycopg2.connect(_maintenance_url(database_url))
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone():
                raise BackupError(
                    f"数据库“{name}”已存在。恢复只写入新建的数据库，"
                    "请换一个名称；确认旧库不再需要后才可手工删除它"
                )
            cursor.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(
                    sql.Identifier(name)
                )
            )
    finally:
        admin.close()


def drop_database(database_url: str) -> None:
    admin = psycopg2.connect(_maintenance_url(database_url))
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(database_name(database_url))
                )
            )
    finally:
        admin.close()


def unpack_media(backup: Path, manifest: dict, media_root: Path) -> None:
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(
            f"文件目录 {media_root} 不是空的。恢复不覆盖现有文件，请指定一个新的空目录"
        )
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(backup / manifest["media"]["file"], "r:gz") as archive:
        archive.extractall(media_root, filter="data")


def verify(
    manifest: dict, *, database_url: str, media_root: Path | None
) -> tuple[list[str], dict[str, int]]:
    """Differences between a database (and files) and the manifest."""
    problems: list[str] = []
    conn = connect(database_url, snapshot=True)
    try:
        with conn.cursor() as cursor:
            actual = database_summary(cursor)
            behind = sequences_behind(cursor)
    finally:
        conn.rollback()
        conn.close()
    expected = manifest["tables"]
    for label in sorted(set(expected) | set(actual)):
        want, got = expected.get(label), actual.get(label)
        if want is None:
            problems.append(f"表 {label}：备份中没有这张表")
        elif got is None:
            problems.append(f"表 {label}：恢复后缺少这张表")
        elif want["rows"] != got["rows"]:
            problems.append(
                f"表 {label}：备份 {want['rows']} 行，恢复后 {got['rows']} 行"
            )
        elif want != got:
            problems.append(f"表 {label}：抽样记录内容不一致")
    problems += [f"序列落后于表中数据：{entry}" for entry in behind]
    files = 0
    if media_root is not None:
        stored = manifest["media"]["files"]
        present = media_files(media_root)
        files = len(present)
        for name in sorted(set(stored) | set(present)):
            if name not in present:
                problems.append(f"文件缺失：{name}")
            elif name not in stored:
                problems.append(f"多出的文件：{name}")
            elif stored[name] != present[name]:
                problems.append(f"文件内容不一致：{name}")
    figures = {
        "tables": len(actual),
        "rows": sum(t["rows"] for t in actual.values()),
        "sample_rows": sum(t["sample_rows"] for t in actual.values()),
        "files": files,
    }
    return problems, figures


def restore_backup(
    backup: Path,
    *,
    database_url: str,
    media_root: Path | None,
    jobs: int = 1,
) -> dict[str, int]:
    """Restore into a new database (and directory), then verify; see above."""
    manifest = load_manifest(backup)
    check_archives(backup, manifest)
    if media_root is not None and media_root.exists() and any(media_root.iterdir()):
        raise BackupError(
            f"文件目录 {media_root} 不是空的。恢复不覆盖现有文件，请指定一个新的空目录"
        )
    create_database(database_url)
    try:
        _run(
            [
                "pg_restore",
                "--exit-on-error",
                "--no-owner",
                "--no-privileges",
                f"--jobs={jobs}",
                f"--dbname={libpq_url(database_url)}",
                str(backup / manifest["dump"]["file"]),
            ],
            "pg_restore 恢复数据库",
        )
    except BackupError:
        # Never leave a half-restored database that looks usable.
        drop_database(database_url)
        raise
    if media_root is not None:
        unpack_media(backup, manifest, media_root)
    problems, figures = verify(
        manifest, database_url=database_url, media_root=media_root
    )
    if problems:
        raise BackupError(
            "恢复后的数据与备份清单不一致：\n" + "\n".join(f"  {p}" for p in problems)
        )
    return figures


# Command line --------------------------------------------------------------


def _default_media_root() -> Path:
    return Path(os.environ.get("MEDIA_ROOT") or ROOT / "media")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ops/backup.py", description="门户数据库和上传文件的备份与恢复"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="备份数据库和上传文件")
    create.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL"),
        help="默认 $DATABASE_URL",
    )
    create.add_argument(
        "--media-root", type=Path, default=None, help="默认 $MEDIA_ROOT 或 ./media"
    )
    create.add_argument(
        "--output-dir",
        type=Path,
        default=Path(os.environ.get("BACKUP_DIR") or ROOT / "backups"),
        help="备份存放目录，默认 $BACKUP_DIR 或 ./backups",
    )
    for name, text in (
        ("restore", "恢复到新数据库（和新的文件目录）并核对"),
        ("verify", "核对数据库（和文件目录）与备份清单是否一致"),
    ):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("backup", type=Path, help="备份目录 portal-YYYYMMDD-HHMMSS")
        sub.add_argument(
            "--database-url",
            required=True,
            help="目标数据库，如 postgres://…/portal_restored",
        )
        sub.add_argument(
            "--media-root", type=Path, default=None, help="文件目录（恢复时须为空）"
        )
    commands.choices["restore"].add_argument(
        "--jobs", type=int, default=1, help="pg_restore 并行数"
    )
    return parser


def _figures(figures: dict[str, int]) -> str:
    text = (
        f"{figures['tables']} 张表、{figures['rows']:,} 行记录一致，"
        f"抽样比对 {figures['sample_rows']:,} 行一致"
    )
    return text + (f"，文件 {figures['files']} 个一致" if figures["files"] else "")


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "create":
            if not args.database_url:
                raise BackupError(
                    "请用 --database-url 或环境变量 DATABASE_URL 指定数据库"
                )
            backup = create_backup(
                database_url=args.database_url,
                media_root=args.media_root or _default_media_root(),
                output_dir=args.output_dir,
            )
            manifest = load_manifest(backup)
            rows = sum(t["rows"] for t in manifest["tables"].values())
            _say(
                f"备份完成：{backup}\n"
                f"  数据库 {manifest['database']}：{len(manifest['tables'])} 张表，"
                f"{rows:,} 行；上传文件 {len(manifest['media']['files'])} 个"
            )
        elif args.command == "restore":
            figures = restore_backup(
                args.backup,
                database_url=args.database_url,
                media_root=args.media_root,
                jobs=args.jobs,
            )
            _say(
                f"恢复完成：数据库 {database_name(args.database_url)}"
                + (f"，文件目录 {args.media_root}" if args.media_root else "")
                + f"\n  核对：{_figures(figures)}"
            )
        else:
            manifest = load_manifest(args.backup)
            problems, figures = verify(
                manifest, database_url=args.database_url, media_root=args.media_root
            )
            if problems:
                raise BackupError(
                    "与备份清单不一致：\n" + "\n".join(f"  {p}" for p in problems)
                )
            _say(f"核对一致：{_figures(figures)}")
    except BackupError as exc:
        sys.stderr.write(f"错误：{exc}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
