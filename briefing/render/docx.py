"""Render a `Briefing` as a Word document.

Layout: the English title with the Chinese under it, subtitle, byline (names in pinyin)
and date; an "About this briefing" block (source, model, engine, signature, the
machine-translation notice, what the checks flagged, how many paragraphs a reviewer
edited or approved, and the review id `briefing import-review` reads back); then each
section's heading (English and Chinese, in a Word heading style, so the navigation pane
works) and a table of its paragraphs, ID | 中文 | English | Status, whose header row
repeats on every page; an appendix lists the lines dropped as page furniture. English
the checks flagged is shaded (cells) or highlighted (headings) and carries a Word comment
listing each flag (a flag a reviewer dismissed as a false alarm is neither: it is not among
a segment's `flags`); a reviewer's comments on a paragraph are Word comments by them.
Status is the paragraph's review state (machine, part edited, edited, approved); a
reviewer may set it to approved in Word.

Two tables never touch: Word and LibreOffice would merge them into one. The untitled
lead of a report gets a heading of its own, and any other table that would follow a
table directly gets an empty paragraph before it.

Imports only the data model, `briefing.present` and python-docx: every value shown
(pinyin, the targets' English values, the byline in English) is computed before.

Word details that python-docx does not do by itself (see NOTES-libraries): Chinese runs
carry the East Asian font in every slot with ``w:hint="eastAsia"`` and zh-CN language;
theme fonts are removed from the styles so ours win; A4; page numbers are PAGE and
NUMPAGES fields; the repeating header row is ``w:tblHeader``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from briefing.model import Briefing, Flag, Fonts, Paragraph, Section, Target
from briefing.present import (
    TEST_MODEL_MARKER,
    checks_row,
    labelled,
    review_counts,
    unit_english,
    unit_segments,
    unit_status,
)

FLAG_FILL = "FCE4D6"  # light orange behind flagged English
COMMENT_AUTHOR = "briefing checks"
NOT_REVIEWED = (
    "Machine translation, not reviewed. Check it against the Chinese before you rely on it."
)
REVIEWED_NOTICE = (
    "Machine translation with reviewed paragraphs: only a paragraph whose Status says edited "
    "or approved was reviewed. Check the rest against the Chinese before you rely on it."
)
TABLE_HEADER = ("ID", "中文", "English", "Status")
PARAGRAPH_WIDTHS_CM = (1.7, 6.7, 6.6, 2.0)
SIGNATURE_LABEL = "Signature"
REVIEW_ID_LABEL = "Review id"
LEAD_HEADING = "Opening (untitled in the report)"
_THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def render_docx(briefing: Briefing, path: Path, fonts: Fonts | None = None) -> None:
    import docx

    fonts = fonts or Fonts()
    document = docx.Document()
    _styles(document, fonts)
    _page(document, fonts)
    writer = _Writer(document, briefing, fonts)
    writer.front_matter()
    writer.about()
    writer.executive_summary()
    for section in briefing.document.sections:
        writer.section(section)
    writer.appendix()
    _properties(document, briefing)
    document.save(str(path))


# --- low-level helpers -----------------------------------------------------------------


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return str(qn(tag))


def _element(tag: str, **attributes: str) -> Any:
    from docx.oxml import OxmlElement

    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(_qn(f"w:{name}"), value)
    return element


def _set_fonts(rpr: Any, *, latin: str, east_asian: str, hint: bool) -> None:
    fonts = rpr.get_or_add_rFonts()
    for attribute in _THEME_ATTRIBUTES:
        fonts.attrib.pop(_qn(attribute), None)
    fonts.set(_qn("w:ascii"), latin)
    fonts.set(_qn("w:hAnsi"), latin)
    fonts.set(_qn("w:eastAsia"), east_asian)
    fonts.set(_qn("w:cs"), latin)
    if hint:
        fonts.set(_qn("w:hint"), "eastAsia")


def _set_lang(rpr: Any, value: str, east_asian: str = "zh-CN") -> None:
    # w:lang comes late in rPr's sequence; callers set every other property first.
    for old in rpr.findall(_qn("w:lang")):
        rpr.remove(old)
    rpr.append(_element("w:lang", val=value, eastAsia=east_asian))


def _styles(document: Any, fonts: Fonts) -> None:
    """East Asian font and zh-CN in the defaults and every style (table styles' conditional
    formats included); no theme fonts, which would otherwise win over ours."""
    styles = document.styles.element
    rpr = styles.find(_qn("w:docDefaults")).find(_qn("w:rPrDefault")).find(_qn("w:rPr"))
    rpr.get_or_add_rFonts()
    _set_lang(rpr, "en-GB")
    for font in styles.iter(_qn("w:rFonts")):
        for attribute in _THEME_ATTRIBUTES:
            font.attrib.pop(_qn(attribute), None)
        font.set(_qn("w:ascii"), fonts.latin)
        font.set(_qn("w:hAnsi"), fonts.latin)
        font.set(_qn("w:eastAsia"), fonts.cjk)


def _page(document: Any, fonts: Fonts) -> None:
    from docx.shared import Cm, Pt

    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)  # A4
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.0))
    footer = section.footer.paragraphs[0]
    footer.alignment = 1  # centre
    for piece in ("Page ", "PAGE", " of ", "NUMPAGES"):
        if piece in ("PAGE", "NUMPAGES"):
            _field(footer, piece)
        else:
            run = footer.add_run(piece)
            run.font.size = Pt(8)


def _field(paragraph: Any, instruction: str) -> None:
    """A complex field (PAGE, NUMPAGES) that Word and LibreOffice compute when shown."""
    for kind, text in (("begin", None), ("instr", f" {instruction} "), ("separate", None),
                       ("result", "1"), ("end", None)):  # fmt: skip
        run = paragraph.add_run()
        if kind == "instr":
            instr = _element("w:instrText")
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind == "result":
            run.text = text
        else:
            run._r.append(_element("w:fldChar", fldCharType=kind))


def shown_english(briefing: Briefing, unit_id: str) -> str:
    """The English shown for a unit; a test model's output is labelled as not a translation
    (a reviewer's English is not the model's, and is not labelled)."""
    return unit_english(briefing, unit_id)


def _notice(briefing: Briefing) -> str:
    counts = review_counts(briefing)
    reviewed = counts["edited"] + counts["approved"] + counts["part edited"]
    return REVIEWED_NOTICE if reviewed else NOT_REVIEWED


CORE_PROPERTY_LIMIT = 255  # characters: what Word (and python-docx) allow in a core property


def _property(text: str) -> str:
    """`text` fitted to a core property: a long English title is cut, with an ellipsis
    (the full title is in the document)."""
    if len(text) <= CORE_PROPERTY_LIMIT:
        return text
    return text[: CORE_PROPERTY_LIMIT - 1].rstrip() + "…"


def _pieces(text: str, spans: tuple[tuple[int, int], ...]) -> list[tuple[str, bool]]:
    """`text` cut into (piece, bold) at the given [start, end) spans."""
    pieces: list[tuple[str, bool]] = []
    position = 0
    for start, end in sorted(spans):
        if start > position:
            pieces.append((text[position:start], False))
        if end > max(start, position):
            pieces.append((text[max(start, position) : end], True))
        position = max(position, end)
    if position < len(text):
        pieces.append((text[position:], False))
    return [(piece, bold) for piece, bold in pieces if piece]


def _scripts(text: str) -> list[tuple[str, bool]]:
    """`text` cut into (piece, is Chinese) runs, so each gets its script's font."""
    pieces: list[tuple[str, bool]] = []
    for ch in text:
        chinese = _has_han(ch) or (ch in "（）〔〕《》，、：" and bool(pieces) and pieces[-1][1])
        if pieces and pieces[-1][1] == chinese:
            pieces[-1] = (pieces[-1][0] + ch, chinese)
        else:
            pieces.append((ch, chinese))
    return pieces or [("", False)]


def _initials(name: str) -> str:
    """'Li Ming' -> 'LM'; a name in Chinese keeps its first character."""
    words = name.split()
    return "".join(w[0] for w in words[:3]).upper() if words else "?"


def _has_han(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _fixed_table(document: Any, rows: int, widths: tuple[Any, ...]) -> Any:
    """A grid table with fixed column widths (the grid, which LibreOffice reads, and each
    cell, which Word reads, must both be set). A table that would touch the one before it
    gets an empty paragraph between them, so no reader merges the two."""
    body = document.element.body
    last = [child for child in body.iterchildren() if child.tag != _qn("w:sectPr")][-1:]
    if last and last[0].tag == _qn("w:tbl"):
        document.add_paragraph()
    table = document.add_table(rows=rows, cols=len(widths))
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    return table


def _add_row(table: Any, widths: tuple[Any, ...]) -> Any:
    """A new row's cells, each given its width (Word reads cell widths)."""
    cells = table.add_row().cells
    for cell, width in zip(cells, widths, strict=True):
        cell.width = width
    return cells


def _shade(cell: Any, fill: str) -> None:
    """A table cell's background colour (w:shd in its properties)."""
    tcpr = cell._tc.get_or_add_tcPr()
    for old in tcpr.findall(_qn("w:shd")):
        tcpr.remove(old)
    tcpr.append(_element("w:shd", val="clear", color="auto", fill=fill))


def _properties(document: Any, briefing: Briefing) -> None:
    properties = document.core_properties
    title = shown_english(briefing, "title") if briefing.document.title else "Briefing"
    properties.title = _property(title)
    properties.subject = _property(f"English briefing of {Path(briefing.source.file).name}")
    properties.author = f"briefing {briefing.tool_version}"
    comments = f"Signature: {briefing.signature}. {_notice(briefing)}"
    if briefing.engine.test_model:
        comments = f"{TEST_MODEL_MARKER}. {comments}"
    # Word's core properties hold 255 characters; the marker and signature come first
    properties.comments = _property(comments)
    properties.keywords = "machine translation; Chinese; briefing"
    properties.category = "Machine-translated briefing"
    properties.language = "en-GB"


class _Writer:
    def __init__(self, document: Any, briefing: Briefing, fonts: Fonts) -> None:
        self.document = document
        self.briefing = briefing
        self.fonts = fonts
        self.unit = "paragraphs" if briefing.document.source.format == "docx" else "lines"

    # runs

    def zh(self, paragraph: Any, text: str, **style: Any) -> Any:
        """A Chinese run: the CJK font in every slot, the eastAsia hint, zh-CN."""
        return self._run(paragraph, text, chinese=True, **style)

    def en(self, paragraph: Any, text: str, **style: Any) -> Any:
        """An English run: the Latin font, en-GB."""
        return self._run(paragraph, text, chinese=False, **style)

    def _run(self, paragraph: Any, text: str, *, chinese: bool, size: float | None = None,
             bold: bool = False, italic: bool = False) -> Any:  # fmt: skip
        from docx.shared import Pt

        run = paragraph.add_run(text)
        run.bold = bold or None
        run.italic = italic or None
        if size:
            run.font.size = Pt(size)
        rpr = run._r.get_or_add_rPr()
        latin = self.fonts.cjk if chinese else self.fonts.latin
        _set_fonts(rpr, latin=latin, east_asian=self.fonts.cjk, hint=chinese)
        _set_lang(rpr, "zh-CN" if chinese else "en-GB")
        return run

    def english_of(self, unit_id: str) -> str:
        return shown_english(self.briefing, unit_id)

    def english_unit(self, paragraph: Any, unit_id: str, **style: Any) -> Any:
        """A unit's English run; if the checks flagged it, highlighted with a comment."""
        from docx.enum.text import WD_COLOR_INDEX

        run = self.en(paragraph, self.english_of(unit_id), **style)
        if self.flag(run, self.briefing.flags_of(unit_id)):
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        return run

    def flag(self, run: Any, flags: list[tuple[str, Flag]]) -> bool:
        """Anchor a comment listing `flags` ((where, flag) pairs) on `run` (a run or a list
        of runs); False when there are none."""
        if not flags:
            return False
        lines = [f"{segment_id} {flag.kind}: {flag.detail}" for segment_id, flag in flags]
        comment = self.document.add_comment(
            run, text=f"Check this English ({len(flags)} flag{'s' if len(flags) > 1 else ''}).",
            author=COMMENT_AUTHOR, initials="QA",
        )  # fmt: skip
        for line in lines:
            comment.add_paragraph(line)
        return True

    # blocks

    def front_matter(self) -> None:
        document = self.briefing.document
        if document.title:
            title = self.document.add_paragraph(style="Title")
            self.english_unit(title, "title")
            chinese = self.document.add_paragraph()
            self.zh(chinese, document.title, size=16, bold=True)
        if document.subtitle:
            subtitle = self.document.add_paragraph(style="Subtitle")
            self.english_unit(subtitle, "subtitle")
            self.zh(self.document.add_paragraph(), document.subtitle, size=12)
        if document.byline:
            byline = self.document.add_paragraph()
            english = self.briefing.byline_en
            if english:
                self.en(byline, english + " ")
                self.zh(byline, f"({document.byline})", size=9)
            else:
                self.zh(byline, document.byline)
        if document.date:
            self.en(self.document.add_paragraph(), f"Date: {document.date}")

    def about(self) -> None:
        from docx.shared import Cm, RGBColor

        b = self.briefing
        e = b.engine
        heading = self.document.add_heading(level=1)
        self.en(heading, "About this briefing")
        if e.test_model:
            warning = self.document.add_paragraph()
            run = self.en(
                warning,
                f"{TEST_MODEL_MARKER}: the English in this document was produced by the "
                "project's random-weight test model and means nothing.",
                bold=True,
            )
            run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
        rows = [
            ("Notice", _notice(b)),
            ("Source file", Path(b.source.file).name),
            ("Source", b.source.name or "not stated"),
            ("Source date", b.source.date or "not stated"),
            ("Source URL", b.source.url or "not stated"),
            ("Generated", b.generated),
            ("Model", f"{e.model_id} (revision {e.model_revision or 'unknown'})"
             + (f" – {TEST_MODEL_MARKER}" if e.test_model else "")),
            ("Engine", f"{e.engine}, {e.compute_type}, {e.device}, beam size {e.beam_size}"),
            ("Segment budget", f"{b.max_segment_tokens} tokens"),
            ("Checks", checks_row(b)),
            ("Review", self.review_summary()),
            (SIGNATURE_LABEL, b.signature),
        ]  # fmt: skip
        if b.review_id:
            rows.append((REVIEW_ID_LABEL, b.review_id))
        widths = (Cm(3.5), Cm(13.5))
        table = _fixed_table(self.document, 0, widths)
        at = [label for label, _ in rows].index("Source URL") + 1
        for label, value in reversed(self.issued_rows()):
            rows.insert(at, (label, value))
        for label, value in rows:
            cells = _add_row(table, widths)
            self.en(cells[0].paragraphs[0], label, bold=True, size=9)
            for text, chinese in _scripts(value):
                (self.zh if chinese else self.en)(cells[1].paragraphs[0], text, size=9)

    def issued_rows(self) -> list[tuple[str, str]]:
        """Who issued or delivered the report and its document number, where it has them."""
        document = self.briefing.document
        rows: list[tuple[str, str]] = []
        people = self.briefing.summary.people if self.briefing.summary is not None else ()
        speaker = next((p for p in people if p.role == "speaker"), None)
        if speaker is not None and speaker.name_zh:
            post = f", {speaker.post_en}" if speaker.post_en else ""
            rows.append(("Delivered by", f"{speaker.name_en}{post} ({speaker.name_zh})"))
        if document.issuer:
            rows.append(("Issued by", document.issuer))
        if document.doc_number:
            rows.append(("Document number", document.doc_number))
        return rows

    def review_summary(self) -> str:
        b = self.briefing
        if not b.memory:
            return (
                "No translation memory was consulted (--no-memory): every paragraph is "
                "machine translation."
            )
        c = review_counts(b)
        total = sum(c[status] for status in ("machine", "part edited", "edited", "approved"))
        parts = [f"{c['edited']} edited", f"{c['approved']} approved"]
        if c["part edited"]:
            parts.append(f"{c['part edited']} part edited")
        parts.append(f"{c['machine']} machine translation")
        reused = f"; {c['from memory']} sentences of machine English reused from the memory"
        return (
            f"{total} paragraphs: {', '.join(parts)}{reused if c['from memory'] else ''}. "
            "To review: edit the English in Word, or set Status to approved, save, and run "
            "briefing import-review on the file."
        )

    def table_with_header(
        self, labels: tuple[str, ...], widths: tuple[Any, ...], size: float
    ) -> Any:
        """A fixed-width table whose bold header row repeats on every page."""
        table = _fixed_table(self.document, 1, widths)
        header = table.rows[0]
        header._tr.get_or_add_trPr().append(_element("w:tblHeader", val="true"))
        for cell, label in zip(header.cells, labels, strict=True):
            write = self.zh if _has_han(label) else self.en
            write(cell.paragraphs[0], label, bold=True, size=size)
        return table

    def executive_summary(self) -> None:
        from docx.shared import Cm

        summary = self.briefing.summary
        if summary is None:
            return
        heading = self.document.add_heading(level=1)
        self.en(heading, "Executive summary")
        subheading = self.document.add_heading(level=2)
        self.en(subheading, "Targets")
        if not summary.targets:
            self.en(self.document.add_paragraph(), "The report states no quantitative targets.")
        else:
            self.en(
                self.document.add_paragraph(),
                "Numbers are read from the Chinese by the parser, never taken from the machine "
                "translation; the descriptions are machine-translated. Grouped by the section "
                "of the report that states them.",
                italic=True,
                size=8,
            )
            self.targets_table(summary.targets, "Target (English)")
        if summary.measures:
            subheading = self.document.add_heading(level=2)
            self.en(subheading, "Measures")
            self.en(
                self.document.add_paragraph(),
                "Policy parameters the report sets (subsidies, rates of support, time limits "
                "of its rules): not targets.",
                italic=True,
                size=8,
            )
            self.targets_table(summary.measures, "Measure (English)")
        subheading = self.document.add_heading(level=2)
        self.en(subheading, "People")
        if not summary.people:
            self.en(self.document.add_paragraph(), "No people are named.")
            return
        widths = (Cm(3.0), Cm(1.8), Cm(2.0), Cm(4.6), Cm(4.2), Cm(1.4))
        labels = ("Name", "中文名", "Role", "Post", "Organisation", "Para.")
        table = self.table_with_header(labels, widths, size=8)
        for person in summary.people:
            cells = _add_row(table, widths)
            self.en(cells[0].paragraphs[0], person.name_en or "(not named)", size=8)
            self.zh(cells[1].paragraphs[0], person.name_zh or "", size=8)
            self.en(cells[2].paragraphs[0], person.role, size=8)
            self.en(cells[3].paragraphs[0], person.post_en or "", size=8)
            if person.post_zh:
                self.zh(cells[3].paragraphs[0], f" {person.post_zh}", size=7)
            org = person.org_en or ""
            if "org_en" in person.machine_translated:
                org = labelled(org, self.briefing.engine.test_model) + " (machine-translated)"
            run = self.en(cells[4].paragraphs[0], org, size=8)
            if self.flag(run, [(person.org_zh or "org_en", flag) for flag in person.flags]):
                _shade(cells[4], FLAG_FILL)
            if person.org_zh:
                self.zh(cells[4].paragraphs[0], f" {person.org_zh}", size=7)
            self.en(cells[5].paragraphs[0], ", ".join(person.paragraphs), size=8)

    def targets_table(self, items: tuple[Target, ...], first: str) -> None:
        """Targets (or measures), each section's under a row with its heading."""
        from docx.shared import Cm

        widths = (Cm(4.2), Cm(3.8), Cm(3.2), Cm(2.0), Cm(2.4), Cm(1.4))
        labels = (first, "中文原文", "Value", "Period", "Stated by", "Para.")
        table = self.table_with_header(labels, widths, size=8)
        sections = {s.id: s for s in self.briefing.document.sections}
        current: str | None = None
        for target in items:
            if target.section != current and target.section in sections:
                current = target.section
                self.group_row(table, widths, sections[current])
            cells = _add_row(table, widths)
            english = labelled(target.en or "", self.briefing.engine.test_model)
            run = self.en(cells[0].paragraphs[0], english, size=8)
            if self.flag(run, [(target.id, flag) for flag in target.flags]):
                _shade(cells[0], FLAG_FILL)
            self.zh(cells[1].paragraphs[0], target.zh, size=8)
            self.en(cells[2].paragraphs[0], target.display, size=8, bold=True)
            self.en(cells[3].paragraphs[0], target.period_en or "not stated", size=8)
            if target.owner:
                owner = f"{target.owner_en} " if target.owner_en else ""
                self.en(cells[4].paragraphs[0], owner, size=8)
                self.zh(cells[4].paragraphs[0], target.owner, size=8)
            else:
                self.en(cells[4].paragraphs[0], "—", size=8)
            self.en(cells[5].paragraphs[0], target.paragraph, size=8)

    def group_row(self, table: Any, widths: tuple[Any, ...], section: Section) -> None:
        """One merged row naming a section: its heading in English and Chinese."""
        cells = _add_row(table, widths)
        cell = cells[0].merge(cells[-1])
        paragraph = cell.paragraphs[0]
        if section.heading is None:
            self.en(paragraph, LEAD_HEADING, size=8, bold=True)
            return
        self.en(paragraph, self.english_of(f"{section.id}.h") + " ", size=8, bold=True)
        self.zh(paragraph, section.heading, size=8, bold=True)

    def section(self, section: Section) -> None:
        if section.heading is None and section.paragraphs:
            # the untitled lead: without a heading it would read as part of the summary
            self.en(self.document.add_heading(level=1), LEAD_HEADING)
        if section.heading is not None:
            heading = self.document.add_heading(level=min(max(section.level, 1), 9))
            self.english_unit(heading, f"{section.id}.h")
            heading.add_run().add_break()
            self.zh(heading, section.heading)
        if section.paragraphs:
            self.paragraph_table(section.paragraphs)

    def paragraph_table(self, paragraphs: tuple[Paragraph, ...]) -> None:
        from docx.shared import Cm

        widths = tuple(Cm(width) for width in PARAGRAPH_WIDTHS_CM)
        table = self.table_with_header(TABLE_HEADER, widths, size=9)
        for paragraph in paragraphs:
            cells = _add_row(table, widths)
            self.en(cells[0].paragraphs[0], paragraph.id, size=8)
            if paragraph.joined:
                note = cells[0].add_paragraph()
                joined = " + ".join(str(n) for n in paragraph.lines)
                self.en(note, f"joined across a page break: {self.unit} {joined}", size=7,
                        italic=True)  # fmt: skip
            caption = paragraph.kind == "caption"  # a photo's caption: set apart, in italics
            if caption:
                self.en(cells[0].add_paragraph(), "photo caption", size=7, italic=True)
            for text, bold in _pieces(paragraph.zh, paragraph.run_in):
                self.zh(cells[1].paragraphs[0], text, size=10, bold=bold, italic=caption)
            runs = [
                self.en(cells[2].paragraphs[0], text, size=10, bold=bold, italic=caption)
                for text, bold in self.english_pieces(paragraph)
            ]
            if self.flag(runs, self.briefing.flags_of(paragraph.id)):
                _shade(cells[2], FLAG_FILL)
            for comment in self.briefing.comments.get(paragraph.id, ()):
                self.document.add_comment(runs, text=comment.text, author=comment.who,
                                          initials=_initials(comment.who))  # fmt: skip
            status = unit_status(unit_segments(self.briefing, paragraph.id))
            self.en(cells[3].paragraphs[0], status, size=8)

    def english_pieces(self, paragraph: Paragraph) -> list[tuple[str, bool]]:
        """A paragraph's English as (text, bold) pieces: a run-in subhead's sentences (一是…。)
        are bold in the English as in the Chinese."""
        english = self.english_of(paragraph.id)
        segments = [s for s in self.briefing.segments if s.parent == paragraph.id]
        if not paragraph.run_in or "".join(s.zh for s in segments) != paragraph.zh:
            return [(english, False)]
        pieces: list[tuple[str, bool]] = []
        start = 0
        for segment in segments:
            end = start + len(segment.zh)
            bold = any(a <= start and end <= b + 1 for a, b in paragraph.run_in)
            if segment.en:
                pieces.append(((" " if pieces else "") + segment.en, bold))
            start = end
        shown = "".join(text for text, _ in pieces)
        if not english.endswith(shown):
            return [(english, False)]  # a reviewer's English for the paragraph: one piece
        marker = english[: len(english) - len(shown)]
        if pieces and marker:  # the test model's label, before the first piece
            pieces[0] = (marker + pieces[0][0], pieces[0][1])
        return pieces or [(english, False)]

    def appendix(self) -> None:
        dropped = self.briefing.document.dropped
        heading = self.document.add_heading(level=1)
        self.en(heading, "Appendix: lines dropped as page furniture")
        if not dropped:
            self.en(self.document.add_paragraph(), "None.")
            return
        self.en(
            self.document.add_paragraph(),
            f"{len(dropped)} source {self.unit} were left out of the briefing as page furniture "
            "(prompts, slogans, page numbers, mastheads). Check that none of them is text.",
        )
        for text in dropped:
            self.zh(self.document.add_paragraph(style="List Bullet"), text)
