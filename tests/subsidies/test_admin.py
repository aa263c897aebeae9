"""The Django admin pages of the subsidies app, for the bureau admin."""

import datetime

import pytest
from django.urls import reverse

from subsidies.models import Enrollment, PolicyParameter

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", ["benefittype", "enrollment", "temporarygrant", "policyparameter"]
)
def test_it_lists_each_model(client_for, admin_user, dibao, model):
    response = client_for(admin_user).get(
        reverse(f"admin:subsidies_{model}_changelist")
    )
    assert response.status_code == 200


def test_it_keeps_the_benefit_catalogue_read_only(client_for, admin_user):
    client = client_for(admin_user)
    assert client.get(reverse("admin:subsidies_benefittype_add")).status_code == 403


def test_it_shows_an_enrollments_history(client_for, admin_user, dibao):
    url = reverse("admin:subsidies_enrollment_history", args=[dibao.pk])
    assert client_for(admin_user).get(url).status_code == 200


def test_it_saves_an_enrollment_through_the_service(client_for, admin_user, dibao):
    url = reverse("admin:subsidies_enrollment_change", args=[dibao.pk])
    response = client_for(admin_user).post(
        url,
        {
            "scope": "individual",
            "care_mode": "",
            "status": "active",
            "start": "2019-01-01",
            "end": "",
            "end_reason": "",
            "amount": "450",
            "review_date": "",
            "review_decision": "",
            "note": "",
        },
    )
    assert response.status_code == 302
    dibao.refresh_from_db()
    assert (dibao.amount, dibao.version) == (450, 2)
    assert dibao.history.latest().history_change_reason == "管理后台"


def test_it_refuses_a_malformed_enrollment(client_for, admin_user, head):
    response = client_for(admin_user).post(
        reverse("admin:subsidies_enrollment_add"),
        {
            "member": head.pk,
            "benefit": "elderly",
            "scope": "household",
            "status": "active",
        },
    )
    assert response.status_code == 200
    assert not Enrollment.objects.exists()


def test_it_adds_a_parameter_through_the_service(client_for, admin_user):
    response = client_for(admin_user).post(
        reverse("admin:subsidies_policyparameter_add"),
        {
            "name": "tekun_may_get_nursing",
            "value_text": "dispersed=yes",
            "effective_from": "2020-07-01",
            "note": "",
        },
    )
    assert response.status_code == 302
    parameter = PolicyParameter.objects.get()
    assert parameter.value == {"centralized": "no", "dispersed": "yes"}
    assert parameter.effective_from == datetime.date(2020, 7, 1)
    assert parameter.history.get().history_change_reason == "管理后台"


def test_it_refuses_a_bad_parameter_value(client_for, admin_user):
    response = client_for(admin_user).post(
        reverse("admin:subsidies_policyparameter_add"),
        {
            "name": "extension_months",
            "value_text": "forever",
            "effective_from": "2020-07-01",
        },
    )
    assert response.status_code == 200
    assert "无效" in response.content.decode()
    assert not PolicyParameter.objects.exists()
