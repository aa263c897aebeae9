import datetime

import pytest
from django.urls import reverse

from households.models import Household, Member
from tests.factories import make_household, make_id_number, make_member, make_village

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(acheng):
    household = make_household(acheng, household_no="QJ-A-0001")
    make_member(household, name="王大山", relation="head")
    return household


def test_it_lists_own_township_households_with_masked_ids(
    client_for, staff_acheng, household, qiji
):
    make_household(qiji, household_no="QJ-OTHER-1")
    response = client_for(staff_acheng).get(reverse("households:list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "QJ-A-0001" in body and "王大山" in body
    assert "QJ-OTHER-1" not in body
    head = household.members.get()
    assert head.id_number not in body
    assert head.masked_id in body


def test_it_lets_chiefs_see_every_township(
    client_for, chief_assistance, household, qiji
):
    make_household(qiji, household_no="QJ-OTHER-1")
    body = client_for(chief_assistance).get(reverse("households:list")).content.decode()
    assert "QJ-A-0001" in body and "QJ-OTHER-1" in body


@pytest.mark.parametrize(
    "q",
    ["王大山", "大山", "QJ-A-0001", "A-00"],
)
def test_it_searches_by_name_and_household_number(
    client_for, staff_acheng, household, q
):
    other = make_household("阿城镇", household_no="OTHER-2")
    make_member(other, name="李四")
    body = (
        client_for(staff_acheng)
        .get(reverse("households:list"), {"q": q})
        .content.decode()
    )
    assert "QJ-A-0001" in body
    assert "OTHER-2" not in body


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("王", True),  # a surname: the start of the name
        ("王大", True),
        ("山", True),  # the end of the name
        ("大山", True),  # a given name
        ("大", False),  # one or two characters in the middle: not searched
    ],
)
def test_a_short_search_matches_the_start_or_end_of_a_name(
    client_for, staff_acheng, household, q, found
):
    """One or two characters hold no trigram (households/0007)."""
    make_member(make_household("阿城镇", household_no="OTHER-3"), name="李四")
    body = (
        client_for(staff_acheng)
        .get(reverse("households:list"), {"q": q})
        .content.decode()
    )
    assert ("QJ-A-0001" in body) is found
    assert "OTHER-3" not in body


def test_it_searches_by_full_or_last_digits_of_the_id(
    client_for, staff_acheng, household
):
    number = household.members.get().id_number
    client = client_for(staff_acheng)
    for q in (number, number.lower(), number[-6:]):
        assert (
            "QJ-A-0001"
            in client.get(reverse("households:list"), {"q": q}).content.decode()
        )


def _listed(client, q):
    response = client.get(reverse("households:list"), {"q": q})
    return [household.household_no for household in response.context["page"]]


def test_it_finds_the_last_four_digits_ending_in_x(client_for, staff_acheng, acheng):
    """The check character X, typed in either case, matches as a suffix."""
    number = next(
        n for n in (make_id_number(seq=seq) for seq in range(1, 100)) if n.endswith("X")
    )
    make_member(make_household(acheng, household_no="X-1"), id_number=number)
    other = make_household(acheng, household_no="X-2")
    make_member(other, id_number=number[:-1] + "0")
    client = client_for(staff_acheng)
    for q in (number[-4:], number[-4:].lower()):
        assert _listed(client, q) == ["X-1"]


def test_a_16_digit_household_number_finds_exactly_its_household(
    client_for, staff_acheng, acheng
):
    for household_no in ("3715210050001234", "3715210050001235", "3715210050001230"):
        make_member(make_household(acheng, household_no=household_no))
    client = client_for(staff_acheng)
    assert _listed(client, "3715210050001234") == ["3715210050001234"]


def test_it_filters_by_village_type_and_status(client_for, staff_acheng, acheng):
    east = make_village(acheng, "东关村")
    west = make_village(acheng, "西关村")
    make_household(village=east, household_no="E-1", poverty_type="dibao")
    make_household(
        village=west,
        household_no="W-1",
        poverty_type="general",
        poverty_status="lifted",
    )
    client = client_for(staff_acheng)
    body = client.get(reverse("households:list"), {"village": west.pk}).content.decode()
    assert "W-1" in body and "E-1" not in body
    body = client.get(
        reverse("households:list"), {"poverty_type": "dibao"}
    ).content.decode()
    assert "E-1" in body and "W-1" not in body
    body = client.get(
        reverse("households:list"), {"poverty_status": "lifted"}
    ).content.decode()
    assert "W-1" in body and "E-1" not in body


def test_it_explains_an_empty_list(client_for, staff_qiji):
    body = client_for(staff_qiji).get(reverse("households:list")).content.decode()
    assert "还没有建档立卡户" in body


def _add_households(township, count, start=0):
    for index in range(start, start + count):
        household = make_household(township, household_no=f"N-{index:03d}")
        make_member(household, name="甲")
        make_member(household, name="乙", relation="spouse", male=False)


def test_the_list_uses_a_fixed_number_of_queries(
    client_for, staff_acheng, acheng, django_assert_num_queries
):
    """As many queries for 2 households as for a full page of 25."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(staff_acheng)
    _add_households(acheng, 2)
    client.get(reverse("households:list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("households:list"))
    _add_households(acheng, 23, start=2)
    with django_assert_num_queries(len(few)):
        response = client.get(reverse("households:list"))
    assert response.content.decode().count("N-0") == 25
    assert len(few) <= 12


def test_it_shows_the_household_with_its_members(client_for, staff_acheng, household):
    response = client_for(staff_acheng).get(household.get_absolute_url())
    assert response.status_code == 200
    assert "王大山" in response.content.decode()


def test_staff_of_another_township_get_404(client_for, staff_qiji, household):
    client = client_for(staff_qiji)
    member = household.members.get()
    for url in (
        household.get_absolute_url(),
        reverse("households:edit", args=[household.pk]),
        reverse("households:history", args=[household.pk]),
        reverse("households:member_add", args=[household.pk]),
        reverse("households:member_edit", args=[member.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("households:member_remove", args=[member.pk])).status_code
        == 404
    )


def test_chiefs_read_but_cannot_write(client_for, chief_assistance, household):
    client = client_for(chief_assistance)
    assert client.get(household.get_absolute_url()).status_code == 200
    assert (
        client.get(reverse("households:edit", args=[household.pk])).status_code == 403
    )
    assert client.get(reverse("households:create")).status_code == 403
    assert (
        client.post(reverse("households:member_add", args=[household.pk])).status_code
        == 403
    )


def test_it_creates_a_household_and_records_history(client_for, staff_acheng, acheng):
    village = make_village(acheng, "东关村")
    response = client_for(staff_acheng).post(
        reverse("households:create"),
        {
            "household_no": " 3715210010099 ",
            "village": village.pk,
            "poverty_type": "dibao",
            "poverty_status": "not_lifted",
            "income_per_capita": "3200.50",
        },
    )
    household = Household.objects.get(household_no="3715210010099")
    assert response.status_code == 302
    assert response.url == reverse("households:member_add", args=[household.pk])
    assert household.township == acheng
    record = household.history.get()
    assert record.history_user == staff_acheng
    assert record.history_change_reason == "表单"


def test_it_creates_a_new_village_when_typed(client_for, staff_acheng, acheng):
    client_for(staff_acheng).post(
        reverse("households:create"),
        {"household_no": "NEW-1", "new_village": "城东社区"},
    )
    household = Household.objects.get(household_no="NEW-1")
    assert household.village.name == "城东社区"
    assert household.village.kind == "community"


def test_it_explains_a_missing_village_in_chinese(client_for, staff_acheng):
    response = client_for(staff_acheng).post(
        reverse("households:create"), {"household_no": "X"}
    )
    assert response.status_code == 200
    assert "请选择村（居）" in response.content.decode()
    assert not Household.objects.exists()


def test_it_adds_a_member_deriving_sex_and_birth_date(
    client_for, staff_acheng, household
):
    number = make_id_number(datetime.date(1988, 2, 29), male=False)
    response = client_for(staff_acheng).post(
        reverse("households:member_add", args=[household.pk]),
        {
            "name": " 李 小 梅",
            "id_number": number.lower(),
            "relation": "spouse",
            "supporter_status": "unknown",
            "willing_centralized": "unknown",
        },
    )
    assert response.status_code == 302
    member = Member.objects.get(id_number=number)
    assert (member.name, member.sex, member.birth_date) == (
        "李小梅",
        "female",
        datetime.date(1988, 2, 29),
    )


@pytest.mark.parametrize(
    "number, message",
    [
        ("37152119880229002", "格式不正确"),
        ("371521198802290021", "校验码不正确"),
        ("371521198802300028", "出生日期不存在"),
    ],
)
def test_it_rejects_bad_id_numbers_inline(
    client_for, staff_acheng, household, number, message
):
    response = client_for(staff_acheng).post(
        reverse("households:member_add", args=[household.pk]),
        {
            "name": "李四",
            "id_number": number,
            "relation": "son",
            "supporter_status": "unknown",
            "willing_centralized": "unknown",
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert household.members.count() == 1


def test_it_refuses_an_id_already_registered_elsewhere(
    client_for, staff_acheng, household, qiji
):
    other = make_household(qiji, household_no="QJ-9")
    taken = make_member(other, name="赵六")
    response = client_for(staff_acheng).post(
        reverse("households:member_add", args=[household.pk]),
        {
            "name": "赵六",
            "id_number": taken.id_number,
            "relation": "son",
            "supporter_status": "unknown",
            "willing_centralized": "unknown",
        },
    )
    assert "已登记在户 QJ-9" in response.content.decode()


def test_a_stale_edit_is_refused_and_loses_nothing(client_for, staff_acheng, household):
    member = household.members.get()
    form = {
        "name": "王大山",
        "id_number": member.id_number,
        "relation": "head",
        "supporter_status": "unknown",
        "willing_centralized": "unknown",
        "version": member.version,
    }
    client = client_for(staff_acheng)
    first = client.post(
        reverse("households:member_edit", args=[member.pk]),
        {**form, "phone": "13800000001"},
    )
    assert first.status_code == 302
    second = client.post(
        reverse("households:member_edit", args=[member.pk]),
        {**form, "phone": "13900000002"},
    )
    assert second.status_code == 200
    body = second.content.decode()
    assert "已被他人修改" in body and "联系电话（现为“13800000001”）" in body
    member.refresh_from_db()
    assert member.phone == "13800000001"


def test_removing_a_member_is_soft_and_kept_in_history(
    client_for, staff_acheng, household
):
    member = household.members.get()
    response = client_for(staff_acheng).post(
        reverse("households:member_remove", args=[member.pk])
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.removed
    history = (
        client_for(staff_acheng)
        .get(reverse("households:history", args=[household.pk]))
        .content.decode()
    )
    assert "已移除" in history


def test_remove_needs_post(client_for, staff_acheng, household):
    member = household.members.get()
    url = reverse("households:member_remove", args=[member.pk])
    assert client_for(staff_acheng).get(url).status_code == 405


def test_history_shows_who_changed_what(client_for, staff_acheng, household):
    client = client_for(staff_acheng)
    client.post(
        reverse("households:edit", args=[household.pk]),
        {
            "village": household.village_id,
            "poverty_type": "dibao",
            "poverty_status": "not_lifted",
            "version": household.version,
        },
    )
    body = client.get(
        reverse("households:history", args=[household.pk])
    ).content.decode()
    assert "贫困户属性" in body and "低保贫困户" in body
    assert str(staff_acheng) in body
