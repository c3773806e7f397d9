"""A tiny PDF writer for tests: text lines at given places, in given sizes and fonts.

Each font is a Type0 font with Identity-H encoding and a ToUnicode map, and no glyphs: a
viewer shows nothing useful, but a PDF reader extracts exactly the characters, positions,
sizes and font names written, which is what the reader under test works from. Every
character is 1 em wide (CJK) or half an em (ASCII), as in a real CJK font. `encrypted`
writes a standard security handler whose user password is not empty.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

A4 = (595.0, 842.0)


@dataclass
class Text:
    x: float  # left edge, points from the page's left
    top: float  # top of the line, points from the page's top
    text: str
    size: float = 12.0
    font: str = "SimSun"  # "SimSun-Bold" reads as bold
    gaps: dict[int, float] = field(default_factory=dict)  # extra space before char i (pt)


def width(ch: str) -> float:
    """Advance of a character in ems."""
    return 0.5 if ord(ch) < 0x2E80 else 1.0


def _cid(ch: str) -> int:
    return ord(ch)  # Identity-H: the CID is the code point (BMP only)


def pdf(pages: list[list[Text]], *, size: tuple[float, float] = A4, encrypted: bool = False,
        to_unicode: bool = True) -> bytes:  # fmt: skip
    """The bytes of a PDF with these pages."""
    fonts = sorted({t.font for page in pages for t in page}) or ["SimSun"]
    chars = sorted({ch for page in pages for t in page for ch in t.text} | {" "})
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    cmap = _to_unicode(chars)
    cmap_id = add(b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream")
    widths = b" ".join(b"%d [%d]" % (_cid(ch), int(width(ch) * 1000)) for ch in chars)
    font_ids: dict[str, int] = {}
    for name in fonts:
        descriptor = add(
            b"<< /Type /FontDescriptor /FontName /%s /Flags 4 /FontBBox [0 -200 1000 900] "
            b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>"
            % name.encode()
        )
        cid_font = add(
            b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s /CIDSystemInfo << /Registry "
            b"(Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /DW 1000 "
            b"/W [%s] >>" % (name.encode(), descriptor, widths)
        )
        unicode = b" /ToUnicode %d 0 R" % cmap_id if to_unicode else b""
        font_ids[name] = add(
            b"<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H "
            b"/DescendantFonts [%d 0 R]%s >>" % (name.encode(), cid_font, unicode)
        )
    resources = b"<< /Font << %s >> >>" % b" ".join(
        b"/F%d %d 0 R" % (i, font_ids[name]) for i, name in enumerate(fonts)
    )
    pages_id = len(objects) + 1 + 2 * len(pages)  # after each page's content and page
    page_ids: list[int] = []
    for page in pages:
        content = _content(page, fonts, size[1])
        content_id = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        page_ids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %g %g] /Resources %s "
                b"/Contents %d 0 R >>" % (pages_id, size[0], size[1], resources, content_id)
            )
        )
    kids = b" ".join(b"%d 0 R" % i for i in page_ids)
    add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(page_ids)))
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    trailer_extra = b""
    if encrypted:
        encrypt = add(_encryption())
        trailer_extra = b" /Encrypt %d 0 R /ID [<%s> <%s>]" % (encrypt, b"ab" * 16, b"ab" * 16)
    return _assemble(objects, catalog, trailer_extra)


def _content(page: list[Text], fonts: list[str], height: float) -> bytes:
    """One TJ a line; a gap is a negative adjustment, in thousandths of an em."""
    out = [b"BT"]
    for item in page:
        font = fonts.index(item.font)
        baseline = height - item.top - 0.88 * item.size
        parts: list[bytes] = []
        for i, ch in enumerate(item.text):
            gap = item.gaps.get(i, 0.0)
            if gap:
                parts.append(b"%d" % round(-gap * 1000 / item.size))
            parts.append(b"<%04X>" % _cid(ch))
        place = (font, item.size, item.x, baseline, b" ".join(parts))
        out.append(b"/F%d %g Tf 1 0 0 1 %.2f %.2f Tm [%s] TJ" % place)
    out.append(b"ET")
    return b"\n".join(out)


def _to_unicode(chars: list[str]) -> bytes:
    entries = b"\n".join(b"<%04X> <%04X>" % (_cid(ch), ord(ch)) for ch in chars)
    return (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo << "
        b"/Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def /CMapName /Adobe-Identity-UCS "
        b"def /CMapType 2 def 1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        b"%d beginbfchar\n%s\nendbfchar endcmap CMapName currentdict /CMap defineresource pop "
        b"end end" % (len(chars), entries)
    )


def _encryption() -> bytes:
    """A standard security handler (RC4, revision 2) whose user password is "secret"."""
    pad = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
    owner = (b"owner" + pad)[:32]
    key = hashlib.md5(owner).digest()[:5]
    o_value = _rc4(key, (b"secret" + pad)[:32])
    file_key = hashlib.md5(
        (b"secret" + pad)[:32] + o_value + (-4).to_bytes(4, "little", signed=True) + b"\xab" * 16
    ).digest()[:5]
    u_value = _rc4(file_key, pad)
    return b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >>" % (
        o_value.hex().encode(),
        u_value.hex().encode(),
    )


def _rc4(key: bytes, data: bytes) -> bytes:
    box = list(range(256))
    j = 0
    for i in range(256):
        j = (j + box[i] + key[i % len(key)]) % 256
        box[i], box[j] = box[j], box[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + box[i]) % 256
        box[i], box[j] = box[j], box[i]
        out.append(byte ^ box[(box[i] + box[j]) % 256])
    return bytes(out)


def _assemble(objects: list[bytes], root: int, trailer_extra: bytes) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: list[int] = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        trailer_extra,
        xref,
    )
    return bytes(out)


def page_of(paragraphs: list[str], *, top: float = 72.0, left: float = 72.0,
            chars: int = 38, size: float = 12.0, indent: bool = True) -> list[Text]:  # fmt: skip
    """Paragraphs set as a page's lines: `chars` ems a line, a 2-em first-line indent."""
    lines: list[Text] = []
    y = top
    for paragraph in paragraphs:
        rest = paragraph
        first = True
        while rest:
            room = chars - (2 if first and indent else 0)
            taken, ems = 0, 0.0
            while taken < len(rest) and ems + width(rest[taken]) <= room:
                ems += width(rest[taken])
                taken += 1
            while 0 < taken < len(rest) and rest[taken - 1 : taken + 1].isascii() and (
                rest[taken - 1 : taken + 1].isalnum()
            ):
                taken -= 1  # a Latin word is not broken: it goes to the next line whole
            taken = taken or 1
            x = left + (2 * size if first and indent else 0)
            lines.append(Text(x, y, rest[:taken], size))
            rest = rest[taken:]
            first = False
            y += 1.5 * size
    return lines
