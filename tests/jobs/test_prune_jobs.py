"""``prune_jobs``: finished jobs and their files go after the retention."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from jobs.models import Job
from jobs.services import job_request_report_export

from .helpers import make_job


def test_it_removes_old_finished_jobs_and_their_files(chief_assistance):
    export = job_request_report_export(user=chief_assistance)
    path = export.result_file.path
    assert Path(path).exists()
    old = timezone.now() - datetime.timedelta(days=31)
    Job.objects.filter(pk=export.pk).update(finished_at=old)
    recent = make_job(chief_assistance, status="succeeded", finished_at=timezone.now())
    waiting = make_job(chief_assistance)
    out = io.StringIO()
    call_command("prune_jobs", stdout=out)
    assert "已删除 1 个后台任务、1 个结果文件" in out.getvalue()
    assert set(Job.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert not Path(path).exists()


def test_it_refuses_a_retention_under_one_day(db):
    with pytest.raises(CommandError, match="至少为 1 天"):
        call_command("prune_jobs", "--days", "0")
