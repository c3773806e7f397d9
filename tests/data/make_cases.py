"""Rebuild the generated golden inputs from the sample report.

    .venv/bin/python tests/data/make_cases.py

Writes, under tests/data/cases/: the sample re-encoded (GB18030; converted to
Traditional and encoded as Big5; with CRLF line ends; with a UTF-8 BOM) and a .docx
with heading styles. The outputs are committed; this script documents how they were
made. Expected parses: the sample variants must parse like the sample itself (the
tests compare them with seeds/…expected.json); the .docx has its own expected JSON.
"""

from __future__ import annotations

from pathlib import Path

import docx
import opencc

ROOT = Path(__file__).resolve().parents[2]
CASES = Path(__file__).resolve().parent / "cases"
SAMPLE = ROOT / "seeds" / "000_161302ac3327b756.txt"

# Taiwan-standard Traditional: every character of the sample then exists in Big5.
TRADITIONAL = "s2tw"


def sample_variants() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    (CASES / "sample_gb18030.txt").write_bytes(text.encode("gb18030"))
    traditional = opencc.OpenCC(TRADITIONAL).convert(text)
    (CASES / "sample_big5_traditional.txt").write_bytes(traditional.encode("big5"))
    (CASES / "sample_crlf.txt").write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    (CASES / "sample_bom.txt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))


def docx_with_heading_styles() -> None:
    document = docx.Document()
    document.add_paragraph("关于推进数字政府建设的工作方案", style="Title")
    document.add_paragraph("来源:某市大数据管理局")
    document.add_paragraph("")
    document.add_paragraph(
        "为加快推进数字政府建设,提升政府治理能力现代化水平,结合我市实际,制定本方案。"
    )
    document.add_paragraph("总体目标", style="Heading 1")
    document.add_paragraph("到2027年,基本建成整体协同、高效运行的数字政府,全市政务数据共享率达到")
    document.add_paragraph("95%以上,政务服务事项网上可办率达到100%。")
    document.add_paragraph("重点任务", style="Heading 1")
    document.add_paragraph("夯实数字基础设施", style="Heading 2")
    document.add_paragraph("建设全市统一的政务云平台,推进5G网络在重点区域全覆盖。")
    document.add_paragraph("推进政务服务一网通办", style="Heading 2")
    document.add_paragraph("优化一体化政务服务平台,推动高频事项“掌上办”“就近办”。")
    document.add_paragraph("组织保障", style="Heading 1")
    document.add_paragraph("各地各部门要加强组织领导,明确责任分工,确保各项任务落到实处。")
    document.save(str(CASES / "docx_heading_styles.docx"))


if __name__ == "__main__":
    sample_variants()
    docx_with_heading_styles()
