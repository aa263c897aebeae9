"""``import_children FILE [--township NAME] [--dry-run] [--skip-invalid] [--format json]``.

Imports a roster of left-behind children and children in difficulty
(农村留守儿童和困境儿童名册, docs/care-rosters.md §2) with
``import_roster``'s options, exit statuses and JSON shape; the count
object is named ``children``.
"""

from care.imports.command import CareImportCommand


class Command(CareImportCommand):
    help = "导入农村留守儿童和困境儿童名册（.xlsx）：按身份证号码新增或更新儿童台账"
    kind = "children"
