"""``export_progress_report OUT.xlsx [--as-of YYYY-MM-DD] [--township NAME]``.

roster-format.md §4: writes the progress workbook to a temporary file in
OUT's directory and renames it when complete.  Exit status 0; 1 for a bad
option (unknown township, bad date, a directory that does not exist), with
a Chinese message on stderr and OUT not created.
"""

import datetime
import re
import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from cases.reports import save_progress_report
from households.townships import find_township


class Command(BaseCommand):
    help = "导出自查整改进度报表（Excel）：封面、汇总、分政策、特困集中供养、问题台账明细、数据质量"

    def add_arguments(self, parser):
        parser.add_argument("out", metavar="OUT.xlsx", help="输出文件路径")
        parser.add_argument(
            "--as-of", dest="as_of", help="统计截止日期 YYYY-MM-DD，默认今天"
        )
        parser.add_argument("--township", help="只导出一个乡镇（街道），默认全县")

    def fail(self, message: str):
        self.stderr.write(message)
        sys.exit(1)

    def handle(self, *args, **options):
        as_of = timezone.localdate()
        if options["as_of"]:
            try:
                text = options["as_of"].strip()
                if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                    raise ValueError(text)
                as_of = datetime.date.fromisoformat(text)
            except ValueError:
                self.fail(
                    f"日期“{options['as_of']}”格式不正确，请按 YYYY-MM-DD 填写，例如 2020-05-31"
                )
        township = None
        if options["township"] is not None:
            township = find_township(options["township"])
            if township is None:
                self.fail(
                    f"未知乡镇（街道）“{options['township']}”，请填写本县18个乡镇（街道）之一"
                )
        out = Path(options["out"])
        if out.is_dir():
            self.fail(f"输出路径“{out}”是一个目录，请给出文件名，例如 进度报表.xlsx")
        if not out.parent.is_dir():
            self.fail(f"输出目录“{out.parent}”不存在，请先创建该目录")
        try:
            report = save_progress_report(out, as_of=as_of, township=township)
        except PermissionError:
            self.fail(f"无法写入“{out}”：没有写入权限，或文件正被其他程序打开")
        self.stdout.write(
            f"已导出{report.scope_label}自查整改进度报表（截止 {as_of:%Y-%m-%d}）：{out}"
        )
