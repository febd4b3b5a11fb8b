"""Word memos: the docx has the Markdown memo's headings, tables and charts, and opens.

python-docx reads what policyeval wrote back; headless LibreOffice (Writer) must
convert it to PDF (skipped with the reason when soffice is missing; CI installs it
with scripts/sysdeps.sh test).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from policyeval.errors import WorkspaceError
from policyeval.reporting import build_report
from policyeval.reporting.docx import markdown_to_docx
from policyeval.reporting.render import FORMATS

TEMPLATES = ("brief", "memo", "full")


@pytest.fixture(scope="module")
def files(shipped_ctx):
    return build_report(shipped_ctx, TEMPLATES, ["md", "docx"])


def _doc(data: bytes):
    return docx.Document(io.BytesIO(data))


def _plain(md: str) -> str:
    """Markdown inline text without its markup (what Word shows)."""
    md = re.sub(r"\*\*(.+?)\*\*", r"\1", md)
    md = re.sub(r"(?<![\w*])\*([^*]+?)\*(?![\w*])", r"\1", md)
    md = re.sub(r"`([^`]+)`", r"\1", md)
    return md.replace("\\|", "|")


def _md_tables(md: str) -> list[tuple[bool, list[list[str]]]]:
    """Each pipe table: (has a header row, its rows as plain text; an empty header left out)."""
    tables, rows = [], []
    for line in [*md.splitlines(), ""]:
        if line.startswith("|"):
            rows.append(line)
        elif rows:
            cells = [[_plain(c.strip()) for c in re.split(r"(?<!\\)\|", r[1:-1])]
                     for r in rows[:1] + rows[2:]]  # fmt: skip
            head = any(cells[0])
            tables.append((head, cells if head else cells[1:]))
            rows = []
    return tables


def test_docx_is_a_format_of_every_template(files):
    assert "docx" in FORMATS
    assert all(f"{name}.docx" in files for name in TEMPLATES)


@pytest.mark.parametrize("name", TEMPLATES)
def test_headings_are_the_memos_with_word_heading_styles(files, name):
    md = files[f"{name}.md"].decode()
    want = [(f"Heading {len(h)}", _plain(t)) for h, t in re.findall(r"^(#{1,3}) (.+)$", md, re.M)]
    got = [(p.style.name, p.text) for p in _doc(files[f"{name}.docx"]).paragraphs
           if p.style.name.startswith("Heading")]  # fmt: skip
    assert got == want and len(want) > 3


@pytest.mark.parametrize("name", TEMPLATES)
def test_tables_hold_the_memos_rows_with_a_header_row(files, name):
    doc = _doc(files[f"{name}.docx"])
    want = _md_tables(files[f"{name}.md"].decode())
    got = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    assert got == [rows for _, rows in want] and want
    for t, (has_header, _) in zip(doc.tables, want):
        assert t.style.name == "Table Grid"
        tr_pr = t.rows[0]._tr.trPr
        repeated = tr_pr is not None and tr_pr.find(docx.oxml.ns.qn("w:tblHeader")) is not None
        assert repeated == has_header
        assert all(bool(r.bold) == has_header for r in t.rows[0].cells[0].paragraphs[0].runs)


@pytest.mark.parametrize("name", TEMPLATES)
def test_one_picture_per_chart_described_by_its_alt_text(files, shipped_ctx, name):
    md = files[f"{name}.md"].decode()
    alts = re.findall(r"^!\[(.+)\]\(" + name + r"_files/[\w-]+\.svg\)$", md, re.M)
    doc = _doc(files[f"{name}.docx"])
    assert [p._inline.docPr.get("descr") for p in doc.inline_shapes] == alts
    assert name == "brief" or alts  # memo and full show charts
    charts = {c["alt"]: c for c in shipped_ctx["charts"]}
    for p in doc.inline_shapes:
        part = doc.part.related_parts[p._inline.graphic.graphicData.pic.blipFill.blip.embed]
        assert part.content_type == "image/png"
        assert part.blob == charts[p._inline.docPr.get("descr")]["png"]()  # that chart's PNG


def test_inline_markup_lists_and_core_properties(files, shipped_ctx):
    doc = _doc(files["memo.docx"])
    props = doc.core_properties
    assert props.title == shipped_ctx["title"]
    assert props.created.date().isoformat() == props.modified.date().isoformat() == "2026-01-31"
    bold = [r.text for p in doc.paragraphs for r in p.runs if r.bold]
    assert any("stands out" in t for t in bold)  # the bottom line's headline is bold
    assert any(p.style.name == "List Bullet" for p in doc.paragraphs)
    assert any(p.style.name == "Caption" and p.text.startswith("Figure 1.") for p in doc.paragraphs)
    assert not any("**" in p.text or "\\|" in p.text for p in doc.paragraphs)


def test_numbered_lists_restart_and_links_are_hyperlinks():
    md = "# T\n\n1. one\n2. two\n\nText with [a link](https://example.org) and _it_.\n\n3. three\n"
    doc = _doc(markdown_to_docx(md, {}, title="T"))
    nums = [p._p.pPr.numPr.numId.val for p in doc.paragraphs if p.style.name == "List Number"]
    assert len(nums) == 3 and nums[0] == nums[1] != nums[2]
    body = doc.element.body.xml
    assert "<w:hyperlink" in body and "https://example.org" in str(
        [r.target_ref for r in doc.part.rels.values()]
    )
    assert [r.text for r in doc.paragraphs[3].runs if r.italic] == ["it"]


def test_same_inputs_give_the_same_bytes(files, shipped_ctx):
    again = build_report(shipped_ctx, ["memo"], ["docx"])
    assert again["memo.docx"] == files["memo.docx"]


def test_reference_document_gives_the_styles(files, shipped_ctx, tmp_path):
    ref = _doc(files["brief.docx"])
    ref.styles["Heading 2"].font.size = docx.shared.Pt(23)
    ref.add_paragraph("text that must not survive")
    ref.save(tmp_path / "reference.docx")
    out = _doc(build_report(shipped_ctx, ["brief"], ["docx"], tmp_path)["brief.docx"])
    assert out.styles["Heading 2"].font.size == docx.shared.Pt(23)
    assert "text that must not survive" not in [p.text for p in out.paragraphs]


def test_unusable_reference_documents_are_input_errors(shipped_ctx, tmp_path):
    (tmp_path / "reference.docx").write_bytes(b"not a zip")
    with pytest.raises(WorkspaceError) as err:
        build_report(shipped_ctx, ["brief"], ["docx"], tmp_path)
    assert err.value.issues[0].code == "docx-reference"
    assert "reports/templates/reference.docx" in err.value.issues[0].file
    bare = docx.Document()
    heading = bare.styles["Heading 3"].element
    heading.getparent().remove(heading)
    bare.save(tmp_path / "reference.docx")
    with pytest.raises(WorkspaceError, match="Heading 3"):
        build_report(shipped_ctx, ["brief"], ["docx"], tmp_path)


def test_an_image_that_is_not_a_chart_is_an_input_error():
    with pytest.raises(WorkspaceError, match="logo.png"):
        markdown_to_docx("# T\n\n![Logo](logo.png)\n", {}, title="T")


@pytest.mark.skipif(
    shutil.which("soffice") is None or not Path("/usr/lib/libreoffice/program/libswlo.so").exists(),
    reason="needs LibreOffice Writer (libreoffice-writer-nogui; scripts/sysdeps.sh test)",
)
def test_libreoffice_opens_it_with_headings_tables_and_figures(files, tmp_path):
    (tmp_path / "memo.docx").write_bytes(files["memo.docx"])
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "memo.docx")],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = tmp_path / "memo.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Bottom line" in text and "Key numbers" in text and "Figure 1." in text
    assert "Packages compared" in text  # a table cell
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True)
    assert len(images.stdout.splitlines()) >= 3  # header, rule and at least the chart
