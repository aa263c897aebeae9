"""The benefit roster import service: matching, identity, modes, writing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from households.models import ImportBatch
from subsidies.imports.roster_import import benefit_roster_import
from subsidies.models import Enrollment, TemporaryGrant
from tests.factories import make_household, make_member

from .helpers import benefit_row, benefits_bytes, make_id

pytestmark = pytest.mark.django_db


def run(rows, **options):
    options.setdefault("name", "救助名册.xlsx")
    return benefit_roster_import(source=benefits_bytes(rows), **options)


def codes(found) -> list[tuple]:
    return [(i.code, i.row, i.column) for i in found]


def counts(result) -> tuple[dict, dict]:
    return result.enrollments.as_dict(), result.grants.as_dict()


def as_counts(created=0, updated=0, unchanged=0, skipped=0) -> dict:
    return {
        "created": created,
        "updated": updated,
        "unchanged": unchanged,
        "skipped": skipped,
    }


@pytest.fixture
def people(family):
    """王大山 (70), 李秀英 (wife) and 王小军 (son) of 阿城镇 household AC-0001."""
    _household, head, wife, son = family
    return head, wife, son


def test_it_records_enrollments_and_grants_of_members(people):
    head, wife, son = people
    result = run(
        [
            benefit_row(
                "王大山",
                head.id_number,
                "低保",
                保障方式="单人保",
                开始日期="2019-01",
                月标准=380,
            ),
            benefit_row("李秀英", wife.id_number, "特困", 开始日期="2019-06-01"),
            benefit_row("王大山", head.id_number, "老年人补贴", 开始日期="2019-01"),
            benefit_row(
                "王小军", son.id_number, "临时救助", 开始日期="2020-03-15", 月标准=800
            ),
        ]
    )
    assert result.errors == [] and result.written
    assert counts(result) == (as_counts(created=3), as_counts(created=1))
    dibao = Enrollment.objects.get(member=head, benefit_id="dibao")
    assert (dibao.scope, dibao.status, dibao.start, dibao.amount) == (
        "individual",
        "active",
        datetime.date(2019, 1, 1),
        Decimal("380.00"),
    )
    assert dibao.end is None and dibao.end_reason == ""
    tekun = Enrollment.objects.get(member=wife, benefit_id="tekun")
    assert (tekun.care_mode, tekun.scope) == ("dispersed", "")
    grant = TemporaryGrant.objects.get(member=son)
    assert (grant.date, grant.amount) == (datetime.date(2020, 3, 15), Decimal("800"))
    assert [(c.row, c.outcome, c.kind) for c in result.changes] == [
        (3, "created", "enrollment"),
        (4, "created", "enrollment"),
        (5, "created", "enrollment"),
        (6, "created", "grant"),
    ]
    assert result.changes[0].masked_id.startswith("371521")


def test_reimporting_the_same_file_changes_nothing(people):
    head, wife, son = people
    rows = [
        benefit_row("王大山", head.id_number, "低保", 开始日期="2019-01", 月标准=380),
        benefit_row("王大山", head.id_number, "护理补贴"),
        benefit_row(
            "李秀英",
            wife.id_number,
            "低保",
            开始日期="2018-01-01",
            结束日期="2018-12",
            状态="停保",
        ),
        benefit_row("李秀英", wife.id_number, "低保", 开始日期="2019-01"),
        benefit_row("李秀英", wife.id_number, "低保"),
        benefit_row(
            "王小军", son.id_number, "临时救助", 开始日期="2020-03-15", 月标准=800
        ),
    ]
    first = run(rows)
    assert counts(first) == (as_counts(created=5), as_counts(created=1))
    history = Enrollment.history.count() + TemporaryGrant.history.count()
    again = run(rows)
    assert again.written and again.errors == []
    assert counts(again) == (as_counts(unchanged=5), as_counts(unchanged=1))
    assert again.changes == []
    assert Enrollment.objects.count() == 5 and TemporaryGrant.objects.count() == 1
    assert Enrollment.history.count() + TemporaryGrant.history.count() == history
    # A blank end reason of an ended record is stored as 其他.
    ended = Enrollment.objects.get(member=wife, start=datetime.date(2018, 1, 1))
    assert (ended.end, ended.end_reason) == (datetime.date(2018, 12, 31), "other")


def test_a_row_that_changes_end_reason_status_or_amount_is_updated(people, dibao):
    head = people[0]
    result = run(
        [
            benefit_row(
                "王大山",
                head.id_number,
                "低保",
                保障方式="单人",
                开始日期=datetime.date(2019, 1, 1),
                结束日期="2020-03",
                停保原因="就业",
                月标准=400,
                状态="停保",
            )
        ]
    )
    assert counts(result) == (as_counts(updated=1), as_counts())
    dibao.refresh_from_db()
    assert (dibao.status, dibao.end, dibao.end_reason, dibao.amount) == (
        "ended",
        datetime.date(2020, 3, 31),
        "employment",
        Decimal("400.00"),
    )
    assert dibao.version == 2
    assert set(result.changes[0].fields) == {"status", "end", "end_reason", "amount"}


def test_a_blank_end_or_amount_keeps_the_stored_value(people, dibao):
    head = people[0]
    result = run(
        [
            benefit_row(
                "王大山", head.id_number, "低保", 保障方式="单人", 开始日期="2019-01"
            )
        ]
    )
    assert counts(result) == (as_counts(unchanged=1), as_counts())
    dibao.refresh_from_db()
    assert dibao.amount == Decimal("380.00")


def test_a_different_start_or_scope_is_another_enrollment(people, dibao):
    head = people[0]
    result = run(
        [
            benefit_row(
                "王大山", head.id_number, "低保", 保障方式="整户", 开始日期="2019-01"
            ),
            benefit_row(
                "王大山", head.id_number, "低保", 保障方式="单人", 开始日期="2019-02"
            ),
        ]
    )
    assert counts(result) == (as_counts(created=2), as_counts())
    assert Enrollment.objects.filter(member=head, benefit_id="dibao").count() == 3


def test_a_blank_scope_matches_the_stored_record_of_the_same_start(people, dibao):
    """整户 is the default of a new record, not a different identity."""
    head = people[0]
    result = run([benefit_row("王大山", head.id_number, "低保", 开始日期="2019-01")])
    assert counts(result) == (as_counts(unchanged=1), as_counts())
    dibao.refresh_from_db()
    assert dibao.scope == "individual"
    other = make_member(head.household, name="王二", relation="son")
    result = run([benefit_row("王二", other.id_number, "低保", 开始日期="2019-01")])
    assert Enrollment.objects.get(member=other).scope == "household"


def test_a_row_without_a_start_matches_the_latest_enrollment(people):
    head = people[0]
    older = Enrollment.objects.create(
        member=head,
        benefit_id="elderly",
        status="ended",
        start=datetime.date(2017, 1, 1),
        end=datetime.date(2017, 12, 31),
        end_reason="other",
    )
    latest = Enrollment.objects.create(
        member=head, benefit_id="elderly", start=datetime.date(2019, 1, 1), amount=100
    )
    result = run(
        [benefit_row("王大山", head.id_number, "老年人补贴", 状态="暂停", 月标准=100)]
    )
    assert counts(result) == (as_counts(updated=1), as_counts())
    latest.refresh_from_db()
    older.refresh_from_db()
    assert latest.status == "suspended" and older.status == "ended"


def test_a_row_without_a_start_sets_an_explicit_scope(people, dibao):
    head = people[0]
    result = run([benefit_row("王大山", head.id_number, "低保", 保障方式="整户")])
    assert counts(result) == (as_counts(updated=1), as_counts())
    dibao.refresh_from_db()
    assert dibao.scope == "household"
    # A blank scope keeps it: 整户 is the default of a new record only.
    dibao.scope = "individual"
    dibao.save()
    result = run([benefit_row("王大山", head.id_number, "低保")])
    assert counts(result) == (as_counts(unchanged=1), as_counts())


def test_a_grant_is_identified_by_member_date_and_amount(people):
    son = people[2]
    TemporaryGrant.objects.create(
        member=son, date=datetime.date(2020, 3, 15), amount=Decimal("800")
    )
    result = run(
        [
            benefit_row(
                "王小军",
                son.id_number,
                "临时救助",
                开始日期="2020-03-15",
                月标准="800.00",
            ),
            benefit_row(
                "王小军", son.id_number, "临时救助", 开始日期="2020-03-15", 月标准=500
            ),
            benefit_row(
                "王小军", son.id_number, "临时救助", 开始日期="2020-04-01", 月标准=800
            ),
        ]
    )
    assert counts(result) == (as_counts(), as_counts(created=2, unchanged=1))
    assert TemporaryGrant.objects.filter(member=son).count() == 3


def test_people_not_in_the_registry_are_listed_not_written(people, outsider_member):
    head = people[0]
    stranger = make_id()
    result = run(
        [
            benefit_row("王大山", head.id_number, "低保", 开始日期="2019-01"),
            benefit_row("路人甲", stranger, "低保", 开始日期="2019-01"),
            benefit_row(
                "路人甲", stranger, "临时救助", 开始日期="2020-01-02", 月标准=300
            ),
            benefit_row("赵七", outsider_member.id_number, "特困"),
        ],
        township="阿城镇",
    )
    assert result.errors == [] and result.written and result.exit_status == 0
    assert counts(result) == (as_counts(created=1), as_counts())
    assert result.not_in_registry == 3
    assert [r.as_dict() for r in result.not_in_registry_rows] == [
        {"sheet": "花名册", "row": 4, "name": "路人甲", "benefit": "dibao"},
        {
            "sheet": "花名册",
            "row": 5,
            "name": "路人甲",
            "benefit": "temporary_assistance",
        },
        {"sheet": "花名册", "row": 6, "name": "赵七", "benefit": "tekun"},
    ]
    assert Enrollment.objects.count() == 1 and TemporaryGrant.objects.count() == 0
    assert result.batch.township.name == "阿城镇"


def test_without_a_township_the_whole_county_is_matched(people, outsider_member):
    result = run([benefit_row("赵七", outsider_member.id_number, "特困")])
    assert result.not_in_registry == 0
    assert counts(result) == (as_counts(created=1), as_counts())


def test_a_removed_member_is_not_in_the_registry(people):
    son = people[2]
    son.removed = True
    son.save()
    result = run([benefit_row("王小军", son.id_number, "低保")])
    assert result.not_in_registry == 1 and Enrollment.objects.count() == 0


def test_a_name_differing_from_the_registry_is_name_mismatch(people):
    head = people[0]
    result = run(
        [
            benefit_row("王大 山", head.id_number, "低保"),  # spaces do not count
            benefit_row("王大三", head.id_number, "老年人补贴"),
        ]
    )
    assert codes(result.errors) == [("name_mismatch", 4, "姓名")]
    assert "王大山" in result.errors[0].message and "请" in result.errors[0].message
    assert not result.written and result.exit_status == 1
    assert counts(result) == (as_counts(created=1, skipped=1), as_counts())
    assert Enrollment.objects.count() == 0


def test_any_error_writes_nothing_by_default(people):
    head, wife, son = people
    result = run(
        [
            benefit_row("王大山", head.id_number, "低保", 开始日期="2019-01"),
            benefit_row(
                "王小军", son.id_number, "临时救助", 开始日期="2020-03-01", 月标准=200
            ),
            benefit_row("李秀英", wife.id_number, "低保", 开始日期="2019-99"),
        ]
    )
    assert codes(result.errors) == [("invalid_value", 5, "开始日期")]
    assert not result.written and result.exit_status == 1
    assert counts(result) == (as_counts(created=1, skipped=1), as_counts(created=1))
    assert Enrollment.objects.count() == 0 and TemporaryGrant.objects.count() == 0
    assert Enrollment.history.count() == 0 and ImportBatch.objects.count() == 0


def test_skip_invalid_writes_every_row_without_an_error(people):
    head, wife, son = people
    result = run(
        [
            benefit_row("王大山", head.id_number, "低保", 开始日期="2019-01"),
            benefit_row("李秀英", wife.id_number, "低保", 开始日期="2019-99"),
            benefit_row("李秀英", wife.id_number, "老年人补贴", 开始日期="2019-01"),
            benefit_row("王小军", son.id_number, "救济粮"),
        ],
        skip_invalid=True,
    )
    assert [e.row for e in result.errors] == [4, 6]
    assert result.written and result.exit_status == 0
    assert counts(result) == (as_counts(created=2, skipped=2), as_counts())
    assert set(Enrollment.objects.values_list("member__name", "benefit_id")) == {
        ("王大山", "dibao"),
        ("李秀英", "elderly"),
    }
    batch = result.batch
    assert (batch.status, batch.skip_invalid, batch.kind) == (
        "committed",
        True,
        "benefit_roster",
    )


def test_a_dry_run_writes_nothing_and_counts_the_plan(people):
    head = people[0]
    rows = [benefit_row("王大山", head.id_number, "低保", 开始日期="2019-01")]
    result = run(rows, dry_run=True)
    assert result.dry_run and not result.written and result.exit_status == 0
    assert counts(result) == (as_counts(created=1), as_counts())
    assert Enrollment.objects.count() == 0 and ImportBatch.objects.count() == 0
    bad = run([*rows, benefit_row("", head.id_number, "低保")], dry_run=True)
    assert bad.exit_status == 1 and not bad.written


def test_policy_breaking_rows_are_recorded(people):
    head, wife, son = people
    wife.deceased = True
    wife.save()
    result = run(
        [
            # Tekun and dibao at once; an elderly subsidy without dibao for
            # someone of 30; a running benefit of a deceased member; a
            # nursing subsidy without any disability; an extended subsidy.
            benefit_row("王大山", head.id_number, "特困", 开始日期="2019-01"),
            benefit_row("王大山", head.id_number, "低保", 开始日期="2019-01"),
            benefit_row("王大山", head.id_number, "低保", 开始日期="2019-02"),
            benefit_row("王小军", son.id_number, "老年人补贴", 开始日期="2019-01"),
            benefit_row(
                "李秀英", wife.id_number, "低保", 开始日期="2019-01", 状态="在保"
            ),
            benefit_row("李秀英", wife.id_number, "护理补贴", 状态="延保"),
        ]
    )
    assert result.errors == [] and result.written
    assert counts(result) == (as_counts(created=6), as_counts())
    assert Enrollment.objects.filter(member=wife, status="active").count() == 1


def test_history_names_the_batch_and_the_user(people, dibao, staff_acheng):
    head, wife, _son = people
    result = run(
        [
            benefit_row(
                "王大山",
                head.id_number,
                "低保",
                保障方式="单人",
                开始日期="2019-01",
                状态="暂停",
            ),
            benefit_row("李秀英", wife.id_number, "老年人补贴", 开始日期="2019-01"),
        ],
        actor=staff_acheng,
    )
    batch = result.batch
    assert batch.uploaded_by == staff_acheng and batch.township.name == "阿城镇"
    assert batch.source_label == f"导入批次#{batch.pk}"
    assert batch.summary["enrollments"] == as_counts(created=1, updated=1)
    assert batch.summary["written"] is True
    assert batch.file.read().startswith(b"PK")
    rows = Enrollment.history.filter(history_change_reason=batch.source_label)
    assert sorted(rows.values_list("history_type", "benefit_id")) == [
        ("+", "elderly"),
        ("~", "dibao"),
    ]
    assert {r.history_user_id for r in rows} == {staff_acheng.pk}


def test_a_previewed_batch_is_completed(people, staff_acheng):
    head = people[0]
    batch = ImportBatch.objects.create(
        kind="benefit_roster", uploaded_by=staff_acheng, original_name="名册.xlsx"
    )
    result = run(
        [benefit_row("王大山", head.id_number, "低保")], actor=staff_acheng, batch=batch
    )
    batch.refresh_from_db()
    assert result.batch == batch and batch.status == "committed"
    assert batch.committed_at is not None


def test_the_touched_households_are_rechecked_once(
    people, rechecked, django_capture_on_commit_callbacks, acheng
):
    head = people[0]
    other = make_household(acheng, household_no="AC-0002")
    neighbour = make_member(other, name="孙五")
    untouched = make_member(make_household(acheng, household_no="AC-0003"), name="钱六")
    Enrollment.objects.create(member=untouched, benefit_id="elderly")
    rows = [
        benefit_row("王大山", head.id_number, "低保"),
        benefit_row(
            "孙五", neighbour.id_number, "临时救助", 开始日期="2020-01-01", 月标准=100
        ),
        benefit_row("钱六", untouched.id_number, "老年人补贴"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        result = run(rows)
    assert rechecked == [sorted([head.household_id, other.pk])]
    assert (result.households_changed, result.rechecked) == (2, True)
    with django_capture_on_commit_callbacks(execute=True):
        result = run(rows)
    assert len(rechecked) == 1  # nothing changed: no re-check
    assert (result.households_changed, result.rechecked) == (0, False)


def test_a_large_import_leaves_the_recheck_to_the_rule_run(
    people, rechecked, django_capture_on_commit_callbacks, settings
):
    settings.RECHECK_INLINE_MAX_HOUSEHOLDS = 0
    with django_capture_on_commit_callbacks(execute=True):
        result = run([benefit_row("王大山", people[0].id_number, "低保")])
    assert result.written and rechecked == []
    assert (result.households_changed, result.rechecked) == (1, False)


def test_staff_import_into_their_own_township_only(
    people, outsider_member, staff_acheng, staff_qiji, chief_assistance
):
    rows = [benefit_row("赵七", outsider_member.id_number, "特困")]
    result = run(rows, actor=staff_acheng)
    assert result.not_in_registry == 1  # 七级镇 is outside 阿城镇 staff's scope
    with pytest.raises(PermissionDenied):
        run(rows, actor=staff_qiji, township="阿城镇")
    with pytest.raises(PermissionDenied):
        run(rows, actor=chief_assistance)
    assert Enrollment.objects.count() == 0


def test_an_unknown_township_is_a_file_error(people):
    result = run([benefit_row("王大山", people[0].id_number)], township="火星镇")
    assert codes(result.errors) == [("unknown_township", None, None)]
    assert "火星镇" in result.errors[0].message
    assert result.file_error and result.exit_status == 1 and not result.written


def test_an_unreadable_file_is_a_file_error(db):
    result = benefit_roster_import(
        source=b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old", name="x.xls"
    )
    assert codes(result.errors) == [("file_unreadable", None, None)]
    assert result.file_error and result.exit_status == 1
    assert (
        benefit_roster_import(source=b"x", name="x.xlsx", skip_invalid=True).exit_status
        == 1
    )


def test_the_number_of_queries_does_not_grow_with_the_rows(acheng):
    household = make_household(acheng, household_no="AC-0100")
    members = [make_member(household, name=f"成员{i}") for i in range(40)]

    def queries(size):
        rows = [
            benefit_row(m.name, m.id_number, benefit, 开始日期="2019-01", 月标准=50)
            for m in members[:size]
            for benefit in ("低保", "临时救助")
        ]
        data = benefits_bytes(rows)
        with CaptureQueriesContext(connection) as first:
            benefit_roster_import(source=data, name="a.xlsx")
        with CaptureQueriesContext(connection) as again:
            benefit_roster_import(source=data, name="a.xlsx")
        return len(first), len(again)

    small = queries(2)
    # Members, enrollments, grants; then the inserts and the batch (fewer
    # when a re-import changes nothing).
    assert small[0] <= 12 and small[1] <= 8
    Enrollment.objects.all().delete()
    TemporaryGrant.objects.all().delete()
    assert queries(40) == small
