"""The Library view's pieces without a server: the serve flags' safety checks, the HTML (escaped, with the
remove and retry targets), the JSON status when managing is off; and, marked slow, the web API through
gradio_client against a real ``reportqa serve --manage``."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from reportqa.index.records import Paragraph
from reportqa.ui.library_view import MANAGE_OFF, add_report, remove_report
from reportqa.ui.render_library import JobView, ReportRow, render_job, render_preview, render_reports

from tests import harness

from .conftest import SEED, run_cli
from .test_library_browser import DOCX_NAME, QUESTION, make_docx

EVIL = '<img src=x onerror="alert(1)">.txt'


@pytest.mark.parametrize(
    "args, message",
    [
        (["--manage", "--host", "0.0.0.0"], "--auth"),
        (["--manage", "--host", "192.168.1.5", "--port", "1"], "--auth USER:PASS"),
        (["--library-folder", "x"], "needs --manage"),
    ],
)
def test_serve_refuses_unsafe_or_impossible_setups(tmp_path: Path, args: list[str], message: str) -> None:
    proc = run_cli("serve", "--index-dir", str(tmp_path / "index"), *args)
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr and "Traceback" not in proc.stderr


def test_library_folder_inside_the_index_is_refused(tmp_path: Path) -> None:
    index = tmp_path / "index"
    proc = run_cli("serve", "--index-dir", str(index), "--manage", "--library-folder", str(index / "lib"))
    assert proc.returncode == 2 and "inside the index directory" in proc.stderr


def test_default_library_folder_is_beside_the_index() -> None:
    from reportqa.ui.cli import default_library_folder

    index = Path("/srv/reports/.reportqa/index")
    folder = default_library_folder(index)
    assert folder.parent == index.parent and folder != index and index not in folder.parents


def test_list_and_queue_html_escape_names_and_carry_targets() -> None:
    row = ReportRow(EVIL, "西藏自治区", 2024, "<b>title</b>", 2048, 60, None)
    html = render_reports([row], manage=True)
    assert "<img" not in html and "<b>" not in html
    assert 'class="rq-lib-remove" data-doc="&lt;img' in html and "2.0 KB" in html
    assert "rq-lib-remove" not in render_reports([row], manage=False)
    failed = render_job(JobView("j1", "add", EVIL, "failed", reason="not a report: <script>"))
    assert 'data-job="j1"' in failed and "rq-lib-retry" in failed and "<script>" not in failed
    running = render_job(JobView("j2", "add", "a.docx", "running", 1, 2, 0, 0, 75.0))
    assert "1/2" in running and "1 min 15 s" in running and 'aria-valuenow="50"' in running


def test_preview_is_the_paragraphs_view() -> None:
    paras = [
        Paragraph("r.docx", 1, "一、总体要求", True, 1, ("一、总体要求",), (1, 1)),
        Paragraph("r.docx", 2, "正文<script>", False, 0, ("一、总体要求",), (2, 4)),
    ]
    html = render_preview("r.docx", paras)
    assert "H1" in html and "L2-4" in html and "&lt;script&gt;" in html and "2 段 paragraphs" in html


def test_api_without_manage_says_how_to_turn_it_on(tmp_path: Path) -> None:
    f = tmp_path / "r.txt"
    f.write_text("报告", encoding="utf-8")
    assert add_report(None, str(f)) == {"ok": False, "error": MANAGE_OFF}
    assert not f.exists()  # Gradio's temporary copy is not kept
    assert remove_report(None, "r.txt")["error"] == MANAGE_OFF
    assert "serve --manage" in MANAGE_OFF


# ---------------------------------------------------------------------------------------------- real server


@pytest.fixture(scope="module")
def managed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[harness.Server]:
    work = tmp_path_factory.mktemp("library-api")
    src = work / "docs"
    src.mkdir()
    lines = SEED.read_text(encoding="utf-8").splitlines()
    (src / SEED.name).write_text("\n".join(lines[:40]) + "\n", encoding="utf-8")
    proc = harness.run_reportqa("build", str(src), "--index-dir", str(work / "index"), "--quiet")
    assert proc.returncode == 0, proc.stderr
    with harness.serve_subprocess(work / "index", work / "server.log", "--manage", "--auth", "ed:pw") as srv:
        yield srv


def _wait_job(client: Any, job_id: str, timeout: float = 300) -> dict[str, Any]:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        status = client.predict(api_name="/library_status")
        job = next(j for j in status["jobs"] if j["job_id"] == job_id)
        if job["state"] in ("done", "failed"):
            return dict(job)
        time.sleep(1)
    raise TimeoutError(job_id)


def _wait_served(client: Any, present: bool, timeout: float = 60) -> dict[str, Any]:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        status = client.predict(api_name="/library_status")
        if (DOCX_NAME in [d["name"] for d in status["documents"]]) == present:
            return dict(status)
        time.sleep(1)
    raise TimeoutError(f"{DOCX_NAME} present={present}")


@pytest.mark.slow
def test_add_and_remove_through_the_api(managed: harness.Server, tmp_path: Path) -> None:
    from gradio_client import Client, handle_file

    with pytest.raises(Exception, match="(?i)login|credentials"):
        Client(managed.url, verbose=False)
    client = Client(managed.url, verbose=False, auth=("ed", "pw"))
    path = make_docx(tmp_path / DOCX_NAME)
    added = client.predict(handle_file(str(path)), "", "", "", api_name="/add_report")
    assert added["ok"] and added["name"] == DOCX_NAME and len(added["sha256"]) == 64, added
    assert added["state"] in ("queued", "running")
    assert _wait_job(client, added["job_id"])["state"] == "done"
    status = _wait_served(client, True)
    row = next(d for d in status["documents"] if d["name"] == DOCX_NAME)
    assert row["year"] == 2026 and row["paragraphs"] == 9 and row["added"]
    answer = client.predict(QUESTION, 3, api_name="/ask")
    assert answer["passages"][0]["citation"]["document"] == DOCX_NAME

    again = client.predict(handle_file(str(path)), api_name="/add_report")
    assert not again["ok"] and again["state"] == "duplicate" and DOCX_NAME in again["error"]
    junk = tmp_path / "junk.txt"
    junk.write_bytes(bytes(range(256)) * 40)
    refused = client.predict(handle_file(str(junk)), api_name="/add_report")
    assert not refused["ok"] and refused["state"] == "refused" and refused["error"]

    unknown = client.predict("no-such-report.txt", api_name="/remove_report")
    assert not unknown["ok"] and "no document named" in unknown["error"]
    removed = client.predict(DOCX_NAME, api_name="/remove_report")
    assert removed["ok"] and removed["name"] == DOCX_NAME
    assert _wait_job(client, removed["job_id"])["state"] == "done"
    _wait_served(client, False)
    answer = client.predict(QUESTION, 3, api_name="/ask")
    assert DOCX_NAME not in {p["citation"]["document"] for p in answer["passages"]}
