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

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

Handler = Callable[[list[int]], None]
_handlers: list[Handler] = []


def register(handler: Handler) -> Handler:
    """Register ``handler(household_ids)``; usable as a decorator."""
    if handler not in _handlers:
        _handlers.append(handler)
    return handler


def inline_limit() -> int:
    return getattr(settings, "RECHECK_INLINE_MAX_HOUSEHOLDS", 500)


def household_changed(household_ids: Iterable[int]) -> bool:
    """Schedule a re-check of these households after the commit.

    A form save touches one household and is re-checked at once.  A bulk
    import of more than ``RECHECK_INLINE_MAX_HOUSEHOLDS`` households is not:
    re-checking thousands of households would double the import's time, and
    the full rule run (``evaluate_rules`` or 规则核查 on the dashboard)
    evaluates them all in one pass.  Returns whether a re-check was
    scheduled, so the caller can tell the user.
    """
    ids = sorted(set(household_ids))
    if not ids:
        return False
    if len(ids) > inline_limit():
        logger.info("%d households changed: left to the next full rule run", len(ids))
        return False

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
    return True
