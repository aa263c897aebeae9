"""运行规则核查 (``jobs:rule_run_start``): the button on the progress page."""

from django.urls import reverse

from cases.models import Case
from jobs.models import Job

URL = reverse("jobs:rule_run_start")


def test_staff_run_their_own_township(client_for, staff_acheng, acheng, acheng_gaps):
    response = client_for(staff_acheng).post(URL, {"as_of": "2020-04-15"})
    job = Job.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.township, job.requested_by) == (
        Job.Kind.RULE_RUN,
        acheng,
        staff_acheng,
    )
    assert job.parameters == {"as_of": "2020-04-15"}
    assert job.status == Job.Status.SUCCEEDED
    assert Case.objects.count() == 5


def test_another_township_is_a_404_for_staff(client_for, staff_acheng, qiji):
    response = client_for(staff_acheng).post(URL, {"township": qiji.pk})
    assert response.status_code == 404
    response = client_for(staff_acheng).post(URL, {"township": "七级镇"})
    assert response.status_code == 404
    assert not Job.objects.exists()


def test_chiefs_run_the_county_or_a_township(client_for, chief_assistance, qiji):
    client = client_for(chief_assistance)
    client.post(URL, {"township": ""})
    client.post(URL, {"township": qiji.pk})
    assert [job.township for job in Job.objects.order_by("pk")] == [None, qiji]


def test_a_bad_date_goes_back_with_a_message(client_for, chief_assistance):
    page = reverse("cases:progress") + "?as_of=2020-04-15"
    response = client_for(chief_assistance).post(
        URL, {"as_of": "2020-02-30", "next": page}, follow=True
    )
    assert response.redirect_chain == [(page, 302)]
    assert "日期格式不正确" in response.content.decode()
    assert not Job.objects.exists()


def test_next_must_stay_on_this_site(client_for, chief_assistance):
    response = client_for(chief_assistance).post(
        URL, {"as_of": "bad", "next": "//evil.example/"}
    )
    assert response.url == reverse("cases:progress")


def test_it_answers_get_with_405(client_for, staff_acheng):
    assert client_for(staff_acheng).get(URL).status_code == 405
