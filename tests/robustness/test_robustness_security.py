"""Display safety and isolation: article text and file names are shown as text
everywhere (result list, reading pane, tooltips, labels, the command line), no
path or query ever reaches a shell, and nothing makes a network request.

The hostile articles are generated here: markup, entities and quotes in titles,
bodies and file names, and saved web pages that pull resources from the web.
"""
from __future__ import annotations

import ast
import html
import json
import re
import socket
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searchapp.index import update_index
from searchapp.models import Document, Progress, SearchRequest, Span
from searchapp.search import HIT_CLOSE, HIT_OPEN, SearchEngine, query_highlight_terms, render_spans, snippet
from tests.gui.gui_fixtures import WAIT_MS, gui_settings, has_image, open_window  # noqa: F401 - fixture
from tests.robustness.robustness_support import REPO, record

SCRIPT = "<script>alert(1)</script>"
IMAGE = '<img src="http://example.com/x.png">'
TITLE = f'{SCRIPT} Tin {IMAGE} &amp; "trích dẫn" \'đơn\' <b class="hit">giả</b> rbs0001'
BODY = (
    "Thành ủy Cần Thơ cần đẩy mạnh đổi mới phương thức lãnh đạo của Đảng. "
    f"{SCRIPT} {IMAGE} &amp; &lt;b&gt; \"ngoặc kép\" 'đơn' <a href=\"javascript:alert(2)\">bấm</a> "
    "<style>body{display:none}</style> rbs0001 kết thúc."
)
SOURCE = "<b>Báo</b> <img src=x>"  # a site name with markup: the source facet shows it
HOSTILE_NAME = 'tin <b>đậm<b> & "ngoặc" <img src=x>.txt'  # no "/": it separates folders
PAGE = (
    '<html><head><title>Trang có tài nguyên ngoài</title><base href="http://example.com/">'
    f'<meta property="og:site_name" content="{html.escape(SOURCE)}">'
    '<link rel="stylesheet" href="http://example.com/a.css"><script src="http://example.com/a.js"></script>'
    '<meta http-equiv="refresh" content="0; url=http://example.com/"><style>p {display: none}</style></head><body>'
    "<h1>&lt;script&gt;alert(3)&lt;/script&gt; Trang rbs0002</h1>"
    '<img src="http://example.com/x.png"><iframe src="http://example.com/f"></iframe>'
    "<p>&lt;img src=&quot;http://example.com/y.png&quot;&gt; Thành ủy Cần Thơ cần đẩy mạnh đổi mới "
    "phương thức lãnh đạo của Đảng, rbs0002.</p><video src=\"http://example.com/v.mp4\"></video></body></html>"
)
HOSTILE_TEXTS = {  # a word to search for -> markup the article shows as text
    "rbs0001": [SCRIPT, IMAGE, '"trích dẫn"', '<b class="hit">giả</b>'],
    "rbs0002": ["<script>alert(3)</script>", '<img src="http://example.com/y.png">'],
}


def hostile_folder(root: Path) -> Path:
    root.mkdir()
    (root / "hostile.txt").write_text(f"{TITLE}\n\n{BODY}\n", encoding="utf-8")
    (root / "page.html").write_text(PAGE, encoding="utf-8")
    (root / HOSTILE_NAME).write_text("Tên tệp lạ rbs0003\n\nThành ủy Cần Thơ cần đẩy mạnh đổi mới.\n",
                                     encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, Path]:  # noqa: ANN001
    base = tmp_path_factory.mktemp("hostile")
    folder = hostile_folder(base / "articles")
    index_dir = base / "index"
    report = update_index(index_dir, [folder], procs=1)
    assert report.added == 3 and not report.failed
    return folder, index_dir


def strip_hit_tags(fragment: str) -> str:
    return fragment.replace(HIT_OPEN, "").replace(HIT_CLOSE, "")


# --- the engine's HTML fragments ------------------------------------------------------------------


@pytest.mark.parametrize("query", ["rbs0001", "script", "img src", '"trích dẫn"', "b class hit", "alert"])
def test_hit_html_escapes_everything_from_the_article(hostile, query: str) -> None:  # noqa: ANN001
    _, index_dir = hostile
    result = SearchEngine(index_dir).search(SearchRequest(query))
    assert result.error is None and result.hits
    for hit in result.hits:
        for fragment in (hit.title_html, hit.snippet_html):
            text = strip_hit_tags(fragment)
            assert "<" not in text and ">" not in text and '"' not in text, fragment
            assert fragment.count(HIT_OPEN) == fragment.count(HIT_CLOSE)
        assert html.unescape(strip_hit_tags(hit.title_html)) == hit.title  # what is shown is the title
        shown = html.unescape(strip_hit_tags(hit.snippet_html)).strip("… ")
        assert shown.replace(" ", "") in hit_body(index_dir, hit.path).replace("\n", " ").replace(" ", "")


def hit_body(index_dir: Path, path: str) -> str:
    document = SearchEngine(index_dir).document(path)
    assert document is not None
    return document.article.body


def test_articles_keep_their_text_verbatim(hostile) -> None:  # noqa: ANN001
    """Escaping is the views' job: the stored text is what the author wrote."""
    folder, index_dir = hostile
    document = SearchEngine(index_dir).document(str(folder / "hostile.txt"))
    assert document is not None
    assert document.article.title == TITLE
    assert SCRIPT in document.article.body and IMAGE in document.article.body


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.lists(st.tuples(st.integers(0, 300), st.integers(0, 40)), max_size=8))
def test_render_spans_shows_any_text_as_text(text: str, raw_spans: list[tuple[int, int]]) -> None:
    spans, last = [], 0
    for start, length in sorted(raw_spans):
        start = max(start, last)
        end = min(start + length, len(text))
        if start < end:
            spans.append(Span(start, end))
            last = end
    rendered = render_spans(text, spans)
    assert "<" not in strip_hit_tags(rendered) and ">" not in strip_hit_tags(rendered)
    assert html.unescape(strip_hit_tags(rendered)) == text
    assert rendered.count(HIT_OPEN) == len(spans)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400), st.sampled_from(["script", "img", "b", "cần thơ", "\"a b\"", "x*", "hit", "amp"]))
def test_snippets_of_any_text_hold_no_markup(body: str, query: str) -> None:
    fragment = snippet(body, query_highlight_terms(query))
    assert "<" not in strip_hit_tags(fragment) and ">" not in strip_hit_tags(fragment)


def test_command_line_prints_article_markup_as_text(hostile, capsys: pytest.CaptureFixture) -> None:  # noqa: ANN001
    from searchapp import cli

    folder, index_dir = hostile
    assert cli.main(["search", "rbs0001", "--index", str(index_dir)]) == 0
    out = capsys.readouterr().out
    assert SCRIPT in out and IMAGE in out and "&amp;" in out  # literally, neither run nor double-escaped
    assert cli.main(["show", str(folder / "hostile.txt"), "--index", str(index_dir), "--query", "rbs0001"]) == 0
    out = capsys.readouterr().out
    assert TITLE in out and SCRIPT in out


# --- the window ---------------------------------------------------------------------------------------


def shown_text(text: str, rich: bool) -> str:
    """What a label or tooltip displays: its text, or the text of the HTML it is read as."""
    if not rich:
        return text
    from PySide6.QtGui import QTextDocument

    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


def label_is_rich(label) -> bool:  # noqa: ANN001 - QLabel
    from PySide6.QtCore import Qt

    text_format = label.textFormat()
    return text_format == Qt.TextFormat.RichText or (
        text_format == Qt.TextFormat.AutoText and tooltip_is_rich(label.text()))


def tooltip_is_rich(tip: str) -> bool:
    """Qt's own test: tooltips and AutoText labels that pass it are shown as HTML."""
    from PySide6.QtGui import Qt as GuiQt

    return GuiQt.mightBeRichText(tip)


def search_in_window(qtbot, window, query: str):  # noqa: ANN001, ANN201
    from PySide6.QtCore import Qt

    with qtbot.waitSignal(window.resultsShown, timeout=WAIT_MS,
                          check_params_cb=lambda r: query in (r.request.query, r.corrected_from)) as blocker:
        window.search_box.edit.setText(query)
        qtbot.keyClick(window.search_box.edit, Qt.Key.Key_Return)
    return blocker.args[0]


def open_row(qtbot, window, row: int) -> Document:  # noqa: ANN001
    with qtbot.waitSignal(window.documentShown, timeout=WAIT_MS) as blocker:
        window.result_list.setCurrentIndex(window.results_model.index(row, 0))
    return blocker.args[0]


@pytest.fixture
def hostile_window(qtbot, hostile, gui_settings):  # noqa: ANN001, ANN201, F811
    folder, index_dir = hostile
    gui_settings.set_folders([str(folder)])
    window = open_window(qtbot, index_dir, gui_settings)
    yield window
    window.close()


def test_result_list_and_reading_pane_show_article_markup_as_text(qtbot, hostile_window) -> None:  # noqa: ANN001
    from PySide6.QtWidgets import QLabel

    from searchapp.gui.results import HIT_ROLE

    window = hostile_window
    for word, markup in HOSTILE_TEXTS.items():
        result = search_in_window(qtbot, window, word)
        assert result.total == 1
        index = window.results_model.index(0, 0)
        hit = index.data(HIT_ROLE)
        # The result list paints this document: title and snippet are in it as characters.
        document = window.result_list.result_delegate.rendered_document(index)
        listed = document.toPlainText()
        assert hit.title in listed and markup[0] in listed
        assert html.unescape(strip_hit_tags(hit.snippet_html)) in listed
        assert document.blocked_resources == [] and not has_image(document)

        assert open_row(qtbot, window, 0) is not None
        browser = window.reader.browser
        page = browser.toPlainText()
        for piece in markup:
            assert piece in page
        assert browser.blocked_resources == [] and browser.document().blocked_resources == []
        assert not has_image(browser.document())
        # Any label the window reads as rich text carries no markup from the article.
        for label in window.findChildren(QLabel):
            if label_is_rich(label):
                assert "<script" not in label.text() and "<img" not in label.text(), label.objectName()


def test_result_tooltip_shows_the_file_name_as_written(qtbot, hostile, hostile_window) -> None:  # noqa: ANN001
    from PySide6.QtCore import Qt

    folder, _ = hostile
    search_in_window(qtbot, hostile_window, "rbs0003")
    tip = hostile_window.results_model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert shown_text(tip, tooltip_is_rich(tip)) == str(folder / HOSTILE_NAME)


def test_facet_tooltip_shows_the_source_as_written(qtbot, hostile_window) -> None:  # noqa: ANN001
    window = hostile_window
    source = search_in_window(qtbot, window, "rbs0002").hits[0].source
    assert source and "<img" in source.lower(), "the page's site name (with its markup) is its source"
    item = window.facet_panel.facet_list("source").item_for(source)
    assert item is not None
    assert item.text().startswith(source)  # an item's text is always plain
    assert shown_text(item.toolTip(), tooltip_is_rich(item.toolTip())).startswith(source)


def test_status_bar_shows_file_names_as_written(hostile, hostile_window) -> None:  # noqa: ANN001
    folder, _ = hostile
    path = str(folder / HOSTILE_NAME)
    status = hostile_window.status
    status.show_progress(Progress(0, 1, path, "index"))  # what indexing that file shows
    label = status.progress_label
    assert shown_text(label.text(), label_is_rich(label)) == HOSTILE_NAME
    assert shown_text(label.toolTip(), tooltip_is_rich(label.toolTip())) == path



def test_opening_the_original_hands_over_a_file_not_a_url(qtbot, tmp_path: Path,  # noqa: ANN001
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtGui import QDesktopServices

    from searchapp.gui.reader import ReaderPane
    from searchapp.models import Article

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True))
    reader = ReaderPane()
    qtbot.addWidget(reader)
    for name in ("http:example.com#x?.txt", "a b%20c#frag?q=1.txt", "-rf $(reboot); `id`.txt", HOSTILE_NAME):
        path = str(tmp_path / name)
        reader.show_document(Document(Article(path=path, title="t", body="b")))
        reader.open_original()
        url = opened[-1]
        assert url.isLocalFile() and url.toLocalFile() == path


# --- no shell -----------------------------------------------------------------------------------------


SHELL_CALLS = {"system", "popen", "spawnl", "spawnle", "spawnlp", "spawnlpe", "spawnv", "spawnve", "spawnvp",
               "spawnvpe", "execl", "execle", "execlp", "execlpe", "execv", "execve", "execvp", "execvpe",
               "startfile", "getoutput", "getstatusoutput"}
SUBPROCESS_CALLS = {"run", "call", "check_call", "check_output", "Popen"}


def test_no_path_or_query_reaches_a_shell() -> None:
    """No os.system / os.popen / exec / spawn in the package; subprocess only with an argument list."""
    problems = []
    files = sorted((REPO / "searchapp").rglob("*.py"))
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                problems += _shell_problems(node, path)
    assert files and not problems, problems
    record("shell_scan_files", len(files))


def _shell_problems(call: ast.Call, path: Path) -> list[str]:
    where = f"{path.relative_to(REPO)}:{call.lineno}"
    name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
    owner = call.func.value.id if isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name) else ""
    out = []
    if any(k.arg == "shell" and not (isinstance(k.value, ast.Constant) and k.value.value is False)
           for k in call.keywords):
        out.append(f"{where}: shell=")
    if name in SHELL_CALLS and owner in ("os", "subprocess", "commands", "pty", ""):
        out.append(f"{where}: {owner}.{name}")
    if owner == "subprocess" and name in SUBPROCESS_CALLS and call.args and not isinstance(
            call.args[0], (ast.List, ast.Tuple)):
        out.append(f"{where}: subprocess.{name} without an argument list")
    if name in ("startDetached", "execute") and call.args and isinstance(call.args[0], (ast.JoinedStr, ast.BinOp)):
        out.append(f"{where}: QProcess.{name} with a built command string")
    return out


def test_the_shell_scan_finds_what_it_looks_for() -> None:
    """The scan above is not blind: it flags each form it forbids."""
    bad = (
        "import os, subprocess\n"
        "os.system('ls ' + p)\n"
        "os.popen(q)\n"
        "subprocess.run(f'grep {q}', shell=True)\n"
        "subprocess.Popen('ls ' + p)\n"
        "os.execvp('sh', ['sh'])\n"
    )
    tree = ast.parse(bad)
    found = [p for node in ast.walk(tree) if isinstance(node, ast.Call) for p in _shell_problems(node, REPO / "x.py")]
    assert len(found) == 6, found
    good = "import subprocess\nsubprocess.run(['ls', p], check=True)\n"
    assert not [p for node in ast.walk(ast.parse(good)) if isinstance(node, ast.Call)
                for p in _shell_problems(node, REPO / "x.py")]


# --- no network ---------------------------------------------------------------------------------------


class NetworkBlocker:
    """Records, and refuses, every attempt to reach another machine (local sockets pass)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.attempts: list[str] = []
        real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

        def refuse(what: str):  # noqa: ANN202
            self.attempts.append(what)
            return OSError(101, "network disabled for this test")

        def connect(sock, address):  # noqa: ANN001, ANN202
            if sock.family == socket.AF_UNIX:
                return real_connect(sock, address)
            raise refuse(f"connect {address!r}")

        def connect_ex(sock, address):  # noqa: ANN001, ANN202
            if sock.family == socket.AF_UNIX:
                return real_connect_ex(sock, address)
            refuse(f"connect_ex {address!r}")
            return 101

        def lookup(name: str):  # noqa: ANN202
            def fake(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
                raise refuse(f"{name} {args[:2]!r}")
            return fake

        monkeypatch.setattr(socket.socket, "connect", connect)
        monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
        for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "create_connection"):
            monkeypatch.setattr(socket, name, lookup(name))


def test_the_blocker_sees_a_request() -> None:
    """The network check is not blind: an ordinary HTTP request is caught."""
    import urllib.request

    with pytest.MonkeyPatch.context() as mp:
        blocker = NetworkBlocker(mp)
        with pytest.raises(OSError):
            urllib.request.urlopen("http://example.com/", timeout=2)
    assert blocker.attempts


def test_indexing_searching_and_the_window_make_no_network_request(
        qtbot, tmp_path: Path, gui_settings, monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001, F811
        capsys: pytest.CaptureFixture) -> None:
    from searchapp import cli

    blocker = NetworkBlocker(monkeypatch)
    folder = hostile_folder(tmp_path / "articles")
    index_dir = tmp_path / "index"
    report = update_index(index_dir, [folder], procs=1)
    assert report.added == 3
    engine = SearchEngine(index_dir)
    for query in ("rbs0001", "rbs0002", "trang", "cần thơ", "example.com"):
        assert engine.search(SearchRequest(query)).error is None
    assert engine.document(str(folder / "page.html"), "rbs0002") is not None
    for args in (["search", "rbs0002", "--json"], ["show", str(folder / "page.html")], ["stats"]):
        assert cli.main([*args, "--index", str(index_dir)]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[0])["total"] == 1

    # The window indexes the folder itself (an empty index), then searches and opens a page.
    gui_settings.set_folders([str(folder)])
    window = open_window(qtbot, tmp_path / "window-index", gui_settings)
    if window.is_indexing():
        with qtbot.waitSignal(window.indexingFinished, timeout=WAIT_MS):
            pass
    result = search_in_window(qtbot, window, "rbs0002")
    assert result.total == 1
    open_row(qtbot, window, 0)
    assert "example.com/y.png" in window.reader.browser.toPlainText()
    window.close()

    assert blocker.attempts == []
    assert "PySide6.QtNetwork" not in sys.modules
    record("network_attempts", len(blocker.attempts))


def test_html_text_with_script_is_not_run_or_kept_as_code(hostile) -> None:  # noqa: ANN001
    """Real <script> and <style> elements of a page are dropped; escaped markup stays text."""
    folder, index_dir = hostile
    document = SearchEngine(index_dir).document(str(folder / "page.html"))
    assert document is not None
    assert "alert(3)" in document.article.title + document.article.body  # the text the page shows
    assert "example.com/a.js" not in document.article.body
    assert not re.search(r"display\s*:\s*none", document.article.body)
