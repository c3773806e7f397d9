"""Web pages for tests: a parsed report set as a government site's article page.

The page has what such pages have around the article: a site menu, a breadcrumb, an info
bar with the date, the source and a font-size widget (【字体：大 中 小】) and print links,
a photo with its caption, share buttons, related links and a footer with the site's
address, ICP number and copyright. Everything around the article is made up here.
"""

from __future__ import annotations

import html
from typing import Literal

from briefing.model import Document

CAPTION = "全会现场（记者 摄）"
DATE = "2025-05-08"
# Text of the page that is not the article's; none of it may reach a paragraph.
FURNITURE = [
    "网站首页", "政务公开", "政务服务", "互动交流", "走进盐城", "当前位置", "政务动态",
    "字体", "打印", "关闭", "分享到", "微信", "微博", "相关链接", "全市安全生产工作会议召开",
    "一季度经济运行情况发布", "主办单位", "盐城市人民政府办公室", "网站标识码", "ICP",
    "版权所有", "联系我们", "网站地图",
]  # fmt: skip


def government_page(
    document: Document,
    charset: str = "utf-8",
    headings: Literal["h3", "strong"] = "h3",
    breaks: bool = False,
) -> str:
    """The page as text (encode it in `charset`). Headings as <h3>, or as bold paragraphs
    the structure rules must find; `breaks`: the lead's paragraphs in one <p>, split by
    <br><br> (as older sites set them), and paragraphs wrapped in the source at 30
    characters (a line break between two Chinese characters is no space)."""
    esc = html.escape
    body: list[str] = []
    lead = [s for s in document.sections if s.heading is None]
    rest = [s for s in document.sections if s.heading is not None]
    if document.byline:
        body.append(f"<p>□{esc(document.byline)}</p>")
    for section in lead:
        texts = [esc(p.zh) for p in section.paragraphs]
        if breaks:
            body.append("<p>" + "<br><br>\n".join(f"&nbsp;&nbsp;{t}" for t in texts) + "</p>")
        else:
            body.extend(f"<p>　　{_wrap(t) if breaks else t}</p>" for t in texts)
    for number, section in enumerate(rest):
        heading = esc(section.heading or "")
        if headings == "h3":
            body.append(f'<h3 class="title">{heading}</h3>')
        else:
            body.append(f'<p style="text-align:center"><strong>{heading}</strong></p>')
        for k, paragraph in enumerate(section.paragraphs):
            text = esc(paragraph.zh)
            body.append(f'<p style="text-indent:2em">{_wrap(text) if breaks else text}</p>')
            if number == 0 and k == 0:
                body.append('<p style="text-align:center"><img src="photo.jpg" alt=""></p>')
                body.append(f'<p style="text-align:center">{esc(CAPTION)}</p>')
    title = esc(document.title or "")
    subtitle = f'<p class="subtitle">——{esc(document.subtitle)}</p>' if document.subtitle else ""
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{title}_盐城市人民政府</title>
<style>.nav li {{ float: left; }}</style>
<script>function doZoom(size) {{ document.getElementById("zoom").style.fontSize = size; }}
var banner = "<p>网站首页</p>";</script>
</head>
<body>
<div class="header"><div class="logo"><img src="logo.png" alt="盐城市人民政府"></div>
<ul class="nav"><li><a href="/">网站首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li>
<li><a href="/zjyc/">走进盐城</a></li></ul></div>
<div class="crumb">当前位置：<a href="/">网站首页</a> &gt; <a href="/zwgk/">政务公开</a>
&gt; <a href="/zwgk/zwdt/">政务动态</a></div>
<div class="main">
<div class="article">
<h1>{title}</h1>
{subtitle}
<div class="info">发布日期：{DATE}&nbsp;&nbsp;来源：盐城日报&nbsp;&nbsp;
<span>【字体：<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a>
<a href="javascript:doZoom(14)">小</a>】</span>
<a href="javascript:window.print()">【打印】</a>
<a href="javascript:window.close()">【关闭】</a></div>
<div class="content" id="zoom">
{chr(10).join(body)}
</div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a></div>
<div class="related"><h4>相关链接</h4><ul>
<li><a href="/a/1.html">全市安全生产工作会议召开</a></li>
<li><a href="/a/2.html">一季度经济运行情况发布</a></li></ul></div>
</div>
</div>
<div class="footer"><p><a href="/lxwm/">联系我们</a> | <a href="/wzdt/">网站地图</a></p>
<p>主办单位：盐城市人民政府办公室&nbsp;&nbsp;地址：盐城市世纪大道1号</p>
<p>网站标识码：3209000001&nbsp;&nbsp;苏ICP备05000000号</p>
<p>版权所有 &copy; 盐城市人民政府</p></div>
</body>
</html>
"""


def _wrap(text: str, width: int = 30) -> str:
    return "\n".join(text[i : i + width] for i in range(0, len(text), width))
