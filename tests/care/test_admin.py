"""The admin site: the care-service list is editable, the registers read only."""

import pytest
from django.contrib import admin
from django.urls import reverse

from care.models import CareServiceItem

pytestmark = pytest.mark.django_db
CARE_MODELS = [m for m in admin.site._registry if m._meta.app_label == "care"]


def test_every_care_model_is_listed_for_the_admin_only(
    client_for, admin_user, staff_acheng, elder, child
):
    assert len(CARE_MODELS) == 10
    client = client_for(admin_user)
    for model in CARE_MODELS:
        url = reverse(f"admin:care_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
    change = reverse("admin:care_elderlyperson_change", args=[elder.pk])
    body = client.get(change).content.decode()
    assert elder.masked_id in body and elder.id_number not in body
    staff = client_for(staff_acheng)
    assert staff.get(reverse("admin:care_child_changelist")).status_code == 302


def test_the_admin_edits_the_care_service_list(client_for, admin_user, items):
    client = client_for(admin_user)
    response = client.post(
        reverse("admin:care_careserviceitem_add"),
        {
            "name": "代购代办",
            "description": "代购药品和生活用品",
            "order": 8,
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert CareServiceItem.objects.filter(name="代购代办", active=True).exists()
    add_elderly = reverse("admin:care_elderlyperson_add")
    assert client.get(add_elderly).status_code == 403
