"""Rebuild the generated golden inputs: the sample report's variants and the .docx cases.

    .venv/bin/python tests/data/make_cases.py

Writes, under tests/data/cases/: the sample re-encoded (GB18030; converted to
Traditional and encoded as Big5; with CRLF line ends; with a UTF-8 BOM), a .docx
with heading styles, and two .docx work reports of our own writing in the layouts of the
genre (unnumbered parts; numbered parts with annexes). The outputs are committed; this
script documents how they were made. Expected parses: the sample variants must parse like
the sample itself (the tests compare them with seeds/…expected.json); each .docx has its own
expected JSON.
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


def _docx(name: str, paragraphs: list[str]) -> None:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(CASES / name))


def report_with_unnumbered_parts() -> None:
    """Parts without numbers (2024年工作回顾…), inline （一） headings, a lone part heading,
    speaker line, salutation and opening formula, a glossary annex."""
    _docx(
        "report_unnumbered_parts.docx",
        [
            "2025年某省政府工作报告",
            "来源：某省日报",
            "——2025年1月18日在某省第十三届人民代表大会第二次会议上",
            "某省人民政府省长 李华明",
            "各位代表：",
            "我代表省人民政府向大会作工作报告，请予审议，并请省政协各位委员提出宝贵意见。",
            "2024年工作回顾",
            "过去一年，全省上下迎难而上、苦干实干，经济社会发展取得新的成绩。",
            "一是经济运行回升向好。全省生产总值增长5.3%，财政收入增长2.9%。",
            "二是改革开放持续深化。完成省级机构改革任务，进出口总额增长6.2%。",
            "2025年工作安排",
            "今年是“十四五”规划的最后一年，做好各项工作意义重大。",
            "（一）全方位扩大国内需求，推动经济持续向好。坚持消费和投资双向发力，"
            "增强内需拉动作用。",
            "开展消费提振行动。推动汽车、家电等大宗消费扩容升级，培育文旅消费新场景。",
            "扩大有效投资。全年安排省级重点项目500个，年度计划投资3500亿元以上。",
            "（二）加快产业转型升级，建设现代化产业体系。实施制造业链主企业培育计划。",
            "持续推进政府自身建设",
            "新征程对政府工作提出了更高要求，我们要以更加务实的作风推动各项工作落地见效。",
            "（一）坚持依法行政。全面落实重大行政决策程序规定，自觉接受各方面监督。",
            "（二）狠抓工作落实。对重点任务清单化管理、项目化推进，确保事事有着落。",
            "各位代表！新的征程已经开启，让我们同心协力、埋头苦干，为建设美好家园不懈奋斗！",
            "名词解释",
            "1.“两新”：新型基础设施和新型城镇化建设。",
            "2.“一网通办”：政务服务事项在一个平台上统一受理、统一办理。",
        ],
    )


def report_with_numbered_parts() -> None:
    """来源 and dateline on one line, 一、 parts with standalone （一） headings and run-in
    subheads, a part heading set over two paragraphs, an annex label with its title on the
    next paragraph, an annex with inline 一、 headings, a glossary annex on one line."""
    _docx(
        "report_numbered_parts.docx",
        [
            "2025年某市政府工作报告",
            "来源：某市人民政府 2025年1月12日在某市第十五届人民代表大会第二次会议上"
            "市长赵建平作政府工作报告。",
            "各位代表：",
            "现在，我受市人民政府委托，向大会报告工作，请予审议。请市政协委员和列席的"
            "同志们提出意见。",
            "一、2024年工作回顾",
            "一年来，我们坚持稳中求进工作总基调，主要做了以下工作。",
            "（一）聚焦产业升级，产业结构持续优化升级。新增规上工业企业150家，"
            "工业投资增长11%。",
            "（二）聚焦民生改善，群众获得感持续增强。新建改建城市公园30个，新增普惠托位2000个。",
            "二、2025年主要任务",
            "（一）着力扩大有效需求",
            "大力提振消费。围绕吃住行游购娱，打造10个特色消费街区。",
            "加快重大项目建设。全年实施市级重大项目300个，完成投资1500亿元以上。",
            "（二）着力发展新质生产力",
            "推动科研成果就地转化。建设概念验证中心和中试基地，打通成果转化通道。",
            "三、持续提升政府",
            "治理能力和服务水平",
            "我们将坚持人民至上，让政府服务更加便捷高效。",
            "各位代表！实干创造未来，奋斗成就梦想。让我们携手并进，共同开创更加美好的明天！",
            "",
            "附件1",
            "2025年十件民生实事",
            "一、扩大城镇就业岗位供给。新开发公益性岗位5000个，帮扶困难人员就业1.2万人。",
            "二、改善城乡居民居住条件。改造城镇老旧小区120个，完成农村危房改造800户。",
            "三、提升基层医疗服务能力。新建社区卫生服务中心15个，培训乡村医生3000人次。",
            "附件2 名词解释",
            "1.“一件事一次办”：把多个相关联的政务服务事项整合为一件事，实现一次申请、一次办结。",
            "2.中试基地：为科技成果从实验室走向产业化提供中间试验服务的平台。",
        ],
    )


if __name__ == "__main__":
    sample_variants()
    docx_with_heading_styles()
    report_with_unnumbered_parts()
    report_with_numbered_parts()
