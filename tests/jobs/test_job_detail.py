"""The job page (``jobs:detail``): progress bar, cancel button, result."""

import re

from django.urls import reverse

from jobs.models import Job
from jobs.services import job_request_report_export

from .helpers import age, make_job, make_running


def url(job):
    return reverse("jobs:detail", args=[job.pk])


def test_a_running_job_shows_its_progress_and_a_cancel_button(
    client_for, staff_acheng, acheng
):
    job = make_running(staff_acheng, township=acheng)
    body = client_for(staff_acheng).get(url(job)).content.decode()
    assert 'data-job-active="1"' in body
    assert f'data-job-status-url="{reverse("jobs:status", args=[job.pk])}"' in body
    assert re.search(r'aria-valuenow="33"', body)
    assert "已核查 2000 户，共 6000 户" in body
    assert "2000 / 6000" in body
    assert reverse("jobs:cancel", args=[job.pk]) in body
    assert "js/job-progress.js" in body
    assert "长时间没有进展" not in body


def test_a_stalled_job_says_so(client_for, staff_acheng, acheng):
    job = age(make_running(staff_acheng, township=acheng), minutes=30)
    body = client_for(staff_acheng).get(url(job)).content.decode()
    assert "长时间没有进展" in body


def test_a_finished_export_offers_its_file(client_for, staff_acheng, acheng):
    job = job_request_report_export(user=staff_acheng, township=acheng)
    body = client_for(staff_acheng).get(url(job)).content.decode()
    assert 'data-job-active="0"' in body
    assert reverse("jobs:file", args=[job.pk]) in body
    assert job.result["file_name"] in body
    assert reverse("jobs:cancel", args=[job.pk]) not in body


def test_a_failed_job_shows_its_reason(client_for, staff_acheng):
    job = make_job(
        staff_acheng,
        township=staff_acheng.township,
        status=Job.Status.FAILED,
        message="数据库连接中断，当前步骤没有写入任何数据。请稍后重新发起任务。",
    )
    body = client_for(staff_acheng).get(url(job)).content.decode()
    assert "任务失败" in body
    assert "数据库连接中断" in body


def test_a_job_is_its_requesters_and_the_admins(
    client_for, staff_acheng, staff_qiji, chief_assistance, admin_user
):
    job = make_running(staff_acheng, township=staff_acheng.township)
    assert client_for(staff_qiji).get(url(job)).status_code == 404
    assert client_for(chief_assistance).get(url(job)).status_code == 404
    assert client_for(admin_user).get(url(job)).status_code == 200


def test_it_answers_post_with_405(client_for, staff_acheng):
    job = make_job(staff_acheng, township=staff_acheng.township)
    assert client_for(staff_acheng).post(url(job)).status_code == 405
