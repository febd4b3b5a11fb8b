"""The PDF memo: the HTML page typeset by Typst (policyeval.reporting.typeset and .pdf).

Checked by reading the PDFs back with poppler (pdftotext, pdfinfo, pdffonts; skipped
without it) and by hand computations of the print settings and the tables' columns.
"""

from __future__ import annotations

import base64
import html
import io
import os
import re
import shutil
import subprocess
import sys
import textwrap
import urllib.parse

import pytest

from policyeval.reporting import build_report
from policyeval.reporting.pdf import html_to_pdf
from policyeval.reporting.typeset import PT, Print, typeset

needs_poppler = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("pdfinfo", "pdftotext", "pdffonts")),
    reason="needs poppler-utils (pdfinfo, pdftotext, pdffonts) to read the PDF",
)


def _page(body: str, head: str = "") -> str:
    return f'<html lang="en"><head><title>Test page</title>{head}</head><body>{body}</body></html>'


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "page.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout


def test_print_settings_come_from_the_pages_css(shipped_ctx):
    """The memo's CSS (templates/memo.html.j2 over _base.html.j2) by hand: 8.3 pt text,
    margins 11 13 12 13 mm, line height 1.35, charts at most 6.5 cm high; the brief's
    9 mm 12 mm margins (two values: top and bottom, left and right)."""
    pages = build_report(shipped_ctx, ["memo", "brief"], ["html"])
    css = {n: "".join(re.findall(r"<style>(.*?)</style>", pages[f"{n}.html"].decode(), re.S))
           for n in ("memo", "brief")}  # fmt: skip
    memo, brief = Print.of(css["memo"]), Print.of(css["brief"])
    mm = PT["mm"]
    assert memo.size == pytest.approx(8.3) and brief.size == pytest.approx(7.9)
    assert memo.margins == pytest.approx((11 * mm, 13 * mm, 12 * mm, 13 * mm))
    assert brief.margins == pytest.approx((9 * mm, 12 * mm, 9 * mm, 12 * mm))
    assert memo.line_height == pytest.approx(1.35)
    assert memo.chart_height == pytest.approx(6.5 * PT["cm"])
    assert memo.space("h2", 0) == pytest.approx(0.8 * 1.25)  # h2 { margin: .8em 0 .3em }
    assert Print.of("").size == 10.0  # no CSS: the defaults of _base.html.j2


def test_text_of_the_page_is_never_typst_code():
    """Every text goes into the source as a string literal: Typst's markup and code in a
    page (from a template or a workspace's titles) are shown, never run."""
    hostile = '#read("/etc/passwd") $x^2$ \\ "quoted" ] [ *bold* _em_ = heading <label> @ref'
    shown = html.escape(hostile, quote=False)
    source = typeset(_page(f"<h2>{shown}</h2><p>{shown}</p>"))
    body = source[source.index("#heading") :]
    literal = '#"' + hostile.replace("\\", "\\\\").replace('"', '\\"') + '"'
    assert body.count(literal) == 2
    assert "read(" not in body.replace(literal, "")


@needs_poppler
def test_hostile_text_comes_out_as_text(tmp_path):
    hostile = '#read("/etc/passwd") $x^2$ \\ "q" ] [ *b* = h'
    text = _text(html_to_pdf(_page(f"<p>{hostile}</p><p>{'<b>' * 3000}deep</p>")), tmp_path)
    assert hostile in text and "deep" in text  # 3,000 nested elements typeset too
    assert "root:" not in text


def test_columns_of_numbers_fit_their_numbers_and_text_shares_the_rest():
    """A column of numbers (class num) is as wide as its widest number or heading word
    plus 2.5 characters: "12.5%" is 5 characters and a digit counts 1.3, so
    (5 + 0.3 * 3 + 2.5) * 0.55 * 0.85 * 10 pt = 39.3 pt; the text column takes the rest."""
    page = _page('<table><thead><tr><th>Criterion</th><th class="num">Wt</th></tr></thead>'
                 '<tbody><tr><td>Curbs radicalization</td><td class="num">12.5%</td></tr>'
                 "</tbody></table>")  # fmt: skip
    source = typeset(page)
    assert re.search(r"#table\(columns: \([\d.]+fr, 39\.3pt,\)", source), source[-400:]
    assert "table.header(" in source  # repeated on every page the table runs onto


def _png(width: int, height: int) -> str:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def test_pictures_keep_their_size_within_the_page():
    """A picture is shown at its own size (a pixel is 0.75 pt, as a CSS px), at most the
    text's width (A4 595.28 pt less the default margins, 2 x 16 mm) and the charts'
    largest height; one that cannot be read shows nothing, as in a browser."""
    width = 595.28 - 2 * 16 * PT["mm"]
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="2000pt" height="100pt"></svg>'
    tall = '<svg xmlns="http://www.w3.org/2000/svg" width="100pt" height="2000pt"></svg>'
    src = typeset(_page(
        f'<img alt="small" src="{_png(100, 50)}">'
        f'<img alt="wide" src="data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}">'  # noqa: E501
        f'<img alt="tall" src="data:image/svg+xml,{urllib.parse.quote(tall)}">'
        '<img alt="broken" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
    ))  # fmt: skip
    widths = dict(re.findall(r'width: ([\d.]+)pt, alt: "(\w+)"', src))
    assert {v: float(k) for k, v in widths.items()} == pytest.approx(
        {"small": 75.0, "wide": round(width, 1), "tall": round(100 * 21 * PT["cm"] / 2000, 1)},
        abs=0.06,
    )  # fmt: skip


@needs_poppler
def test_the_pdf_uses_only_the_fonts_that_come_with_matplotlib(shipped_ctx, tmp_path):
    """Reproducible on any machine: the system's fonts are never looked at."""
    path = tmp_path / "brief.pdf"
    path.write_bytes(build_report(shipped_ctx, ["brief"], ["pdf"])["brief.pdf"])
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    names = [line.split()[0] for line in fonts.splitlines()[2:] if line.strip()]
    assert names and all(re.fullmatch(r"[A-Z]{6}\+DejaVuSans[\w-]*", n) for n in names), names


@needs_poppler
def test_a_page_without_a_date_gets_none_from_the_clock(tmp_path):
    path = tmp_path / "page.pdf"
    path.write_bytes(html_to_pdf(_page("<p>Undated</p>")))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "CreationDate" not in info and "ModDate" not in info
    dated = _page("<p>Dated</p>", '<meta name="dcterms.created" content="2026-11-28">')
    path.write_bytes(html_to_pdf(dated))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert re.search(r"CreationDate:.*Nov 28 .*2026", info), info


def test_typst_never_runs_in_a_process_that_forks_after():
    """Typst keeps worker threads after a compile, and a child forked after that waits for
    ever for them: the PDF is typeset in a process of its own, so a PDF made here leaves
    the forked workers able to make theirs (on the old code, in-process, the child hangs)."""
    script = textwrap.dedent("""
        import sys
        from policyeval import forked
        from policyeval.reporting.pdf import html_to_pdf
        page = '<html lang="en"><head><title>T</title></head><body><p>x</p></body></html>'
        assert html_to_pdf(page).startswith(b"%PDF") and "typst" not in sys.modules
        assert forked.can_fork()
        with forked.submit(html_to_pdf, page) as job:
            assert job.result().startswith(b"%PDF")
        print("ok")
    """)  # fmt: skip
    env = {**os.environ, "POLICYEVAL_WORKERS": "2"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, env=env)  # fmt: skip
    assert done.stdout.strip() == "ok", done.stderr


def test_a_table_with_odd_spans_typesets():
    """A ``colspan`` that is not a number counts as 1 (it stopped the PDF with a traceback);
    a short row is filled with empty cells."""
    page = _page('<table><tr><td colspan="x">a</td><td colspan="2">b</td></tr>'
                 "<tr><td>c</td></tr></table>")  # fmt: skip
    source = typeset(page)
    assert '[#"a"], table.cell(colspan: 2)[#"b"], [#"c"], [], []' in source
    assert html_to_pdf(page).startswith(b"%PDF")
