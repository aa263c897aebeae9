"""The progress bar's JSON (``jobs:status``)."""

from django.urls import reverse

from .helpers import make_job, make_running


def url(job):
    return reverse("jobs:status", args=[job.pk])


def test_it_answers_the_state_as_json(client_for, staff_acheng, acheng):
    job = make_running(staff_acheng, township=acheng)
    response = client_for(staff_acheng).get(url(job))
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    data = response.json()
    assert set(data) == {
        "id",
        "status",
        "status_label",
        "active",
        "cancel_requested",
        "done",
        "total",
        "percent",
        "message",
        "updated_at",
    }
    assert data["status"] == "running"
    assert data["status_label"] == "运行中"
    assert data["active"] is True
    assert (data["done"], data["total"], data["percent"]) == (2000, 6000, 33)
    assert data["message"] == "已核查 2000 户，共 6000 户"


def test_a_finished_job_is_inactive_and_full(client_for, staff_acheng):
    job = make_job(
        staff_acheng,
        township=staff_acheng.township,
        status="succeeded",
        progress_done=3,
        progress_total=3,
    )
    data = client_for(staff_acheng).get(url(job)).json()
    assert (data["active"], data["percent"], data["status_label"]) == (
        False,
        100,
        "已完成",
    )


def test_it_is_a_404_for_anybody_else(client_for, staff_acheng, staff_qiji):
    job = make_running(staff_acheng, township=staff_acheng.township)
    assert client_for(staff_qiji).get(url(job)).status_code == 404


def test_it_answers_post_with_405(client_for, staff_acheng):
    job = make_job(staff_acheng, township=staff_acheng.township)
    assert client_for(staff_acheng).post(url(job)).status_code == 405
