"""English → Chinese keywords for questions asked in English about Chinese policy reports.

The multilingual embedder carries an English question to the right paragraph, but within a paragraph its
cosines to the Chinese sentences are too close to pick the sentence that answers ("GDP" vs "consumer
prices"), and Chinese BM25 gets nothing from English words. A small glossary of the vocabulary common to
Chinese government work reports and plans (economy, livelihood, infrastructure, ecology, governance — no
place or programme names of any particular report) maps English phrases to the Chinese words reports use;
English and pinyin region names come from :mod:`reportqa.index.text.regions` (the one region table).
The Chinese words then go through the same tokenizer as the documents.
"""

from __future__ import annotations

import re
from functools import lru_cache

from reportqa.index.text.indicators import builtin
from reportqa.index.text.regions import region_mentions

_CJK = re.compile(r"[\u3400-\u9fff]")

GLOSSARY: dict[str, tuple[str, ...]] = {
    # economy
    "gdp": ("地区生产总值", "生产总值"),
    "gross domestic product": ("地区生产总值", "生产总值"),
    "economic output": ("生产总值",),
    "economy": ("经济",),
    "economic": ("经济",),
    "residents": ("居民",),
    "per capita": ("人均",),
    "per-capita": ("人均",),
    "disposable income": ("可支配收入",),
    "income": ("收入",),
    "fixed-asset investment": ("固定资产投资",),
    "fixed asset investment": ("固定资产投资",),
    "investment": ("投资",),
    "retail sales": ("零售总额",),
    "consumer goods": ("消费品",),
    "consumption": ("消费",),
    "consumer prices": ("居民消费价格",),
    "consumer price": ("居民消费价格",),
    "cpi": ("居民消费价格",),
    "imports and exports": ("进出口",),
    "foreign trade": ("进出口", "外贸"),
    "exports": ("出口",),
    "imports": ("进口",),
    "unemployment": ("失业",),
    "employment": ("就业",),
    "jobs": ("就业",),
    "industrial": ("工业",),
    "industry": ("产业",),
    "industries": ("产业",),
    "digital economy": ("数字经济",),
    "enterprises": ("企业",),
    "enterprise": ("企业",),
    "companies": ("企业",),
    "firms": ("企业",),
    "going public": ("上市",),
    "listed": ("上市",),
    "listing": ("上市",),
    "fiscal": ("财政",),
    "budget": ("预算", "财政"),
    "revenue": ("收入",),
    "tax": ("税",),
    "taxes": ("税",),
    "special bonds": ("专项债",),
    "bonds": ("债",),
    "debt": ("债务",),
    "financial": ("金融",),
    "finance": ("金融",),
    "loans": ("贷款",),
    "tourism": ("旅游",),
    "trips": ("人次",),
    "market entities": ("经营主体", "市场主体"),
    "business environment": ("营商环境",),
    # agriculture and rural areas
    "farmland": ("农田",),
    "high-standard farmland": ("高标准农田",),
    "agriculture": ("农业",),
    "agricultural": ("农业",),
    "farmers": ("农民", "农牧民", "农村居民"),
    "herders": ("牧民", "农牧民"),
    "rural revitalization": ("乡村振兴",),
    "rural": ("农村", "乡村"),
    "marine economy": ("海洋经济", "海洋生产总值"),
    "ocean economy": ("海洋经济", "海洋生产总值"),
    "aquaculture": ("养殖",),
    "balance of payments": ("国际收支",),
    "villages": ("村",),
    "village": ("村",),
    "cooperatives": ("合作社",),
    "cooperative": ("合作社",),
    "poverty": ("贫困", "脱贫"),
    # cities, infrastructure, energy
    "urban": ("城镇", "城市"),
    "city dwellers": ("城镇", "城市"),
    "city dweller": ("城镇", "城市"),
    "town dwellers": ("城镇", "城市"),
    "rural dwellers": ("农村", "乡村"),
    "country dwellers": ("农村", "乡村"),
    "towns": ("城镇",),
    "cities": ("城市",),
    "old residential": ("老旧小区",),
    "residential": ("小区", "住宅"),
    "housing": ("住房",),
    "renovated": ("改造",),
    "renovate": ("改造",),
    "renovation": ("改造",),
    "highway": ("公路",),
    "highways": ("公路",),
    "roads": ("公路", "道路"),
    "road": ("公路", "道路"),
    "railway": ("铁路",),
    "railways": ("铁路",),
    "logistics": ("物流",),
    "electricity": ("电力", "电"),
    "power grid": ("电网",),
    "installed capacity": ("装机",),
    "clean energy": ("清洁能源",),
    "energy": ("能源",),
    "solar": ("光伏", "光热"),
    "charging": ("充电",),
    "water": ("水",),
    "irrigation": ("灌溉",),
    "reservoir": ("水库",),
    # livelihood and public services
    "education": ("教育",),
    "schools": ("学校",),
    "school": ("学校",),
    "preschool": ("学前",),
    "vocational": ("职业教育",),
    "university": ("大学",),
    "universities": ("高校", "大学"),
    "health": ("卫生", "健康"),
    "medical": ("医疗",),
    "medical insurance": ("医保", "医疗保险"),
    "hospital": ("医院",),
    "patients": ("患者", "病人"),
    "patient": ("患者", "病人"),
    "disease": ("疾病", "病"),
    "diseases": ("疾病", "病"),
    "treatment": ("治疗", "救治"),
    "treated": ("治疗", "救治"),
    "pension": ("养老",),
    "pensions": ("养老",),
    "elderly": ("老年", "养老"),
    "childcare": ("托育",),
    "social security": ("社会保障", "社保"),
    "insurance": ("保险",),
    "minimum living allowance": ("低保",),
    "livelihood": ("民生",),
    "culture": ("文化",),
    "cultural": ("文化",),
    "heritage": ("遗产",),
    "sports": ("体育",),
    # ecology
    "ecological": ("生态",),
    "ecology": ("生态",),
    "environment": ("环境",),
    "environmental": ("环境",),
    "afforestation": ("造林",),
    "forest": ("森林", "林"),
    "air quality": ("空气质量",),
    "national park": ("国家公园",),
    "national parks": ("国家公园",),
    "protected area": ("自然保护地", "保护地", "保护区"),
    "protected areas": ("自然保护地", "保护地", "保护区"),
    "nature reserve": ("自然保护区", "保护区"),
    "nature reserves": ("自然保护区", "保护区"),
    "carbon": ("碳",),
    "pollution": ("污染",),
    # opening up, governance
    "border trade": ("边贸",),
    "border": ("边境",),
    "opening up": ("开放",),
    "reform": ("改革",),
    "reforms": ("改革",),
    "innovation": ("创新",),
    "technology": ("科技",),
    "science": ("科技", "科学"),
    "research": ("研发", "科研"),
    "talent": ("人才",),
    "talents": ("人才",),
    "ethnic unity": ("民族团结",),
    "rule of law": ("法治",),
    "law": ("法",),
    "safety": ("安全",),
    "security": ("安全",),
    "stability": ("稳定",),
    "emergency": ("应急",),
    "disaster": ("灾害",),
    "earthquake": ("地震",),
    "delivered": ("作",),
    "people's congress": ("人民代表大会",),
    "session": ("会议",),
    "target": ("目标",),
    "targets": ("目标",),
    "projects": ("项目",),
    "project": ("项目",),
    # terms of the reports' target and result sentences (the indicators' own names come from
    # reportqa.index.text.indicators, see entries())
    "value added": ("增加值",),
    "added value": ("增加值",),
    "above designated size": ("规模以上", "规上"),
    "industry above designated size": ("规模以上工业", "规上工业"),
    "industrial enterprises above designated size": ("规模以上工业企业", "规上工业"),
    "grain output": ("粮食产量",),
    "grain production": ("粮食产量", "粮食生产"),
    "energy consumption": ("能耗",),
    "per unit of gdp": ("单位国内生产总值", "单位地区生产总值"),
    "carbon dioxide emissions": ("二氧化碳排放",),
    "emissions": ("排放",),
    "deficit": ("赤字",),
    "special-purpose bonds": ("专项债券", "专项债"),
    "special treasury bonds": ("特别国债",),
    "treasury bonds": ("国债",),
    "urbanization": ("城镇化",),
    "urbanization rate": ("城镇化率",),
    "permanent residents": ("常住人口",),
    "research and development": ("研发",),
    "r&d": ("研发",),
    "high-tech enterprises": ("高新技术企业",),
    "foreign investment": ("外资",),
    "foreign capital": ("外资",),
    "private investment": ("民间投资",),
    "real estate": ("房地产",),
    "affordable housing": ("保障性住房",),
    "urban villages": ("城中村",),
    "shantytowns": ("棚户区",),
    "basic pension": ("基本养老金",),
    "minimum wage": ("最低工资",),
    "forest coverage": ("森林覆盖率",),
    "converted back to forest": ("退耕还林",),
    "returned to forest": ("退耕还林",),
    "grain for green": ("退耕还林",),
    "good air quality": ("优良天数", "空气质量优良"),
    "low-altitude economy": ("低空经济",),
    "artificial intelligence": ("人工智能",),
    "new quality productive forces": ("新质生产力",),
    "high-quality development": ("高质量发展",),
    "trade-in": ("以旧换新",),
    "equipment upgrades": ("设备更新",),
    "private sector": ("民营经济",),
    "private economy": ("民营经济",),
    "state-owned enterprises": ("国有企业",),
    "belt and road": ("一带一路",),
    "free trade zone": ("自由贸易试验区", "自贸试验区"),
    "free trade port": ("自由贸易港",),
    "service sector": ("服务业",),
    "services": ("服务业",),
    "manufacturing": ("制造业",),
    "strategic emerging industries": ("战略性新兴产业",),
    "expressway": ("高速公路",),
    "expressways": ("高速公路",),
    "high-speed rail": ("高铁", "高速铁路"),
    "rail transit": ("轨道交通",),
    "metro": ("轨道交通", "地铁"),
    "water conservancy": ("水利",),
    "child-rearing subsidies": ("育儿补贴",),
    "childcare subsidies": ("育儿补贴",),
    "hong kong": ("香港",),
    "macao": ("澳门",),
    "taiwan": ("台湾",),
    "national defense": ("国防",),
    "goal": ("目标",),
    "goals": ("目标",),
    "subsistence allowance": ("低保",),
    "subsistence allowances": ("低保",),
    "profit": ("利润",),
    "profits": ("利润",),
    "balance": ("余额",),
    "floor space": ("面积",),
    "leasing": ("租赁",),
    "business services": ("商务服务",),
    "home port": ("母港",),
    "provincial state-owned enterprises": ("省属企业", "省属国有企业", "省属国企"),
    # words that head the figure clauses of many reports (counted over the corpus: bench/RESULTS-trust.md, stop 33)
    "share": ("比重", "占比", "占全国", "占全省"),  # 棉花总产…、占全国92.8%
    "proportion": ("比重", "比例", "占比"),
    "ratio": ("比例", "比率"),
    "length": ("里程", "长度"),
    "mileage": ("里程",),
    "turnover": ("成交额", "交易额"),
    "transaction value": ("成交额", "交易额"),
    "transactions": ("成交", "交易"),
    "output value": ("产值",),
    "gross output value": ("总产值",),
    "contribution rate": ("贡献率",),
    "open to traffic": ("通车",),
    "opened to traffic": ("通车",),
    "water quality": ("水质",),
    "training": ("培训",),
    "trained": ("培训", "培养"),
    "assistance": ("救助", "资助"),
    "relief": ("救助", "救灾"),
    "labor force": ("劳动力",),
    "labour force": ("劳动力",),
    "financing": ("融资",),
    "foreign exchange earnings": ("创汇", "外汇收入"),
    "foreign-exchange earnings": ("创汇", "外汇收入"),
    "foreign exchange reserves": ("外汇储备",),
    "foreign-exchange reserves": ("外汇储备",),
    "coverage rate": ("覆盖率", "普及率"),
    "penetration rate": ("普及率", "渗透率"),
    "enrollment rate": ("入学率",),
    "enrolment rate": ("入学率",),
    "gross enrollment rate": ("毛入学率",),
    "gross enrolment rate": ("毛入学率",),
    "water supply": ("供水",),
    "labor productivity": ("劳动生产率",),
    "labour productivity": ("劳动生产率",),
    "satisfaction": ("满意率", "满意度"),
    "satisfaction rate": ("满意率", "满意度"),
    "resolution rate": ("解决率",),
    "sales": ("销售额", "销售", "零售额"),
    "tax revenue": ("税收",),
    "tax revenues": ("税收",),
    "beautiful": ("美丽",),
    "e-commerce": ("电子商务", "电商"),
    "online retail": ("网上零售", "网络零售"),
    "heating": ("供热", "供暖"),
    "electricity prices": ("电价",),
    "power prices": ("电价",),
    "fuel": ("燃油", "成品油", "油"),
    "fuel prices": ("油价", "成品油价格"),
    "water-saving": ("节水",),
    "water saving": ("节水",),
    "users": ("用户",),
    "subscribers": ("用户",),
    "operating revenue": ("营业收入", "营收"),
    "arable land": ("耕地",),
    "cultivated land": ("耕地",),
    "wastewater": ("污水",),
    "sewage": ("污水",),
    "garbage": ("垃圾",),
    "household waste": ("生活垃圾", "垃圾"),
    "dilapidated houses": ("危房", "危旧房"),
    "concentration": ("浓度",),
    "workers": ("职工", "工人", "劳动者"),
    "employees": ("职工", "员工"),
    "migrant workers": ("农民工",),
    "graduates": ("毕业生",),
    "college graduates": ("高校毕业生",),
    "school places": ("学位",),
    "high school": ("高中",),
    "high schools": ("高中",),
    "foreign-invested": ("外商投资", "外资"),
    "agricultural products": ("农产品",),
    "rivers and lakes": ("河湖",),
    "vocational skills": ("职业技能",),
    "throughput": ("吞吐量",),
    "disabled": ("残疾人",),
    "disabilities": ("残疾人",),
    "spending": ("花费", "支出", "消费"),
    "expenditure": ("支出",),
    "expenditures": ("支出",),
    "funds": ("资金", "基金"),
    "funding": ("资金", "经费"),
    "central government": ("中央",),
    "central budget": ("中央预算", "中央财政"),
    "pilot": ("试点",),
    "pilots": ("试点",),
    "platforms": ("平台",),
    "land": ("土地", "用地"),
    "industrial land": ("工业用地",),
    "regulations": ("法规", "规章", "条例"),
    "administrative regulations": ("行政法规",),
    "laws": ("法律",),
    "draft laws": ("法律草案", "法规草案", "法规议案", "草案"),
    "standing committee": ("常委会", "常务委员会"),
    "scenic spots": ("景区", "景点"),
    "tourist spots": ("景区", "景点"),
    "deputies": ("代表",),
    "proposals": ("提案", "建议", "议案"),
    "motions": ("议案",),
    "little giant": ("小巨人",),
    "little giants": ("小巨人",),
    "specialized and sophisticated": ("专精特新",),
    "clusters": ("集群",),
    "demonstration zones": ("示范区",),
    "bases": ("基地",),
    "communities": ("社区",),
    "counties": ("县",),
    "county": ("县",),
    "population": ("人口",),
    "maternal mortality": ("孕产妇死亡率",),
    "infant mortality": ("婴儿死亡率",),
    "compulsory education": ("义务教育",),
    "years of schooling": ("受教育年限",),
    "greening": ("绿化",),
    "green space": ("绿地", "绿化"),
    "soil erosion": ("水土流失",),
    "electricity consumption": ("用电量", "电量"),
    "power consumption": ("用电量", "电量"),
    "trade": ("贸易", "进出口"),
    "trade surplus": ("顺差",),
    "foreign direct investment": ("外商直接投资", "外资"),
    "fdi": ("外商直接投资", "外资"),
    "utilized foreign capital": ("利用外资", "使用外资"),
    "outbound investment": ("对外投资",),
    "money supply": ("货币供应量",),
    "broad money": ("广义货币",),
    "m2": ("M2", "广义货币"),
    "interest rates": ("利率",),
    "wages": ("工资",),
    "salaries": ("工资",),
    "retirees": ("退休人员",),
    "rural roads": ("农村公路",),
    "internet": ("互联网", "网络"),
    "gigabit": ("千兆",),
    "patents": ("专利",),
    "invention patents": ("发明专利",),
    "technology contracts": ("技术合同",),
    "technology transactions": ("技术合同", "技术交易"),
    "private enterprises": ("民营企业",),
    "smes": ("中小企业",),
    "small and medium-sized enterprises": ("中小企业",),
    "tax cuts": ("减税",),
    "fee cuts": ("降费",),
    "general public budget": ("一般公共预算",),
    "transfer payments": ("转移支付",),
    "local government": ("地方政府",),
    "relocation": ("搬迁",),
    "relocated": ("搬迁",),
    "ethnic": ("民族",),
    "tourism revenue": ("旅游收入",),
    "inbound": ("入境",),
    "expo": ("博览会", "博会"),
    "reserves": ("储备",),
    "mechanization": ("机械化",),
    "urban renewal": ("城市更新",),
    "public transport": ("公共交通", "公交"),
    "household registration": ("户籍", "落户"),
    "urban residency": ("落户", "城镇户籍"),
    "back streets": ("背街小巷",),
    "alleys": ("小巷", "背街小巷"),
    "medical institutions": ("医疗机构",),
    "veterans": ("退役军人",),
    "housing provident fund": ("住房公积金",),
    "rental housing": ("租赁住房",),
    "commercial housing": ("商品房",),
    "capacity": ("能力", "产能"),
    "switching capacity": ("交换机容量",),
    "completion rate": ("建成率", "完成率"),
    "production capacity": ("生产能力", "产能"),
    "eliminated": ("淘汰",),
    "outdated": ("落后",),
    "overcapacity": ("过剩产能",),
    "soil": ("土壤",),
    "environmental quality": ("环境质量",),
    "price level": ("物价总水平", "物价"),
    "exchange rate": ("汇率",),
    "rmb": ("人民币",),
    "renminbi": ("人民币",),
    "overall price level": ("物价总水平", "物价"),
    "pollutants": ("污染物",),
    "pollutant": ("污染物",),
    "major pollutants": ("主要污染物",),
    "major pollutant": ("主要污染物",),
    "consumer goods industries": ("生活资料工业", "轻工业", "消费品工业"),
    "consumer-goods industries": ("生活资料工业", "轻工业", "消费品工业"),
    "capital goods": ("生产资料",),
    "living standards": ("生活水平",),
    "living standard": ("生活水平",),
    "standard of living": ("生活水平",),
    "standards of living": ("生活水平",),
    "indicators": ("指标",),
    "indicator": ("指标",),
    # English words for list items of the reports (bench/RESULTS-trust-enum.md, stop 38)
    "satisfied": ("满意率", "满意度", "满意"),
    "suggestions": ("建议",),
    "retention rate": ("巩固率",),
    "contract value": ("合同额", "合同金额"),
    "contracts": ("合同",),
    "signed": ("签约",),
    "domestic capital": ("内资",),
    "foreign exchange": ("外汇", "创汇"),
    "net income": ("纯收入", "净收入"),
    "ministry-level": ("部级",),
    "ministerial-level": ("部级",),
    "ministerial": ("部级",),
    "tech-based": ("科技型",),
    "technology-based": ("科技型",),
    "small and medium-sized": ("中小企业", "中小"),
    "small and medium": ("中小企业", "中小"),
    "specialized, refined, distinctive and innovative": ("专精特新",),
    "specialized, sophisticated, distinctive and innovative": ("专精特新",),
    "double-track": ("复线",),
    "electrified": ("电气化",),
    "green": ("绿色",),
    "institutions": ("机构",),
    "requests": ("诉求",),
    "resolved": ("解决率", "解决"),
    "sort": ("分类",),
    "sorting": ("分类",),
    "administrative villages": ("行政村",),
    "general spending": ("一般性支出",),
    "general expenditure": ("一般性支出",),
}


_ORDINAL_EN = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
               "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth")  # fmt: skip
_ORDINAL_ZH = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五")


def _five_year_plans() -> dict[str, tuple[str, ...]]:
    """The five-year plans by number ("the 14th Five-Year Plan", "the fourteenth five year plan") → the reports'
    names for them (十四五, 十四五规划; 六五计划 before the 11th, a 规划 from it on)."""
    out: dict[str, tuple[str, ...]] = {"five-year plan": ("五年规划", "五年计划")}
    for n, (en, zh) in enumerate(zip(_ORDINAL_EN, _ORDINAL_ZH, strict=True), start=1):
        names = (f"{zh}五", f"{zh}五规划" if n >= 11 else f"{zh}五计划")
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(n if n < 20 else n % 10, "th")
        for form in (en, f"{n}{suffix}"):
            out[f"{form} five-year plan"] = out[f"{form} five year plan"] = names
    return out


GLOSSARY.update(_five_year_plans())


ITEMS: dict[str, tuple[str, ...]] = {
    # crops, livestock and food
    "grain": ("粮食",),
    "food": ("粮食", "食品"),
    "rice": ("水稻", "稻谷", "大米", "稻"),
    "wheat": ("小麦",),
    "corn": ("玉米",),
    "maize": ("玉米",),
    "soybeans": ("大豆",),
    "soybean": ("大豆",),
    "potatoes": ("马铃薯", "土豆"),
    "potato": ("马铃薯", "土豆"),
    "cotton": ("棉花", "棉"),
    "oilseeds": ("油料", "油菜"),
    "oil crops": ("油料",),
    "rapeseed": ("油菜",),
    "sugarcane": ("甘蔗", "糖料蔗"),
    "sugar": ("糖",),
    "vegetables": ("蔬菜",),
    "fruit": ("水果", "果"),
    "fruits": ("水果", "果"),
    "berries": ("浆果",),
    "tea": ("茶叶", "茶产业", "茶园"),
    "coffee": ("咖啡",),
    "flowers": ("花卉", "鲜切花"),
    "mushrooms": ("食用菌", "菌"),
    "edible fungi": ("食用菌",),
    "tobacco": ("烟叶", "烟草"),
    "rubber": ("橡胶",),
    "meat": ("肉",),
    "pork": ("猪肉", "生猪"),
    "pigs": ("生猪", "猪"),
    "hogs": ("生猪", "猪"),
    "beef": ("牛肉", "肉牛"),
    "cattle": ("牛",),
    "sheep": ("羊",),
    "mutton": ("羊肉", "羊"),
    "yaks": ("牦牛",),
    "yak": ("牦牛",),
    "poultry": ("禽",),
    "eggs": ("蛋",),
    "milk": ("奶", "乳"),
    "dairy": ("奶", "乳"),
    "livestock": ("畜牧", "牲畜", "畜"),
    "fish": ("渔", "鱼", "水产"),
    "fishery": ("渔业", "水产"),
    "fisheries": ("渔业", "水产"),
    "aquatic products": ("水产品", "水产"),
    "seafood": ("水产", "海产"),
    "timber": ("木材",),
    "seeds": ("种业", "种子"),
    "seed industry": ("种业",),
    "fertilizer": ("化肥",),
    "fertilizers": ("化肥",),
    "chemical fertilizer": ("化肥",),  # not the chemical industry (化工) and fertilizer
    "chemical fertilizers": ("化肥",),
    "pesticides": ("农药",),
    "farm machinery": ("农机",),
    "seawater": ("海水",),
    # niches of the economy
    "marine": ("海洋",),
    "low-altitude": ("低空",),
    # energy, minerals and materials
    "coal": ("煤",),
    "crude oil": ("原油", "石油"),
    "oil": ("石油", "原油", "油"),
    "natural gas": ("天然气",),
    "gas": ("天然气", "燃气"),
    "hydrogen": ("氢能", "氢"),
    "nuclear power": ("核电",),
    "wind power": ("风电",),
    "offshore wind": ("海上风电",),
    "photovoltaic": ("光伏",),
    "hydropower": ("水电",),
    "power generation": ("发电",),
    "lithium": ("锂",),
    "steel": ("钢",),
    "iron": ("铁",),
    "aluminium": ("铝",),
    "aluminum": ("铝",),
    "copper": ("铜",),
    "gold": ("黄金",),
    "silver": ("白银",),
    "nickel": ("镍",),
    "rare earth": ("稀土",),
    "rare earths": ("稀土",),
    "cement": ("水泥",),
    "glass": ("玻璃",),
    "chemicals": ("化工", "化学品"),
    "petrochemicals": ("石化", "石油化工"),
    "petrochemical": ("石化", "石油化工"),
    "mines": ("矿山", "矿"),
    "rocky desertification": ("石漠化",),
    "new materials": ("新材料",),
    # manufactured goods and digital
    "integrated circuits": ("集成电路", "芯片"),
    "integrated circuit": ("集成电路", "芯片"),
    "chips": ("芯片", "集成电路"),
    "semiconductors": ("半导体", "芯片", "集成电路"),
    "smartphones": ("手机",),
    "smartphone": ("手机",),
    "mobile phones": ("手机",),
    "computers": ("计算机", "电脑"),
    "robots": ("机器人",),
    "industrial robots": ("工业机器人",),
    "cars": ("汽车",),
    "automobiles": ("汽车",),
    "vehicles": ("汽车", "车"),
    "new energy vehicles": ("新能源汽车",),
    "batteries": ("电池",),
    "ships": ("船舶", "船"),
    "shipbuilding": ("造船", "船舶"),
    "aircraft": ("飞机", "航空器"),
    "drones": ("无人机",),
    "textiles": ("纺织",),
    "garments": ("服装",),
    "apparel": ("服装",),
    "furniture": ("家具",),
    "home appliances": ("家电",),
    "appliances": ("家电",),
    "software": ("软件",),
    "pharmaceuticals": ("医药", "药品"),
    "medicines": ("药品", "医药"),
    "drug": ("药品", "毒品", "涉毒", "药"),
    "drugs": ("药品", "毒品", "涉毒", "药"),
    "biomedicine": ("生物医药",),
    "data centers": ("数据中心",),
    "computing power": ("算力",),
    "5g base stations": ("5G基站",),
    "base stations": ("基站",),
    "broadband": ("宽带",),
    "telecom": ("电信",),
    "telecommunications": ("电信",),
    # transport and infrastructure
    "airport": ("机场",),
    "airports": ("机场",),
    "ports": ("港口", "口岸", "港"),
    "port": ("港口", "口岸", "港"),
    "containers": ("集装箱",),
    "container": ("集装箱",),
    "cargo": ("货物", "货运", "货邮"),
    "freight": ("货运", "货物"),
    "passengers": ("旅客", "客运"),
    "passenger": ("旅客", "客运"),
    "cruise": ("邮轮",),
    "cruise ships": ("邮轮",),
    "flights": ("航班", "航线"),
    "air routes": ("航线",),
    "subway": ("地铁", "轨道交通"),
    "bridges": ("桥",),
    "tunnels": ("隧道",),
    "pipelines": ("管网", "管道"),
    "pipes": ("管网", "管道"),
    "freight trains": ("班列",),
    "china-europe": ("中欧",),
    # people and services
    "tourists": ("游客", "旅游", "入境游"),
    "tourist": ("游客", "旅游", "入境游"),
    "visitors": ("游客", "旅游", "入境游"),
    "foreign visitors": ("入境游客", "入境"),
    "foreign tourists": ("入境游客", "入境"),
    "overseas visitors": ("入境游客", "入境"),
    "overseas tourists": ("入境游客", "入境"),
    "inbound visitors": ("入境游客", "入境"),
    "inbound tourists": ("入境游客", "入境"),
    "ice-and-snow": ("冰雪",),
    "ice and snow": ("冰雪",),
    "students": ("学生", "在校生", "学员"),
    "teachers": ("教师",),
    "kindergartens": ("幼儿园", "学前", "入园"),
    "per student": ("生均",),
    "per pupil": ("生均",),
    "hospitals": ("医院",),
    "hospital beds": ("床位",),
    "beds": ("床位",),
    "doctors": ("医生", "医师"),
    "nursing homes": ("养老机构", "养老院"),
    "toilets": ("厕所", "户厕"),
    "toilet": ("厕所", "户厕"),
    "tap water": ("自来水",),
    "police": ("警情", "公安"),
    "crimes": ("刑事", "犯罪", "案件"),
    "fraud": ("诈骗", "涉诈"),
    "anti-fraud": ("反诈", "诈骗", "涉诈"),
    "consulate": ("领事机构", "领事馆", "领事"),
    "consulates": ("领事机构", "领事馆", "领事"),
    "village doctors": ("乡村医生", "村医"),
    "village doctor": ("乡村医生", "村医"),
    "accidents": ("事故",),
    "deaths": ("死亡人数", "死亡", "亡人"),  # 事故起数和死亡人数: the deaths, not the accidents; 亡人事故
    "death toll": ("死亡人数", "死亡", "亡人"),
    "fires": ("火灾",),
    "parks": ("公园",),
    "industrial parks": ("工业园区", "园区"),
    "development zones": ("开发区", "经开区"),
    "economic and technological development zones": ("经济技术开发区", "经开区"),
    # trading partners
    "eu": ("欧盟",),
    "european union": ("欧盟",),
    "asean": ("东盟",),
    "africa": ("非洲",),
    "latin america": ("拉美", "拉丁美洲"),
    "russia": ("俄罗斯", "对俄", "中俄"),
    "central asia": ("中亚",),
    "europe": ("欧洲",),
    "united states": ("美国",),
    "japan": ("日本",),
    "south korea": ("韩国",),
    # kinds of schooling and of industry a report lists side by side (中、高等职业教育; 战略性新兴产业、高新技术产业)
    "higher vocational": ("高等职业", "高职"),
    "secondary vocational": ("中等职业", "中职"),
    "higher education": ("高等教育",),
    "high-tech industries": ("高新技术产业", "高技术产业"),
    "high-tech industry": ("高新技术产业", "高技术产业"),
    "high-tech manufacturing": ("高技术制造业",),
    # environment
    "sulfur dioxide": ("二氧化硫",),
    "sulphur dioxide": ("二氧化硫",),
    "nitrogen oxides": ("氮氧化物",),
    "chemical oxygen demand": ("化学需氧量",),
    "ammonia nitrogen": ("氨氮",),
    "fine particulate": ("细颗粒物", "PM2.5"),
    "pm2.5": ("PM2.5", "细颗粒物"),
    "wetland": ("湿地",),
    "wetlands": ("湿地",),
    "grassland": ("草原",),
    "grasslands": ("草原",),
    "desertification": ("沙化", "荒漠化"),
    "rivers": ("河",),
    "lakes": ("湖",),
    "bays": ("海湾",),
    "nearshore": ("近岸",),
    "coastal waters": ("近岸海域",),
    "surface water": ("地表水",),
    # more things reports count (stop 33)
    "elevators": ("电梯",),
    "energy storage": ("储能",),
    "raw coal": ("原煤",),
    "crude steel": ("粗钢",),
    "parking spaces": ("停车位", "车位"),
    "charging piles": ("充电桩",),
    "charging stations": ("充电站", "充电桩"),
    "berths": ("泊位",),
    "buses": ("公交",),
    "express delivery": ("快递",),
    "parcels": ("快递", "包裹"),
    "laboratories": ("实验室",),
    "labs": ("实验室",),
    "factories": ("工厂",),
    "classrooms": ("教室",),
    "textbooks": ("教科书", "课本", "教材"),
    "solar cells": ("太阳能电池",),
    "postgraduates": ("研究生",),
    "postgraduate": ("研究生",),
    "undergraduates": ("本科",),
    "disease control": ("疾病预防控制", "疾控"),
    "nurseries": ("托位", "托育"),
    "hotline": ("热线",),
    "rail": ("铁路", "轨道"),
    "waterways": ("航道",),
    "electrolytic aluminium": ("电解铝", "铝"),
    "electrolytic aluminum": ("电解铝", "铝"),
    "flat glass": ("平板玻璃", "玻璃"),
    "flat-glass": ("平板玻璃", "玻璃"),
}
"""The things reports count (crops, livestock, minerals, goods, vehicles, facilities, people, trading partners,
pollutants, niches of the economy: marine, low-altitude, cruise, ice-and-snow) and the Chinese words reports
name them by: an English question naming one of them asks about that
thing, so its clause must name it too (:func:`is_item`, :mod:`.glossary_terms`). The words of :data:`GLOSSARY`
(economy, income, investment, industry…) only approximate what a report calls a quantity and bind nothing."""


@lru_cache(maxsize=1)
def entries() -> dict[str, tuple[str, ...]]:
    """The glossary: :data:`GLOSSARY` plus every indicator's English names → its first Chinese names
    (:mod:`reportqa.index.text.indicators`, the one indicator vocabulary); a phrase of :data:`GLOSSARY` keeps its
    own words."""
    out: dict[str, tuple[str, ...]] = {}
    for ind in builtin().indicators:
        names = ind.zh[:INDICATOR_NAMES]
        # "地区生产总值增长" also as "地区生产总值": reports write the figure's name apart from its growth
        zh = tuple(dict.fromkeys([*names, *(n[: -len("增长")] for n in names if n.endswith("增长"))]))
        for en in ind.en:
            out.setdefault(en.lower(), zh)
    out.update(GLOSSARY)
    out.update(ITEMS)
    return out


INDICATOR_NAMES = 3
"""Chinese names of an indicator an English name of it brings to the keyword search (the preferred first)."""


def _singular(phrase: str) -> str | None:
    """``phrase`` with its last word made singular (vegetables → vegetable, subsidies → subsidy, taxes → tax); None
    when that word is no plural (-ss, -us, short words) or nothing changes."""
    head, _, last = phrase.rpartition(" ")
    if len(last) <= 3 or not last.endswith("s") or last.endswith(("ss", "us", "is")):
        return None
    if last.endswith("ies"):
        one = last[:-3] + "y"
    elif last.endswith(("ches", "shes", "xes", "sses")):
        one = last[:-2]
    else:
        one = last[:-1]
    return f"{head} {one}" if head else one


_OTHER_SINGULARS = frozenset(["park", "fire", "bed", "death", "potatoe", "buse", "united state", "mine"])
"""Singulars that name something else before another noun (an industrial park is no 公园, fire safety no 火灾) or
are no words."""


_BRITISH: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(a), b)
    for a, b in (
        (r"(?<=[a-z]{3})iz(?=e\b|ed\b|es\b|ing\b|ations?\b|ers?\b)", "is"),  # urbanization, fertilizer, utilized
        (r"(?<=[a-z])(cent|met|lit)er(?=s?\b)", r"\1re"),  # center, kilometer, liter
        (r"\b(labo|harbo|colo|neighbo)r(?=s?\b)", r"\1ur"),
        (r"\baging\b", "ageing"),
        (r"\benrollment\b", "enrolment"),
        (r"\bdefense\b", "defence"),
        (r"\bprogram\b", "programme"),
    )
)
"""American spellings and their British forms (the glossary is written in American spelling)."""


def british(phrase: str) -> str:
    """``phrase`` in British spelling (urbanization rate → urbanisation rate, fertilizer → fertiliser)."""
    for pattern, repl in _BRITISH:
        phrase = pattern.sub(repl, phrase)
    return phrase


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    """Other ways to write a phrase → the phrase: a plural thing of :data:`ITEMS` written in the singular (vegetable
    → vegetables: one vegetable is asked as often as vegetables; only things counted, a general word's singular may
    mean another thing: services 服务业, a citizen service hotline), and any phrase in British spelling
    (fertiliser → fertilizer, urbanisation rate → urbanization rate: :func:`british`)."""
    known = entries()
    out: dict[str, str] = {}
    for p in ITEMS:
        one = _singular(p)
        if one is not None and one not in known and one not in _OTHER_SINGULARS:
            out.setdefault(one, p)
    for p in known:
        uk = british(p)
        if uk != p and uk not in known:
            out.setdefault(uk, p)
    return out


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    phrases = sorted([*entries(), *_aliases()], key=len, reverse=True)  # longest first: "rural revitalization"
    # a plural the glossary does not list is its singular's (bays → bay's words, clusters → cluster)
    return re.compile(r"(?<![a-z0-9])(" + "|".join(re.escape(p) for p in phrases) + r")(?:e?s)?(?![a-z0-9])")


def english_phrases(question: str) -> list[tuple[int, int, str]]:
    """``(start, end, phrase)`` of each glossary phrase in ``question`` (lower-cased offsets; a plural -s/-es the
    glossary does not list is part of its singular's match, and a singular of a plural it lists is that plural's),
    in order, longest first where they overlap ("rural revitalization" before "rural")."""
    aliases = _aliases()
    return [(m.start(), m.end(), aliases.get(m.group(1), m.group(1))) for m in _pattern().finditer(question.lower())]


@lru_cache(maxsize=1)
def _item_words() -> re.Pattern[str]:
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(re.escape(p) for p in sorted(ITEMS, key=len, reverse=True))
                      + r")(?![a-z0-9])")  # fmt: skip


def is_item(phrase: str) -> bool:
    """``phrase`` (a glossary phrase) names a thing reports count (:data:`ITEMS`), alone or within a longer phrase
    ("grain output" names grain)."""
    return phrase in ITEMS or _item_words().search(phrase.lower()) is not None


def chinese_groups(question: str) -> list[tuple[str, ...]]:
    """The glossary's Chinese words for each English phrase of ``question``, phrase by phrase in order (the
    words of one phrase are alternatives: "rural" → 农村 or 乡村)."""
    return [entries()[p] for _, _, p in english_phrases(question)]


def chinese_keywords(question: str, *, regions: bool = True) -> list[str]:
    """The Chinese words for the English phrases in ``question`` (in order, no repeats): the glossary's, and
    (``regions``) for an English or pinyin region name (``Jilin``, ``Inner Mongolia``, ``Xizang``, ``China``)
    the short and full Chinese names the reports use (``吉林``, ``吉林省``; :mod:`reportqa.index.text.regions`)."""
    found: list[tuple[int, tuple[str, ...]]] = []
    for start, _, p in english_phrases(question):
        found.append((start, entries()[p]))
    for r in region_mentions(question) if regions else ():
        if not _CJK.search(r.text):  # Chinese names are already in the question
            found.append((r.start, (r.region.short, r.region.name)))
    out: list[str] = []
    for _, words in sorted(found, key=lambda x: x[0]):
        for w in words:
            if w not in out:
                out.append(w)
    return out
