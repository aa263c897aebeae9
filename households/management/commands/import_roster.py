"""``import_roster FILE [--township NAME] [--dry-run] [--skip-invalid] [--format json]``.

roster-format.md §4: imports a household roster (建档立卡户花名册) through
the same service as the browser (households.imports.roster_import).  By
default all or nothing: any error writes nothing and exits 1; with
``--skip-invalid`` households with an error are skipped and the rest
written (exit 0).  File-level errors always exit 1; ``--dry-run`` writes
nothing and exits as the real run would.  ``--format json`` prints exactly
one JSON object on stdout.
"""

import json
import sys

from django.core.management.base import BaseCommand

from households.imports.connection import CONNECTION_ERRORS, CONNECTION_LOST
from households.imports.roster_import import RosterImportResult, roster_import

FORMATS = ("text", "json")
USAGE = (
    "用法：python manage.py import_roster 文件.xlsx [--township 乡镇名称] "
    "[--dry-run] [--skip-invalid] [--format json]"
)
COUNT_LABELS = (
    ("created", "新增"),
    ("updated", "更新"),
    ("unchanged", "无变化"),
    ("skipped", "跳过"),
)


class Command(BaseCommand):
    help = "导入建档立卡户花名册（.xlsx）：按户编号和身份证号码新增或更新户和成员"

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        django_error = parser.error

        def error(message):
            # argparse would exit with status 2 and an English usage line;
            # the contract's failures exit 1 with a Chinese message.
            if not parser.called_from_command_line:
                django_error(message)
            sys.stderr.write(f"命令参数有误（{message}）。{USAGE}\n")
            sys.exit(1)

        parser.error = error
        return parser

    def add_arguments(self, parser):
        parser.add_argument("file", help="花名册文件（.xlsx）")
        parser.add_argument(
            "--township", help="导入到的乡镇（街道）；文件中可不填乡镇列"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="试运行：只报告结果，不写入"
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="跳过有错误的户，导入其余各户（默认：有任何错误则全部不导入）",
        )
        parser.add_argument(
            "--format", default="text", choices=FORMATS, help="输出格式：text 或 json"
        )

    def handle(self, *args, **options):
        try:
            result = roster_import(
                source=options["file"],
                township=options["township"],
                dry_run=options["dry_run"],
                skip_invalid=options["skip_invalid"],
            )
        except CONNECTION_ERRORS as exc:
            # The import writes in one transaction, so a lost connection
            # (server restart, terminated backend) rolled everything back:
            # a clear message instead of a traceback; a retry is safe.
            self.stderr.write(CONNECTION_LOST)
            if options["verbosity"] > 1:
                self.stderr.write(f"（技术信息：{exc}）")
            sys.exit(1)
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
        else:
            self.stdout.write(_text(result))
        if result.exit_status:
            sys.exit(result.exit_status)


def _counts(counts) -> str:
    values = counts.as_dict()
    return "，".join(f"{label} {values[key]}" for key, label in COUNT_LABELS)


def _where(issue) -> str:
    parts = []
    if issue.sheet:
        parts.append(f"工作表“{issue.sheet}”")
    if issue.row:
        parts.append(f"第 {issue.row} 行")
    if issue.column:
        parts.append(f"“{issue.column}”")
    return " ".join(parts) + "：" if parts else ""


def _text(result: RosterImportResult) -> str:
    """A Chinese summary for people at a terminal."""
    if result.written:
        outcome = "已导入"
    elif result.dry_run:
        outcome = "试运行，未写入任何数据"
    elif result.exit_status:
        outcome = "有错误，未写入任何数据"
    else:
        outcome = "未写入"
    lines = [f"文件：{result.file}（{outcome}）"]
    if not result.file_error:
        lines.append(f"户：{_counts(result.households)}")
        lines.append(f"成员：{_counts(result.members)}")
        if result.villages_created:
            lines.append("新建村（居）：" + "、".join(result.villages_created))
    if result.errors:
        lines.append(f"错误 {len(result.errors)} 处：")
        lines += [f"  {_where(e)}{e.message}" for e in result.errors]
    if result.warnings:
        lines.append(f"提示 {len(result.warnings)} 处：")
        lines += [f"  {_where(w)}{w.message}" for w in result.warnings]
    if result.absent_members:
        lines.append(
            f"系统中已登记、但不在本文件中的成员 {len(result.absent_members)} 人"
            "（导入不会删除他们，如需移除请在系统中操作）："
        )
        lines += [
            f"  户编号 {m.household_no} {m.name}（{m.masked_id}）"
            for m in result.absent_members
        ]
    return "\n".join(lines)
