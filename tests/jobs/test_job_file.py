"""The exported workbook (``jobs:file``): scoped, audited."""

import io

import openpyxl
from django.urls import reverse

from accounts.models import AuditEvent
from jobs.services import job_request_report_export

from .helpers import make_job


def url(job):
    return reverse("jobs:file", args=[job.pk])


def test_the_requester_downloads_it_and_the_log_says_so(client_for, chief_assistance):
    job = job_request_report_export(user=chief_assistance)
    response = client_for(chief_assistance).get(url(job))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "filename*=utf-8''" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames[0] == "封面"
    event = AuditEvent.objects.get()
    assert event.action == AuditEvent.Action.REPORT_EXPORT
    assert event.user == chief_assistance
    assert event.target == job.result["file_name"]


def test_it_is_a_404_for_anybody_else_and_without_a_file(
    client_for, chief_assistance, chief_affairs, staff_acheng
):
    job = job_request_report_export(user=chief_assistance)
    assert client_for(chief_affairs).get(url(job)).status_code == 404
    rule_run = make_job(staff_acheng, township=staff_acheng.township)
    assert client_for(staff_acheng).get(url(rule_run)).status_code == 404
    assert not AuditEvent.objects.exists()


def test_it_answers_post_with_405(client_for, chief_assistance):
    job = job_request_report_export(user=chief_assistance)
    assert client_for(chief_assistance).post(url(job)).status_code == 405
