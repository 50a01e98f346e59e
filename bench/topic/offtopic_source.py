# ruff: noqa: E501  (question tables: one line holds several questions)
"""The off-topic questions of bench/eval/offtopic.{dev,test}.jsonl, by domain and language (written for
issue 23 item 3; none of them is in qa/data/offtopic.*.txt, the per-index calibration questions).

Split by domain: the dev domains tune the topic model, the test domains (never seen while tuning) report it.
Places outside the mainland are split the same way (Hong Kong, Macau and some countries in dev; Taiwan and
other countries in test)."""

from __future__ import annotations

DEV_DOMAINS = ("cooking", "sport", "technology", "entertainment", "personal_finance", "pets", "outside_dev")
TEST_DOMAINS = ("health", "travel", "science", "law", "hobbies", "daily_life", "outside_test")

ZH: dict[str, list[str]] = {
    "cooking": [
        "红烧肉要炖多久才能入味？", "怎么做一碗好吃的番茄鸡蛋面？", "饺子皮怎么擀得又薄又圆？", "蒸鱼用什么火候最好？",
        "戚风蛋糕为什么会塌？", "腌泡菜放多少盐合适？", "可乐鸡翅的做法步骤是什么？", "炒青菜怎样保持翠绿？",
        "包子发面需要多长时间？", "牛排几分熟最好吃？", "麻婆豆腐用什么豆瓣酱？", "空气炸锅烤红薯要几分钟？",
        "自制酸奶需要什么菌种？", "煮米饭水和米的比例是多少？", "怎么熬出奶白色的鱼汤？",
        "北京烤鸭哪家最正宗？", "重庆火锅的底料怎么炒？", "广东早茶有哪些必点的点心？", "四川人做回锅肉放不放豆瓣？",
    ],
    "sport": [
        "梅西一共获得过几次金球奖？", "NBA总决赛一般打几场？", "半程马拉松的关门时间一般是多久？", "乒乓球发球有哪些规则？",
        "世界杯足球赛多久举办一次？", "游泳自由泳怎么换气？", "羽毛球单打场地有多宽？", "初学者跑步每周跑几次合适？",
        "围棋九段是最高段位吗？", "网球大满贯包括哪四项赛事？", "健身增肌每天要吃多少蛋白质？", "篮球三秒违例是什么意思？",
        "F1赛车一场比赛跑多少圈？", "瑜伽适合在饭后练吗？", "跳绳一分钟跳多少下算优秀？",
        "上海海港队拿过几次中超冠军？", "辽宁男篮的主场在哪里？", "北京马拉松怎么报名？",
    ],
    "technology": [
        "Python的列表和元组有什么区别？", "怎么给路由器设置WiFi密码？", "手机电池一直充电会不会坏？", "显卡和CPU哪个对游戏更重要？",
        "Excel怎么用VLOOKUP函数？", "机械键盘青轴和红轴有什么区别？", "iPhone怎么截长图？", "电脑蓝屏怎么办？",
        "Git怎么撤销上一次提交？", "固态硬盘能用多少年？", "怎么把照片转成PDF？", "蓝牙耳机连不上电脑怎么解决？",
        "JavaScript里的闭包是什么？", "Linux怎么查看端口占用？", "ChatGPT是哪家公司开发的？",
    ],
    "entertainment": [
        "《流浪地球2》的导演是谁？", "周杰伦的第一张专辑叫什么？", "《红楼梦》一共有多少回？", "哈利波特系列一共有几本？",
        "《甄嬛传》有多少集？", "奥斯卡最佳影片2020年是哪部？", "《三体》电视剧谁演汪淼？", "漫威电影宇宙的观影顺序是什么？",
        "《西游记》里孙悟空有几个师兄弟？", "《琅琊榜》讲的是什么故事？", "宫崎骏有哪些代表作？", "《哪吒之魔童降世》票房多少？",
        "春晚小品《卖拐》是谁演的？", "《海贼王》连载了多少年？", "披头士乐队有几个成员？",
        "今天上海的电影院有什么新片？", "杭州有哪些适合拍照的网红店？", "天津相声哪个剧场最好？",
    ],
    "personal_finance": [
        "信用卡逾期一天会影响征信吗？", "基金定投每月投多少合适？", "房贷等额本息和等额本金哪个划算？", "余额宝的收益怎么算？",
        "个人怎么买国债？", "股票的市盈率是什么意思？", "年终奖怎么交个税最省？", "车险买哪几种就够了？",
        "定期存款提前取出利息怎么算？", "怎么查自己的公积金余额？", "黄金现在适合投资吗？", "理财产品R3风险等级是什么意思？",
        "工资卡被冻结了怎么办？", "每个月存多少钱才能攒够首付？", "比特币是怎么挖出来的？",
    ],
    "pets": [
        "猫咪多大可以绝育？", "狗狗能吃葡萄吗？", "仓鼠一天要喂几次？", "金毛一天需要遛几次？", "猫砂盆多久换一次猫砂？",
        "鹦鹉怎么教它说话？", "兔子为什么会咬人？", "狗狗打疫苗要打几针？", "金鱼缸的水多久换一次？", "猫咪呕吐毛球正常吗？",
        "泰迪犬怎么剪毛？", "养乌龟需要晒太阳吗？",
    ],
    "outside_dev": [
        "香港2025年本地生产总值增长多少？", "香港特区政府的财政预算案提出了什么？", "澳门2024年博彩收入是多少？",
        "澳门特区施政报告的主要内容是什么？", "日本2025年的经济增长率是多少？", "美国2024年的失业率是多少？",
        "英国的通胀目标是多少？", "日本央行的利率是多少？", "美国联邦政府的财政赤字有多大？", "香港的公屋轮候时间是多久？",
        "澳门的人均GDP是多少？", "法国的退休年龄是多少岁？",
    ],
    "health": [
        "嗓子疼喝什么茶比较好？", "高血压患者能喝咖啡吗？", "每天睡几个小时最健康？", "孩子发烧38度要去医院吗？",
        "怎么判断自己是不是贫血？", "近视手术有什么风险？", "胃疼的时候吃什么好？", "维生素C每天吃多少合适？",
        "颈椎病怎么缓解？", "失眠多梦怎么调理？", "拔智齿后多久能吃饭？", "减肥每天应该摄入多少卡路里？",
        "过敏性鼻炎能根治吗？", "体检报告里转氨酶高是什么意思？", "牙龈出血是什么原因？",
    ],
    "travel": [
        "去云南旅游玩几天合适？", "日本旅游签证怎么办？", "坐飞机能带充电宝吗？", "张家界哪个季节去最好看？",
        "去泰国需要换多少泰铢？", "高铁票可以改签几次？", "三亚有哪些必去的景点？", "出国旅游需要买什么保险？",
        "自驾去西藏要准备什么？", "欧洲申根签证能去哪些国家？", "护照过期了怎么换新？", "去冰岛看极光几月份最好？",
        "背包旅行怎么打包最省空间？", "住民宿和酒店哪个更划算？",
        "成都周末带孩子去哪里玩？", "青岛啤酒节是几月份？", "哈尔滨冰雪大世界门票多少钱？",
    ],
    "science": [
        "中子星的密度有多大？", "黑洞是怎么形成的？", "为什么天空是蓝色的？", "DNA的双螺旋结构是谁发现的？",
        "地球到月球有多远？", "水的沸点为什么随海拔变化？", "元素周期表一共有多少种元素？", "猛犸象是什么时候灭绝的？",
        "相对论说了什么？", "植物的光合作用需要哪些条件？", "为什么会有四季变化？", "彩虹为什么是七种颜色？",
        "声音在水中传播得更快吗？", "人体有多少块骨头？", "火星上有水吗？",
    ],
    "law": [
        "离婚时房产怎么分割？", "租房押金房东不退怎么办？", "劳动合同到期不续签有补偿吗？", "交通事故责任怎么认定？",
        "遗嘱怎么写才有法律效力？", "被公司拖欠工资该怎么维权？", "网购遇到假货怎么索赔？", "借钱不还可以起诉吗？",
        "试用期可以随时辞职吗？", "醉驾会被判几个月？", "未成年人打赏主播能退款吗？", "邻居装修太吵可以投诉吗？",
        "商标注册需要多长时间？", "被狗咬了主人要赔多少钱？",
    ],
    "hobbies": [
        "吉他初学者先学什么和弦？", "水彩画怎么调色？", "钓鱼用什么饵料最好？", "围棋入门应该先学什么？",
        "原神里哪个角色最强？", "王者荣耀怎么上王者段位？", "魔方怎么还原？", "书法练楷书先练哪个字帖？",
        "摄影入门买什么相机？", "十字绣怎么收尾？", "多肉植物怎么浇水？", "钢琴考级考几级才算学得好？",
        "象棋开局怎么走比较好？", "手工皂怎么做？",
    ],
    "daily_life": [
        "衣服上的油渍怎么洗掉？", "冰箱有异味怎么去除？", "怎么跟失恋的朋友聊天？", "第一次约会去哪里比较好？",
        "搬家时怎么打包碗碟不容易碎？", "白衬衫发黄怎么洗白？", "怎样提高记忆力？", "早上起不来床怎么办？",
        "送女朋友什么生日礼物好？", "家里有蟑螂怎么彻底消灭？", "怎么跟孩子讲性教育？", "婚礼份子钱一般给多少？",
        "怎么挑选一个好西瓜？", "毛衣起球了怎么办？", "面试时怎么做自我介绍？",
        "明天北京会下雨吗？", "南京夏天为什么那么热？", "深圳租房住哪个区比较方便？",
    ],
    "outside_test": [
        "台湾2025年的经济增长率是多少？", "台北市的捷运有几条线？", "韩国的最低工资是多少？", "德国的增值税税率是多少？",
        "印度2024年GDP增长了多少？", "新加坡的组屋怎么申请？", "澳大利亚的移民政策有哪些？", "俄罗斯的人口有多少？",
        "巴西的通货膨胀率是多少？", "加拿大的全民医保怎么运作？", "越南2025年的经济增长目标是多少？", "泰国的旅游收入有多少？",
    ],
}

EN: dict[str, list[str]] = {
    "cooking": [
        "How long should I boil an egg for a runny yolk?", "What is the best flour for sourdough bread?",
        "How do I make a creamy carbonara without cream?", "Can I freeze cooked rice?", "How do you caramelize onions?",
        "What temperature should I roast a chicken at?", "How do I keep guacamole from turning brown?",
        "What's the difference between baking soda and baking powder?", "How long do I marinate chicken tikka?",
        "Where can I eat the best Peking duck in Beijing?", "How spicy is Chongqing hotpot?",
        "Why is my pizza dough too sticky?", "How do you make a perfect omelette?", "What spices go in garam masala?",
    ],
    "sport": [
        "Who won the last FIFA World Cup?", "How many players are on a rugby team?", "What is an offside in football?",
        "How long is an Olympic swimming pool?", "Who holds the marathon world record?", "How do tennis tiebreaks work?",
        "What is a hat-trick in cricket?", "How many Grand Slams has Serena Williams won?",
        "How often should a beginner lift weights?", "What are the rules of curling?",
        "How many holes are on a golf course?", "Which team has won the most Super Bowls?",
    ],
    "technology": [
        "How do I reset my Wi-Fi router?", "What is the difference between RAM and storage?",
        "How do I undo a git commit?", "Which laptop is best for programming?", "How do I install Python on Windows?",
        "What does HTTPS mean?", "How can I speed up my old phone?", "What is a neural network?",
        "How do I take a screenshot on a Mac?", "Why does my computer fan make noise?", "What is Docker used for?",
        "How do I recover deleted photos from my phone?",
    ],
    "entertainment": [
        "Who directed the movie Inception?", "How many seasons does Friends have?", "Who sings the song Hello?",
        "What is the plot of The Great Gatsby?", "Which Harry Potter book is the longest?",
        "Who won the Oscar for best actress last year?", "Is Breaking Bad worth watching?",
        "How many Star Wars movies are there?", "Who wrote the novel 1984?", "What is the best Pixar movie?",
        "When does the next Marvel movie come out?", "Who plays Sherlock in the BBC series?",
    ],
    "personal_finance": [
        "Should I pay off my credit card or invest?", "What is a good credit score?", "How does a Roth IRA work?",
        "How much should I save for retirement?", "Is it better to rent or buy a house?",
        "What is an index fund?", "How do I file my taxes online?", "What is compound interest?",
        "How can I get out of debt faster?", "Is Bitcoin a good investment?", "How do stock dividends work?",
        "What is a mortgage pre-approval?",
    ],
    "pets": [
        "How often should I feed my puppy?", "Why does my cat knead blankets?", "Can dogs eat chocolate?",
        "How long do hamsters live?", "How do I litter train a kitten?", "What vaccines does a puppy need?",
        "Why is my dog scratching so much?", "How big should a rabbit cage be?",
        "How do I introduce a new cat to my dog?", "What fish can live together in a tank?",
    ],
    "outside_dev": [
        "What was Hong Kong's GDP growth in 2025?", "What does the Hong Kong budget say about housing?",
        "How much gaming revenue did Macau earn in 2024?", "What is Japan's inflation rate?",
        "What is the US unemployment rate in 2024?", "What is the Bank of England's interest rate?",
        "How large is the US federal deficit?", "What is the retirement age in France?",
        "What is Japan's economic growth target for 2025?", "How many people live in Macau?",
    ],
    "health": [
        "What are the symptoms of the flu?", "How much water should I drink a day?", "Is coffee bad for your heart?",
        "How can I lower my cholesterol?", "What causes migraines?", "How many hours of sleep do adults need?",
        "Is it safe to take ibuprofen with paracetamol?", "How do I treat a sprained ankle?",
        "What are the early signs of diabetes?", "How can I stop snoring?", "Is intermittent fasting healthy?",
        "What vitamins help the immune system?",
    ],
    "travel": [
        "What is the best time to visit Japan?", "Do I need a visa to visit Thailand?",
        "Can I carry liquids in my hand luggage?", "What are the best museums in Madrid?",
        "How do I get from the airport to downtown Rome?", "Is travel insurance worth it?",
        "What should I pack for a week in Iceland?", "How early should I arrive for an international flight?",
        "What is the cheapest way to travel around Europe?", "What should I see in Xi'an in two days?",
        "Is Guilin worth visiting in winter?", "Where can I see the northern lights?",
        "How do I renew my passport?", "Is it safe to drink tap water in Mexico?",
    ],
    "science": [
        "How hot is the surface of the Sun?", "Why do leaves change color in autumn?", "What is a black hole?",
        "How far is the Moon from the Earth?", "Who discovered penicillin?", "What is the theory of relativity?",
        "How do vaccines work?", "Why do we have seasons?", "What is the speed of sound?",
        "How many bones are in the human body?", "Is there water on Mars?", "What causes earthquakes?",
    ],
    "law": [
        "Can my landlord keep my security deposit?", "How do I write a legal will?",
        "What happens if I break my employment contract?", "How do I dispute a parking ticket?",
        "Can I sue my employer for unpaid overtime?", "What is the difference between a felony and a misdemeanor?",
        "How long does a divorce take?", "Do I need a lawyer for small claims court?",
        "How do I register a trademark?", "What are my rights if I am arrested?",
    ],
    "hobbies": [
        "What guitar chords should a beginner learn first?", "How do I start a vegetable garden?",
        "What camera is best for beginner photographers?", "How do you solve a Rubik's cube?",
        "What are the best board games for families?", "How do I get better at chess openings?",
        "How do I start knitting?", "What is the best fishing bait for bass?", "How do I care for a bonsai tree?",
        "What watercolor paper should I buy?",
    ],
    "daily_life": [
        "How do I remove a red wine stain?", "What should I get my mom for her birthday?",
        "How do I get rid of fruit flies?", "How can I stop procrastinating?", "What should I wear to a job interview?",
        "How do I unclog a drain without chemicals?", "How do I make new friends as an adult?",
        "How do I fold a fitted sheet?", "Will it rain in Shanghai tomorrow?",
        "Which neighborhood in Chengdu is good for expats to live in?", "What is a polite way to decline an invitation?",
        "How do I get my toddler to sleep through the night?", "How can I wake up earlier?",
        "How do I choose a ripe avocado?",
    ],
    "outside_test": [
        "What was Taiwan's economic growth rate in 2025?", "What is the minimum wage in South Korea?",
        "What is Germany's VAT rate?", "How much did India's GDP grow in 2024?",
        "How does Singapore's public housing work?", "What is Australia's immigration policy?",
        "What is the population of Russia?", "What is Brazil's inflation rate?",
        "How does Canada's healthcare system work?", "What is Vietnam's GDP growth target for 2025?",
    ],
}
