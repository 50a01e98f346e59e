"""Region knowledge: the one place that knows China's province-level regions and the national level.

A :class:`Region` names a report's issuing government: its full name as reports write it (``西藏自治区``), its
short form (``西藏``), its level (``national`` / ``province`` / ``city``) and its English and pinyin names
(``Tibet``, ``Xizang``). :data:`REGIONS` holds the 31 province-level regions of the mainland, Hong Kong and
Macao, and the national level (``全国``: also written 国务院, 中华人民共和国, China, national, State Council).
Cities are not tabled: :func:`city_from_title` reads a ``<名>市`` from a report title (``2026年成都市政府工作
报告`` → 成都市 / 成都); the four municipalities (北京, 上海, 天津, 重庆) are provinces.

Why a hand table rather than ``cpca`` / ``jionlp``: those packages carry every prefecture and county (and
``cpca`` pulls pandas); here only the 34 names a report is issued under are needed, plus English and pinyin
forms they do not have.

:func:`find_regions` finds the regions a text names, in order of first mention: Chinese full and short forms
(one left-to-right scan, longest form first, so ``浙江西部`` is 浙江, not 江西) and English / pinyin forms
(case-insensitive, whole words: ``Shanxi`` ≠ ``Shaanxi``). A few river names that run into a region name
(``黄河南岸`` is not 河南) are consumed without a match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

NATIONAL = "national"
PROVINCE = "province"
CITY = "city"


@dataclass(frozen=True)
class Region:
    """A government a report can be issued by."""

    name: str
    """Full name as reports write it: ``西藏自治区``, ``北京市``; ``全国`` for the national level."""
    short: str
    """Short form: ``西藏``, ``北京``, ``全国``."""
    level: str
    """``national``, ``province`` or ``city``."""
    english: tuple[str, ...] = ()
    """English and pinyin names, preferred first (``Tibet``, ``Xizang``); matched case-insensitively."""
    aliases: tuple[str, ...] = ()
    """Other Chinese names that mean this region (``国务院`` for the national level, ``内蒙`` …)."""

    @property
    def chinese_names(self) -> tuple[str, ...]:
        """Every Chinese form, full name first, without repeats."""
        return tuple(dict.fromkeys((self.name, self.short, *self.aliases)))


def _p(name: str, short: str, *english: str, aliases: tuple[str, ...] = ()) -> Region:
    return Region(name, short, PROVINCE, tuple(english), aliases)


NATION = Region(
    "全国",
    "全国",
    NATIONAL,
    ("China", "national", "nationwide", "State Council", "PRC", "People's Republic of China"),
    ("国务院", "中华人民共和国", "中央政府", "中国"),
)

REGIONS: tuple[Region, ...] = (
    NATION,
    _p("北京市", "北京", "Beijing", "Peking"),
    _p("天津市", "天津", "Tianjin"),
    _p("河北省", "河北", "Hebei"),
    _p("山西省", "山西", "Shanxi"),
    _p("内蒙古自治区", "内蒙古", "Inner Mongolia", "Nei Mongol", "Neimenggu", "Nei Menggu", aliases=("内蒙",)),
    _p("辽宁省", "辽宁", "Liaoning"),
    _p("吉林省", "吉林", "Jilin"),
    _p("黑龙江省", "黑龙江", "Heilongjiang"),
    _p("上海市", "上海", "Shanghai"),
    _p("江苏省", "江苏", "Jiangsu"),
    _p("浙江省", "浙江", "Zhejiang"),
    _p("安徽省", "安徽", "Anhui"),
    _p("福建省", "福建", "Fujian"),
    _p("江西省", "江西", "Jiangxi"),
    _p("山东省", "山东", "Shandong"),
    _p("河南省", "河南", "Henan"),
    _p("湖北省", "湖北", "Hubei"),
    _p("湖南省", "湖南", "Hunan"),
    _p("广东省", "广东", "Guangdong", "Canton"),
    _p("广西壮族自治区", "广西", "Guangxi", aliases=("广西自治区",)),
    _p("海南省", "海南", "Hainan"),
    _p("重庆市", "重庆", "Chongqing", "Chungking"),
    _p("四川省", "四川", "Sichuan", "Szechuan", "Szechwan"),
    _p("贵州省", "贵州", "Guizhou"),
    _p("云南省", "云南", "Yunnan"),
    _p("西藏自治区", "西藏", "Tibet", "Xizang", "Tibetan"),
    _p("陕西省", "陕西", "Shaanxi"),
    _p("甘肃省", "甘肃", "Gansu"),
    _p("青海省", "青海", "Qinghai"),
    _p("宁夏回族自治区", "宁夏", "Ningxia", aliases=("宁夏自治区",)),
    _p("新疆维吾尔自治区", "新疆", "Xinjiang", "Sinkiang", aliases=("新疆自治区",)),
    _p("香港特别行政区", "香港", "Hong Kong", "Hongkong", aliases=("香港特区",)),
    _p("澳门特别行政区", "澳门", "Macao", "Macau", aliases=("澳门特区",)),
)
"""The national level first, then the province-level regions in the official order."""

MUNICIPALITIES = frozenset({"北京市", "上海市", "天津市", "重庆市"})

REGION_GROUPS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("长三角三省一市", "长江三角洲", "长三角", "Yangtze River Delta", "Yangtze Delta"),
     ("上海市", "江苏省", "浙江省", "安徽省")),
    (("京津冀", "Jing-Jin-Ji", "Jingjinji"), ("北京市", "天津市", "河北省")),
    (("东北三省", "东三省", "three northeastern provinces"), ("辽宁省", "吉林省", "黑龙江省")),
    (("成渝地区", "成渝", "Chengdu-Chongqing"), ("四川省", "重庆市")),
    (("粤港澳大湾区", "Greater Bay Area"), ("广东省", "香港特别行政区", "澳门特别行政区")),
)
"""Names of groups of province-level regions (长三角 → 上海、江苏、浙江、安徽), and their members in order."""

# River names that run into a region's short form ("黄河南岸" is not 河南, "长江西岸" not 江西).
_BLOCKERS = ("黄河", "长江", "珠江")
# "中国" is the nation in a question ("中国2024年的增长目标"), not in a compound that merely names the country.
_ZHONGGUO_COMPOUND = re.compile(r"中国(?:式|特色|共产党|人民|梦|制造|人|银行|科学院|工程院)")


@dataclass(frozen=True)
class RegionMention:
    """One place a text names a region."""

    region: Region
    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def _tables() -> tuple[re.Pattern[str], dict[str, Region], re.Pattern[str], dict[str, Region]]:
    zh: dict[str, Region] = {}
    en: dict[str, Region] = {}
    for r in REGIONS:
        for n in r.chinese_names:
            zh.setdefault(n, r)
        for e in r.english:
            en.setdefault(_en_key(e), r)
    zh_words = sorted([*zh, *_BLOCKERS], key=len, reverse=True)
    zh_re = re.compile("|".join(map(re.escape, zh_words)))
    en_words = sorted(en, key=len, reverse=True)
    en_re = re.compile(r"(?<![a-z0-9])(" + "|".join(_en_regex(w) for w in en_words) + r")(?![a-z0-9])", re.I)
    return zh_re, zh, en_re, en


def _en_key(s: str) -> str:
    return re.sub(r"[\s\-]+", " ", s.strip().lower())


def _en_regex(word: str) -> str:
    # "Inner Mongolia", "inner-mongolia", "innermongolia"? no: spaces and hyphens are interchangeable
    return r"[\s\-]*".join(re.escape(p) for p in word.split(" "))


def region_mentions(text: str) -> list[RegionMention]:
    """Every mention of a tabled region in ``text``, in text order (Chinese and English forms)."""
    zh_re, zh, en_re, en = _tables()
    out: list[RegionMention] = []
    for m in zh_re.finditer(text):
        word = m.group(0)
        region = zh.get(word)
        if region is None:  # a blocker
            continue
        if word == "中国" and _ZHONGGUO_COMPOUND.match(text, m.start()):
            continue
        out.append(RegionMention(region, m.start(), m.end(), word))
    for m in en_re.finditer(text):
        region = en.get(_en_key(m.group(0)))
        if region is not None:
            out.append(RegionMention(region, m.start(), m.end(), m.group(0)))
    out.sort(key=lambda x: x.start)
    return out


@lru_cache(maxsize=1)
def _group_table() -> tuple[re.Pattern[str], dict[str, tuple[Region, ...]]]:
    by_name = {r.name: r for r in REGIONS}
    table: dict[str, tuple[Region, ...]] = {}
    for names, members in REGION_GROUPS:
        for n in names:
            table[_en_key(n)] = tuple(by_name[m] for m in members)
    words = sorted(table, key=len, reverse=True)
    return re.compile(r"(?<![a-z])(" + "|".join(_en_regex(w) for w in words) + r")(?![a-z])", re.I), table


def group_mentions(text: str) -> list[RegionMention]:
    """Each member of every group of regions ``text`` names (``长三角`` → 上海市, 江苏省, 浙江省, 安徽省), with the
    group word's span, in text order and then member order."""
    pattern, table = _group_table()
    out = []
    for m in pattern.finditer(text):
        for region in table.get(_en_key(m.group(0)), ()):
            out.append(RegionMention(region, m.start(), m.end(), m.group(0)))
    return out


def find_regions(text: str) -> list[Region]:
    """The regions ``text`` names, in order of first mention, without repeats."""
    return list(dict.fromkeys(m.region for m in region_mentions(text)))


def region_by_name(name: str) -> Region | None:
    """The tabled region called ``name`` in any form (``西藏自治区``, ``西藏``, ``Tibet``, ``xizang``, ``国务院``),
    or a city read from a ``<名>市`` name (``成都市``); None when it is none of these."""
    s = name.strip()
    if not s:
        return None
    _, zh, _, en = _tables()
    if s in zh:
        return zh[s]
    key = _en_key(s)
    if key in en:
        return en[key]
    compact = key.replace(" ", "")
    for k, r in en.items():  # "innermongolia", "neimenggu" written without spaces
        if k.replace(" ", "") == compact:
            return r
    return city_from_name(s)


_CITY = re.compile(r"([\u4e00-\u9fff]{1,6}?市)")
_CITY_TITLE = re.compile(
    r"(?:(?:19|20)\d\d\s*年)?\s*([\u4e00-\u9fff]{2,7}?市)(?:人民)?政府工作报告"
)


def city(name: str) -> Region:
    """A city-level region for ``<名>市`` (short form without 市); municipalities give their province."""
    for r in REGIONS:
        if r.name == name:
            return r
    short = name[:-1] if name.endswith("市") and len(name) > 2 else name
    return Region(name, short, CITY)


CITY_ENGLISH: tuple[tuple[str, str], ...] = (
    ("深圳", "Shenzhen"), ("广州", "Guangzhou|Canton"), ("厦门", "Xiamen|Amoy"), ("宁波", "Ningbo"),
    ("青岛", "Qingdao|Tsingtao"), ("大连", "Dalian"), ("石家庄", "Shijiazhuang"), ("太原", "Taiyuan"),
    ("呼和浩特", "Hohhot|Huhehaote"), ("沈阳", "Shenyang"), ("长春", "Changchun"), ("哈尔滨", "Harbin|Haerbin"),
    ("南京", "Nanjing|Nanking"), ("杭州", "Hangzhou"), ("合肥", "Hefei"), ("福州", "Fuzhou"), ("南昌", "Nanchang"),
    ("济南", "Jinan"), ("郑州", "Zhengzhou"), ("武汉", "Wuhan"), ("长沙", "Changsha"), ("南宁", "Nanning"),
    ("海口", "Haikou"), ("成都", "Chengdu"), ("贵阳", "Guiyang"), ("昆明", "Kunming"), ("拉萨", "Lhasa|Lasa"),
    ("西安", "Xi'an|Xian"), ("兰州", "Lanzhou"), ("西宁", "Xining"), ("银川", "Yinchuan"),
    ("乌鲁木齐", "Urumqi|Wulumuqi"), ("苏州", "Suzhou"), ("无锡", "Wuxi"), ("佛山", "Foshan"), ("东莞", "Dongguan"),
    ("温州", "Wenzhou"), ("珠海", "Zhuhai"), ("日喀则", "Shigatse|Rikaze"), ("林芝", "Nyingchi|Linzhi"),
    ("喀什", "Kashgar|Kashi"), ("三亚", "Sanya"), ("烟台", "Yantai"), ("泉州", "Quanzhou"), ("唐山", "Tangshan"),
)
"""English and pinyin names of major cities (provincial capitals, the five separately planned cities and other
large ones), so an English question naming one gets the same scope answer as "深圳市…" does; a city sharing
its name with a province (Jilin) is the province."""


@lru_cache(maxsize=1)
def _city_table() -> tuple[re.Pattern[str], dict[str, Region]]:
    table = {_en_key(e): city(zh + "市") for zh, names in CITY_ENGLISH for e in names.split("|")}
    words = sorted(table, key=len, reverse=True)
    return re.compile(r"(?<![a-z])(" + "|".join(_en_regex(w) for w in words) + r")(?![a-z])", re.I), table


def english_city_mentions(text: str) -> list[RegionMention]:
    """The cities of :data:`CITY_ENGLISH` that ``text`` names in English or pinyin, in text order."""
    pattern, table = _city_table()
    return [RegionMention(table[_en_key(m.group(0))], m.start(), m.end(), m.group(0)) for m in pattern.finditer(text)]


def city_from_name(name: str) -> Region | None:
    """``成都市`` → the city 成都市 / 成都; None unless ``name`` is exactly one ``<名>市``."""
    m = _CITY.fullmatch(name.strip())
    return city(m.group(1)) if m else None


def city_from_title(title: str) -> Region | None:
    """The city a report title names (``2026年成都市政府工作报告`` → 成都市), or None. A tabled region in the
    title (``北京市``) gives that region."""
    m = _CITY_TITLE.search(title)
    if not m:
        return None
    name = m.group(1)
    # "2026年四川省成都市政府工作报告": the city is what comes after the province
    for r in REGIONS:
        if name.startswith(r.name) and len(name) > len(r.name) + 1:
            name = name[len(r.name) :]
            break
    return city(name)


# "<名>市" where a report names its own government: before 第 (dateline: 在成都市第十八届…), 市长 (speaker),
# 人民政府 or 政府工作报告 (title). The name does not start with 年/在 ("2031年示例市…", "在示例市…").
_CITY_IN = re.compile(r"((?![年在])[\u4e00-\u9fff]{2,6}?市)(?:第|市长|人民政府|政府工作报告)")


def city_in(text: str) -> Region | None:
    """The city a title, dateline or speaker's office names as its own (``在成都市第十八届…``), or None."""
    m = _CITY_IN.search(text)
    return city(m.group(1)) if m else None


def english_name(region: Region) -> str:
    """The preferred English name (``Tibet``), or the short Chinese form when none is tabled."""
    return region.english[0] if region.english else region.short
