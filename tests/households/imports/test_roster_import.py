"""The roster import against the registry: matching, counting, writing (§1, §4)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from households.imports import roster_import as service
from households.imports.roster_import import roster_import
from households.models import Household, ImportBatch, Member, Township, Village

from .helpers import HEADER, family, make_id, person, roster_bytes, workbook_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def changed(monkeypatch):
    """The household ids handed to the re-check hook."""
    seen: list[int] = []
    monkeypatch.setattr(service, "household_changed", lambda ids: seen.extend(ids))
    return seen


def run(data, **options):
    options.setdefault("township", "七级镇")
    return roster_import(source=data, name="花名册.xlsx", **options)


def counts(result):
    return result.households.as_dict(), result.members.as_dict()


def c(created=0, updated=0, unchanged=0, skipped=0):
    return {
        "created": created,
        "updated": updated,
        "unchanged": unchanged,
        "skipped": skipped,
    }


def codes(result):
    return [(e.code, e.row, e.column) for e in result.errors]


def test_it_imports_the_example_roster(sample_path, changed):
    result = roster_import(source=sample_path, township="七级镇")
    assert counts(result) == (c(created=5), c(created=11))
    assert result.villages_created == ["示例村"]
    assert result.written and result.exit_status == 0
    assert result.errors == [] and result.warnings == []
    households = Household.objects.order_by("household_no")
    assert [h.household_no for h in households] == [f"QJ000{i}" for i in range(1, 6)]
    assert {h.township.name for h in households} == {"七级镇"}
    assert Member.objects.count() == 11
    village = Village.objects.get(name="示例村")
    assert village.township.name == "七级镇" and village.kind == "village"
    assert sorted(changed) == sorted(h.pk for h in households)
    member = Member.objects.get(id_number="371521195205201241")
    assert (member.name, member.relation, member.sex) == ("高凤琴", "spouse", "female")
    assert member.birth_date == datetime.date(1952, 5, 20)
    assert (member.disability_category, member.disability_grade) == ("physical", 2)
    assert member.household.income_per_capita == Decimal("2600.00")
    assert member.household.poverty_type == "dibao"


def test_it_keeps_the_file_and_a_batch_record(sample_path):
    result = roster_import(source=sample_path, township="七级镇")
    batch = result.batch
    assert batch.status == ImportBatch.Status.COMMITTED
    assert batch.kind == ImportBatch.Kind.HOUSEHOLD_ROSTER
    assert batch.original_name == "village-roster-example.xlsx"
    assert batch.township.name == "七级镇" and batch.committed_at
    assert batch.summary["households"]["created"] == 5
    assert batch.file.read() == sample_path.read_bytes()


def test_history_rows_name_the_import_batch(sample_path):
    result = roster_import(source=sample_path, township="七级镇")
    reason = f"导入批次#{result.batch.pk}"
    assert Household.history.filter(history_change_reason=reason).count() == 5
    assert (
        Member.history.filter(history_change_reason=reason, history_type="+").count()
        == 11
    )


def test_importing_the_same_file_again_changes_nothing(sample_path, changed):
    roster_import(source=sample_path, township="七级镇")
    history = Member.history.count()
    changed.clear()
    again = roster_import(source=sample_path, township="七级镇")
    assert counts(again) == (c(unchanged=5), c(unchanged=11))
    assert again.written and again.villages_created == []
    assert Member.history.count() == history
    assert changed == []


def test_changed_values_update_the_household_and_its_members(changed):
    people = family("QJ0001", 3) + family("QJ0002", 2)
    run(roster_bytes(people))
    changed.clear()
    people[1]["健康状况"] = "患有大病"
    people[3]["家庭年人均纯收入"] = people[4]["家庭年人均纯收入"] = 5100
    result = run(roster_bytes(people))
    assert counts(result) == (c(updated=2), c(updated=1, unchanged=4))
    wife = Member.objects.get(id_number=people[1]["证件号码"])
    assert wife.health == "serious" and wife.version == 2
    assert wife.history.first().history_change_reason == f"导入批次#{result.batch.pk}"
    second = Household.objects.get(household_no="QJ0002")
    assert second.income_per_capita == Decimal("5100.00") and second.version == 2
    assert sorted(changed) == sorted(Household.objects.values_list("pk", flat=True))


def test_a_blank_optional_cell_never_clears_a_stored_value():
    people = family("QJ0001", 2)
    run(roster_bytes(people))
    people[0]["健康状况"] = None
    people[0]["家庭年人均纯收入"] = None
    result = run(roster_bytes(people))
    assert counts(result) == (c(unchanged=1), c(unchanged=2))
    head = Member.objects.get(id_number=people[0]["证件号码"])
    assert head.health == "healthy"
    assert head.household.income_per_capita == Decimal("4200.00")


def test_a_new_member_updates_the_household():
    people = family("QJ0001", 2)
    run(roster_bytes(people))
    people.append(person("QJ0001", "之女", male=False))
    result = run(roster_bytes(people))
    assert counts(result) == (c(updated=1), c(created=1, unchanged=2))


def test_members_absent_from_the_file_are_listed_and_left_alone():
    people = family("QJ0001", 3)
    run(roster_bytes(people))
    result = run(roster_bytes(people[:2]))
    assert counts(result) == (c(unchanged=1), c(unchanged=2))
    assert [(m.household_no, m.id_number) for m in result.absent_members] == [
        ("QJ0001", people[2]["证件号码"])
    ]
    assert "*" in result.absent_members[0].masked_id
    assert Member.objects.filter(removed=False).count() == 3


def test_a_village_change_and_a_new_community():
    people = family("QJ0001", 2)
    run(roster_bytes(people))
    for row in people:
        row["村（居）"] = "城关社区"
    result = run(roster_bytes(people))
    assert counts(result) == (c(updated=1), c(unchanged=2))
    assert result.villages_created == ["城关社区"]
    household = Household.objects.get()
    assert (
        household.village.name == "城关社区" and household.village.kind == "community"
    )


def test_an_existing_village_is_reused():
    Village.objects.create(township=Township.objects.get(name="七级镇"), name="示例村")
    result = run(roster_bytes(family("QJ0001", 1)))
    assert result.villages_created == []
    assert Village.objects.count() == 1


def test_a_household_number_of_another_township_is_invalid():
    run(roster_bytes(family("QJ0001", 1, township="阿城镇")), township="阿城镇")
    result = run(roster_bytes(family("QJ0001", 1)))
    assert codes(result) == [("invalid_value", 3, "户编号")]
    assert "阿城镇" in result.errors[0].message
    assert counts(result) == (c(skipped=1), c(skipped=1))
    assert not result.written and result.exit_status == 1


def test_an_id_number_of_another_household_is_an_error():
    first = family("QJ0001", 2)
    run(roster_bytes(first))
    moved = person("QJ0002", "户主", id_number=first[1]["证件号码"])
    result = run(roster_bytes([moved]))
    assert codes(result) == [("id_in_other_household", 3, "证件号码")]
    assert "QJ0001" in result.errors[0].message
    assert Household.objects.count() == 1


def test_a_removed_household_is_not_restored_by_an_import():
    run(roster_bytes(family("QJ0001", 1)))
    Household.objects.update(removed=True)
    result = run(roster_bytes(family("QJ0001", 1)))
    assert codes(result) == [("invalid_value", 3, "户编号")]


def test_any_error_writes_nothing_by_default():
    people = family("QJ0001", 2) + [person("QJ0002", "大哥")]
    result = run(roster_bytes(people))
    assert counts(result) == (c(created=1, skipped=1), c(created=2, skipped=1))
    assert result.villages_created == ["示例村"]
    assert not result.written and result.exit_status == 1 and result.batch is None
    assert Household.objects.count() == 0 and Village.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_skip_invalid_writes_the_households_without_errors():
    people = family("QJ0001", 2) + [person("QJ0002", "大哥"), person(None)]
    result = run(roster_bytes(people), skip_invalid=True)
    assert counts(result) == (c(created=1, skipped=1), c(created=2, skipped=2))
    assert result.written and result.exit_status == 0
    assert list(Household.objects.values_list("household_no", flat=True)) == ["QJ0001"]
    assert result.batch.skip_invalid


def test_a_dry_run_writes_nothing_and_exits_as_the_real_run_would(sample_path):
    result = roster_import(source=sample_path, township="七级镇", dry_run=True)
    assert counts(result) == (c(created=5), c(created=11))
    assert result.dry_run and not result.written and result.exit_status == 0
    assert Household.objects.count() == 0 and Village.objects.count() == 0
    bad = run(roster_bytes([person("QJ0002", "大哥")]), dry_run=True)
    assert bad.exit_status == 1 and not bad.written


@pytest.mark.parametrize("skip_invalid", [False, True])
def test_file_level_errors_always_exit_1(skip_invalid, sample_path):
    header = [h for h in HEADER if h != "与户主关系"]
    for data, township, code in [
        (b"\x00not a workbook" * 100, "七级镇", "file_unreadable"),
        (workbook_bytes({"Sheet1": []}), "七级镇", "no_header_row"),
        (roster_bytes(family("QJ0001", 1), header=header), "七级镇", "missing_column"),
        (sample_path.read_bytes(), "不存在镇", "unknown_township"),
    ]:
        result = run(data, township=township, skip_invalid=skip_invalid)
        assert [e.code for e in result.errors] == [code]
        assert result.file_error and result.exit_status == 1 and not result.written
        assert counts(result) == (c(), c())


def test_the_limits_default_to_the_settings(settings, sample_path):
    settings.IMPORT_MAX_ROWS = 10
    assert roster_import(source=sample_path).errors[0].code == "file_unreadable"
    settings.IMPORT_MAX_ROWS = 11
    settings.IMPORT_MAX_BYTES = 1000
    assert roster_import(source=sample_path).errors[0].code == "file_unreadable"


def test_without_a_township_each_row_names_its_own():
    people = family("A1", 1, township="阿城") + family("G1", 1, township="郭屯镇")
    result = run(roster_bytes(people), township=None)
    assert result.errors == []
    assert dict(Household.objects.values_list("household_no", "township__name")) == {
        "A1": "阿城镇",
        "G1": "郭店屯镇",
    }
    assert result.batch.township is None


def test_staff_import_into_their_own_township(staff_qiji, sample_path):
    result = roster_import(source=sample_path, actor=staff_qiji)
    assert result.written and result.batch.uploaded_by == staff_qiji
    assert Member.history.filter(history_user=staff_qiji).count() == 11
    with pytest.raises(PermissionDenied):
        roster_import(source=sample_path, actor=staff_qiji, township="阿城镇")


def test_staff_rows_of_another_township_are_invalid(staff_acheng, sample_path):
    result = roster_import(source=sample_path, actor=staff_acheng)
    assert {e.code for e in result.errors} == {"invalid_value"}
    assert len(result.errors) == 11 and not result.written


def test_the_number_of_queries_does_not_grow_with_the_file(
    django_assert_max_num_queries,
):
    small = roster_bytes(family("QJ0001", 2))
    large = roster_bytes([p for i in range(40) for p in family(f"QJ{i:04d}", 3)])
    with django_assert_max_num_queries(40):
        run(small)
    with django_assert_max_num_queries(40):
        run(large)
    with django_assert_max_num_queries(25):
        assert counts(run(large))[0] == c(unchanged=40, created=0)


@pytest.mark.postgres_only
def test_copy_writes_the_same_rows_as_bulk_create(sample_path, monkeypatch):
    """PostgreSQL takes new rows by COPY; the records must match the ORM's."""
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL only")
    result = roster_import(source=sample_path, township="七级镇")
    member = Member.objects.get(id_number="371521195205201241")
    assert member.created_at and member.version == 1 and not member.removed
    assert member.supporter_status == "unknown"
    record = Member.history.get(id=member.pk)
    assert record.history_type == "+" and record.name == "高凤琴"
    assert record.history_change_reason == f"导入批次#{result.batch.pk}"
    later = Member.objects.create(
        household=member.household, name="新人", id_number=make_id(), relation="other"
    )
    assert later.pk > member.pk  # the sequence moved on
