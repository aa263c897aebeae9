"""``evaluate_rules [--as-of YYYY-MM-DD] [--township NAME] [--dry-run] [--format json]``.

roster-format.md §4: runs every rule over the current households (of one
township with ``--township``), stores the outcomes for the as-of date
(checklists.evaluation) and synchronises the findings into the ledger
(cases.sync), all in one transaction; ``--dry-run`` writes nothing and
reports what a real run would change.  Exit status 0 whenever the run
completes; 1 for a bad option, with a Chinese message on stderr and nothing
on stdout.
"""

import datetime
import json
import re
import sys

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.utils import InterfaceError, OperationalError
from django.utils import timezone

from cases.sync import ledger_sync
from checklists.evaluation import evaluate
from households.models import Household
from households.townships import find_township

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
FORMATS = ("text", "json")
KIND_LABELS = {
    "missing": "应享未享",
    "inconsistent": "不一致",
    "review": "需核实",
    "data_quality": "数据质量",
}
CONNECTION_LOST = "数据库连接中断，本次核查未写入任何数据，请稍后重试"
USAGE = (
    "用法：python manage.py evaluate_rules [--as-of YYYY-MM-DD] "
    "[--township 乡镇名称] [--dry-run] [--format json]"
)


class Command(BaseCommand):
    help = "按政策规则核查建档立卡户，保存核查结果并同步问题台账"
    # The system checks import every URLconf and view (openpyxl included):
    # half a second of a run that must beat reading a roster with openpyxl
    # (issue 3, Performance).  ``manage.py check`` and the server run them.
    requires_system_checks = []

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        django_error = parser.error

        def error(message):
            # argparse would exit with status 2 and an English usage line;
            # roster-format.md §4 wants status 1 and a Chinese message.
            if not parser.called_from_command_line:
                django_error(message)
            sys.stderr.write(f"命令参数有误（{message}）。{USAGE}\n")
            sys.exit(1)

        parser.error = error
        return parser

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-of", dest="as_of", help="核查基准日 YYYY-MM-DD，默认今天"
        )
        parser.add_argument("--township", help="只核查一个乡镇（街道），默认全县")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="试运行：只报告结果和台账将发生的变化，不写入任何数据",
        )
        parser.add_argument(
            "--format", default="text", help="输出格式：text（默认）或 json"
        )

    def fail(self, message: str):
        self.stderr.write(message)
        sys.exit(1)

    def _as_of(self, text: str | None) -> datetime.date:
        if text is None:
            return timezone.localdate()
        try:
            if not ISO_DATE.fullmatch(text.strip()):
                raise ValueError(text)
            return datetime.date.fromisoformat(text.strip())
        except ValueError:
            self.fail(
                f"核查基准日“{text}”无效：应为 YYYY-MM-DD 格式的真实日期，例如 2020-04-15"
            )

    def handle(self, *args, **options):
        output = options["format"]
        if output not in FORMATS:
            self.fail(f"输出格式“{output}”无效：应为 text 或 json")
        as_of = self._as_of(options["as_of"])
        households = Household.objects.current()
        township = None
        if options["township"] is not None:
            township = find_township(options["township"])
            if township is None:
                self.fail(
                    f"未知乡镇（街道）“{options['township']}”，"
                    "请填写本县18个乡镇（街道）之一"
                )
            households = households.filter(township=township)
        dry_run = options["dry_run"]
        try:
            with transaction.atomic():
                result = evaluate(as_of=as_of, households=households, dry_run=dry_run)
                ledger = ledger_sync(
                    household_ids=result.household_ids,
                    findings=result.findings,
                    as_of=as_of,
                    dry_run=dry_run,
                )
        except (OperationalError, InterfaceError) as exc:
            # One transaction: a lost connection rolled the whole run back
            # (outcomes and ledger alike), so a retry is safe.
            self.stderr.write(CONNECTION_LOST)
            if options["verbosity"] > 1:
                self.stderr.write(f"（技术信息：{exc}）")
            sys.exit(1)
        if output == "json":
            self._write_json(result, ledger, dry_run=dry_run)
        else:
            self._write_summary(result, ledger, dry_run=dry_run, township=township)

    def _write_json(self, result, ledger, *, dry_run: bool):
        document = {
            "as_of": result.as_of.isoformat(),
            "dry_run": dry_run,
            "households_evaluated": result.households_evaluated,
            "findings": [finding.to_json() for finding in result.findings],
            "ledger": ledger,
        }
        self.stdout.write(json.dumps(document, ensure_ascii=False))

    def _write_summary(self, result, ledger, *, dry_run: bool, township):
        scope = township.name if township else "全县"
        counts = result.count_by_kind()
        by_kind = "，".join(
            f"{label} {counts.get(kind, 0)} 条" for kind, label in KIND_LABELS.items()
        )
        lines = [
            f"规则核查{'（试运行，未写入任何数据）' if dry_run else '完成'}："
            f"{scope}，基准日 {result.as_of:%Y-%m-%d}，核查 {result.households_evaluated} 户。",
            f"发现问题 {len(result.findings)} 条：{by_kind}。",
            f"问题台账{'（将会）' if dry_run else ''}：新增 {ledger['opened']} 条，"
            f"重新打开 {ledger['reopened']} 条，自动提交核实 {ledger['auto_rectified']} 条，"
            f"保持不变 {ledger['unchanged']} 条。",
        ]
        self.stdout.write("\n".join(lines))
