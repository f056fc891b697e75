"""Agency names matched after normalization: 县人社局 = 县人力资源和社会保障局; 卫健委 = 卫生健康局.

Used by the parser (which names a report's author), the store (agencies.normalized_name) and the checks.
"""

from __future__ import annotations

import re
import unicodedata

from parsers.normalize import to_simplified
from parsers.places import without_place

# Full names → the short form officials use; longest first so a long name wins over its parts.
_SHORT_FORMS: tuple[tuple[str, str], ...] = (
    ("人力资源和社会保障", "人社"),
    ("人力资源社会保障", "人社"),
    ("卫生和计划生育委员会", "卫健"),
    ("卫生健康委员会", "卫健"),
    ("卫生和健康委员会", "卫健"),
    ("卫生健康局", "卫健"),
    ("卫健委", "卫健"),
    ("卫健局", "卫健"),
    ("发展和改革", "发改"),
    ("发展改革", "发改"),
    ("市场监督管理", "市场监管"),
    ("住房和城乡建设", "住建"),
    ("住房城乡建设", "住建"),
    ("自然资源和规划", "自然资源"),
    ("农业农村", "农业农村"),
    ("生态环境", "生态环境"),
    ("交通运输", "交通"),
    ("文化和旅游", "文旅"),
    ("文化旅游", "文旅"),
    ("工业和信息化", "工信"),
    ("科学技术", "科技"),
    ("退役军人事务", "退役军人"),
    ("医疗保障", "医保"),
    ("应急管理", "应急"),
    ("行政审批服务管理", "行政审批"),
    ("行政审批服务", "行政审批"),
    ("综合行政执法", "综合执法"),
    ("城市管理", "城管"),
    ("教育和体育", "教体"),
    ("教育体育", "教体"),
    ("人民政府办公室", "政府办"),
    ("政府办公室", "政府办"),
    ("委员会", "委"),
)
# Suffixes that name the same body: 卫健委 / 卫健局 both end as 卫健 above; 局, 委 stay distinct otherwise.
_INVISIBLE = re.compile(r"[\s\u00a0\u3000\u200b\ufeff·•]+")


def normalize_agency(name: str | None) -> str:
    """A matching key for an agency name: simplified, no spaces, short forms, no leading place name."""
    if not name:
        return ""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", name))
    text = to_simplified(text)
    for long, short in _SHORT_FORMS:
        text = text.replace(long, short)
    text = without_place(text)
    # 卫健局 / 卫健委 → 卫健 (the same body renamed in the 2018 reform).
    if text.startswith("卫健") and text[2:] in ("", "局", "委"):
        text = "卫健"
    return text


def is_short_form(name: str) -> bool:
    """Whether a name uses an abbreviation (县人社局, 发改局) rather than the full name."""
    return any(short in name and long not in name for long, short in _SHORT_FORMS if long != short)
