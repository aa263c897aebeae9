"""Coded values of the registry (glossary.md); the Chinese is the label."""

from django.db import models


class VillageKind(models.TextChoices):
    VILLAGE = "village", "村"
    COMMUNITY = "community", "社区"


class PovertyType(models.TextChoices):
    GENERAL = "general", "一般贫困户"
    DIBAO = "dibao", "低保贫困户"
    TEKUN = "tekun", "特困供养贫困户"


class PovertyStatus(models.TextChoices):
    NOT_LIFTED = "not_lifted", "未脱贫"
    LIFTED_KEEPING_POLICY = "lifted_keeping_policy", "已脱贫（享受政策）"
    LIFTED = "lifted", "已脱贫（不再享受政策）"


class Relation(models.TextChoices):
    HEAD = "head", "户主"
    SPOUSE = "spouse", "配偶"
    SON = "son", "之子"
    DAUGHTER = "daughter", "之女"
    GRANDSON = "grandson", "之孙子"
    GRANDDAUGHTER = "granddaughter", "之孙女"
    FATHER = "father", "之父"
    MOTHER = "mother", "之母"
    DAUGHTER_IN_LAW = "daughter_in_law", "之儿媳"
    SON_IN_LAW = "son_in_law", "之女婿"
    SIBLING = "sibling", "兄弟姐妹"
    OTHER = "other", "其他"


class Sex(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class Health(models.TextChoices):
    HEALTHY = "healthy", "健康"
    CHRONIC = "chronic", "长期慢性病"
    SERIOUS = "serious", "患有大病"
    DISABLED = "disabled", "残疾"


class DisabilityCategory(models.TextChoices):
    VISUAL = "visual", "视力残疾"
    HEARING = "hearing", "听力残疾"
    SPEECH = "speech", "言语残疾"
    PHYSICAL = "physical", "肢体残疾"
    INTELLECTUAL = "intellectual", "智力残疾"
    MENTAL = "mental", "精神残疾"
    MULTIPLE = "multiple", "多重残疾"


# The digit used in the 20-character disability certificate number.
DISABILITY_CATEGORY_DIGITS = {
    "visual": "1",
    "hearing": "2",
    "speech": "3",
    "physical": "4",
    "intellectual": "5",
    "mental": "6",
    "multiple": "7",
}


class DisabilityGrade(models.IntegerChoices):
    GRADE_1 = 1, "一级"
    GRADE_2 = 2, "二级"
    GRADE_3 = 3, "三级"
    GRADE_4 = 4, "四级"


class LaborCapacity(models.TextChoices):
    ORDINARY = "ordinary", "普通劳动力"
    SKILLED = "skilled", "技能劳动力"
    WEAK = "weak", "弱劳动力或半劳动力"
    LOST = "lost", "丧失劳动力"
    NONE = "none", "无劳动力"


class SelfCare(models.TextChoices):
    FULL = "full", "全自理"
    PARTIAL = "partial", "半失能"
    NONE = "none", "全失能"


class Employment(models.TextChoices):
    MIGRANT_WORK = "migrant_work", "务工"
    FARMING = "farming", "务农"
    SELF_EMPLOYED = "self_employed", "个体经营"
    UNEMPLOYED = "unemployed", "无业"
    STUDENT = "student", "在校生"
    PRESCHOOL = "preschool", "学龄前"
    OTHER = "other", "其他"


class SupporterStatus(models.TextChoices):
    UNKNOWN = "unknown", "未核实"
    NONE = "none", "无法定义务人"
    UNABLE = "unable", "义务人无履行能力"
    ABLE = "able", "义务人有履行能力"


class Willingness(models.TextChoices):
    UNKNOWN = "unknown", "未询问"
    YES = "yes", "愿意"
    NO = "no", "不愿意"
