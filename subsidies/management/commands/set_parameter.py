"""``set_parameter NAME VALUE --from YYYY-MM-DD`` (roster-format.md §4).

Records a new dated value of a policy parameter.  Exit status 1 with the
reason in Chinese on stderr for an unknown name, a value outside the
parameter's domain, or a missing or bad date.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from subsidies.parameters import display_value, parameter_set
from subsidies.rules.params import PARAMETER_SPECS

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(text: str | None) -> datetime.date:
    if not text:
        raise CommandError("请用 --from YYYY-MM-DD 指定生效日期")
    try:
        if not ISO_DATE.match(text.strip()):
            raise ValueError
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(
            f"生效日期“{text}”无效：应为 YYYY-MM-DD 格式的真实日期，例如 2020-07-01"
        ) from None


class Command(BaseCommand):
    help = "设置政策参数的新取值，自 --from 日期起生效"

    def add_arguments(self, parser):
        names = "、".join(PARAMETER_SPECS)
        parser.add_argument("name", help=f"参数名：{names}")
        parser.add_argument(
            "value",
            help="取值；tekun_may_get_nursing 写作 供养方式=取值，例如 dispersed=yes",
        )
        parser.add_argument("--from", dest="effective_from", help="生效日期 YYYY-MM-DD")
        parser.add_argument(
            "--placeholder",
            action="store_true",
            help="标记为示例值（演示数据用，非本县正式标准）",
        )
        parser.add_argument("--note", default="", help="说明，例如文件依据")

    def handle(self, *args, **options):
        name = options["name"]
        if name not in PARAMETER_SPECS:
            known = "、".join(PARAMETER_SPECS)
            raise CommandError(f"未知参数“{name}”。可设置的参数：{known}")
        effective_from = parse_date(options["effective_from"])
        try:
            parameter = parameter_set(
                name=name,
                value_text=options["value"],
                effective_from=effective_from,
                is_placeholder=options["placeholder"],
                note=options["note"],
                source="命令行",
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        spec = PARAMETER_SPECS[name]
        self.stdout.write(
            f"已设置 {name}（{spec.label}）= {display_value(name, parameter.value)}，"
            f"自 {effective_from:%Y-%m-%d} 起生效"
        )
