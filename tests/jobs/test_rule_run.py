"""The rule-run job: chunks, progress, cancellation, failures, scope."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db.utils import OperationalError

from cases.models import Case
from checklists.models import HouseholdEvaluation
from jobs import runners
from jobs.models import Job
from jobs.services import job_request_rule_run

from .conftest import AS_OF

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def progress_log(monkeypatch):
    """Every (done, total, status) a runner reports, in order."""
    log = []
    original = runners.JobContext.progress

    def spy(self, done, total, message=None):
        original(self, done, total, message)
        log.append((done, total, Job.objects.get(pk=self.job.pk).status))

    monkeypatch.setattr(runners.JobContext, "progress", spy)
    return log


def test_it_evaluates_the_township_chunk_by_chunk_with_progress(
    settings, staff_acheng, acheng, acheng_gaps, qiji_gap, progress_log
):
    settings.JOBS_RULE_RUN_CHUNK = 2
    job = job_request_rule_run(user=staff_acheng, township=acheng, as_of=AS_OF)
    assert job.status == Job.Status.SUCCEEDED
    assert progress_log == [
        (0, 5, "running"),
        (2, 5, "running"),
        (4, 5, "running"),
        (5, 5, "running"),
    ]
    assert (job.progress_done, job.progress_total, job.percent) == (5, 5, 100)
    assert job.result["households_evaluated"] == 5
    assert job.result["findings"]["missing"] == 5
    assert job.result["ledger"] == {
        "opened": 5,
        "reopened": 0,
        "auto_rectified": 0,
        "unchanged": 0,
    }
    assert "核查 5 户" in job.message
    assert job.started_at is not None and job.finished_at >= job.started_at
    # Only the township's households: 七级镇 is untouched.
    assert Case.objects.filter(household__township=acheng).count() == 5
    assert not Case.objects.filter(household=qiji_gap).exists()
    assert not HouseholdEvaluation.objects.filter(household=qiji_gap).exists()


def test_a_second_run_changes_nothing_in_the_ledger(staff_acheng, acheng, acheng_gaps):
    job_request_rule_run(user=staff_acheng, township=acheng, as_of=AS_OF)
    again = job_request_rule_run(user=staff_acheng, township=acheng, as_of=AS_OF)
    assert again.status == Job.Status.SUCCEEDED
    assert again.result["ledger"]["opened"] == 0
    assert again.result["ledger"]["unchanged"] == 5


def test_a_county_run_covers_every_township(chief_assistance, acheng_gaps, qiji_gap):
    job = job_request_rule_run(user=chief_assistance, as_of=AS_OF)
    assert job.township is None
    assert job.result["households_evaluated"] == 6
    assert Case.objects.count() == 6


def test_a_cancel_stops_between_chunks_and_keeps_the_finished_ones(
    settings, monkeypatch, staff_acheng, acheng, acheng_gaps
):
    settings.JOBS_RULE_RUN_CHUNK = 2
    original = runners.JobContext.progress

    def cancel_after_first_chunk(self, done, total, message=None):
        original(self, done, total, message)
        if done == 2:
            Job.objects.filter(pk=self.job.pk).update(cancel_requested=True)

    monkeypatch.setattr(runners.JobContext, "progress", cancel_after_first_chunk)
    job = job_request_rule_run(user=staff_acheng, township=acheng, as_of=AS_OF)
    assert job.status == Job.Status.CANCELLED
    assert job.result["households_evaluated"] == 2
    assert job.message.startswith("已取消：已核查 2 户")
    assert "其余 3 户未核查" in job.message
    assert HouseholdEvaluation.objects.count() == 2
    assert Case.objects.count() == 2


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (OperationalError("server closed the connection"), runners.CONNECTION_LOST),
        (RuntimeError("boom"), runners.UNEXPECTED),
    ],
)
def test_a_failure_is_recorded_in_chinese_and_the_chunk_rolled_back(
    monkeypatch, staff_acheng, acheng, acheng_gaps, error, message
):
    def broken_sync(**kwargs):
        raise error

    monkeypatch.setattr(runners, "ledger_sync", broken_sync)
    job = job_request_rule_run(user=staff_acheng, township=acheng, as_of=AS_OF)
    assert job.status == Job.Status.FAILED
    assert job.message == message
    assert job.finished_at is not None
    # The evaluation of the failed chunk was rolled back with it.
    assert not HouseholdEvaluation.objects.exists()
    assert not Case.objects.exists()


def test_a_failure_after_some_chunks_says_what_was_kept(
    settings, monkeypatch, staff_acheng, acheng, acheng_gaps
):
    settings.JOBS_RULE_RUN_CHUNK = 3
    original = runners.ledger_sync
    calls = []

    def second_chunk_breaks(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OperationalError("server closed the connection")
        return original(**kwargs)

    monkeypatch.setattr(runners, "ledger_sync", second_chunk_breaks)
    job = job_request_rule_run(user=staff_acheng, township=acheng, as_of=AS_OF)
    assert job.status == Job.Status.FAILED
    assert job.message == (
        runners.CONNECTION_LOST
        + "此前已核查的 3 户结果已保存，重新发起核查即可补齐其余各户。"
    )
    assert HouseholdEvaluation.objects.count() == 3
    assert Case.objects.count() == 3


def test_a_job_cancelled_while_queued_is_skipped_by_the_worker(
    settings, staff_acheng, acheng, acheng_gaps
):
    settings.TASKS = DB_BACKEND
    job = job_request_rule_run(user=staff_acheng, township=acheng, as_of=AS_OF)
    assert job.status == Job.Status.QUEUED
    assert job.task_id
    Job.objects.filter(pk=job.pk).update(status=Job.Status.CANCELLED)
    assert runners.execute(job.pk) == "skipped"
    assert not HouseholdEvaluation.objects.exists()


def test_asking_again_while_queued_returns_the_waiting_job(
    settings, staff_acheng, acheng
):
    settings.TASKS = DB_BACKEND
    first = job_request_rule_run(user=staff_acheng, township=acheng, as_of=AS_OF)
    second = job_request_rule_run(user=staff_acheng, township=acheng, as_of=AS_OF)
    other_day = job_request_rule_run(user=staff_acheng, township=acheng)
    assert second.pk == first.pk
    assert other_day.pk != first.pk
    assert Job.objects.count() == 2


def test_township_staff_run_their_own_township_only(staff_acheng, qiji):
    with pytest.raises(PermissionDenied):
        job_request_rule_run(user=staff_acheng, township=qiji, as_of=AS_OF)
    with pytest.raises(PermissionDenied):
        job_request_rule_run(user=staff_acheng, township=None, as_of=AS_OF)
    assert not Job.objects.exists()
