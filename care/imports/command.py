"""The shared face of ``import_elderly`` and ``import_children``.

Options, exit statuses and the JSON object are ``import_roster``'s
(roster-format.md §4): by default all or nothing (any error writes
nothing, exit 1); ``--skip-invalid`` writes every row without an error
(exit 0); file-level errors always exit 1; ``--dry-run`` writes nothing
and exits as the real run would; ``--format json`` prints exactly one JSON
object with ``file``, ``dry_run``, ``written``, the count object named
``elderly`` or ``children``, ``errors`` and ``warnings``.
"""

import json
import sys

from django.core.management.base import BaseCommand

from households.imports.connection import CONNECTION_ERRORS, CONNECTION_LOST

from .service import CareImportResult, care_roster_import

FORMATS = ("text", "json")
COUNT_LABELS = (
    ("created", "新增"),
    ("updated", "更新"),
    ("unchanged", "无变化"),
    ("skipped", "跳过"),
)


class CareImportCommand(BaseCommand):
    kind: str
    usage: str

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        django_error = parser.error
        usage = self.usage

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
        parser.add_argument("file", help="名册文件（.xlsx）")
        parser.add_argument(
            "--township", help="导入到的乡镇（街道）；文件中可不填乡镇列"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="试运行：只报告结果，不写入"
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="跳过有错误的行，导入其余各行（默认：有任何错误则全部不导入）",
        )
        parser.add_argument(
            "--format", default="text", choices=FORMATS, help="输出格式：text 或 json"
        )

    def handle(self, *args, **options):
        try:
            result = care_roster_import(
                kind=self.kind,
                source=options["file"],
                township=options["township"],
                dry_run=options["dry_run"],
                skip_invalid=options["skip_invalid"],
            )
        except CONNECTION_ERRORS as exc:
            # One transaction, rolled back: as ``import_roster`` says it.
            self.stderr.write(CONNECTION_LOST)
            if options["verbosity"] > 1:
                self.stderr.write(f"（技术信息：{exc}）")
            sys.exit(1)
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
        else:
            self.stdout.write(text_summary(result))
        if result.exit_status:
            sys.exit(result.exit_status)


def _where(issue) -> str:
    parts = []
    if issue.sheet:
        parts.append(f"工作表“{issue.sheet}”")
    if issue.row:
        parts.append(f"第 {issue.row} 行")
    if issue.column:
        parts.append(f"“{issue.column}”")
    return " ".join(parts) + "：" if parts else ""


def text_summary(result: CareImportResult) -> str:
    """A Chinese summary for people at a terminal."""
    if result.written:
        outcome = "已导入"
    elif result.dry_run:
        outcome = "试运行，未写入任何数据"
    elif result.exit_status:
        outcome = "有错误，未写入任何数据"
    else:
        outcome = "未写入"
    lines = [f"{result.label}：{result.file}（{outcome}）"]
    if not result.file_error:
        counts = result.counts.as_dict()
        lines.append(
            "人员："
            + "，".join(f"{label} {counts[key]}" for key, label in COUNT_LABELS)
        )
    if result.errors:
        lines.append(f"错误 {len(result.errors)} 处：")
        lines += [f"  {_where(e)}{e.message}" for e in result.errors]
    if result.warnings:
        lines.append(f"提示 {len(result.warnings)} 处：")
        lines += [f"  {_where(w)}{w.message}" for w in result.warnings]
    return "\n".join(lines)
