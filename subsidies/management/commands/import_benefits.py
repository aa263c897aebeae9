"""``import_benefits FILE [--township NAME] [--dry-run] [--skip-invalid] [--format json]``.

roster-format.md §2 and §4: imports a benefit roster (救助/补贴名册) through
the same service as the browser (subsidies.imports.roster_import), matching
people by ID number within ``--township`` (the whole county without it).
With ``--skip-invalid`` the rows with an error are skipped and the rest
written.  People not in the registry are listed, never written, and are
not errors.  Options, output and exit statuses are
:class:`~households.imports.command.ImportCommand`'s.
"""

from households.imports.command import ImportCommand, counts_text
from subsidies.imports.roster import BENEFIT_LABELS
from subsidies.imports.roster_import import benefit_roster_import


class Command(ImportCommand):
    help = (
        "导入救助/补贴名册（.xlsx）：按身份证号码匹配建档立卡户成员，"
        "新增或更新享受记录和临时救助"
    )
    file_help = "救助/补贴名册文件（.xlsx）"
    township_help = "只在该乡镇（街道）的建档立卡户中匹配（默认：全县）"

    def run_import(self, **options):
        return benefit_roster_import(**options)

    def plan_lines(self, result):
        scope = result.township.name if result.township else "全县"
        lines = [
            f"匹配范围：{scope}",
            f"享受记录：{counts_text(result.enrollments)}",
            f"临时救助：{counts_text(result.grants)}",
        ]
        if result.written and result.households_changed and not result.rechecked:
            lines.append(
                f"本次导入改动了 {result.households_changed} 户的记录，"
                "超过即时核查的户数上限，"
                "请随后运行规则核查（python manage.py evaluate_rules，"
                "或首页的“规则核查”），问题台账才会反映这些变化"
            )
        return lines

    def closing_lines(self, result):
        if not result.not_in_registry_rows:
            return []
        return [
            f"不在建档立卡户名单中的 {result.not_in_registry} 行"
            "（不导入，也不算错误；如确属建档立卡户，请先导入花名册）：",
            *(
                f"  工作表“{r.sheet}”第 {r.row} 行 {r.name or ''} "
                f"{BENEFIT_LABELS.get(r.benefit or '', '')}"
                for r in result.not_in_registry_rows
            ),
        ]
