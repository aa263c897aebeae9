from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "问题台账"

    def ready(self):
        # The one inversion of the dependency graph (design.md): nothing may
        # import from ``cases``, yet a saved household must re-check its
        # cases.  checklists.recheck is the registry the writers call
        # (on commit); the ledger fills it in here.
        from checklists import recheck

        from .sync import recheck_households

        recheck.register(recheck_households)
