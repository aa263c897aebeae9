"""A setting that would leave a large import without its rule run."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.compatibility)
def import_threshold(app_configs, **kwargs):
    """A browser import the worker does not take must be re-checked inline.

    A committed import of more than ``RECHECK_INLINE_MAX_HOUSEHOLDS``
    households skips the inline re-check; only the background import
    queues the rule run that makes up for it.
    """
    if settings.JOBS_IMPORT_BACKGROUND_ABOVE > settings.RECHECK_INLINE_MAX_HOUSEHOLDS:
        return [
            checks.Warning(
                "JOBS_IMPORT_BACKGROUND_ABOVE is larger than "
                "RECHECK_INLINE_MAX_HOUSEHOLDS: a browser import in between is "
                "committed in the request and left to the next full rule run.",
                hint="Set JOBS_IMPORT_BACKGROUND_ABOVE <= RECHECK_INLINE_MAX_HOUSEHOLDS.",
                id="jobs.W001",
            )
        ]
    return []
