"""``import_benefits FILE [--township NAME] [--dry-run] [--skip-invalid] [--format json]``.

roster-format.md §2 and §4: imports a benefit roster (救助/补贴名册) through
the same service as the browser (subsidies.imports.roster_import), matching
people by ID number within ``--township`` (the whole county without it).
By default all or nothing: any error writes nothing and exits 1; with
``--skip-invalid`` the rows with an error are skipped and the rest written
(exit 0).  File-level errors always exit 1; ``--dry-run`` writes nothing
and exits as the real run would.  People not in the registry are listed,
never written, and are not errors.  ``--format json`` prints exactly one
JSON object on stdout.
"""

import json
import sys

from django.core.management.base import BaseCommand

from subsidies.imports.roster import BENEFIT_LABELS
from subsidies.imports.roster_import import BenefitImportResult, benefit_roster_import

FORMATS = ("text", "json")
USAGE = (
    "用法：python manage.py import_benefits 文件.xlsx [--township 乡镇名称] "
    "[--dry-run] [--skip-invalid] [--format json]"
)
COUNT_LABELS = (
    ("created", "新增"),
    ("updated", "更新"),
    ("unchanged", "无变化"),
    ("skipped", "跳过"),
)


class Command(BaseCommand):
    help = (
        "导入救助/补贴名册（.xlsx）：按身份证号码匹配建档立卡户成员，"
        "新增或更新享受记录和临时救助"
    )

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
        parser.add_argument("file", help="救助/补贴名册文件（.xlsx）")
        parser.add_argument(
            "--township",
            help="只在该乡镇（街道）的建档立卡户中匹配（默认：全县）",
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
        result = benefit_roster_import(
            source=options["file"],
            township=options["township"],
            dry_run=options["dry_run"],
            skip_invalid=options["skip_invalid"],
        )
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


def _text(result: BenefitImportResult) -> str:
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
        scope = result.township.name if result.township else "全县"
        lines.append(f"匹配范围：{scope}")
        lines.append(f"享受记录：{_counts(result.enrollments)}")
        lines.append(f"临时救助：{_counts(result.grants)}")
    if result.written and result.households_changed and not result.rechecked:
        lines.append(
            f"本次导入改动了 {result.households_changed} 户的记录，超过即时核查的户数上限，"
            "请随后运行规则核查（python manage.py evaluate_rules，或首页的“规则核查”），"
            "问题台账才会反映这些变化"
        )
    if result.errors:
        lines.append(f"错误 {len(result.errors)} 处：")
        lines += [f"  {_where(e)}{e.message}" for e in result.errors]
    if result.warnings:
        lines.append(f"提示 {len(result.warnings)} 处：")
        lines += [f"  {_where(w)}{w.message}" for w in result.warnings]
    if result.not_in_registry_rows:
        lines.append(
            f"不在建档立卡户名单中的 {result.not_in_registry} 行"
            "（不导入，也不算错误；如确属建档立卡户，请先导入花名册）："
        )
        lines += [
            f"  工作表“{r.sheet}”第 {r.row} 行 {r.name or ''} "
            f"{BENEFIT_LABELS.get(r.benefit or '', '')}"
            for r in result.not_in_registry_rows
        ]
    return "\n".join(lines)
