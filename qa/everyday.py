"""Everyday Chinese words for what government work reports name in their own terms.

People ask in the words they use at home — 孩子上学, 养娃, 工钱, 外国游客, 看病 — and reports write 儿童、入学, 育儿,
工资, 入境游客, 医疗. A question word listed here names the same thing as any of its report words: the support check
(:mod:`.support`) accepts either in the answer's clause, and the missing-word check (:mod:`.answerable`) looks for
either in the named report. Only plain synonyms of general speech, written from how reports name things — never
a narrower or wider word (冰雪旅游 is no 旅游; 物价 is an indicator's name, :mod:`reportqa.index.text.indicators`),
never a place or programme of one report. Keys are words as the segmenter cuts a question (吃低保 is 吃 / 低保).
"""

from __future__ import annotations

import re

SAID_AS: dict[str, tuple[str, ...]] = {
    # people
    "老百姓": ("居民", "群众"),
    "城里人": ("城镇",),
    "城里": ("城镇", "城市"),
    "乡下": ("农村", "乡村"),
    "孩子": ("儿童", "幼儿", "学生", "少年"),
    "小孩": ("儿童", "幼儿"),
    "养娃": ("育儿", "养育"),
    "人家": ("家庭",),
    "老人": ("老年人", "老年", "老龄", "养老"),
    "老外": ("外籍", "入境"),
    "娃娃": ("婴幼儿", "幼儿", "儿童"),
    "小娃娃": ("婴幼儿", "幼儿", "儿童"),
    "老师": ("教师",),
    "外国游客": ("入境游客", "入境"),
    "大学生": ("高校毕业生", "毕业生"),
    "村医": ("乡村医生", "村医"),
    "个体户": ("个体工商户",),
    # work and money
    "公司": ("企业",),
    "上市公司": ("上市企业", "上市公司"),
    "小企业": ("中小企业", "小微企业"),
    "岗位": ("就业",),
    "打工": ("务工", "就业"),
    "工钱": ("工资", "薪酬"),
    "活干": ("就业",),
    "挣钱": ("收入", "增收"),
    "退休金": ("养老金", "基本养老金"),
    "金额": ("额",),
    "农民": ("农民", "农村居民"),
    "医保": ("医疗保险", "医保"),
    "社保": ("社会保险", "社保"),
    "网购": ("网上零售", "网络零售"),
    "外贸": ("进出口", "对外贸易", "外贸"),
    # daily life
    "看病": ("医疗", "就医", "诊疗", "卫生"),
    "上学": ("入学", "就学", "教育", "学位"),
    "幼儿园": ("幼儿园", "学前", "幼儿"),
    "考大学": ("高考",),
    "课本": ("教科书", "教材"),
    "托管": ("托管", "托育", "托位"),
    "房子": ("住房", "房屋", "住宅"),
    "新房子": ("住房", "房屋", "住宅"),
    "家里": ("家庭", "家用"),
    "厕所": ("厕所", "户厕"),
    "养老院": ("养老院", "养老机构", "养老服务机构"),
    "小汽车": ("汽车", "轿车"),
    "停车位": ("停车泊位", "车位", "停车位"),
    "景点": ("景区", "景点"),
    "牲口": ("牲畜",),
    "种地": ("种植", "耕地"),
    "种树": ("造林", "植树", "绿化"),
    "宰杀": ("屠宰",),
    "养猪": ("生猪",),
    "修路": ("公路", "道路"),
    "坐飞机": ("航空", "机场", "旅客"),
    "总长度": ("里程", "总里程", "长度"),
    "死人": ("死亡",),
    # how much, how often, how made
    "每人": ("人均", "每人"),
    "头一回": ("首次",),
    "头一次": ("首次",),
    "翻修": ("改造", "改建", "翻新", "修缮"),
    "翻新": ("改造", "改建", "翻新", "更新"),
    "新盖": ("新建",),
    "新修": ("新建", "改建"),
    "草案": ("草案", "议案"),
    "农牧": ("农牧", "农畜"),
}
"""Everyday words of a question and the reports' words for the same thing (几家本地公司上市 → 上市企业; 新增就业岗位
→ 新增就业 x 万人; 养娃的家庭 → 育儿家庭): either one names the term."""


SAID_IN_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"手里(?:能花)?的钱|挣(?:了|的)?(?:多少)?钱"), "收入"),
    (re.compile(r"新(?:找到|有)(?:活干|工作)"), "新增就业"),
    (re.compile(r"(?:找到|有)(?:活干|工作)"), "就业"),
    (re.compile(r"平均每(?:个)?人|每(?:个)?人平均"), "人均"),
    (re.compile(r"保障房"), "保障性住房"),
    (re.compile(r"家里的?厕所"), "户厕"),
    (re.compile(r"养老钱"), "养老金"),
    (re.compile(r"(?:生孩子|生娃)?(?:养孩子|带孩子|养小孩)"), "养娃"),
    (re.compile(r"加工成(?:商品|产品)"), "加工"),
    (re.compile(r"卖到(?:国外|外国|境外)"), "出口"),
    (re.compile(r"不(?:要|花|收)钱"), "免费"),
    (re.compile(r"空气好的(?:天数|日子)"), "优良天数"),
    (re.compile(r"种(?:了|下)?(?:多少(?:万?亩|公顷)?)?树"), "种树"),
    (re.compile(r"的菜(?=[^\u4e00-\u9fff]|一共|收|产|有|多|要|稳)"), "的蔬菜"),
)
"""Everyday phrases the segmenter cuts into words none of which names the thing alone (手里 / 的 / 钱, 种 / 树, 菜), and
the word they say it with: rewritten in the question before its defining words are read (农村人手里的钱涨了多少 →
农村人收入涨了多少; 种了多少亩树 → 种树 → 造林)."""

NOT_DEFINING = frozenset(
    ["地里", "街上", "出去", "新添", "增到", "涨到", "少收", "多收", "名额", "找到", "拿到", "交给", "交到", "送交",
     "管事", "沾光", "想涨"]
)  # fmt: skip
"""Everyday words that never say which quantity: where (地里, 街上, 出去), how it moved (新添 = 新增, 增到 = 增至,
少收 = 减产), how it is counted (名额: 学位 are places), or how the asker puts it — verbs of finding, getting, giving,
running, benefiting and wanting (找到, 拿到, 交给, 管事, 沾光, 想涨). No defining word (:func:`.support._words`)."""


def said_plainly(text: str) -> str:
    """``text`` with its everyday phrases (:data:`SAID_IN_PHRASES`) in the words that name them."""
    for pattern, word in SAID_IN_PHRASES:
        text = pattern.sub(word, text)
    return text


__all__ = ["NOT_DEFINING", "SAID_AS", "SAID_IN_PHRASES", "said_plainly"]
