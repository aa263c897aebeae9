"""The nine work points of the 2020 notice (阳民发[2020]3号) and who owns them.

Pure data: the tracker page and the progress report's 工作要点 sheet list
them in this order with their responsible units, as the notice names them.
Every point is also the duty of the townships (各乡镇（街道）).
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import Section

TOWNSHIPS_UNIT = "各乡镇（街道）"
SECTION_LABELS = dict(Section.choices)


@dataclass(frozen=True, slots=True)
class WorkPoint:
    number: int
    numeral: str
    title: str
    sections: tuple[str, ...]
    other_units: tuple[str, ...] = ()

    @property
    def units(self) -> str:
        """The responsible units as the notice writes them."""
        names = [SECTION_LABELS[code] for code in self.sections]
        return "、".join([*names, *self.other_units, TOWNSHIPS_UNIT])

    @property
    def in_care(self) -> bool:
        """Points 四 to 九 are kept in the care pages; 一 to 三 in the ledger."""
        return self.number >= 4


WORK_POINTS: tuple[WorkPoint, ...] = (
    WorkPoint(
        1,
        "一",
        "开展对建档立卡贫困户落实兜底政策情况自查整改活动",
        (Section.SOCIAL_ASSISTANCE, Section.SOCIAL_AFFAIRS, Section.CHARITY_ELDERLY),
    ),
    WorkPoint(2, "二", "做好民政社会救助工作", (Section.SOCIAL_ASSISTANCE,)),
    WorkPoint(
        3,
        "三",
        "全面落实各项福利政策",
        (Section.SOCIAL_AFFAIRS, Section.CHARITY_ELDERLY),
    ),
    WorkPoint(4, "四", "加强老年人关爱服务", (Section.CHARITY_ELDERLY,)),
    WorkPoint(
        5, "五", "健全农村留守儿童、困境儿童关爱保护体系", (Section.SOCIAL_AFFAIRS,)
    ),
    WorkPoint(6, "六", "加强养老服务设施建设", (Section.CHARITY_ELDERLY,)),
    WorkPoint(
        7,
        "七",
        "动员引导社会力量参与脱贫攻坚",
        (Section.POLICY_SOCIAL_WORK,),
        ("县慈善总会服务中心",),
    ),
    WorkPoint(8, "八", "推进乡村殡葬改革", (Section.SOCIAL_AFFAIRS,)),
    WorkPoint(9, "九", "加强农村群众性自治组织建设", (Section.GRASSROOTS,)),
)
