"""The demo personas of style.md, with fixed demo passwords."""

from .services import user_save

DEMO_PASSWORD = "Yanggu-2020-demo"  # noqa: S105 - demo only, printed by make run

PERSONAS = [
    ("staff_acheng", "township_staff", "阿城镇", None, "阿城镇经办员"),
    ("staff_qiji", "township_staff", "七级镇", None, "七级镇经办员"),
    ("chief_assistance", "section_chief", None, "social_assistance", "社会救助科科长"),
    ("chief_affairs", "section_chief", None, "social_affairs", "社会事务科科长"),
    ("chief_elderly", "section_chief", None, "charity_elderly", "养老服务科科长"),
    ("chief_policy", "section_chief", None, "policy_social_work", "政策法规科科长"),
    ("chief_grassroots", "section_chief", None, "grassroots", "基层政权科科长"),
    ("admin", "bureau_admin", None, None, "局管理员"),
]


def create_personas():
    users = []
    for username, role, township, section, full_name in PERSONAS:
        user, _ = user_save(
            username=username,
            role=role,
            township=township,
            section=section,
            password=DEMO_PASSWORD,
            full_name=full_name,
        )
        users.append(user)
    return users
