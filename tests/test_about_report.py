"""Questions about the report itself (who delivered it, when, at which meeting): recognised once
(qa/report_asked.py), answered from the front matter (qa/about_report.py); sessions (index/text/sessions.py);
body when/who questions checked for their own kind (qa/support.py)."""

from __future__ import annotations

from pathlib import Path

import cn2an
import pytest
from reportqa.index.text.sessions import find_sessions
from reportqa.index.text.years import when_spans
from reportqa.qa.query import understand
from reportqa.qa.report_asked import report_asked
from reportqa.qa.support import support

from .conftest import SEED, FakeEmbedder, fake_index


@pytest.mark.parametrize(
    ("congress", "session", "region"), [(16, 4, "北京市"), (7, 5, "海南省"), (12, 2, "西藏自治区")]
)
def test_sessions_read_term_session_and_region(congress: int, session: int, region: str) -> None:
    c, s = cn2an.an2cn(congress), cn2an.an2cn(session)
    text = f"——2026年1月25日在{region}第{c}届人民代表大会第{s}次会议上"
    [found] = find_sessions(text)
    assert (found.congress, found.session, found.national, found.region) == (congress, session, False, region)
    assert text[found.start : found.end] == f"{region}第{c}届人民代表大会第{s}次会议"
    assert text[slice(*found.term_span)] == f"第{c}届"
    assert found.session_span is not None and text[slice(*found.session_span)] == f"第{s}次会议"


def test_sessions_national_traditional_and_without_di() -> None:
    [n] = find_sessions("1957年6月26日在第一届全国人民代表大会第四次會議上")
    assert (n.congress, n.session, n.national, n.region) == (1, 4, True, "全国")
    [g] = find_sessions("在甘肃省十四届人民代表大会第四次会议上")
    assert (g.congress, g.session, g.region) == (14, 4, "甘肃省")
    [c] = find_sessions("向第五届全国人民代表大会作政府工作报告")
    assert (c.congress, c.session) == (5, None)
    assert find_sessions("全国人民代表大会常务委员会") == []


@pytest.mark.parametrize(
    ("question", "latin", "part"),
    [
        ("2026年某省政府工作报告是谁作的？", False, "speaker"),
        ("某省省长是谁？", False, "speaker"),
        ("报告是哪位自治区主席作的？", False, "speaker"),
        ("Who presented the 2026 report of Hubei?", True, "speaker"),
        ("Who is the governor of Hunan?", True, "speaker"),
        ("报告是几月几日在省人代会上作的？", False, "date"),
        ("When was the government work report delivered?", True, "date"),
        ("报告是在哪次会议上作的？", False, "meeting"),
        ("At which session was the report given?", True, "meeting"),
        ("报告在第几届人民代表大会上作？", False, "congress"),
        ("报告在第十四届人民代表大会第几次会议上作？", False, "session"),
        ("中欧班列是什么时候开通的？", False, None),
        ("报告提出什么时候实现碳达峰？", False, None),
        ("谁负责乡村振兴？", False, None),
        ("When did the new airport open?", True, None),
        ("What is the GDP growth target in the report?", True, None),
    ],
)
def test_report_asked(question: str, latin: bool, part: str | None) -> None:
    assert report_asked(question, latin) == part
    assert understand(question).asked.report == part


def test_when_spans() -> None:
    text = "2025年6月开通，二〇二四年底建成，9月份开工，增长5.5%，投资2000亿元"
    assert [text[a:b] for a, b in when_spans(text)] == ["2025年6月", "二〇二四年底", "9月份"]


def test_body_when_and_who_checked_for_their_kind() -> None:
    when = understand("新机场是什么时候通航的？").asked
    found = support(when, "2025年10月，新机场正式通航。")
    assert found is not None and found.value == "2025年10月"
    assert support(when, "新机场正式通航，旅客吞吐量增长12%。") is None
    who = understand("谁承建了这座大桥？").asked
    found = support(who, "大桥由中国交建集团承建。")
    assert found is not None and "集团" in found.value
    assert support(who, "大桥建成通车，投资80亿元。") is None


_REPORT = """{title}
——{date}在{region}第{congress}届人民代表大会第{session}次会议上
{speaker}
各位代表：
现在，我代表{region}人民政府，向大会报告政府工作，请予审议。
一、{prev}年工作回顾
过去一年，全{short}地区生产总值增长5.2%，粮食产量达到120万吨。新机场于{prev}年10月正式通航。
"""


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("about-src")
    (d / "yunnan-2026.txt").write_text(_REPORT.format(
        title="2026年云南省政府工作报告", date="2026年1月28日", region="云南省", congress="十四", session="四",
        speaker="省长\u3000赵明远", prev=2025, short="省"), encoding="utf-8")  # fmt: skip
    (d / "hunan-2026.txt").write_text(_REPORT.format(
        title="政府工作报告", date="二〇二六年二月三日", region="湖南省", congress="十四", session="五",
        speaker="钱立新", prev=2025, short="省"), encoding="utf-8")  # fmt: skip
    return fake_index(tmp_path_factory, "about", [*sorted(d.iterdir()), SEED])


@pytest.mark.parametrize(
    ("question", "document", "value"),
    [
        ("2026年云南省政府工作报告是谁作的？", "yunnan-2026.txt", "赵明远"),
        ("Who delivered Hunan's 2026 government work report?", "hunan-2026.txt", "钱立新"),
        ("云南省长是谁？", "yunnan-2026.txt", "赵明远"),
        ("When was Yunnan's 2026 report delivered?", "yunnan-2026.txt", "2026年1月28日"),
        ("湖南2026年政府工作报告是哪天作的？", "hunan-2026.txt", "二〇二六年二月三日"),
        ("湖南省政府工作报告是在哪次会议上作的？", "hunan-2026.txt", "湖南省第十四届人民代表大会第五次会议"),
        ("云南2026年政府工作报告在第几届人民代表大会上作？", "yunnan-2026.txt", "第十四届"),
        ("湖南2026年政府工作报告在第十四届人民代表大会第几次会议上作？", "hunan-2026.txt", "第五次会议"),
        ("西藏2024年政府工作报告是谁作的？", SEED.name, "严金海"),
    ],
)
def test_answered_from_the_front_matter(library: Path, question: str, document: str, value: str) -> None:
    from reportqa.index.storage.opener import open_index
    from reportqa.qa.engine import Engine

    engine = Engine(open_index(library, check_sources=False), FakeEmbedder())
    a = engine.ask(question)
    assert not a.abstained
    assert a.hits[0].citation.document == document
    assert a.sentence is not None and a.highlight is not None
    assert a.highlight.replace("\u3000", "") == value and a.highlight in a.sentence
    assert a.sentence in a.hits[0].text
    assert len(a.hits) == 5 and len({h.chunk.id for h in a.hits}) == 5  # as many passages as any question
    assert [h.rank for h in a.hits] == [1, 2, 3, 4, 5]


def test_body_question_is_not_about_the_report(library: Path) -> None:
    from reportqa.index.storage.opener import open_index
    from reportqa.qa.engine import Engine

    engine = Engine(open_index(library, check_sources=False), FakeEmbedder())
    a = engine.ask("云南新机场是什么时候正式通航的？")
    assert a.sentence is None or "通航" in a.sentence
    assert not (a.abstained and a.reason == "no_figure" and a.sentence and "2025年10月" in a.sentence)
