"""Everyday Chinese words for what government work reports name in their own terms.

People ask in the words they use at home — 孩子上学, 养娃, 工钱, 外国游客, 看病 — and reports write 儿童、入学, 育儿,
工资, 入境游客, 医疗. A question word listed here names the same thing as any of its report words: the support check
(:mod:`.support`) accepts either in the answer's clause, and the missing-word check (:mod:`.answerable`) looks for
either in the named report. Only plain synonyms of general speech, written from how reports name things — never
a narrower or wider word (冰雪旅游 is no 旅游; 物价 is an indicator's name, :mod:`reportqa.index.text.indicators`),
never a place or programme of one report. Keys are words as the segmenter cuts a question (吃低保 is 吃 / 低保).
"""

from __future__ import annotations

SAID_AS: dict[str, tuple[str, ...]] = {
    # people
    "老百姓": ("居民", "群众"),
    "城里人": ("城镇",),
    "城里": ("城镇", "城市"),
    "乡下": ("农村", "乡村"),
    "孩子": ("儿童", "幼儿", "学生", "少年"),
    "小孩": ("儿童", "幼儿"),
    "养娃": ("育儿", "养育"),
    "老人": ("老年人", "老年", "老龄"),
    "老外": ("外籍", "入境"),
    "外国游客": ("入境游客", "入境"),
    "大学生": ("高校毕业生", "毕业生"),
    "村医": ("乡村医生", "村医"),
    "个体户": ("个体工商户",),
    # work and money
    "公司": ("企业",),
    "小企业": ("中小企业", "小微企业"),
    "岗位": ("就业",),
    "打工": ("务工", "就业"),
    "工钱": ("工资", "薪酬"),
    "挣钱": ("收入", "增收"),
    "退休金": ("养老金", "基本养老金"),
    "金额": ("额",),
    "医保": ("医疗保险", "医保"),
    "社保": ("社会保险", "社保"),
    "网购": ("网上零售", "网络零售"),
    "外贸": ("进出口", "对外贸易", "外贸"),
    # daily life
    "看病": ("医疗", "就医", "诊疗", "卫生"),
    "上学": ("入学", "就学", "教育"),
    "房子": ("住房", "房屋"),
    "停车位": ("停车泊位", "车位", "停车位"),
    "景点": ("景区", "景点"),
    "牲口": ("牲畜",),
    "种地": ("种植", "耕地"),
    "养猪": ("生猪",),
    "修路": ("公路", "道路"),
    "坐飞机": ("航空", "机场", "旅客"),
    "总长度": ("里程", "总里程", "长度"),
    "死人": ("死亡",),
}
"""Everyday words of a question and the reports' words for the same thing (几家本地公司上市 → 上市企业; 新增就业岗位
→ 新增就业 x 万人; 养娃的家庭 → 育儿家庭): either one names the term."""


__all__ = ["SAID_AS"]
