"""``import_elderly FILE [--township NAME] [--dry-run] [--skip-invalid] [--format json]``.

Imports a roster of left-behind elderly people (农村留守老年人名册,
docs/care-rosters.md §1) with ``import_roster``'s options, exit statuses
and JSON shape; the count object is named ``elderly``.
"""

from care.imports.command import CareImportCommand


class Command(CareImportCommand):
    help = "导入农村留守老年人名册（.xlsx）：按身份证号码新增或更新留守老年人台账"
    kind = "elderly"
