"""The settings check: every large browser import gets its rule run."""

from jobs.checks import import_threshold


def test_it_warns_when_imports_could_skip_the_recheck(settings):
    settings.RECHECK_INLINE_MAX_HOUSEHOLDS = 500
    settings.JOBS_IMPORT_BACKGROUND_ABOVE = 500
    assert import_threshold(None) == []
    settings.JOBS_IMPORT_BACKGROUND_ABOVE = 501
    assert [w.id for w in import_threshold(None)] == ["jobs.W001"]
