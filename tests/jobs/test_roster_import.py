"""The roster-import job: a previewed batch committed by a worker."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from households.models import Household, ImportBatch
from jobs import runners
from jobs.models import Job
from jobs.services import job_request_roster_import

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_it_commits_the_batch_and_reports_the_counts(staff_acheng, preview):
    job = job_request_roster_import(user=staff_acheng, batch=preview)
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert job.township == preview.township
    assert job.message == "导入完成：新增 3 户、更新 0 户、无变化 0 户。"
    assert job.result["batch_id"] == preview.pk
    assert job.result["counts"]["created"] == 3
    assert "rule_run_job" not in job.result  # re-checked inline
    preview.refresh_from_db()
    assert preview.status == ImportBatch.Status.COMMITTED
    assert Household.objects.filter(household_no__startswith="AC").count() == 3


def test_a_large_import_queues_a_rule_run_for_its_township(
    settings, staff_acheng, acheng, preview
):
    settings.RECHECK_INLINE_MAX_HOUSEHOLDS = 2
    job = job_request_roster_import(user=staff_acheng, batch=preview)
    assert job.status == Job.Status.SUCCEEDED
    assert "已在后台安排规则核查" in job.message
    follow_up = Job.objects.get(pk=job.result["rule_run_job"])
    assert follow_up.kind == Job.Kind.RULE_RUN
    assert follow_up.township == acheng
    assert follow_up.requested_by == staff_acheng
    assert follow_up.status == Job.Status.SUCCEEDED
    assert follow_up.result["households_evaluated"] == 3


def test_a_cancel_during_the_import_rolls_it_all_back(
    monkeypatch, staff_acheng, preview
):
    monkeypatch.setattr(runners.JobContext, "cancel_requested", lambda self: True)
    job = job_request_roster_import(user=staff_acheng, batch=preview)
    assert job.status == Job.Status.CANCELLED
    assert job.message == "已取消：导入已回滚，没有写入任何数据。"
    preview.refresh_from_db()
    assert preview.status == ImportBatch.Status.PREVIEWED
    assert not Household.objects.filter(household_no__startswith="AC").exists()


def test_a_batch_handled_before_the_run_fails_with_a_reason(
    settings, staff_acheng, preview
):
    settings.TASKS = DB_BACKEND
    job = job_request_roster_import(user=staff_acheng, batch=preview)
    assert job.status == Job.Status.QUEUED
    with pytest.raises(ValidationError, match="已经在后台导入中"):
        job_request_roster_import(user=staff_acheng, batch=preview)
    ImportBatch.objects.filter(pk=preview.pk).update(
        status=ImportBatch.Status.CANCELLED
    )
    assert runners.execute(job.pk) == Job.Status.FAILED
    job.refresh_from_db()
    assert job.message == "该批次已经处理过（已导入或已取消），不能再次导入。"
    assert job.result["batch_url"] == reverse(
        "households:import_detail", args=[preview.pk]
    )


def test_a_handled_batch_is_refused_at_once(staff_acheng, preview):
    preview.status = ImportBatch.Status.CANCELLED
    preview.save(update_fields=["status"])
    with pytest.raises(ValidationError, match="已经处理过"):
        job_request_roster_import(user=staff_acheng, batch=preview)
    assert not Job.objects.exists()


def test_a_missing_file_fails_with_a_reason(staff_acheng, preview):
    preview.file.delete(save=True)
    job = job_request_roster_import(user=staff_acheng, batch=preview)
    assert job.status == Job.Status.FAILED
    assert job.message == "找不到本批次保存的原始文件，无法导入。请重新上传。"


def test_only_importers_of_the_township_may_ask(staff_qiji, chief_assistance, preview):
    with pytest.raises(PermissionDenied):
        job_request_roster_import(user=chief_assistance, batch=preview)
    with pytest.raises(PermissionDenied):
        job_request_roster_import(user=staff_qiji, batch=preview)
    assert not Job.objects.exists()
