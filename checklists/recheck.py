"""The re-check hook: the one inversion of the dependency graph.

``cases`` must react when a household changes (re-run the rules, sync the
ledger), but nothing may import from ``cases``.  So checklists keeps this
small registry; ``cases.apps.CasesConfig.ready()`` registers its handler,
and writers (household/member/enrollment services, imports) call
:func:`household_changed`, which runs the handlers once the transaction
commits.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.db import transaction

logger = logging.getLogger(__name__)

Handler = Callable[[list[int]], None]
_handlers: list[Handler] = []


def register(handler: Handler) -> Handler:
    """Register ``handler(household_ids)``; usable as a decorator."""
    if handler not in _handlers:
        _handlers.append(handler)
    return handler


def household_changed(household_ids: Iterable[int]) -> None:
    """Schedule a re-check of these households after the commit."""
    ids = sorted(set(household_ids))
    if not ids:
        return

    def run():
        for handler in list(_handlers):
            # The user's change is already committed; a failed re-check must
            # not turn it into an error page.  The next evaluate_rules run
            # (or the next save) brings the ledger up to date.
            try:
                handler(ids)
            except Exception:
                logger.exception("re-check failed for households %s", ids)

    transaction.on_commit(run)
