"""后台导出Excel (``jobs:report_export_start``)."""

from django.urls import reverse

from jobs.models import Job

URL = reverse("jobs:report_export_start")


def test_it_starts_an_export_of_the_page_scope(client_for, chief_affairs, qiji):
    response = client_for(chief_affairs).post(
        URL, {"township": qiji.pk, "as_of": "2020-05-31"}
    )
    job = Job.objects.get()
    assert response.url == job.get_absolute_url()
    assert (job.kind, job.township, job.parameters) == (
        Job.Kind.REPORT_EXPORT,
        qiji,
        {"as_of": "2020-05-31"},
    )
    assert job.status == Job.Status.SUCCEEDED
    assert job.result_file


def test_staff_export_their_township_whatever_the_form_says(
    client_for, staff_acheng, acheng, qiji
):
    client = client_for(staff_acheng)
    assert client.post(URL, {"township": qiji.pk}).status_code == 404
    client.post(URL, {})
    assert Job.objects.get().township == acheng


def test_it_answers_get_with_405(client_for, chief_affairs):
    assert client_for(chief_affairs).get(URL).status_code == 405
