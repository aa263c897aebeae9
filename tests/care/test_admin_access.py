"""The care models' admin pages: the bureau admin's alone."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import transaction
from django.urls import reverse

from care import services
from tests.care.test_access import PERSONAS, world  # noqa: F401 - module fixture

ADMIN_SITE = dict.fromkeys(PERSONAS, 302) | {"admin": 200}


@pytest.mark.django_db
def test_each_care_admin_page_is_the_bureau_admins_alone(world):  # noqa: F811
    with transaction.atomic():
        services.charity_drive_set(
            township=world.acheng, year=2020, amount=Decimal(1000)
        )
        services.village_work_point_set(village=world.village, council_established=True)
        models = [m for m in admin.site._registry if m._meta.app_label == "care"]
        assert len(models) == 10
        for model in models:
            obj = model._default_manager.order_by("pk").first()
            assert obj is not None, f"the care world has no {model.__name__}"
            name = model._meta.model_name
            for url in (
                reverse(f"admin:care_{name}_changelist"),
                reverse(f"admin:care_{name}_change", args=[obj.pk]),
            ):
                for persona in PERSONAS:
                    response = world.clients[persona].get(url)
                    assert response.status_code == ADMIN_SITE[persona], (url, persona)
        transaction.set_rollback(True)
