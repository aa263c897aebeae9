"""The demo care registers: plausible, deterministic, gaps included."""

import datetime
import random

import pytest

from care.demo import seed_care
from care.models import (
    CharityDrive,
    Child,
    ChildDirector,
    ChildSupervisor,
    ChildVisit,
    ElderlyPerson,
    ElderlyVisit,
    Institution,
    InstitutionResident,
    SocialOrganization,
    VillageWorkPoint,
)
from care.selectors import overdue_summary
from households.demo import generate
from households.models import Township
from subsidies.demo import seed_enrollments

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2020, 5, 15)


def test_it_seeds_every_work_point_deterministically(admin_user):
    households, _members, _summary = generate(households=60, seed=7, today=TODAY)
    seed_enrollments(households, random.Random(8), today=TODAY)
    summary = seed_care(TODAY, random.Random(9))
    townships = Township.objects.filter(households__isnull=False).distinct().count()

    assert summary.elderly == ElderlyPerson.objects.count() > townships
    assert ElderlyPerson.objects.filter(member__isnull=False).exists()
    assert ElderlyPerson.objects.filter(member__isnull=True).exists()
    assert {c.category for c in Child.objects.all()} == {"left_behind", "in_difficulty"}
    assert ElderlyVisit.objects.count() > summary.elderly
    assert Institution.objects.filter(kind="nursing_home").count() == townships
    assert VillageWorkPoint.objects.filter(council_established=False).exists()
    assert ChildSupervisor.objects.count() < townships  # some townships are flagged
    assert 0 < overdue_summary(admin_user, TODAY).elderly < summary.elderly
    for resident in InstitutionResident.objects.select_related(
        "institution", "member__household"
    ):
        assert resident.institution.township_id == resident.member.household.township_id
    assert {h.history_change_reason for h in ElderlyPerson.history.all()} == {
        "演示数据"
    }

    names = sorted(ElderlyPerson.objects.values_list("id_number", "name"))
    visits = ElderlyVisit.objects.count()
    for model in (
        ElderlyPerson.services.through,
        ElderlyVisit,
        ChildVisit,
        ElderlyPerson,
        Child,
        InstitutionResident,
        Institution,
        ChildSupervisor,
        ChildDirector,
        VillageWorkPoint,
        CharityDrive,
        SocialOrganization,
    ):
        model.objects.all().delete()
    seed_care(TODAY, random.Random(9))
    assert sorted(ElderlyPerson.objects.values_list("id_number", "name")) == names
    assert ElderlyVisit.objects.count() == visits
