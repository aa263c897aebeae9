"""The hooks the import pages call: background threshold, follow-up rule run."""

from types import SimpleNamespace

import pytest

from jobs.models import Job
from jobs.services import (
    import_runs_in_background,
    import_skipped_recheck,
    rule_run_after_import,
)

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def household_result(created, updated, *, written=True):
    return SimpleNamespace(
        written=written, households=SimpleNamespace(created=created, updated=updated)
    )


def benefit_result(changed, rechecked, *, written=True):
    return SimpleNamespace(
        written=written, households_changed=changed, rechecked=rechecked
    )


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({"created": 1000, "updated": 0, "unchanged": 0, "skipped": 9}, False),
        ({"created": 600, "updated": 300, "unchanged": 101, "skipped": 0}, True),
        ({}, False),
    ],
)
def test_it_sends_big_batches_to_the_background(settings, counts, expected):
    settings.JOBS_IMPORT_BACKGROUND_ABOVE = 1000
    assert import_runs_in_background({"counts": counts}) is expected


@pytest.mark.parametrize(
    ("result", "skipped"),
    [
        (household_result(400, 100), False),  # 500: re-checked inline
        (household_result(400, 101), True),
        (household_result(900, 0, written=False), False),
        (benefit_result(800, rechecked=False), True),
        (benefit_result(3, rechecked=True), False),
        (benefit_result(0, rechecked=False), False),
    ],
)
def test_it_knows_when_an_import_skipped_the_recheck(settings, result, skipped):
    settings.RECHECK_INLINE_MAX_HOUSEHOLDS = 500
    assert import_skipped_recheck(result) is skipped


def test_it_queues_one_rule_run_for_the_township(db, settings, staff_acheng, acheng):
    settings.TASKS = DB_BACKEND
    settings.RECHECK_INLINE_MAX_HOUSEHOLDS = 500
    job = rule_run_after_import(
        result=household_result(501, 0), user=staff_acheng, township=acheng
    )
    assert (job.kind, job.township, job.status) == (
        Job.Kind.RULE_RUN,
        acheng,
        Job.Status.QUEUED,
    )
    # A second import before the run starts joins the waiting run.
    again = rule_run_after_import(
        result=benefit_result(900, rechecked=False),
        user=staff_acheng,
        township=acheng,
    )
    assert again.pk == job.pk
    assert (
        rule_run_after_import(
            result=household_result(3, 0), user=staff_acheng, township=acheng
        )
        is None
    )
    assert Job.objects.count() == 1
