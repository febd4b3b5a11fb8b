"""Workspace templates that attack (attack report 2026-11-30, surface 3): resource bombs,
recursion, symlinks out of the folder, and memos that try to fetch or embed files.

Each gives exit 2 with one message naming the template, quickly, writes nothing, and
fetches nothing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from catalog.test_catalog import problem_lines
from typer.testing import CliRunner
from workspaces import tiny_spec, write_workspace

from policyeval.cli.app import app
from policyeval.reporting.render import CSP_META

runner = CliRunner()
MEMO = "reports/templates/memo.md.j2"
HTML = "reports/templates/memo.html.j2"

BOMBS = {
    "range 10**9": "{% for i in range(10**9) %}x{% endfor %}",
    "text times 10**10": "{{ 'a' * 10**10 }}",
    "text times 10**9": "{{ 'a' * (10**9) }}",
    "list times 10**9": "{{ [1] * 10**9 }}",
    "center 10**10": "{{ 'a'|center(10**10) }}",
    "indent 10**10": "{{ 'a\\n'|indent(10**10) }}",
    "ljust method": "{{ 'a'.ljust(10**10) }}",
    "format width": "{{ '{:>10000000000}'.format('a') }}",
    "format_map width": "{{ '{:>10000000000}'.format_map({}) }}",
    "percent width": "{{ '%10000000000s' % 'a' }}",
    "format filter width": "{{ '%10000000000s'|format('a') }}",
    "huge power": "{{ 10 ** (10 ** 8) }}",
    "nested join": "{% set a = ['x' * 10000] * 1000 %}{{ ([a|join] * 1000)|join }}",
    "nested loops": "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}"
    "{% endfor %}",
    "output flood": "{% set x = 'a' * 1000000 %}{% for i in range(100000) %}{{ x }}{% endfor %}",
    "recursive macro": "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
    "self include": '{% include "memo.md.j2" %}',
    "self extends": '{% extends "memo.md.j2" %}',
    "format_map index": "{{ '{0.__class__}'.format_map({}) }}",
    "mro escape": "{{ ''.__class__.__mro__ }}",
    "include passwd": '{% include "/etc/passwd" %}',
    "include parent": '{% include "../../criteria/criteria.yaml" %}',
}


def workspace(tmp_path: Path, files: dict[str, str]) -> Path:
    spec: dict = {**tiny_spec(), **files}
    return write_workspace(tmp_path / "ws", spec)


def report(root: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(
        app, ["report", "-w", str(root), "--samples", "64", "--date", "2026-01-02", *args]
    )
    return result.exit_code, result.stderr


@pytest.mark.parametrize("text", BOMBS.values(), ids=BOMBS.keys())
def test_a_template_bomb_is_an_input_error_quickly(tmp_path: Path, text: str) -> None:
    root = workspace(tmp_path, {MEMO: text})
    start = time.perf_counter()
    code, stderr = report(root, "--out", str(tmp_path / "out"))
    assert code == 2, stderr
    [line] = problem_lines(stderr)
    assert line.startswith("reports/templates/memo.md.j2"), line
    assert time.perf_counter() - start < 30
    assert not (tmp_path / "out").exists()


def test_a_symlink_out_of_the_template_folder_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    root = workspace(tmp_path, {MEMO: '{% include "notes.txt" %}'})
    (root / "reports/templates/notes.txt").symlink_to(secret)
    code, stderr = report(root, "--out", str(tmp_path / "out"))
    assert code == 2 and "symlink" in stderr and "TOP SECRET" not in stderr
    assert not (tmp_path / "out").exists()


def test_a_template_folder_linked_elsewhere_is_refused(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "memo.md.j2").write_text("{{ title }}")
    root = workspace(tmp_path, {})
    (root / "reports").mkdir()
    (root / "reports/templates").symlink_to(elsewhere)
    code, stderr = report(root, "--out", str(tmp_path / "out"))
    assert code == 2 and "outside the workspace" in stderr


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server recording every request it gets."""
    hits: list[str] = []

    class Record(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args: object) -> None:
            pass

    srv = HTTPServer(("127.0.0.1", 0), Record)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}", hits
    srv.shutdown()
    srv.server_close()


FETCHES = {
    "attachment file": '<link rel="attachment" href="file:///etc/passwd">',
    "stylesheet http": '<link rel="stylesheet" href="{url}/x.css?t={{{{ title|urlencode }}}}">',
    "css url file": "<style>body {{ background: url(file:///etc/hostname) }}</style>",
    "css import http": "<style>@import url({url}/imp.css);</style>",
    "img http": '<img src="{url}/beacon.png?title={{{{ title|urlencode }}}}">',
    "object data": '<object data="file:///etc/passwd"></object>',
}


@pytest.mark.parametrize("tag", FETCHES.values(), ids=FETCHES.keys())
def test_the_pdf_renderer_fetches_nothing(
    tmp_path: Path, listener: tuple[str, list[str]], tag: str
) -> None:
    url, hits = listener
    page = f"<html><head>{tag.format(url=url)}</head><body><p>{{{{ title }}}}</p></body></html>"
    root = workspace(tmp_path, {HTML: page})
    code, stderr = report(root, "-f", "pdf", "--out", str(tmp_path / "out"))
    assert hits == []
    assert code == 2, stderr
    [line] = problem_lines(stderr)
    assert "may load nothing" in line
    assert not (tmp_path / "out").exists()


def test_data_uris_still_render(tmp_path: Path) -> None:
    pixel = "data:image/gif;base64,R0lGODlhAQABAAAAACw="
    page = f'<html><head></head><body><img src="{pixel}"><p>{{{{ title }}}}</p></body></html>'
    root = workspace(tmp_path, {HTML: page})
    code, stderr = report(root, "-f", "pdf,html", "--out", str(tmp_path / "out"))
    assert code == 0, stderr
    assert (tmp_path / "out/memo.pdf").read_bytes().startswith(b"%PDF")
    html = (tmp_path / "out/memo.html").read_text()
    assert html.index(CSP_META) < html.index("<body>")


def test_a_forged_chart_placeholder_shows_nothing(tmp_path: Path) -> None:
    """Charts and figure numbers have placeholders in a rendered page; one a template writes
    itself, naming no chart, is dropped (it was an internal error)."""
    forged = '{{ "\\x00chart:nope\\x00" }} Figure {{ "\\x00fig:nope\\x00" }}'
    page = f"<html><body>{forged}</body></html>"
    root = workspace(tmp_path, {HTML: page})
    code, stderr = report(root, "-f", "html", "--out", str(tmp_path / "out"))
    assert code == 0, stderr
    html = (tmp_path / "out/memo.html").read_text()
    assert "\x00" not in html and "nope" not in html and "Figure 1" in html


def test_html_memos_escape_user_text_and_forbid_external_loads(tmp_path: Path) -> None:
    spec = tiny_spec()
    evil = "<script>alert(1)</script><img src=x onerror=alert(2)><link rel=attachment href=x>"
    spec["criteria/criteria.yaml"]["title"] = evil
    spec["options/alpha.yaml"]["scores"]["benefit"]["rationale"] = evil
    spec["options/alpha.yaml"]["title"] = evil
    root = write_workspace(tmp_path / "ws", spec)
    code, stderr = report(root, "-t", "all", "-f", "html", "--out", str(tmp_path / "out"))
    assert code == 0, stderr
    for name in ("brief", "memo", "full"):
        html = (tmp_path / f"out/{name}.html").read_text()
        assert "<script>" not in html and "<img src=x" not in html and "&lt;script&gt;" in html
        assert "<link rel=attachment" not in html
        assert CSP_META.replace("'", "&#39;") in html or CSP_META in html
        assert "default-src 'none'" in html


def test_a_syntax_error_names_the_template_inside_the_workspace(tmp_path: Path) -> None:
    root = workspace(tmp_path, {MEMO: "{% for x in %}"})
    code, stderr = report(root.resolve(), "--out", str(tmp_path / "out"))
    assert code == 2
    [line] = problem_lines(stderr)
    assert line.startswith("reports/templates/memo.md.j2: line 1: template syntax error"), line
