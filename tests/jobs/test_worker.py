"""The real queue: the database backend and its worker (``db_worker``).

The job is enqueued as in production, waits as 排队中, and the worker —
run in-process for one batch — takes it through 运行中 to 已完成.  The
tests are transactional: the worker closes and reopens its database
connection between tasks, as it does in production.
"""

import pytest
from django_tasks_db.models import DBTaskResult

from jobs import runners
from jobs.models import Job
from jobs.services import job_request_rule_run

from .conftest import AS_OF
from .helpers import run_worker

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def test_it_goes_from_queued_through_running_to_succeeded(
    settings, monkeypatch, staff_acheng, acheng, acheng_gaps
):
    settings.TASKS = DB_BACKEND
    settings.JOBS_RULE_RUN_CHUNK = 2
    seen = []
    original = runners.JobContext.progress

    def spy(self, done, total, message=None):
        original(self, done, total, message)
        job = Job.objects.get(pk=self.job.pk)
        seen.append((job.status, job.progress_done, job.progress_total))

    monkeypatch.setattr(runners.JobContext, "progress", spy)

    job = job_request_rule_run(user=staff_acheng, township=acheng, as_of=AS_OF)
    assert job.status == Job.Status.QUEUED
    assert job.message == "排队等待运行"
    queued = DBTaskResult.objects.get(id=job.task_id)
    assert queued.status == "READY"
    assert queued.task_path == "jobs.tasks.run_job"

    run_worker()

    job.refresh_from_db()
    assert seen == [
        ("running", 0, 5),
        ("running", 2, 5),
        ("running", 4, 5),
        ("running", 5, 5),
    ]
    assert job.status == Job.Status.SUCCEEDED
    assert job.result["households_evaluated"] == 5
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"


def test_an_unexpected_error_fails_the_job_and_the_queued_task(
    settings, monkeypatch, staff_acheng, acheng, acheng_gaps
):
    settings.TASKS = DB_BACKEND

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(runners, "evaluate", broken)
    job = job_request_rule_run(user=staff_acheng, township=acheng, as_of=AS_OF)
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message == runners.UNEXPECTED
    task = DBTaskResult.objects.get(id=job.task_id)
    assert task.status == "FAILED"
    assert "RuntimeError" in task.traceback
