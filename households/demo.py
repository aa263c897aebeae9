"""Synthetic households and members for demos and benchmarks.

Never real people: names are drawn from common characters, ID numbers are
valid but random.  Deterministic for a seed, written in bulk.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from . import idnumbers
from .bulkload import bulk_create_with_history
from .models import Household, Member, Township, Village

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN_MALE = "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘"
GIVEN_FEMALE = "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝丽阳妮宝贝初程梵罡恒鸿桦骅剑娇纪宽苛灵玛媚琪晴容睿烁堂唯威韦雯苇萱阅彦宇雨洋忠宗曼紫逸贤蝶菡绿蓝儿翠烟"
VILLAGE_STEMS = "东西南北前后大小高李王张刘赵孙"
VILLAGE_SUFFIXES = ["庄村", "集村", "屯村", "楼村", "营村", "店村", "寨村", "洼村"]
ETHNICITIES = ["汉族"] * 30 + ["回族"]


@dataclass
class DemoSummary:
    households: int
    members: int
    villages: int


def _name(rng: random.Random, male: bool) -> str:
    given = GIVEN_MALE if male else GIVEN_FEMALE
    length = 1 if rng.random() < 0.35 else 2
    return rng.choice(SURNAMES) + "".join(rng.choice(given) for _ in range(length))


class _Ids:
    """Unique valid local ID numbers for the run."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def make(self, born: datetime.date, male: bool) -> str:
        while True:
            seq = self.rng.randrange(0, 500) * 2 + (1 if male else 0)
            first17 = f"{idnumbers.COUNTY_CODE}{born:%Y%m%d}{seq:03d}"
            number = first17 + idnumbers.check_char(first17)
            if number not in self.used:
                self.used.add(number)
                return number


def _birth(rng: random.Random, today: datetime.date, age: int) -> datetime.date:
    """A birth date making the person ``age`` or ``age - 1`` at ``today``."""
    start = datetime.date(today.year - age, 1, 1)
    return start + datetime.timedelta(days=rng.randrange(0, 365))


def _member(rng, ids, today, *, relation, age, male, household):
    born = _birth(rng, today, age)
    number = ids.make(born, male)
    member = Member(
        household=household,
        name=_name(rng, male),
        id_number=number,
        relation=relation,
        sex="male" if male else "female",
        birth_date=born,
        ethnicity=rng.choice(ETHNICITIES),
        health="healthy",
        self_care="full",
        labor_capacity="ordinary",
    )
    _shape(rng, member, age)
    return member


def _shape(rng: random.Random, member: Member, age: int) -> None:
    """Health, disability, work and self-care plausible for the age."""
    roll = rng.random()
    if roll < 0.16:
        member.health = "disabled"
        member.disability_category = rng.choice(
            ["physical"] * 4
            + ["visual", "hearing", "speech", "intellectual", "mental", "multiple"]
        )
        member.disability_grade = rng.choice([1, 2, 2, 3, 3, 4])
        if rng.random() < 0.8:
            from .choices import DISABILITY_CATEGORY_DIGITS

            member.disability_cert_no = (
                member.id_number
                + DISABILITY_CATEGORY_DIGITS[member.disability_category]
                + str(member.disability_grade)
            )
    elif roll < 0.32:
        member.health = rng.choice(["chronic", "chronic", "serious"])
    if age < 6:
        member.employment, member.labor_capacity = "preschool", "none"
    elif age < 18:
        member.employment, member.labor_capacity = "student", "none"
    elif age >= 65:
        member.employment = rng.choice(["unemployed", "farming", "unemployed"])
        member.labor_capacity = rng.choice(["weak", "lost", "none"])
    else:
        member.employment = rng.choice(
            [
                "migrant_work",
                "migrant_work",
                "farming",
                "farming",
                "unemployed",
                "self_employed",
            ]
        )
    if member.health == "disabled":
        member.labor_capacity = "lost" if member.disability_grade <= 2 else "weak"
        if member.disability_grade <= 2 and age >= 18:
            member.employment = "unemployed"
    if age >= 75 or (member.health == "disabled" and member.disability_grade == 1):
        member.self_care = rng.choice(["full", "partial", "partial", "none"])
    if rng.random() < 0.03:
        member.employment = ""  # villages leave cells blank: the rules must cope
    if age >= 60 and member.self_care != "full":
        member.willing_centralized = rng.choice(["yes", "no", "unknown"])


def _family(rng, ids, today, household) -> list[Member]:
    """One of a few household shapes seen in rural registries."""
    shape = rng.random()
    members = []
    if shape < 0.22:  # an elderly person living alone
        age = rng.randrange(62, 101)
        members.append(
            _member(
                rng,
                ids,
                today,
                relation="head",
                age=age,
                male=rng.random() < 0.5,
                household=household,
            )
        )
    elif shape < 0.42:  # an elderly couple
        age = rng.randrange(58, 90)
        members.append(
            _member(
                rng,
                ids,
                today,
                relation="head",
                age=age,
                male=True,
                household=household,
            )
        )
        members.append(
            _member(
                rng,
                ids,
                today,
                relation="spouse",
                age=max(50, age - rng.randrange(0, 5)),
                male=False,
                household=household,
            )
        )
    else:  # parents with children, sometimes a grandparent
        age = rng.randrange(30, 56)
        members.append(
            _member(
                rng,
                ids,
                today,
                relation="head",
                age=age,
                male=True,
                household=household,
            )
        )
        if rng.random() < 0.85:
            members.append(
                _member(
                    rng,
                    ids,
                    today,
                    relation="spouse",
                    age=age - rng.randrange(0, 4),
                    male=False,
                    household=household,
                )
            )
        for _ in range(rng.choice([1, 1, 2, 2, 3])):
            male = rng.random() < 0.5
            members.append(
                _member(
                    rng,
                    ids,
                    today,
                    relation="son" if male else "daughter",
                    age=rng.randrange(1, max(2, age - 20)),
                    male=male,
                    household=household,
                )
            )
        if rng.random() < 0.3:
            male = rng.random() < 0.4
            members.append(
                _member(
                    rng,
                    ids,
                    today,
                    relation="father" if male else "mother",
                    age=rng.randrange(age + 20, min(101, age + 40)),
                    male=male,
                    household=household,
                )
            )
    return members


def generate(
    *,
    households: int,
    seed: int = 2020,
    today: datetime.date | None = None,
    townships: list[Township] | None = None,
) -> tuple[list[Household], list[Member], DemoSummary]:
    """Create ``households`` households with members across the townships.

    阿城镇 and 七级镇 always get households (the demo personas work there).
    """
    rng = random.Random(seed)
    today = today or datetime.date.today()
    ids = _Ids(rng)
    ids.used.update(Member.objects.values_list("id_number", flat=True))
    townships = townships or list(Township.objects.order_by("order"))
    featured = [t for t in townships if t.name in ("阿城镇", "七级镇")]
    villages = _villages(rng, townships)
    existing = set(Household.objects.values_list("household_no", flat=True))
    new_households: list[Household] = []
    for index in range(households):
        township = (
            featured[index % len(featured)]
            if index % 3 != 2 or not featured
            else (townships[rng.randrange(len(townships))])
        )
        village = rng.choice(villages[township.pk])
        number = f"{idnumbers.COUNTY_CODE}{township.order:03d}{index + 1:07d}"
        if number in existing:
            continue
        income = Decimal(
            rng.choice(
                [
                    rng.randrange(1800, 4500),
                    rng.randrange(3000, 9000),
                    rng.randrange(5000, 16000),
                ]
            )
        )
        new_households.append(
            Household(
                household_no=number,
                township=township,
                village=village,
                poverty_type="general",
                poverty_status=rng.choice(
                    ["not_lifted"] + ["lifted_keeping_policy"] * 6 + ["lifted"]
                ),
                income_per_capita=None if rng.random() < 0.03 else income,
                employment_costs=Decimal(rng.choice([0, 0, 600, 1200, 2400])),
                rigid_expenses=Decimal(rng.choice([0, 0, 0, 1500, 3000, 6000])),
                phone=f"13{rng.randrange(100000000, 999999999)}",
                address=f"{township.name}{village.name}{rng.randrange(1, 300)}号",
            )
        )
    created = bulk_create_with_history(new_households, Household, reason="演示数据")
    created = (
        list(
            Household.objects.filter(
                household_no__in=[h.household_no for h in new_households]
            )
            .select_related("township", "village")
            .order_by("household_no")
        )
        if created and created[0].pk is None
        else created
    )
    members: list[Member] = []
    for household in created:
        members.extend(_family(rng, ids, today, household))
    _data_quality_samples(rng, ids, members)
    created_members = bulk_create_with_history(members, Member, reason="演示数据")
    summary = DemoSummary(
        households=len(created),
        members=len(created_members),
        villages=sum(len(v) for v in villages.values()),
    )
    return created, created_members, summary


def _data_quality_samples(rng: random.Random, ids: _Ids, members: list[Member]) -> None:
    """Mistakes real rosters contain, so the data-quality rules have work.

    Written directly (the validated services would refuse some of them):
    a wrong check character, a non-local number, a certificate that does not
    match, a disability without its grade, and a second head.
    """
    if len(members) < 50:
        return
    picks = rng.sample(range(len(members)), 5)
    wrong = members[picks[0]]
    wrong.id_number = wrong.id_number[:17] + (
        "0" if wrong.id_number[17] != "0" else "1"
    )
    outsider = members[picks[1]]
    first17 = "370102" + outsider.id_number[6:17]
    outsider.id_number = first17 + idnumbers.check_char(first17)
    ids.used.add(outsider.id_number)
    cert = members[picks[2]]
    cert.health, cert.disability_category, cert.disability_grade = (
        "disabled",
        "physical",
        2,
    )
    cert.disability_cert_no = cert.id_number + "43"
    incomplete = members[picks[3]]
    incomplete.health, incomplete.disability_category = "disabled", ""
    incomplete.disability_grade, incomplete.disability_cert_no = None, ""
    second_head = next((m for m in members[picks[4] :] if m.relation == "spouse"), None)
    if second_head is not None:
        second_head.relation = "head"


def _villages(rng: random.Random, townships) -> dict[int, list[Village]]:
    by_township: dict[int, list[Village]] = {}
    for township in townships:
        names = set()
        while len(names) < 4:
            names.add(
                rng.choice(VILLAGE_STEMS)
                + rng.choice(VILLAGE_STEMS)
                + rng.choice(VILLAGE_SUFFIXES)
            )
        if township.name.endswith("街道"):
            names.pop()
            names.add(rng.choice(["城东", "城西", "新华", "文化"]) + "社区")
        rows = []
        for name in sorted(names):
            village, _ = Village.objects.get_or_create(
                township=township,
                name=name,
                defaults={"kind": Village.kind_for_name(name)},
            )
            rows.append(village)
        by_township[township.pk] = rows
    return by_township
