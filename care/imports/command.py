"""The shared face of ``import_elderly`` and ``import_children``.

Options, output and exit statuses are
:class:`~households.imports.command.ImportCommand`'s; ``--skip-invalid``
writes every row without an error, and the JSON count object is named
``elderly`` or ``children``.
"""

from households.imports.command import ImportCommand, counts_text

from .service import care_roster_import


class CareImportCommand(ImportCommand):
    kind: str

    def run_import(self, **options):
        return care_roster_import(kind=self.kind, **options)

    def heading(self, result):
        return result.label

    def plan_lines(self, result):
        return [f"人员：{counts_text(result.counts)}"]
