"""Exchanging the memory as TMX 1.4 (zh-CN -> en), the format CAT tools read and write.

Each entry is one ``<tu>``: ``tuid`` its key, ``segtype`` sentence or paragraph,
``creationdate``, ``changedate`` and ``changeid`` (who changed it last), and briefing's
own properties: ``x-briefing-status`` (machine, edited, approved),
``x-briefing-reviewer`` (for a reviewer's English), ``x-briefing-signature`` and
``x-briefing-machine`` (the machine English and the run that made it), and
``x-briefing-machine-pieces`` (JSON: that English segment by segment). A test model's
machine English is never exported: it is not a translation.

Importing reads any TMX whose units have a Chinese (zh, zh-CN, zh-Hans; zh-TW and
zh-Hant are converted to Simplified) and an English variant. A unit without briefing's
status is taken as a person's translation (``edited``). How it is merged is
`briefing.memory.Memory.merge`.

Written and read with lxml (python-docx's own XML library; translate-toolkit's TMX store
would have fitted, but it is GPL-3.0, and this project is Apache-2.0). The parser loads
no DTD, resolves no entities and reads nothing from the network.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from briefing import __version__
from briefing.errors import InputError
from briefing.memory import (
    MACHINE_WHO,
    STATUSES,
    TEST_MODEL_SIGNATURE,
    Entry,
    Memory,
    normalise,
    sentence_key,
)
from briefing.output import atomic_output

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SOURCE_LANG = "zh-CN"
TARGET_LANG = "en"
PROP_STATUS = "x-briefing-status"
PROP_REVIEWER = "x-briefing-reviewer"
PROP_SIGNATURE = "x-briefing-signature"
PROP_MACHINE = "x-briefing-machine"
PROP_PIECES = "x-briefing-machine-pieces"
_TRADITIONAL = ("zh-tw", "zh-hk", "zh-mo", "zh-hant")


@dataclass(frozen=True)
class ExportReport:
    path: Path
    units: int
    left_out: int  # a test model's machine English


@dataclass(frozen=True)
class ImportReport:
    path: Path
    counts: dict[str, int]  # added, updated, unchanged, kept
    skipped: int  # units without both a Chinese and an English segment


def tmx_date(iso: str) -> str:
    """2026-11-27T10:00:00Z -> 20261127T100000Z (TMX's form)."""
    return iso.replace("-", "").replace(":", "")


def iso_date(tmx: str) -> str:
    """20261127T100000Z -> 2026-11-27T10:00:00Z; anything else is kept as it is."""
    t = tmx.strip()
    if len(t) == 16 and t[8] == "T" and t.endswith("Z"):
        return f"{t[0:4]}-{t[4:6]}-{t[6:8]}T{t[9:11]}:{t[11:13]}:{t[13:15]}Z"
    return t


# --- export -------------------------------------------------------------------------------


def export_tmx(memory: Memory, path: Path) -> ExportReport:
    """Write every entry of `memory` (but a test model's) to `path`, atomically."""
    from lxml import etree

    root = etree.Element("tmx", version="1.4")
    etree.SubElement(
        root,
        "header",
        creationtool="briefing",
        creationtoolversion=__version__,
        segtype="sentence",
        adminlang="en",
        srclang=SOURCE_LANG,
        datatype="plaintext",
        creationdate=tmx_date(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())),
        **{"o-tmf": "briefing-memory"},
    )
    body = etree.SubElement(root, "body")
    units = left_out = 0
    for entry in memory.entries():
        if entry.test_model or not entry.en:
            # a test model's gibberish, or a paragraph a reviewer reverted (no English of its own)
            left_out += 1
            continue
        if (entry.signature or "").endswith(TEST_MODEL_SIGNATURE):
            # a reviewer's English over a test model's: theirs goes, the gibberish stays
            entry = replace(entry, machine_en=None, signature=None, machine_pieces=None)
        body.append(_unit(entry))
        units += 1
    tree = etree.ElementTree(root)
    with atomic_output(path) as temporary:
        tree.write(str(temporary), xml_declaration=True, encoding="UTF-8", pretty_print=True,
                   doctype='<!DOCTYPE tmx SYSTEM "tmx14.dtd">')  # fmt: skip
    return ExportReport(path, units, left_out)


def _unit(entry: Entry) -> Any:
    from lxml import etree

    tu = etree.Element(
        "tu",
        tuid=entry.key,
        srclang=SOURCE_LANG,
        segtype=entry.level,
        creationdate=tmx_date(entry.created),
        changedate=tmx_date(entry.at),
        changeid=entry.who,
    )
    props: list[tuple[str, str]] = [(PROP_STATUS, entry.status)]
    if entry.human:
        props.append((PROP_REVIEWER, entry.who))
    if entry.signature:
        props.append((PROP_SIGNATURE, entry.signature))
    if entry.machine_en is not None:
        props.append((PROP_MACHINE, entry.machine_en))
    if entry.machine_pieces is not None:
        props.append((PROP_PIECES, json.dumps(list(entry.machine_pieces), ensure_ascii=False)))
    for kind, value in props:
        prop = etree.SubElement(tu, "prop", type=kind)
        prop.text = value
    for lang, text in ((SOURCE_LANG, entry.zh), (TARGET_LANG, entry.en)):
        tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
        etree.SubElement(tuv, "seg").text = text
    return tu


# --- import -------------------------------------------------------------------------------


def import_tmx(memory: Memory, path: Path) -> ImportReport:
    """Merge the units of the TMX file `path` into `memory` (one transaction)."""
    entries: list[Entry] = []
    skipped = 0
    for entry in _read(path):
        if entry is None:
            skipped += 1
        else:
            entries.append(entry)
    counts = memory.merge(entries, f"tmx {path.name}")
    return ImportReport(path, counts, skipped)


def _read(path: Path) -> Iterator[Entry | None]:
    from lxml import etree

    if not path.is_file():
        raise InputError(f"{path}: no such file", "pass a .tmx file")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True)  # fmt: skip
    try:
        root = etree.parse(str(path), parser).getroot()
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{path}: not well-formed XML ({exc})", "pass a TMX file") from None
    if root.tag != "tmx" or root.find("body") is None:
        raise InputError(
            f"{path} is not a TMX file (no <tmx> with a <body>)",
            "pass a TMX file, e.g. one written by `briefing memory export`",
        )
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    for tu in root.find("body").iter("tu"):
        yield _entry(tu, stamp)


def _entry(tu: Any, stamp: str) -> Entry | None:
    zh = en = None
    for tuv in tu.findall("tuv"):
        lang = (tuv.get(XML_LANG) or tuv.get("lang") or "").lower()
        seg = tuv.find("seg")
        if seg is None:
            continue
        text = _seg_text(seg)
        if lang.startswith("zh") and zh is None:
            zh = text
            if lang in _TRADITIONAL:
                from briefing.chinese import to_simplified

                zh = to_simplified(text)
        elif lang.startswith("en") and en is None:
            en = text
    if not zh or not normalise(zh) or en is None:
        return None
    props: dict[str, str] = {}
    for prop in tu.findall("prop"):
        kind = prop.get("type")
        if kind and kind not in props:
            props[kind] = prop.text or ""
    status = props.get(PROP_STATUS, "edited")
    if status not in STATUSES:
        status = "edited"
    who = (props.get(PROP_REVIEWER) or tu.get("changeid") or tu.get("creationid")
           or ("tmx import" if status != "machine" else MACHINE_WHO))  # fmt: skip
    changed = iso_date(tu.get("changedate") or tu.get("creationdate") or stamp)
    created = iso_date(tu.get("creationdate") or changed)
    level = "paragraph" if tu.get("segtype") == "paragraph" else "sentence"
    machine = props.get(PROP_MACHINE)
    if status == "machine" and machine is None:
        machine = en
    return Entry(sentence_key(zh), level, zh, en, status, who, changed, machine,  # type: ignore[arg-type]
                 props.get(PROP_SIGNATURE) or None, created,
                 _pieces(props.get(PROP_PIECES)))  # fmt: skip


def _pieces(text: str | None) -> tuple[str, ...] | None:
    """A JSON list of strings, or None (for anything else: it is only an optimisation)."""
    try:
        value = json.loads(text) if text else None
    except ValueError:
        return None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def _seg_text(seg: Any) -> str:
    """A segment's text; inline elements (<bpt>, <ph>…) hold the other tool's native
    codes, which are left out, but the text after them is kept."""
    parts = [seg.text or ""]
    for child in seg:
        if child.tag in ("hi", "sub"):  # their content is text
            parts.append(_seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
