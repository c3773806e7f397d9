"""People: `Document` -> the officials it quotes, its reporters, and the leaders it mentions.

Pure. Officials in this genre are introduced as ``<organisation><post><name>表示`` (or
指出, 介绍, 强调, 说); an unnamed one (市科技局相关负责人表示) is kept with no name. A short
back-reference organisation (园区, 该局) is resolved to the full name used earlier in the
paragraph. Leaders are *mentioned*, not quoted, as ``<name><title>`` (…总书记). Reporters
come from the byline. English posts and organisations are composed from the tables below;
what cannot be composed is left to machine translation by the caller, and marked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from briefing.model import Document, Person, Speech
from briefing.names import COMPOUND_SURNAMES, byline_credits, name_to_pinyin

POSTS_EN = {
    "党组书记": "Secretary of the Party Leadership Group",
    "党组副书记": "Deputy Secretary of the Party Leadership Group",
    "党委书记": "Secretary of the Party Committee",
    "党委副书记": "Deputy Secretary of the Party Committee",
    "党工委书记": "Secretary of the Party Working Committee",
    "党工委副书记": "Deputy Secretary of the Party Working Committee",
    "管委会主任": "Director of the Administrative Committee",
    "管委会副主任": "Deputy Director of the Administrative Committee",
    "常务副主任": "Executive Deputy Director",
    "主任": "Director",
    "副主任": "Deputy Director",
    "局长": "Director",
    "副局长": "Deputy Director",
    "常务副校长": "Executive Vice President",
    "校长": "President",
    "副校长": "Vice President",
    "书记": "Secretary",
    "副书记": "Deputy Secretary",
    "常务副市长": "Executive Vice Mayor",
    "代理市长": "Acting Mayor",
    "市长": "Mayor",
    "代理省长": "Acting Governor",
    "省长": "Governor",
    "副省长": "Vice Governor",
    "代理主席": "Acting Chairman",
    "代主席": "Acting Chairman",
    "代省长": "Acting Governor",
    "代市长": "Acting Mayor",
    "州长": "Prefect",
    "副市长": "Vice Mayor",
    "县长": "County Head",
    "副县长": "Deputy County Head",
    "区长": "District Head",
    "副区长": "Deputy District Head",
    "镇长": "Town Head",
    "乡长": "Township Head",
    "主席": "Chair",
    "副主席": "Vice Chair",
    "院长": "President",
    "副院长": "Vice President",
    "厅长": "Director-General",
    "副厅长": "Deputy Director-General",
    "部长": "Head",
    "副部长": "Deputy Head",
    "处长": "Division Director",
    "董事长": "Chairman",
    "总经理": "General Manager",
    "秘书长": "Secretary-General",
    "行长": "President",
    "会长": "President",
    "理事长": "Chair of the Board",
    "社长": "President",
    "总编辑": "Editor-in-Chief",
    "检察长": "Chief Procurator",
    "所长": "Director",
    "站长": "Head",
    "主要负责人": "head",
    "相关负责人": "an official in charge",
    "负责人": "an official in charge",
}
LEADER_TITLES_EN = {
    "总书记": "General Secretary",
    "国家主席": "President",
    "总理": "Premier",
    "委员长": "Chairman of the NPC Standing Committee",
}
ROLES_EN = {
    "记者": "reporter",
    "本报记者": "staff reporter",
    "通讯员": "correspondent",
    "本报通讯员": "correspondent",
    "特约记者": "special correspondent",
    "实习生": "intern",
    "作者": "author",
    "撰稿": "writer",
    "摄影": "photographer",
}

LEVELS_EN = {"省": "Provincial", "市": "Municipal", "县": "County", "区": "District",
             "镇": "Town", "乡": "Township", "州": "Prefectural", "盟": "League",
             "旗": "Banner"}  # fmt: skip
BODIES_EN = {
    "发展和改革委员会": "Development and Reform Commission",
    "发展改革委": "Development and Reform Commission",
    "发改委": "Development and Reform Commission",
    "科技局": "Science and Technology Bureau",
    "科学技术局": "Science and Technology Bureau",
    "工业和信息化局": "Bureau of Industry and Information Technology",
    "工信局": "Bureau of Industry and Information Technology",
    "商务局": "Commerce Bureau",
    "自然资源和规划局": "Natural Resources and Planning Bureau",
    "自然资源局": "Natural Resources Bureau",
    "民政局": "Civil Affairs Bureau",
    "农业农村局": "Agriculture and Rural Affairs Bureau",
    "人力资源和社会保障局": "Human Resources and Social Security Bureau",
    "人社局": "Human Resources and Social Security Bureau",
    "教育局": "Education Bureau",
    "财政局": "Finance Bureau",
    "公安局": "Public Security Bureau",
    "司法局": "Justice Bureau",
    "住房和城乡建设局": "Housing and Urban-Rural Development Bureau",
    "住建局": "Housing and Urban-Rural Development Bureau",
    "交通运输局": "Transport Bureau",
    "水利局": "Water Resources Bureau",
    "水务局": "Water Affairs Bureau",
    "生态环境局": "Ecology and Environment Bureau",
    "卫生健康委员会": "Health Commission",
    "卫健委": "Health Commission",
    "文化广电和旅游局": "Culture, Radio, Television and Tourism Bureau",
    "文化和旅游局": "Culture and Tourism Bureau",
    "应急管理局": "Emergency Management Bureau",
    "市场监督管理局": "Market Regulation Administration",
    "市场监管局": "Market Regulation Administration",
    "统计局": "Statistics Bureau",
    "审计局": "Audit Bureau",
    "政务服务管理局": "Government Services Administration",
    "行政审批局": "Administrative Approval Bureau",
    "大数据管理局": "Big Data Administration",
    "数据局": "Data Bureau",
    "税务局": "Taxation Bureau",
    "退役军人事务局": "Veterans Affairs Bureau",
    "医疗保障局": "Healthcare Security Administration",
    "体育局": "Sports Bureau",
    "城市管理局": "Urban Management Bureau",
    "林业局": "Forestry Bureau",
    "国资委": "State-owned Assets Supervision and Administration Commission",
    "委党校": "Party School of the {level} Party Committee",
    "委宣传部": "Publicity Department of the {level} Party Committee",
    "委组织部": "Organization Department of the {level} Party Committee",
    "委": "{level} Party Committee",
    "人民政府办公室": "General Office of the {level} People's Government",
    "人民政府": "{level} People's Government",
    "政府": "{level} Government",
    "政府办公室": "General Office of the {level} Government",
}
PLACES_EN = {"陕西": "Shaanxi", "内蒙古": "Inner Mongolia"}  # where pinyin alone is not the name
PLACE_NOUNS_EN = {"省": "Province", "市": "City", "县": "County", "州": "Prefecture"}
AUTONOMOUS_REGIONS_EN = {"内蒙古自治区": "Inner Mongolia", "广西壮族自治区": "Guangxi Zhuang",
                         "西藏自治区": "Xizang", "宁夏回族自治区": "Ningxia Hui",
                         "新疆维吾尔自治区": "Xinjiang Uygur"}  # fmt: skip
ZONES_EN = {
    "经济技术开发区": "Economic and Technological Development Zone",
    "高新技术产业开发区": "High-tech Industrial Development Zone",
    "高新区": "High-tech Zone",
    "工业园区": "Industrial Park",
    "经济开发区": "Economic Development Zone",
    "开发区": "Development Zone",
    "新区": "New Area",
    "园区": "Park",
    "自贸区": "Free Trade Zone",
}

# Common surnames: a name must start with one (or a compound surname) to be taken as a name.
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕"
    "丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严"
    "覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚"
    "符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆"
    "农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋"
    "商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟"
    "冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来"
    "扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾"
    "茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由习"
)
_NAME_CHARS = r"[\u4e00-\u9fff]"
_SPEECH = r"表示|指出|介绍|强调|认为|说"
_POST_ALTERNATION = "|".join(sorted(POSTS_EN, key=len, reverse=True))
_OFFICIAL_RE = re.compile(
    rf"^(?P<org>.*?)(?P<post>(?:{_POST_ALTERNATION})(?:、(?:{_POST_ALTERNATION}))*)"
    rf"(?P<name>{_NAME_CHARS}{{2,4}})?$"
)
_SPEECH_RE = re.compile(_SPEECH)
_BOUNDARY = '，,。；;：:“”"！!？?（）()、 '
_LEADER_RE = re.compile(rf"(?P<name>{_NAME_CHARS}{{2,3}})(?P<title>{'|'.join(LEADER_TITLES_EN)})")


@dataclass(frozen=True)
class Speaker:
    """An official quoted in a paragraph: where their words start, and who they are."""

    paragraph: str
    end: int  # offset just after 表示
    name_zh: str | None
    post_zh: str
    org_zh: str


# The front matter of a report delivered by an official: 重庆市人民政府市长 胡衡华,
# 省长 李炳军, ——2025年1月16日某省省长 王某在…, 龚正市长在…
_SPEAKER_POSTS = "代理省长|代理市长|代理主席|代省长|代市长|代主席|省长|市长|主席|州长|区长|县长"
_SPEAKER_RE = re.compile(
    rf"(?P<org>[\u4e00-\u9fff]{{0,16}}?)(?<![副务])(?P<post>{_SPEAKER_POSTS})\s*"
    r"(?P<name>[\u4e00-\u9fff]{2,6}·[\u4e00-\u9fff]{2,8}|[\u4e00-\u9fff](?:\s?[\u4e00-\u9fff]){1,3}?)"
    r"\s*(?P<end>在|作|同志|$)"
)
_SPEAKER_AFTER_RE = re.compile(
    rf"(?<![\u4e00-\u9fff])(?:\d{{1,2}}日)?(?P<name>[\u4e00-\u9fff]{{2,3}})"
    rf"(?<![副务])(?P<post>{_SPEAKER_POSTS})在"
)
_FRONT_LINES = 8
# 2025年安徽省政府工作报告 -> 安徽省; X人民政府办公室关于印发… -> X人民政府办公室
_WORK_REPORT_TITLE_RE = re.compile(
    r"^(?:\d{4}年)?(?P<place>[\u4e00-\u9fff]{2,12}?)(?:人民)?政府工作报告"
)
_ISSUER_RE = re.compile(
    r"^(?P<issuer>[\u4e00-\u9fff]{2,30}?(?:政府|办公室|办公厅|委员会|局|厅|部|委))关于"
)


def find_speaker(document: Document) -> Person | None:
    """The official who delivers the report: the parser's speaker (from its speaker or
    date line), else a line of its front matter read here."""
    if document.speaker is not None:
        name, written = document.speaker.name, document.speaker.post
        post = re.search(rf"(?:{_SPEAKER_POSTS})$", written)
        post_zh = post.group(0) if post else written
        org = written[: len(written) - len(post_zh)] if post else ""
        return Person(
            role="speaker",
            name_zh=name,
            name_en=name_to_pinyin(name),
            post_zh=post_zh,
            post_en=post_in_english(post_zh),
            org_zh=org or None,
            org_en=org_in_english(org) if org else None,
            paragraphs=("front matter",),
        )
    lines = [line for line in document.source.lines if line.analysis][:_FRONT_LINES]
    for line in lines:
        text = line.analysis.strip("—-－ ")
        if text.startswith("各位代表"):
            break
        # a speaker line stands alone (省长 李明) or is a report's dateline (…会议上…作…报告);
        # a news sentence naming an official is not one
        if len(text) > 20 and not re.search(r"会议|大会|报告|讲话", text):
            continue
        match = _SPEAKER_RE.search(text) or _SPEAKER_AFTER_RE.search(text)
        if match is None:
            continue
        name = match["name"].replace(" ", "")
        # a name with a known surname; or, ending the line, a minority name (嘎玛泽登, X·Y)
        alone = match.groupdict().get("end") == ""
        if not (is_name(name) or "·" in name or (alone and len(name) == 4)):
            continue
        org = (match.groupdict().get("org") or "").lstrip("0123456789年月日")
        org = re.sub(r"^.*(?:会议上|会上)", "", org)
        return Person(
            role="speaker",
            name_zh=name,
            name_en=name_to_pinyin(name),
            post_zh=match["post"],
            post_en=post_in_english(match["post"]),
            org_zh=org or None,
            org_en=org_in_english(org) if org else None,
            paragraphs=("front matter",),
        )
    return None


def document_issuer(document: Document) -> str | None:
    """The body that issues the document: 安徽省人民政府 for 2025年安徽省政府工作报告, the
    office that sends a notice (X人民政府办公室关于印发…的通知)."""
    candidates = [document.title or ""] + [
        line.analysis for line in document.source.lines[:_FRONT_LINES] if line.analysis
    ]
    for text in candidates:
        match = _WORK_REPORT_TITLE_RE.match(text)
        if match:
            place = match["place"]
            return place if place.endswith("政府") else f"{place}人民政府"
        match = _ISSUER_RE.match(text)
        if match:
            return match["issuer"]
    return None


def is_name(text: str) -> bool:
    if not 2 <= len(text) <= 4:
        return False
    if any(text.startswith(c) for c in COMPOUND_SURNAMES):
        return len(text) >= 3
    return text[0] in SURNAMES and len(text) <= 3


def find_speakers(document: Document) -> list[Speaker]:
    speakers: list[Speaker] = []
    for paragraph in document.paragraphs():
        text = paragraph.analysis
        for match in _SPEECH_RE.finditer(text):
            start = match.start()
            left = start
            while left > 0 and text[left - 1] not in _BOUNDARY.replace("、", ""):
                left -= 1
            speaker = _parse_speaker(text[left:start])
            if speaker is None:
                continue
            org, post, name = speaker
            speakers.append(
                Speaker(paragraph.id, match.end(), name, post, _resolve_org(org, text[:left]))
            )
    return speakers


def _parse_speaker(segment: str) -> tuple[str, str, str | None] | None:
    match = _OFFICIAL_RE.match(segment)
    if not match:
        return None
    name = match["name"]
    if name is None:
        return (match["org"], match["post"], None) if match["post"].endswith("负责人") else None
    if not is_name(name):
        return None
    return match["org"], match["post"], name


def _resolve_org(org: str, earlier: str) -> str:
    """园区 -> 苏州工业园区 when the paragraph named it in full before."""
    if len(org) > 3 or not org:
        return org
    best = org
    for match in re.finditer(re.escape(org), earlier):
        left = match.start()
        while left > 0 and earlier[left - 1] not in _BOUNDARY:
            left -= 1
        candidate = earlier[left : match.end()].lstrip("在于从据由")
        if len(org) < len(candidate) <= 12:
            best = candidate
    return best


def org_in_english(org: str | None) -> str | None:
    """Compose an English name from the tables; None when it cannot be composed."""
    if not org:
        return None
    for suffix, english in sorted(ZONES_EN.items(), key=lambda kv: -len(kv[0])):
        if org.endswith(suffix) and len(org) > len(suffix):
            place = org[: -len(suffix)]
            return f"{_place(place)} {english}"
    for body, english in sorted(BODIES_EN.items(), key=lambda kv: -len(kv[0])):
        if org.endswith(body):
            head = org[: -len(body)]
            region = next((r for r in AUTONOMOUS_REGIONS_EN if head.endswith(r)), None)
            if head.endswith("自治区"):
                # 广西壮族自治区人民政府 -> People's Government of Guangxi Zhuang Autonomous Region
                name = AUTONOMOUS_REGIONS_EN.get(region or "", _place(head[:-3]))
                region_en = f"{name} Autonomous Region" if head[:-3] else "Autonomous Region"
                return _spaces(english.format(level="") + f" of {region_en}")
            level = head[-1:] if head[-1:] in LEVELS_EN else ""
            place = head[:-1] if level else head
            if place and not _PLACE_RE.fullmatch(place):
                return None  # 广西壮族自治区党委: not a place the tables can name; MT does
            level_en = LEVELS_EN.get(level, "")
            where = f"{_place(place)} {level_en}" if place else level_en
            if "{level}" in english:  # the place goes with its level: of the Baotou Municipal…
                return _spaces(english.format(level=where))
            return _spaces(f"{where} {english}")
    if len(org) >= 3 and org[-1] in PLACE_NOUNS_EN:  # 甘肃省 -> Gansu Province
        return f"{_place(org[:-1])} {PLACE_NOUNS_EN[org[-1]]}"
    return None


_PLACE_RE = re.compile(r"[\u4e00-\u9fff]{2,4}")


def _spaces(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _place(place: str) -> str:
    """南京 -> Nanjing; a four-character prefix is two places (苏州宿迁 -> Suzhou Suqian)."""
    if not place:
        return ""
    if place in LEVELS_EN:
        return LEVELS_EN[place]
    if place in PLACES_EN:
        return PLACES_EN[place]
    from pypinyin import lazy_pinyin

    chunks = [place[i : i + 2] for i in range(0, len(place), 2)] if len(place) == 4 else [place]
    return " ".join("".join(lazy_pinyin(chunk)).capitalize() for chunk in chunks)


def post_in_english(post: str | None) -> str | None:
    if not post:
        return None
    parts = [POSTS_EN.get(part) for part in post.split("、")]
    if any(part is None for part in parts):
        return None
    return " and ".join(p for p in parts if p)


def find_people(document: Document) -> tuple[Person, ...]:
    """Everyone the report names, once: the official who delivers it, officials quoted
    (with where each speech starts), reporters of the byline, leaders mentioned."""
    delivering = find_speaker(document)
    people: list[Person] = [delivering] if delivering is not None else []
    seen: dict[tuple[str | None, str, str], int] = {}
    for speaker in find_speakers(document):
        key = (speaker.name_zh, speaker.post_zh, speaker.org_zh)
        speech = Speech(speaker.paragraph, speaker.end)
        if key in seen and speaker.name_zh is not None:
            old = people[seen[key]]
            if speaker.paragraph not in old.paragraphs:
                old = _with_paragraph(old, speaker.paragraph)
            people[seen[key]] = replace(old, speeches=(*old.speeches, speech))
            continue
        seen[key] = len(people)
        people.append(
            Person(
                role="official",
                name_zh=speaker.name_zh,
                name_en=name_to_pinyin(speaker.name_zh) if speaker.name_zh else None,
                post_zh=speaker.post_zh,
                post_en=post_in_english(speaker.post_zh),
                org_zh=speaker.org_zh or None,
                org_en=org_in_english(speaker.org_zh),
                paragraphs=(speaker.paragraph,),
                speeches=(speech,),
            )
        )
    officials = {p.name_zh for p in people}
    if document.byline:
        for role, names in byline_credits(document.byline) or []:
            for reporter in names:
                english = name_to_pinyin(reporter)
                people.append(
                    Person("reporter", reporter, english, role, ROLES_EN.get(role), None, None,
                           ("byline",))
                )  # fmt: skip
    mentioned: dict[str, Person] = {}
    for paragraph in document.paragraphs():
        for match in _LEADER_RE.finditer(paragraph.analysis):
            leader = _leader_name(match["name"])
            if leader is None or leader in officials:
                continue
            name = leader
            if name in mentioned:
                if paragraph.id not in mentioned[name].paragraphs:
                    mentioned[name] = _with_paragraph(mentioned[name], paragraph.id)
                continue
            title = match["title"]
            mentioned[name] = Person(
                "mentioned", name, name_to_pinyin(name), title, LEADER_TITLES_EN[title],
                None, None, (paragraph.id,),
            )  # fmt: skip
    return (*people, *mentioned.values())


def _leader_name(text: str) -> str | None:
    """The name just before a leader's title: the three characters if they start with a
    surname, else the last two."""
    if len(text) == 3 and is_name(text):
        return text
    return text[-2:] if is_name(text[-2:]) else None


def _with_paragraph(person: Person, paragraph: str) -> Person:
    return replace(person, paragraphs=(*person.paragraphs, paragraph))
