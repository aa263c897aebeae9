"""``import_roster FILE [--township NAME] [--dry-run] [--skip-invalid] [--format json]``.

roster-format.md §4: imports a household roster (建档立卡户花名册) through
the same service as the browser (households.imports.roster_import).  With
``--skip-invalid`` households with an error are skipped whole and the rest
written; options, output and exit statuses are
:class:`~households.imports.command.ImportCommand`'s.
"""

from households.imports.command import ImportCommand, counts_text
from households.imports.roster_import import roster_import


class Command(ImportCommand):
    help = "导入建档立卡户花名册（.xlsx）：按户编号和身份证号码新增或更新户和成员"
    file_help = "花名册文件（.xlsx）"
    skip_invalid_help = "跳过有错误的户，导入其余各户（默认：有任何错误则全部不导入）"

    def run_import(self, **options):
        return roster_import(**options)

    def plan_lines(self, result):
        lines = [
            f"户：{counts_text(result.households)}",
            f"成员：{counts_text(result.members)}",
        ]
        if result.villages_created:
            lines.append("新建村（居）：" + "、".join(result.villages_created))
        return lines

    def closing_lines(self, result):
        if not result.absent_members:
            return []
        return [
            f"系统中已登记、但不在本文件中的成员 {len(result.absent_members)} 人"
            "（导入不会删除他们，如需移除请在系统中操作）：",
            *(
                f"  户编号 {m.household_no} {m.name}（{m.masked_id}）"
                for m in result.absent_members
            ),
        ]
