"""Institutions: list, register, edit, link centralized-care tekun persons."""

import datetime

import pytest
from django.urls import reverse

from care import services
from care.models import Institution, InstitutionResident
from tests.care.conftest import on_tekun
from tests.factories import make_member

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def home(acheng):
    return services.institution_create(
        township=acheng, kind="nursing_home", name="阿城敬老院", beds=60, residents=40
    )


def test_the_list_reads_in_a_constant_number_of_queries(
    client_for, admin_user, acheng, qiji, django_assert_max_num_queries
):
    for n in range(8):
        services.institution_create(
            township=acheng if n % 2 else qiji,
            kind="happiness_home",
            name=f"幸福院{n}",
            status="building",
        )
    client = client_for(admin_user)
    with django_assert_max_num_queries(10):
        body = client.get(reverse("care:institution_list")).content
    assert body.decode().count("幸福院") >= 8


def test_the_list_filters_by_status(client_for, staff_acheng, home, acheng):
    services.institution_create(
        township=acheng, kind="happiness_home", name="东关幸福院", status="planned"
    )
    body = (
        client_for(staff_acheng)
        .get(reverse("care:institution_list"), {"status": "planned"})
        .content.decode()
    )
    assert "东关幸福院" in body and "阿城敬老院" not in body


def test_staff_register_and_edit_an_institution(client_for, staff_acheng, village):
    client = client_for(staff_acheng)
    response = client.post(
        reverse("care:institution_create"),
        {
            "kind": "happiness_home",
            "name": "东关村农村幸福院",
            "village": village.pk,
            "status": "building",
            "beds": 20,
            "residents": 30,
        },
    )
    assert response.status_code == 200
    assert "在院人数不能超过床位数" in response.content.decode()
    client.post(
        reverse("care:institution_create"),
        {
            "kind": "happiness_home",
            "name": "东关村农村幸福院",
            "status": "building",
            "beds": 20,
            "residents": 0,
        },
    )
    institution = Institution.objects.get()
    response = client.post(
        reverse("care:institution_edit", args=[institution.pk]),
        {
            "kind": "happiness_home",
            "name": institution.name,
            "status": "operating",
            "beds": 20,
            "residents": 12,
        },
    )
    assert response.status_code == 302
    institution.refresh_from_db()
    assert (institution.status, institution.residents) == ("operating", 12)
    assert institution.history.count() == 2


def test_a_centralized_tekun_person_is_linked_to_the_home(
    client_for, staff_acheng, home, household, django_assert_max_num_queries
):
    member = make_member(household, name="特困甲", relation="other")
    dispersed = make_member(household, name="分散乙", relation="other")
    on_tekun(member)
    on_tekun(dispersed, care_mode="dispersed")
    client = client_for(staff_acheng)
    with django_assert_max_num_queries(13):
        body = client.get(home.get_absolute_url()).content.decode()
    assert (
        "特困甲" in body and "分散乙" not in body
    )  # the picker offers the centralized
    response = client.post(
        reverse("care:resident_add", args=[home.pk]),
        {"member": member.pk, "admitted_on": "2020-01-01"},
    )
    assert response.status_code == 302
    resident = InstitutionResident.objects.get()
    assert (resident.member, resident.institution) == (member, home)
    client.post(reverse("care:resident_add", args=[home.pk]), {"member": dispersed.pk})
    assert InstitutionResident.objects.count() == 1
    client.post(reverse("care:resident_remove", args=[resident.pk]))
    assert not InstitutionResident.objects.exists()


def test_the_service_refuses_a_person_not_in_centralized_care(home, household):
    from django.core.exceptions import ValidationError

    member = make_member(household, name="无特困", relation="other")
    with pytest.raises(ValidationError, match="集中供养"):
        services.institution_resident_add(institution=home, member=member)
