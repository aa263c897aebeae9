"""取消任务 (``jobs:cancel``)."""

from django.urls import reverse

from jobs.models import Job

from .helpers import age, make_job, make_running


def url(job):
    return reverse("jobs:cancel", args=[job.pk])


def test_a_queued_job_is_cancelled_at_once(client_for, staff_acheng):
    job = make_job(staff_acheng, township=staff_acheng.township)
    response = client_for(staff_acheng).post(url(job), follow=True)
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED
    assert job.finished_at is not None
    assert "任务尚未开始运行，没有做任何改动" in response.content.decode()


def test_a_running_job_is_asked_to_stop(client_for, staff_acheng):
    job = make_running(staff_acheng, township=staff_acheng.township)
    response = client_for(staff_acheng).post(url(job), follow=True)
    job.refresh_from_db()
    assert (job.status, job.cancel_requested) == (Job.Status.RUNNING, True)
    body = response.content.decode()
    assert "已请求取消" in body
    assert reverse("jobs:cancel", args=[job.pk]) not in body  # no second button


def test_a_job_whose_worker_is_gone_is_cancelled_at_once(client_for, staff_acheng):
    job = age(make_running(staff_acheng, township=staff_acheng.township), 30)
    client_for(staff_acheng).post(url(job))
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED
    assert "后台工作进程可能已停止" in job.message


def test_a_finished_job_cannot_be_cancelled(client_for, staff_acheng):
    job = make_job(
        staff_acheng, township=staff_acheng.township, status=Job.Status.SUCCEEDED
    )
    response = client_for(staff_acheng).post(url(job), follow=True)
    assert "任务已经结束，不能取消" in response.content.decode()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED


def test_the_admin_may_cancel_anyones_job(client_for, staff_acheng, admin_user):
    job = make_job(staff_acheng, township=staff_acheng.township)
    assert client_for(admin_user).post(url(job)).status_code == 302
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED


def test_it_is_a_404_for_anybody_else(client_for, staff_acheng, chief_elderly):
    job = make_job(staff_acheng, township=staff_acheng.township)
    assert client_for(chief_elderly).post(url(job)).status_code == 404
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED


def test_it_answers_get_with_405(client_for, staff_acheng):
    job = make_job(staff_acheng, township=staff_acheng.township)
    assert client_for(staff_acheng).get(url(job)).status_code == 405
