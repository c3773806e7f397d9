"""Chinese personal names in pinyin, surname first (孙海山 -> Sun Haishan). Pure.

pypinyin reads surnames by their common-word pronunciation, which is wrong for a set of
characters that read differently as surnames (单 Shan, not Dan); those, and compound
surnames (欧阳, 司马…), are handled here. Given-name syllables are joined, with an
apostrophe before a syllable that starts with a, o or e (Xi'an).
"""

from __future__ import annotations

import re

# Characters whose reading as a surname differs from pypinyin's default.
SURNAME_READINGS = {
    "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "区": "ou", "朴": "piao",
    "查": "zha", "翟": "zhai", "盖": "ge", "乐": "yue", "覃": "qin", "缪": "miao",
    "尉": "yu", "万俟": "moqi", "长孙": "zhangsun", "种": "chong", "员": "yun",
    "召": "shao", "句": "gou", "秘": "bi", "繁": "po", "宓": "fu", "隗": "wei",
    "藏": "zang", "折": "she", "能": "nai", "那": "na", "相": "xiang", "沈": "shen",
    "重": "chong", "黑": "he", "卜": "bu", "薄": "bo", "柏": "bai",
}  # fmt: skip

COMPOUND_SURNAMES = (
    "欧阳", "司马", "诸葛", "上官", "东方", "夏侯", "皇甫", "尉迟", "公孙", "慕容", "令狐",
    "宇文", "长孙", "司徒", "司空", "端木", "轩辕", "万俟", "独孤", "南宫", "西门", "申屠",
    "澹台", "公冶", "呼延", "闻人", "赫连", "钟离", "宗政", "濮阳", "太史", "拓跋",
)  # fmt: skip

_NAME_RE = re.compile(r"^[\u4e00-\u9fff]{2,4}$")


def split_name(name: str) -> tuple[str, str]:
    """(surname, given name)."""
    for compound in COMPOUND_SURNAMES:
        if name.startswith(compound) and len(name) > len(compound):
            return compound, name[len(compound) :]
    return name[:1], name[1:]


def _syllables(text: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin  # lazy: only needed when names are shown

    return [str(s) for s in lazy_pinyin(text, style=Style.NORMAL, v_to_u=True)]


def _join(syllables: list[str]) -> str:
    out = ""
    for syllable in syllables:
        if out and syllable[:1] in "aoe":
            out += "'"
        out += syllable
    return out


def name_to_pinyin(name: str) -> str:
    """孙海山 -> Sun Haishan; 欧阳修 -> Ouyang Xiu; 单雄信 -> Shan Xiongxin; a transcribed
    name in parts (艾尔肯·吐尼亚孜) -> each part in pinyin, Aierken Tuniyazi."""
    if "·" in name:
        return " ".join(_join(_syllables(part)).capitalize() for part in name.split("·") if part)
    surname, given = split_name(name)
    reading = SURNAME_READINGS.get(surname)
    surname_pinyin = reading if reading else _join(_syllables(surname))
    parts = [surname_pinyin.capitalize()]
    if given:
        parts.append(_join(_syllables(given)).capitalize())
    return " ".join(parts)


def looks_like_name(text: str) -> bool:
    return bool(_NAME_RE.match(text))


# Byline role words, longest first, and how a briefing names them in English.
BYLINE_ROLES = {
    "本报记者": ("Staff reporter", "Staff reporters"),
    "本报通讯员": ("Correspondent", "Correspondents"),
    "特约记者": ("Special correspondent", "Special correspondents"),
    "实习生": ("Intern", "Interns"),
    "通讯员": ("Correspondent", "Correspondents"),
    "记者": ("Reporter", "Reporters"),
    "作者": ("Author", "Authors"),
    "撰稿": ("Writer", "Writers"),
    "摄影": ("Photographer", "Photographers"),
}
_ROLE_RE = re.compile("(" + "|".join(sorted(BYLINE_ROLES, key=len, reverse=True)) + ")")


def byline_credits(byline: str) -> list[tuple[str, list[str]]] | None:
    """[(role, [names…])] for a byline of role words and space-separated names, else None.

    记者 王明 李华 -> [("记者", ["王明", "李华"])]
    """
    credits: list[tuple[str, list[str]]] = []
    for token in _ROLE_RE.sub(r" \1 ", byline).split():
        if token in BYLINE_ROLES:
            credits.append((token, []))
        elif credits and looks_like_name(token):
            credits[-1][1].append(token)
        else:
            return None
    if not credits or any(not names for _, names in credits):
        return None
    return credits


def byline_in_english(byline: str) -> str | None:
    """Reporters: Wang Ming, Li Hua; or None when the byline is not names."""
    credits = byline_credits(byline)
    if credits is None:
        return None
    parts = []
    for role, names in credits:
        singular, plural = BYLINE_ROLES[role]
        label = plural if len(names) > 1 else singular
        parts.append(f"{label}: " + ", ".join(name_to_pinyin(name) for name in names))
    return "; ".join(parts)
