"""Demo care registers for the demo townships (never real people).

``seed_care(today, rng)`` gives every township that has registered
households a plausible picture of work points 四 to 九: left-behind elderly
people (mostly members of registered households aged 60 or over, a few
standalone people) with contacts, helpers, services and visits — some of
them overdue; left-behind children and children in difficulty with
guardians, schools and inspection visits; child supervisors and village
child directors with deliberate gaps; a nursing home per township and
some rural happiness homes, with the centralized-care tekun persons
linked; village councils, rules and disclosure; charity-drive sums and
social organisations.

Deterministic for the random generator and the registry given; written in
bulk with history rows whose change reason is "演示数据".
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from households import idnumbers
from households.bulkload import bulk_create_with_history
from households.models import Member, Township, Village
from subsidies.models import Enrollment

from .models import (
    CareServiceItem,
    CharityDrive,
    Child,
    ChildCategory,
    ChildDirector,
    ChildSupervisor,
    ChildVisit,
    DifficultyType,
    ElderlyPerson,
    ElderlyVisit,
    Institution,
    InstitutionResident,
    LivingSituation,
    SocialOrganization,
    Staffing,
    VillageWorkPoint,
    VisitMethod,
)

REASON = "演示数据"
INTERVAL = 30
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈彭吕苏卢蒋蔡贾丁魏薛叶"
GIVEN = "秀英桂兰玉梅建国志强春华海燕文明德胜凤霞丽娟红梅永刚晓东家乐子涵雨桐浩然欣怡"
RELATIONS_ELDERLY = ["儿子", "女儿", "儿媳", "侄子", "孙子"]
RELATIONS_LEFT_BEHIND = ["祖父", "祖母", "外祖父", "外祖母", "伯父"]
RELATIONS_CHILD = ["祖母", "外祖母", "母亲", "父亲", "伯父"]
SITUATIONS = [
    "身体状况稳定，生活能自理，家中用电、用火安全。",
    "老人腿脚不便，已协助购买日常用品。",
    "血压偏高，提醒按时服药并联系村医随访。",
    "子女在外务工，电话联系正常，情绪良好。",
    "房屋年久，已排查漏雨隐患并报村委会维修。",
    "冬季取暖设施完好，储备了足够的生活物资。",
]
CHILD_SITUATIONS = [
    "孩子在校表现良好，监护人照料到位。",
    "学习成绩有所下降，已与班主任沟通。",
    "家中生活困难，已协助申请临时救助。",
    "监护人年老体弱，已联系村儿童主任加强看护。",
    "假期安全教育已落实，防溺水告知书已签收。",
]
NEEDS = ["", "", "希望子女多打电话", "需要上门理发", "需要协助就医", "需要冬季取暖补贴"]
FOLLOW_UPS = ["", "", "下次探访时复查", "已转介镇卫生院", "已报乡镇民政办"]
ORGANIZATIONS = [
    ("{name}志愿者协会", "association", "组织志愿者为留守老年人、困境儿童开展结对帮扶"),
    ("{name}孝善基金会", "foundation", "设立孝善养老基金，资助贫困老年人"),
    ("{name}社会工作服务中心", "service", "为困境儿童提供心理疏导和课业辅导"),
    ("{name}爱心超市理事会", "association", "以积分兑换方式为贫困户提供生活用品"),
]


@dataclass
class CareSummary:
    elderly: int = 0
    children: int = 0
    visits: int = 0
    institutions: int = 0


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(
        rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))
    )


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"


def _id_number(rng: random.Random, born: datetime.date, used: set[str]) -> str:
    while True:
        first17 = f"{idnumbers.COUNTY_CODE}{born:%Y%m%d}{rng.randrange(600, 999):03d}"
        number = first17 + idnumbers.check_char(first17)
        if number not in used:
            used.add(number)
            return number


def _visits(rng, model, person, today: datetime.date, *, overdue: bool) -> list:
    """Visits every ~month since registration; stopped early when overdue."""
    visits = []
    day = person.registered_on + datetime.timedelta(days=rng.randrange(0, 12))
    stop = today - datetime.timedelta(days=INTERVAL + rng.randrange(5, 40))
    last = stop if overdue else today
    texts = SITUATIONS if model is ElderlyVisit else CHILD_SITUATIONS
    while day <= last:
        visits.append(
            model(
                person=person,
                visit_date=day,
                method=rng.choices(
                    [VisitMethod.HOME, VisitMethod.PHONE], weights=(4, 1)
                )[0],
                visitor=_name(rng),
                situation=rng.choice(texts),
                needs=rng.choice(NEEDS),
                follow_up=rng.choice(FOLLOW_UPS),
            )
        )
        day += datetime.timedelta(days=rng.randrange(18, INTERVAL + 1))
    return visits


def seed_care(today: datetime.date, rng: random.Random) -> CareSummary:
    """Plausible care registers for every township with households."""
    summary = CareSummary()
    townships = list(
        Township.objects.filter(households__isnull=False).distinct().order_by("order")
    )
    if not townships:
        return summary
    items = list(CareServiceItem.objects.filter(active=True))
    used = set(Member.objects.values_list("id_number", flat=True))
    used |= set(ElderlyPerson.objects.values_list("id_number", flat=True))
    used |= set(Child.objects.values_list("id_number", flat=True))
    # People already on a register (by ID number) are not registered again.
    taken_elderly = set(
        ElderlyPerson.objects.current().values_list("id_number", flat=True)
    )
    taken_children = set(Child.objects.current().values_list("id_number", flat=True))
    villages = {}
    for village in Village.objects.filter(township__in=townships).order_by("pk"):
        villages.setdefault(village.township_id, []).append(village)
    members = {}
    for member in (
        Member.objects.filter(
            household__township__in=townships,
            removed=False,
            deceased=False,
            household__removed=False,
            birth_date__isnull=False,
        )
        .select_related("household__village")
        .order_by("pk")
    ):
        members.setdefault(member.household.township_id, []).append(member)

    elderly, children, elderly_visits, child_visits, services = [], [], [], [], []
    supervisors, directors, points, drives, organizations = [], [], [], [], []
    institutions = []
    with_director = set(ChildDirector.objects.values_list("village_id", flat=True))
    with_point = set(VillageWorkPoint.objects.values_list("village_id", flat=True))
    for position, township in enumerate(townships):
        own_villages = villages.get(township.pk, [])
        if not own_villages:
            continue
        people = members.get(township.pk, [])
        old = [
            m
            for m in people
            if idnumbers.age_on(m.birth_date, today) >= 60
            and m.id_number not in taken_elderly
        ]
        young = [
            m
            for m in people
            if idnumbers.age_on(m.birth_date, today) < 16
            and m.id_number not in taken_children
        ]
        chosen_old = rng.sample(old, min(len(old), max(2, len(old) * 2 // 5)))
        for member in chosen_old:
            elderly.append(_elderly(rng, today, township, member=member))
        for _ in range(rng.randrange(1, 4)):
            elderly.append(
                _elderly(
                    rng, today, township, village=rng.choice(own_villages), used=used
                )
            )
        chosen_young = rng.sample(young, min(len(young), max(1, len(young) // 4)))
        for member in chosen_young:
            children.append(_child(rng, today, township, member=member))
        children.append(
            _child(rng, today, township, village=rng.choice(own_villages), used=used)
        )

        # Every seventh township has no supervisor yet: the flag shows.
        if position % 7 != 3:
            supervisors.append(
                ChildSupervisor(
                    township=township,
                    name=_name(rng),
                    phone=_phone(rng),
                    staffing=rng.choice(Staffing.values),
                    appointed_on=today
                    - datetime.timedelta(days=rng.randrange(60, 700)),
                )
            )
        for village in own_villages:
            if rng.random() < 0.8 and village.pk not in with_director:
                directors.append(
                    ChildDirector(
                        village=village,
                        name=_name(rng),
                        phone=_phone(rng),
                        staffing=Staffing.PART_TIME,
                        appointed_on=today
                        - datetime.timedelta(days=rng.randrange(30, 700)),
                    )
                )
            if village.pk not in with_point:
                points.append(_work_point(rng, today, village))

        institutions.append(
            Institution(
                kind=Institution.Kind.NURSING_HOME,
                name=f"{township.short_name}敬老院",
                township=township,
                address=f"{township.name}驻地",
                status=rng.choices(
                    [Institution.Status.OPERATING, Institution.Status.RENOVATING],
                    weights=(5, 1),
                )[0],
                beds=(beds := rng.randrange(40, 121, 10)),
                residents=rng.randrange(beds // 3, beds),
                manager=_name(rng),
                phone=_phone(rng),
            )
        )
        for village in rng.sample(own_villages, min(len(own_villages), 2)):
            institutions.append(
                Institution(
                    kind=Institution.Kind.HAPPINESS_HOME,
                    name=f"{village.name}农村幸福院",
                    township=township,
                    village=village,
                    status=rng.choice(Institution.Status.values),
                    beds=(beds := rng.randrange(8, 31, 2)),
                    residents=rng.randrange(0, beds + 1),
                )
            )
        for year, share in ((today.year, 1.0), (today.year - 1, 0.9)):
            drives.append(
                CharityDrive(
                    township=township,
                    year=year,
                    amount=Decimal(rng.randrange(20_000, 160_000, 100))
                    * Decimal(share),
                    donors=rng.randrange(300, 3000),
                )
            )
        for template, kind, activity in rng.sample(ORGANIZATIONS, rng.randrange(0, 3)):
            organizations.append(
                SocialOrganization(
                    township=township,
                    name=template.format(name=township.short_name),
                    kind=kind,
                    activity=activity,
                    contact_name=_name(rng),
                    phone=_phone(rng),
                )
            )

    def create(model, objs):
        return bulk_create_with_history(objs, model, reason=REASON)

    elderly = create(ElderlyPerson, elderly)
    children = create(Child, children)
    for person in elderly:
        overdue = rng.random() < 0.2
        elderly_visits += _visits(rng, ElderlyVisit, person, today, overdue=overdue)
        for item in rng.sample(items, min(len(items), rng.randrange(1, 4))):
            services.append(
                ElderlyPerson.services.through(
                    elderlyperson_id=person.pk, careserviceitem_id=item.pk
                )
            )
    for child in children:
        overdue = rng.random() < 0.15
        child_visits += _visits(rng, ChildVisit, child, today, overdue=overdue)
    create(ElderlyVisit, elderly_visits)
    create(ChildVisit, child_visits)
    ElderlyPerson.services.through.objects.bulk_create(services, batch_size=500)
    create(ChildSupervisor, supervisors)
    create(ChildDirector, directors)
    create(VillageWorkPoint, points)
    institutions = [
        i
        for i in institutions
        if not Institution.objects.filter(township=i.township, name=i.name).exists()
    ]
    institutions = create(Institution, institutions)
    create(CharityDrive, _new_drives(drives))
    create(
        SocialOrganization,
        [
            o
            for o in organizations
            if not SocialOrganization.objects.filter(
                township=o.township, name=o.name
            ).exists()
        ],
    )
    _place_centralized_tekun(today, institutions)

    summary.elderly = len(elderly)
    summary.children = len(children)
    summary.visits = len(elderly_visits) + len(child_visits)
    summary.institutions = len(institutions)
    return summary


def _elderly(rng, today, township, *, member=None, village=None, used=None):
    registered = today - datetime.timedelta(days=rng.randrange(20, 200))
    if member is not None:
        identity = {
            "member": member,
            "village_id": member.household.village_id,
            "name": member.name,
            "id_number": member.id_number,
            "sex": member.sex,
            "birth_date": member.birth_date,
            "self_care": member.self_care,
        }
    else:
        born = datetime.date(today.year - rng.randrange(62, 90), 1, 1)
        born += datetime.timedelta(days=rng.randrange(0, 365))
        number = _id_number(rng, born, used)
        identity = {
            "village": village,
            "name": _name(rng),
            "id_number": number,
            "sex": idnumbers.sex(number),
            "birth_date": born,
            "self_care": rng.choice(["full", "full", "partial"]),
        }
    has_contact = rng.random() < 0.9
    return ElderlyPerson(
        township=township,
        registered_on=registered,
        living_situation=rng.choices(LivingSituation.values, weights=(4, 4, 2, 1))[0],
        contact_name=_name(rng) if has_contact else "",
        contact_relation=rng.choice(RELATIONS_ELDERLY) if has_contact else "",
        contact_phone=_phone(rng) if has_contact else "",
        helper_name=_name(rng) if rng.random() < 0.85 else "",
        helper_phone=_phone(rng),
        **identity,
    )


def _child(rng, today, township, *, member=None, village=None, used=None):
    registered = today - datetime.timedelta(days=rng.randrange(20, 200))
    if member is not None:
        identity = {
            "member": member,
            "village_id": member.household.village_id,
            "name": member.name,
            "id_number": member.id_number,
            "sex": member.sex,
            "birth_date": member.birth_date,
        }
        school_village = member.household.village.name
    else:
        born = datetime.date(today.year - rng.randrange(4, 15), 1, 1)
        born += datetime.timedelta(days=rng.randrange(0, 365))
        number = _id_number(rng, born, used)
        identity = {
            "village": village,
            "name": _name(rng),
            "id_number": number,
            "sex": idnumbers.sex(number),
            "birth_date": born,
        }
        school_village = village.name
    category = rng.choices(ChildCategory.values, weights=(3, 2))[0]
    difficulty = (
        rng.choice(DifficultyType.values)
        if category == ChildCategory.IN_DIFFICULTY
        else ""
    )
    age = idnumbers.age_on(identity["birth_date"], today)
    if age < 6:
        school = ""
    elif age < 12:
        school = f"{school_village.removesuffix('村')}小学"
    else:
        school = f"{township.short_name}中学"
    return Child(
        township=township,
        registered_on=registered,
        category=category,
        difficulty_type=difficulty,
        guardian_name=_name(rng),
        guardian_relation=rng.choice(
            RELATIONS_LEFT_BEHIND
            if category == ChildCategory.LEFT_BEHIND
            else RELATIONS_CHILD
        ),
        guardian_phone=_phone(rng),
        school=school,
        **identity,
    )


def _work_point(rng, today, village) -> VillageWorkPoint:
    def maybe(probability):
        if rng.random() < probability:
            return True, today - datetime.timedelta(days=rng.randrange(10, 900))
        return False, None

    council, council_day = maybe(0.85)
    rules, rules_day = maybe(0.9)
    disclosure, disclosure_day = maybe(0.8)
    if disclosure:
        disclosure_day = today - datetime.timedelta(days=rng.randrange(1, 90))
    return VillageWorkPoint(
        village=village,
        poor_village=rng.random() < 0.3,
        council_established=council,
        council_updated=council_day,
        rules_in_place=rules,
        rules_updated=rules_day,
        disclosure_in_place=disclosure,
        disclosure_updated=disclosure_day,
    )


def _new_drives(drives: list[CharityDrive]) -> list[CharityDrive]:
    existing = set(CharityDrive.objects.values_list("township_id", "year"))
    for drive in drives:
        drive.amount = drive.amount.quantize(Decimal("0.01"))
    return [d for d in drives if (d.township.pk, d.year) not in existing]


def _place_centralized_tekun(today, institutions: list[Institution]) -> None:
    """Link every centralized-care tekun person to the township's home."""
    homes = {
        i.township_id: i
        for i in institutions
        if i.kind == Institution.Kind.NURSING_HOME
        and i.status == Institution.Status.OPERATING
    }
    placed = set(InstitutionResident.objects.values_list("member_id", flat=True))
    residents = []
    for member_id, township_id, start in (
        Enrollment.objects.active_on(today)
        .filter(benefit_id="tekun", care_mode=Enrollment.CareMode.CENTRALIZED)
        .values_list("member_id", "member__household__township_id", "start")
        .order_by("member_id")
    ):
        home = homes.get(township_id)
        if home is None or member_id in placed:
            continue
        placed.add(member_id)
        residents.append(
            InstitutionResident(
                institution=home, member_id=member_id, admitted_on=start
            )
        )
    bulk_create_with_history(residents, InstitutionResident, reason=REASON)
    linked = {}
    for resident in residents:
        linked[resident.institution.pk] = linked.get(resident.institution.pk, 0) + 1
    for home in homes.values():
        count = linked.get(home.pk, 0)
        if count > home.residents:
            # The home houses at least the tekun persons linked to it.
            Institution.objects.filter(pk=home.pk).update(
                residents=count, beds=max(home.beds, count)
            )
