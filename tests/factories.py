"""Builders for registry records in tests: valid ID numbers, sensible defaults."""

import datetime
import itertools

from households import idnumbers
from households.models import Household, Member, Township, Village

_sequence = itertools.count(1)


def make_id_number(
    birth: datetime.date = datetime.date(1950, 1, 1),
    *,
    area: str = "371521",
    male: bool = True,
    seq: int | None = None,
) -> str:
    """A valid 18-character ID number for ``birth`` (unique per call)."""
    n = next(_sequence) if seq is None else seq
    order = (n * 2 + (1 if male else 0)) % 1000
    first17 = f"{area}{birth:%Y%m%d}{order:03d}"
    return first17 + idnumbers.check_char(first17)


def make_village(township: Township | str = "阿城镇", name: str = "东关村", kind=None):
    if isinstance(township, str):
        township = Township.objects.get(name=township)
    village, _ = Village.objects.get_or_create(
        township=township,
        name=name,
        defaults={"kind": kind or Village.kind_for_name(name)},
    )
    return village


def make_household(
    township: Township | str = "阿城镇",
    *,
    village: Village | None = None,
    household_no: str | None = None,
    **fields,
) -> Household:
    village = village or make_village(township)
    fields.setdefault("poverty_type", "general")
    fields.setdefault("poverty_status", "not_lifted")
    return Household.objects.create(
        household_no=household_no or f"371521{next(_sequence):07d}",
        township=village.township,
        village=village,
        **fields,
    )


def make_member(
    household: Household,
    *,
    name: str = "张三",
    relation: str = "head",
    birth: datetime.date = datetime.date(1950, 1, 1),
    male: bool = True,
    **fields,
) -> Member:
    id_number = fields.pop("id_number", None) or make_id_number(birth, male=male)
    return Member.objects.create(
        household=household,
        name=name,
        relation=relation,
        id_number=id_number,
        sex=idnumbers.sex(id_number) if idnumbers.is_valid(id_number) else "",
        birth_date=idnumbers.birth_date(id_number)
        if idnumbers.is_valid(id_number)
        else None,
        **fields,
    )
