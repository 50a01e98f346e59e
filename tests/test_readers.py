"""Reading sources: encoding detection, format extraction, discovery. Every fixture is built here as bytes."""

from __future__ import annotations

import io
import logging
import os
import random
from pathlib import Path

import pytest
from reportqa.index.errors import SourceError, UnreadableSourceError
from reportqa.index.reading import readers
from reportqa.index.reading.formats import plausible_cjk
from reportqa.index.reading.readers import SUPPORTED_SUFFIXES, discover, read_source, read_sources

SEED = Path(__file__).resolve().parents[1] / "seeds" / "tibet-2024-government-work-report.txt"
ZH = "各位代表：\n现在，我代表自治区人民政府，向大会报告政府工作，请予审议。\n\n2023 年工作回顾\n"


@pytest.fixture(scope="module")
def seed() -> str:
    return SEED.read_text(encoding="utf-8")


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def unreadable(path: Path, *fragments: str) -> str:
    with pytest.raises(UnreadableSourceError) as info:
        read_source(path)
    msg = str(info.value)
    assert str(path) in msg and "\n" not in msg and " — " in msg, msg
    for fragment in fragments:
        assert fragment in msg, msg
    return msg


# --------------------------------------------------------------------------------------------- plain text


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (ZH.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + ZH.encode("utf-8"), "utf-8-sig"),
        (ZH.encode("utf-16"), "utf-16"),  # native order, with BOM
        (b"\xff\xfe" + ZH.encode("utf-16-le"), "utf-16"),
        (b"\xfe\xff" + ZH.encode("utf-16-be"), "utf-16"),
        (b"\xff\xfe\x00\x00" + ZH.encode("utf-32-le"), "utf-32"),
        (b"\x00\x00\xfe\xff" + ZH.encode("utf-32-be"), "utf-32"),
        (ZH.encode("gbk"), "gb18030"),
        (ZH.encode("gb18030"), "gb18030"),
    ],
)
def test_text_encodings(tmp_path: Path, data: bytes, encoding: str) -> None:
    path = write(tmp_path, "r.txt", data)
    src = read_source(path)
    assert src.text == ZH
    assert src.encoding == encoding
    assert src.format == "txt"
    assert src.name == "r.txt"
    assert Path(src.path).is_absolute()
    import hashlib

    assert src.sha256 == hashlib.sha256(data).hexdigest()


def test_whole_seed_in_gbk_and_gb18030(tmp_path: Path, seed: str) -> None:
    for codec in ("gbk", "gb18030"):
        src = read_source(write(tmp_path, f"{codec}.txt", seed.encode(codec)))
        assert src.text == seed.replace("\r\n", "\n")
        assert src.encoding == "gb18030"


def test_gb18030_four_byte_characters(tmp_path: Path) -> None:
    # 𠮷 (outside the BMP) and € need GB18030 four-byte sequences; a rare character among common ones is fine
    text = "藏族同胞欢度藏历新年，𠮷字与€符号。" + ZH
    assert read_source(write(tmp_path, "a.txt", text.encode("gb18030"))).text == text


def test_big5(tmp_path: Path) -> None:
    text = "中華民國經濟發展報告：政府將繼續推動產業升級，擴大內需，加強醫療、教育與環境保護的投資。\n"
    src = read_source(write(tmp_path, "tw.txt", text.encode("big5")))
    assert (src.text, src.encoding) == (text, "big5")


def test_big5_is_not_taken_for_gbk() -> None:
    text = "中華民國經濟發展報告：政府將繼續推動產業升級，擴大內需，加強醫療、教育與環境保護的投資。"
    assert not plausible_cjk(text.encode("big5").decode("gb18030"))


@pytest.mark.parametrize("eol", [b"\r\n", b"\r"])
def test_line_endings_normalised(tmp_path: Path, eol: bytes) -> None:
    data = ZH.encode("utf-8").replace(b"\n", eol)
    src = read_source(write(tmp_path, "crlf.txt", data))
    assert src.text == ZH
    assert "\r" not in src.text


def test_form_feed_and_tab_are_text(tmp_path: Path) -> None:
    data = "第一页\tA\n\f第二页\n".encode()
    assert read_source(write(tmp_path, "ff.txt", data)).text == "第一页\tA\n\f第二页\n"


def test_markdown_kept_verbatim(tmp_path: Path) -> None:
    md = "---\ntitle: 报告\n---\n\n# 政府工作报告\n\n**加快**建设 [链接](http://x)\n"
    src = read_source(write(tmp_path, "r.md", md.encode("utf-8")))
    assert (src.text, src.format, src.encoding) == (md, "md", "utf-8")


def test_random_binary_named_txt(tmp_path: Path) -> None:
    data = random.Random(7).randbytes(4096)
    unreadable(write(tmp_path, "noise.txt", data), "looks like a binary file")


def test_png_named_txt(tmp_path: Path) -> None:
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    unreadable(write(tmp_path, "image.txt", data), "looks like a binary file", "PNG")


def test_pdf_named_txt(tmp_path: Path) -> None:
    unreadable(write(tmp_path, "report.txt", make_pdf(["Hello"])), "PDF", "extension")


def test_nul_bytes(tmp_path: Path) -> None:
    unreadable(write(tmp_path, "nul.txt", "正文".encode() + b"\x00" + b"abc" * 100), "NUL")


def test_many_control_bytes(tmp_path: Path) -> None:
    data = b"".join(b"line %d \x01\x02\x1b\n" % i for i in range(50))
    unreadable(write(tmp_path, "ctl.txt", data), "binary")


def test_a_stray_control_char_is_fine(tmp_path: Path) -> None:
    data = ("正常的文本。" * 100 + "\x1a").encode()
    assert read_source(write(tmp_path, "dos.txt", data)).text.startswith("正常的文本")


@pytest.mark.parametrize(
    "data",
    [b"", b"   \n\t\r\n ", b"\xef\xbb\xbf", b"\xef\xbb\xbf\n\n", "\u3000\u3000\n".encode(), b"\xff\xfe"],
)
def test_empty(tmp_path: Path, data: bytes) -> None:
    unreadable(write(tmp_path, "empty.txt", data), "is empty")


@pytest.mark.parametrize(
    "text",
    [
        "Öl Ärger Übel Öfen Äpfel Ökonomie Übung",  # decodes as GB18030 (strictly!) to rare hanzi
        "Le président a déclaré que l'économie était très résiliente. À bientôt!",  # does not decode
        "Ñandú añejo ¿qué? ¡olé! año señor España",
    ],
)
def test_latin1_is_refused_not_misdecoded(tmp_path: Path, text: str) -> None:
    """Latin-1 / Windows-1252 is not a supported encoding. Rather than produce GB18030 mojibake, the file is
    refused with advice to re-save it as UTF-8 (the same text in UTF-8 reads fine)."""
    unreadable(write(tmp_path, "latin1.txt", text.encode("latin-1")), "encoding", "UTF-8")
    assert read_source(write(tmp_path, "utf8.txt", text.encode("utf-8"))).text == text


def test_broken_utf16(tmp_path: Path) -> None:
    data = b"\xff\xfe" + "正文".encode("utf-16-le") + b"\x00\xd8"  # lone high surrogate
    unreadable(write(tmp_path, "u16.txt", data), "UTF-16")


def test_five_megabyte_file(tmp_path: Path, seed: str) -> None:
    raw = seed.encode("gb18030")
    data = raw * (5_000_000 // len(raw) + 1)
    assert len(data) >= 5_000_000
    src = read_source(write(tmp_path, "big.txt", data))
    assert src.encoding == "gb18030"
    assert len(src.text) == len(data.decode("gb18030").replace("\r\n", "\n"))
    utf8 = seed.encode("utf-8") * (5_000_000 // len(seed.encode()) + 1)
    assert read_source(write(tmp_path, "big8.txt", utf8)).encoding == "utf-8"


def test_unsupported_suffix_read_directly(tmp_path: Path) -> None:
    unreadable(write(tmp_path, "a.rtf", b"{\\rtf1 hi}"), "not a supported file type", ".rtf")


def test_missing_file_read_directly(tmp_path: Path) -> None:
    unreadable(tmp_path / "gone.txt", "not found")


# ------------------------------------------------------------------------------------------------ HTML


def test_html_gbk_meta_script_entities(tmp_path: Path) -> None:
    page = (
        '<!DOCTYPE html><html><head><meta charset="gbk"><title>标题不要</title>'
        "<style>p { color: red }</style><script>var s = '<p>不要</p>'; if (a < b) {}</script></head>"
        "<body><h1>政府工作报告</h1><div>第一段 &amp; 更多&nbsp;内容 &lt;重要&gt; &#20013;&#x6587;</div>"
        "<p>第二段第一行\n第二段第二行</p><ul><li>甲</li><li>乙</li></ul>"
        "<table><tr><th>指标</th><th>数值</th></tr><tr><td>增长</td><td>9.5%</td></tr></table>"
        "行一<br>行二<section><article>文章</article></section></body></html>"
    )
    src = read_source(write(tmp_path, "page.html", page.encode("gbk")))
    assert (src.format, src.encoding) == ("html", "html")
    assert src.text == (
        "政府工作报告\n\n第一段 & 更多 内容 <重要> 中文\n\n第二段第一行第二段第二行\n\n甲\n\n乙\n\n"
        "指标 | 数值\n\n增长 | 9.5%\n\n行一\n\n行二\n\n文章"
    )
    assert "不要" not in src.text and "color" not in src.text


def test_html_http_equiv_and_bom_and_detection(tmp_path: Path) -> None:
    equiv = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><p>西藏</p>'
    assert read_source(write(tmp_path, "a.htm", equiv.encode("gbk"))).text == "西藏"
    bom = b"\xef\xbb\xbf<p>\xe8\xa5\xbf\xe8\x97\x8f</p>"
    assert read_source(write(tmp_path, "b.html", bom)).text == "西藏"
    undeclared = "<html><body><p>没有声明编码的网页</p></body></html>"
    assert read_source(write(tmp_path, "c.html", undeclared.encode("gbk"))).text == "没有声明编码的网页"
    mislabelled = '<meta charset="utf-8"><p>标错编码</p>'
    assert read_source(write(tmp_path, "d.html", mislabelled.encode("gbk"))).text == "标错编码"


def test_html_head_without_end_tag(tmp_path: Path) -> None:
    page = "<html><head><title>t</title><body><p>正文</p>"
    assert read_source(write(tmp_path, "a.html", page.encode())).text == "正文"


def test_html_pre_keeps_lines(tmp_path: Path) -> None:
    page = "<p>前</p><pre>第一行\n  第二行\n</pre>"
    assert read_source(write(tmp_path, "a.html", page.encode())).text == "前\n\n第一行\n  第二行"


def test_html_without_text(tmp_path: Path) -> None:
    unreadable(write(tmp_path, "a.html", b"<html><head><title>x</title></head><body> </body></html>"),
               "no visible text")


# ------------------------------------------------------------------------------------------------ DOCX


def make_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("政府工作报告", level=1)
    document.add_paragraph("各位代表：")
    document.add_paragraph("")
    document.add_paragraph("现在，我代表自治区人民政府，向大会报告政府工作。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "指标"
    table.cell(0, 1).text = "数值"
    table.cell(1, 0).text = "地区生产总值"
    table.cell(1, 1).text = "2392.67 亿元"
    document.add_paragraph("表后段落")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_docx(tmp_path: Path) -> None:
    src = read_source(write(tmp_path, "r.docx", make_docx()))
    assert (src.format, src.encoding) == ("docx", "docx")
    assert src.text == (
        "政府工作报告\n\n各位代表：\n\n现在，我代表自治区人民政府，向大会报告政府工作。\n\n"
        "指标 | 数值\n\n地区生产总值 | 2392.67 亿元\n\n表后段落"
    )


def test_docx_merged_cells_once(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 2))
    merged.text = "合并单元格"
    table.cell(1, 0).text = "甲"
    table.cell(1, 2).text = "丙"
    buf = io.BytesIO()
    document.save(buf)
    assert read_source(write(tmp_path, "m.docx", buf.getvalue())).text == "合并单元格\n\n甲 | 丙"


def test_corrupt_docx(tmp_path: Path) -> None:
    data = make_docx()
    unreadable(write(tmp_path, "half.docx", data[: len(data) // 2]), ".docx")
    unreadable(write(tmp_path, "text.docx", "其实是文本".encode()), "not a .docx")
    unreadable(write(tmp_path, "old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)), "old Word")


def test_empty_docx(tmp_path: Path) -> None:
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    unreadable(write(tmp_path, "empty.docx", buf.getvalue()), "no text")


# ------------------------------------------------------------------------------------------------- PDF


def _pdf_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(pages: list[str]) -> bytes:
    """A minimal valid PDF: one Helvetica text stream per page, correct xref (ASCII text only)."""
    kids = [4 + 2 * i for i in range(len(pages))]
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(pages)} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for i, text in enumerate(pages):
        shows = " ".join(f"({_pdf_escape(line)}) Tj T*" for line in text.split("\n"))
        stream = f"BT /F1 12 Tf 14 TL 72 720 Td {shows} ET".encode()
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


PAGE1 = "Government Work Report\nThe economy grew steadily in 2023."
PAGE2 = "Priorities for 2024\nEcological protection (the Plateau) comes first."


def test_pdf_pages_joined_with_form_feed(tmp_path: Path) -> None:
    src = read_source(write(tmp_path, "r.pdf", make_pdf([PAGE1, PAGE2])))
    assert (src.format, src.encoding) == ("pdf", "pdf")
    pages = src.text.split("\f\n")
    assert len(pages) == 2
    assert "Government Work Report" in pages[0] and "grew steadily" in pages[0]
    assert "Priorities for 2024" in pages[1] and "(the Plateau)" in pages[1]
    assert "\x00" not in src.text and "\r" not in src.text


def _encrypt(data: bytes, user: str, owner: str | None) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user, owner_password=owner, algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_encrypted_pdf(tmp_path: Path) -> None:
    data = _encrypt(make_pdf([PAGE1]), "secret", "owner")
    unreadable(write(tmp_path, "locked.pdf", data), "is encrypted", "password")


def test_pdf_with_empty_user_password_is_read(tmp_path: Path) -> None:
    data = _encrypt(make_pdf([PAGE1]), "", "owner")  # "no copying" restrictions only: common for reports
    assert "grew steadily" in read_source(write(tmp_path, "restricted.pdf", data)).text


def test_scanned_pdf(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer.add_blank_page(612, 792)
    buf = io.BytesIO()
    writer.write(buf)
    # blank pages: no text layer and no scanned image to recognise (a scan is read by OCR: tests/test_ocr.py)
    msg = unreadable(write(tmp_path, "scan.pdf", buf.getvalue()), "has no text layer and no page images")
    assert msg.endswith("export it again as a PDF with text or with scanned page images")


def test_page_numbers_only_count_as_no_text_layer(tmp_path: Path) -> None:
    unreadable(write(tmp_path, "scan.pdf", make_pdf(["1", "2", "3"])), "no text layer")


def test_truncated_pdf(tmp_path: Path) -> None:
    data = make_pdf([PAGE1, PAGE2])
    unreadable(write(tmp_path, "half.pdf", data[: len(data) // 2]), "truncated")


def test_damaged_pdf(tmp_path: Path) -> None:
    unreadable(write(tmp_path, "bad.pdf", b"%PDF-1.4\n1 0 obj\n<< garbage\nendobj\ntrailer\n%%EOF\n"))
    unreadable(write(tmp_path, "notpdf.pdf", "其实是文本".encode()), "not a PDF")


def test_pypdf_logging_is_silenced(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    data = make_pdf([PAGE1])
    broken_xref = data.replace(b"startxref\n", b"startxref\n1").rstrip()  # wrong offset: pypdf warns
    with caplog.at_level(logging.DEBUG):
        text = read_source(write(tmp_path, "w.pdf", broken_xref)).text
    assert "grew steadily" in text
    assert not [r for r in caplog.records if r.name.startswith("pypdf")]


# --------------------------------------------------------------------------------------------- discover


def tree(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    write(root, "b.txt", "乙".encode())
    write(root, "a.md", "甲".encode())
    write(root, "sub/z.docx", make_docx())
    write(root, "sub/deeper/c.html", "<p>丙</p>".encode())
    write(root, "sub/notes.xlsx", b"PK")  # unsupported in a folder: ignored silently
    write(root, ".git/HEAD.txt", b"ref")  # hidden folder
    write(root, ".reportqa/x.txt", b"x")
    write(root, ".hidden.txt", b"x")
    write(root, "~$z.docx", b"lock")  # Office lock file
    write(root, "UPPER.TXT", "大写".encode())
    write(root, "a-b.txt", "连字符".encode())
    return root


def test_discover_folder(tmp_path: Path) -> None:
    root = tree(tmp_path)
    files, skipped = discover([root])
    assert skipped == []
    assert [name for _, name in files] == [
        "UPPER.TXT", "a-b.txt", "a.md", "b.txt", "sub/deeper/c.html", "sub/z.docx",
    ]
    assert all(path.is_absolute() and path.is_file() for path, _ in files)
    assert discover([root]) == (files, skipped)  # stable


def test_discover_named_files_keep_order_and_get_file_names(tmp_path: Path) -> None:
    root = tree(tmp_path)
    files, _ = discover([root / "sub" / "z.docx", root / "a.md"])
    assert [name for _, name in files] == ["z.docx", "a.md"]


def test_discover_relative_paths_made_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    files, _ = discover([Path("docs/b.txt")])
    assert files == [(tmp_path / "docs" / "b.txt", "b.txt")]


def test_discover_symlink_loop_and_links(tmp_path: Path) -> None:
    root = tree(tmp_path)
    os.symlink(root, root / "loop")
    os.symlink(root / "sub", root / "sub" / "deeper" / "up")
    os.symlink(root / "b.txt", root / "link-to-b.txt")
    os.symlink(tmp_path / "nowhere.txt", root / "broken.txt")
    outside = write(tmp_path, "outside/o.txt", "外".encode())
    os.symlink(outside, root / "o-link.txt")
    files, skipped = discover([root])
    names = [name for _, name in files]
    assert skipped == []
    assert names == ["UPPER.TXT", "a-b.txt", "a.md", "b.txt", "o-link.txt", "sub/deeper/c.html", "sub/z.docx"]
    assert len({os.path.realpath(p) for p, _ in files}) == len(files)


def test_discover_duplicates(tmp_path: Path) -> None:
    root = tree(tmp_path)
    files, _ = discover([root / "b.txt", root, root / "b.txt", root / "sub", Path(str(root) + "/./a.md")])
    names = [name for _, name in files]
    assert names == ["b.txt", "UPPER.TXT", "a-b.txt", "a.md", "sub/deeper/c.html", "sub/z.docx"]


def test_discover_unsupported_named_file(tmp_path: Path) -> None:
    root = tree(tmp_path)
    files, skipped = discover([root / "sub" / "notes.xlsx", root / "b.txt"])
    assert [name for _, name in files] == ["b.txt"]
    assert len(skipped) == 1
    assert skipped[0].path == str(root / "sub" / "notes.xlsx")
    assert "not a supported file type (.xlsx)" in skipped[0].reason and ".docx" in skipped[0].reason


def test_discover_named_hidden_file_is_used(tmp_path: Path) -> None:
    root = tree(tmp_path)
    files, _ = discover([root / ".hidden.txt"])
    assert [name for _, name in files] == [".hidden.txt"]


def test_discover_missing_path(tmp_path: Path) -> None:
    tree(tmp_path)
    with pytest.raises(SourceError, match="not found") as info:
        discover([tmp_path / "docs", tmp_path / "nope"])
    assert not isinstance(info.value, UnreadableSourceError)
    assert "nope" in str(info.value)


def test_discover_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert discover([tmp_path / "empty"]) == ([], [])


def test_discover_unlistable_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tree(tmp_path)
    locked = root / "sub" / "deeper"
    real_scandir = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    files, skipped = discover([root])
    assert [name for _, name in files] == ["UPPER.TXT", "a-b.txt", "a.md", "b.txt", "sub/z.docx"]
    assert [(s.path, s.reason) for s in skipped] == [
        (str(locked), "cannot be listed (Permission denied) — check its permissions")
    ]


# ------------------------------------------------------------------------------------------ read_sources


def test_read_sources(tmp_path: Path) -> None:
    root = tree(tmp_path)
    write(root, "empty.txt", b"")
    write(root, "noise.txt", random.Random(1).randbytes(2000))
    texts, skipped = read_sources([root, tmp_path / "docs" / "sub" / "notes.xlsx"])
    assert [t.name for t in texts] == [
        "UPPER.TXT", "a-b.txt", "a.md", "b.txt", "sub/deeper/c.html", "sub/z.docx",
    ]
    assert [t.text for t in texts[:4]] == ["大写", "连字符", "甲", "乙"]
    assert {s.path: s.reason.split(" — ")[0] for s in skipped} == {
        str(root / "empty.txt"): "is empty",
        str(root / "noise.txt"): "looks like a binary file (contains NUL bytes), not text",
        str(root / "sub" / "notes.xlsx"): "is not a supported file type (.xlsx)",
    }
    for s in skipped:  # shown as f"{path}: {reason}": the reason does not repeat the path
        assert s.path not in s.reason and "\n" not in s.reason


def test_read_sources_file_vanishes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tree(tmp_path)
    real_discover = readers.discover

    def discover_then_delete(sources):  # type: ignore[no-untyped-def]
        result = real_discover(sources)
        (root / "b.txt").unlink()
        return result

    monkeypatch.setattr(readers, "discover", discover_then_delete)
    texts, skipped = read_sources([root])
    assert "b.txt" not in [t.name for t in texts]
    assert len(texts) == 5
    assert [s.path for s in skipped] == [str(root / "b.txt")]
    assert "not found" in skipped[0].reason


def test_read_sources_missing_source_raises(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="not found"):
        read_sources([tmp_path / "nope"])


def test_supported_suffixes() -> None:
    assert SUPPORTED_SUFFIXES == (".txt", ".md", ".pdf", ".docx", ".html", ".htm",
                                  ".png", ".jpg", ".jpeg", ".tif", ".tiff")
