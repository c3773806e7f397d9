"""Glossary: the standard English of terms of Chinese official documents.

A glossary is a UTF-8 TSV file with the header ``zh<TAB>en<TAB>note<TAB>source``, or
``zh<TAB>en<TAB>note<TAB>source<TAB>variants``:
- ``zh`` the term as documents write it (no quotation marks), ``en`` its standard English;
- ``source`` a key of a named public document where that English is used (the shipped
  glossary's keys are defined in ``briefing/data/GLOSSARY-SOURCES.md``), or
  ``unverified`` when no public source confirmed it. Unverified terms are listed but not
  enforced. An entry with no source is an error: say where it comes from, or that it is
  unverified.
- ``variants`` (optional column, may be empty) other English forms a correct translation
  may use, separated by ``|`` (``new development pattern|new pattern of development``).
  The translation always writes ``en``; the checks (``term_missing``) accept ``en`` or any
  variant. Capitalisation, a leading "the"/"a", hyphens and a regular plural of the last
  word need no variant: the checks allow them anyway.

The shipped glossary is loaded first; user files (``--glossary FILE``, repeatable) after
it, and a later file's entry for a term replaces an earlier one. People named in the
report enter too, as pinyin (``source`` "document"). Pure apart from reading the files.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from briefing.errors import InputError
from briefing.files import read_bytes
from briefing.xmlchars import code_point, first_illegal

HEADER = ("zh", "en", "note", "source")
HEADER_WITH_VARIANTS = (*HEADER, "variants")
UNVERIFIED = "unverified"
SHIPPED = "briefing/data/glossary.tsv"


@dataclass(frozen=True)
class Term:
    zh: str
    en: str
    note: str
    source: str  # a source key, "unverified", or "document" for names found in the report
    where: str  # file:line it was read from
    variants: tuple[str, ...] = ()  # other English the checks accept (never written)

    @property
    def verified(self) -> bool:
        return self.source != UNVERIFIED


@dataclass(frozen=True)
class Problem:
    line: int
    message: str


@dataclass(frozen=True)
class Glossary:
    terms: Mapping[str, Term]

    def enforced(self) -> dict[str, str]:
        """{zh: en} of the terms the translation must use: all but the unverified ones."""
        return {zh: t.en for zh, t in self.terms.items() if t.verified}

    def accepted(self) -> dict[str, tuple[str, ...]]:
        """{zh: (en, *variants)} of the enforced terms: every English form the checks accept."""
        return {zh: (t.en, *t.variants) for zh, t in self.terms.items() if t.verified}

    @property
    def digest(self) -> str:
        """A short hash of what is enforced, for the briefing's signature."""
        accepted = sorted(self.accepted().items())
        text = "\n".join(f"{zh}\t" + "|".join(forms) for zh, forms in accepted)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]

    def updated(self, newer: Iterable[Term]) -> Glossary:
        """This glossary with `newer` terms replacing its own entries for them."""
        merged = dict(self.terms)
        merged.update({term.zh: term for term in newer})
        return Glossary(merged)

    def with_terms(self, extra: Iterable[Term]) -> Glossary:
        """This glossary plus `extra`, which do not replace terms already in it."""
        merged = dict(self.terms)
        for term in extra:
            merged.setdefault(term.zh, term)
        return Glossary(merged)


def check_lines(lines: list[str], name: str) -> tuple[list[Term], list[Problem]]:
    """Read glossary lines; every problem with its 1-based line number."""
    terms: list[Term] = []
    problems: list[Problem] = []
    seen: dict[str, tuple[int, str]] = {}
    header = tuple(lines[0].rstrip("\r").split("\t")) if lines else ()
    if header not in (HEADER, HEADER_WITH_VARIANTS):
        problems.append(Problem(1, "the first line must be the header zh, en, note, source "
                                   "(tab-separated), optionally with a fifth column, "
                                   "variants"))  # fmt: skip
        return terms, problems
    columns = len(header)
    for number, raw in enumerate(lines[1:], start=2):
        line = raw.rstrip("\r")
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if columns == 5 and len(fields) == 4:
            fields.append("")  # an editor dropped the empty last column
        if len(fields) != columns:
            problems.append(Problem(number, f"{len(fields)} fields, not {columns} "
                                            f"({', '.join(header)})"))  # fmt: skip
            continue
        zh, en, note, source = (f.strip() for f in fields[:4])
        variants = tuple(v.strip() for v in fields[4].split("|")) if columns == 5 else ()
        if variants == ("",):
            variants = ()
        if any(not v for v in variants):
            problems.append(Problem(number, "an empty variant (variants are separated by |)"))
            continue
        bad = first_illegal(line)
        if bad is not None:
            problems.append(Problem(number, f"a character a Word document cannot hold "
                                            f"({code_point(bad)})"))  # fmt: skip
            continue
        for field, value in (("zh", zh), ("en", en)):
            if not value:
                problems.append(Problem(number, f"empty {field}"))
        if not source:
            problems.append(Problem(number, f"no source: name the public document, or write "
                                            f"{UNVERIFIED!r}"))  # fmt: skip
        if not (zh and en and source):
            continue
        if zh in seen:
            first, first_en = seen[zh]
            what = "duplicate of" if first_en == en else f"conflicts with ({first_en!r} on)"
            problems.append(Problem(number, f"{zh}: {what} line {first}"))
            continue
        seen[zh] = (number, en)
        terms.append(Term(zh, en, note, source, f"{name}:{number}", variants))
    return terms, problems


def glossary_lines(path: Path) -> list[str]:
    """A glossary file's lines, split at line ends only (LF, CRLF; not at the vertical tab,
    form feed, the separators FS, GS, RS, NEL or U+2028/U+2029 that `str.splitlines` also
    splits at, which turned one term into another). A missing, special or non-UTF-8 file
    is an `InputError`."""
    data = read_bytes(path, "a glossary file (UTF-8 TSV)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not UTF-8", "save the glossary as UTF-8 TSV") from None
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


def read_glossary_file(path: Path) -> list[Term]:
    """The terms of a user glossary; any problem is an `InputError` naming the line."""
    terms, problems = check_lines(glossary_lines(path), str(path))
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise InputError(f"{path}:{first.line}: {first.message}{more}",
                         f"run `briefing glossary check {path}` to see every problem")  # fmt: skip
    return terms


def shipped_terms() -> list[Term]:
    text = resources.files("briefing").joinpath("data/glossary.tsv").read_text(encoding="utf-8")
    terms, problems = check_lines(text.splitlines(), SHIPPED)
    assert not problems, problems  # the shipped file is checked by the tests
    return terms


def load_glossary(user_files: Iterable[Path] = ()) -> Glossary:
    """The shipped glossary, then each user file in order (later entries win)."""
    merged = {t.zh: t for t in shipped_terms()}
    for path in user_files:
        merged.update({t.zh: t for t in read_glossary_file(path)})
    return Glossary(merged)


def name_terms(names: Iterable[tuple[str, str]]) -> list[Term]:
    """Terms for people named in the report: (Chinese name, pinyin)."""
    return [Term(zh, en, "a name in the report", "document", "document") for zh, en in names]
