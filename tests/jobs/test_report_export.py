"""The report-export job: the workbook written by a worker, kept for download."""

import datetime

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import AuditEvent
from cases.reports import SHEETS
from jobs import runners
from jobs.models import Job
from jobs.services import job_request_report_export


def test_it_writes_the_workbook_and_keeps_it(staff_acheng, acheng, acheng_gaps):
    job = job_request_report_export(
        user=staff_acheng, township=acheng, as_of=datetime.date(2020, 5, 31)
    )
    assert job.status == Job.Status.SUCCEEDED
    assert (job.progress_done, job.progress_total) == (3, 3)
    assert job.result["file_name"] == "自查整改进度报表_阿城镇_2020-05-31.xlsx"
    assert job.result["households"] == 5
    assert job.result["scope"] == "阿城镇"
    assert "报表已生成：阿城镇" in job.message
    with job.result_file.open("rb") as handle:
        book = openpyxl.load_workbook(handle, read_only=True)
    assert book.sheetnames[: len(SHEETS)] == list(SHEETS)
    # Writing the file is not a download: the audit log waits for one.
    assert not AuditEvent.objects.exists()


def test_a_cancel_before_the_file_is_saved_keeps_no_file(
    monkeypatch, staff_acheng, acheng
):
    monkeypatch.setattr(runners.JobContext, "cancel_requested", lambda self: True)
    job = job_request_report_export(user=staff_acheng, township=acheng)
    assert job.status == Job.Status.CANCELLED
    assert job.message == "已取消：报表尚未生成，没有保存任何文件。"
    assert not job.result_file


def test_township_staff_export_their_own_township_only(staff_acheng, qiji):
    with pytest.raises(PermissionDenied):
        job_request_report_export(user=staff_acheng, township=qiji)
