"""The shared face of the roster import commands (roster-format.md §4).

``import_roster``, ``import_benefits``, ``import_elderly`` and
``import_children`` take ``FILE [--township NAME] [--dry-run]
[--skip-invalid] [--format text|json]``.  A bad option exits 1 with a
Chinese message; otherwise the exit status is the result's (1 for a
file-level error, or for any error without ``--skip-invalid``).
``--format json`` prints exactly one JSON object on stdout.  A subclass
calls its service and says what its plan counts.
"""

import json
import sys

from django.core.management.base import BaseCommand

from .connection import CONNECTION_ERRORS, CONNECTION_LOST

FORMATS = ("text", "json")
USAGE = (
    "用法：python manage.py {name} 文件.xlsx [--township 乡镇名称] "
    "[--dry-run] [--skip-invalid] [--format json]"
)
COUNT_LABELS = (
    ("created", "新增"),
    ("updated", "更新"),
    ("unchanged", "无变化"),
    ("skipped", "跳过"),
)


class ImportCommand(BaseCommand):
    """Options, output and exit status of one roster import."""

    file_help = "名册文件（.xlsx）"
    township_help = "导入到的乡镇（街道）；文件中可不填乡镇列"
    skip_invalid_help = "跳过有错误的行，导入其余各行（默认：有任何错误则全部不导入）"
    # Django's system checks (about 1 s of a 18,000-row import's 5 s budget)
    # run on deploy and with `manage.py check`, not on every import.
    requires_system_checks = []

    def run_import(self, **options):
        """The service's result for source, township, dry_run, skip_invalid."""
        raise NotImplementedError

    def heading(self, result) -> str:
        return "文件"

    def plan_lines(self, result) -> list[str]:
        """What the plan counts; not shown when the file could not be read."""
        return []

    def closing_lines(self, result) -> list[str]:
        """Lines after the errors and warnings."""
        return []

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        django_error = parser.error
        usage = USAGE.format(name=subcommand)

        def error(message):
            # argparse would exit with status 2 and an English usage line;
            # the contract's failures exit 1 with a Chinese message.
            if not parser.called_from_command_line:
                django_error(message)
            sys.stderr.write(f"命令参数有误（{message}）。{usage}\n")
            sys.exit(1)

        parser.error = error
        return parser

    def add_arguments(self, parser):
        parser.add_argument("file", help=self.file_help)
        parser.add_argument("--township", help=self.township_help)
        parser.add_argument(
            "--dry-run", action="store_true", help="试运行：只报告结果，不写入"
        )
        parser.add_argument(
            "--skip-invalid", action="store_true", help=self.skip_invalid_help
        )
        parser.add_argument(
            "--format", default="text", choices=FORMATS, help="输出格式：text 或 json"
        )

    def handle(self, *args, **options):
        try:
            result = self.run_import(
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
            self.stdout.write(self.summary(result))
        if result.exit_status:
            sys.exit(result.exit_status)

    def summary(self, result) -> str:
        """A Chinese summary for people at a terminal."""
        if result.written:
            outcome = "已导入"
        elif result.dry_run:
            outcome = "试运行，未写入任何数据"
        elif result.exit_status:
            outcome = "有错误，未写入任何数据"
        else:
            outcome = "未写入"
        lines = [f"{self.heading(result)}：{result.file}（{outcome}）"]
        if not result.file_error:
            lines += self.plan_lines(result)
        if result.errors:
            lines.append(f"错误 {len(result.errors)} 处：")
            lines += [f"  {_where(e)}{e.message}" for e in result.errors]
        if result.warnings:
            lines.append(f"提示 {len(result.warnings)} 处：")
            lines += [f"  {_where(w)}{w.message}" for w in result.warnings]
        return "\n".join(lines + self.closing_lines(result))


def counts_text(counts) -> str:
    """``新增 3，更新 0，无变化 0，跳过 1``."""
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
