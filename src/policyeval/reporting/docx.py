"""Word memos: the Markdown memo -> ``.docx`` with python-docx (headings, tables, pictures).

The document is built from the rendered Markdown memo, so its content is exactly
the memo's. The Markdown the templates produce is a small subset, read here:
ATX headings (``#`` to ``###`` become Heading 1-3), paragraphs (lines joined by
a space), bullet (``- ``) and numbered (``1. ``) lists, pipe tables (the first
row is the header row, bold and repeated on every page, unless it is empty; ``---:``
aligns right), images
alone on a line (``![alt](path)``, the charts, as PNG pictures whose
description is the alt text), and inline ``**bold**``, ``*italic*``,
``_italic_``, ```code```, ``[links](url)`` and backslash escapes. A figure
caption (the paragraph right after a picture) takes the Caption style.

The styles, page setup, headers and footers come from a reference document:
``WORKSPACE/reports/templates/reference.docx`` when it exists (its body is
discarded), else python-docx's default document. The bytes are reproducible:
the core properties take the memo's title and date (never the clock) and every
zip entry has the same fixed timestamp.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from policyeval.errors import Issue, WorkspaceError
from policyeval.reporting.format import column_widths

REFERENCE = "reference.docx"
"""File name of the user's reference document in ``WORKSPACE/reports/templates/``."""

TABLE_STYLE = "Table Grid"
TABLE_PT = 9
"""Type size of table text (as the HTML memo's tables, smaller than the body text)."""
STYLES = ("Heading 1", "Heading 2", "Heading 3", "List Bullet", "List Number", "Caption",
          TABLE_STYLE)  # fmt: skip
"""Styles the memo uses; a reference document must define them all."""

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_HEADING = re.compile(r"(#{1,6})\s+(.*?)\s*#*\s*$")
_IMAGE = re.compile(r"!\[(.*)\]\((\S+)\)\s*$")
_BULLET = re.compile(r"[-*+]\s+(.*)")
_NUMBER = re.compile(r"(\d+)[.)]\s+(.*)")
_RULE = re.compile(r"\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_INLINE = re.compile(
    r"`(?P<code>[^`]+)`"
    r"|\*\*(?P<bold>.+?)\*\*"
    r"|(?<![\w*\\])\*(?P<em>[^*\s](?:[^*]*?[^*\s\\])?)\*(?![\w*])"
    r"|(?<![\w\\])_(?P<em2>[^_\s](?:[^_]*?[^_\s\\])?)_(?!\w)"
    r"|\[(?P<text>[^\]]+)\]\((?P<url>[^)\s]+)\)"
    r"|\\(?P<esc>[\\`*_{}\[\]()#+\-.!|<>])"
)


def markdown_to_docx(
    markdown: str,
    pictures: Mapping[str, bytes],
    *,
    title: str,
    date: str = "",
    reference: Path | None = None,
) -> bytes:
    """A Word document (``.docx`` bytes) with the content of a Markdown memo.

    Parameters
    ----------
    markdown : str
        The rendered Markdown memo.
    pictures : mapping
        Image path as the memo writes it (``memo_files/acceptability.svg``) -> PNG bytes.
    title : str
        Document title (core properties).
    date : str
        Memo date ``YYYY-MM-DD``: the document's created and modified dates.
    reference : Path, optional
        A ``.docx`` whose styles and page setup the memo takes (its content is dropped).

    Raises
    ------
    WorkspaceError
        The reference document cannot be read or lacks a style the memo uses, or the
        memo shows an image that is not one of its charts.
    """
    doc = _base(reference)
    _Writer(doc, pictures).write(markdown)
    props = doc.core_properties
    props.title = title
    props.author = props.last_modified_by = "policyeval"
    props.revision = 1
    props.keywords = props.comments = props.category = ""
    if date:
        props.created = props.modified = dt.datetime.fromisoformat(date).replace(tzinfo=dt.UTC)
    buf = io.BytesIO()
    doc.save(buf)
    return _fixed_zip(buf.getvalue())


def _base(reference: Path | None) -> Any:
    """The reference document emptied of its content (styles, sections and headers kept)."""
    import docx

    if reference is None:
        return docx.Document()
    where = f"reports/templates/{REFERENCE}"
    try:
        doc = docx.Document(str(reference))
    except Exception as err:  # python-docx raises several types for a broken package
        fix = "save it again from Word or LibreOffice as .docx, or delete it"
        raise _error("docx-reference", where, f"cannot read it as a Word document ({err}); {fix}"
                     ) from err  # fmt: skip
    missing = [s for s in STYLES if s not in {x.name for x in doc.styles}]
    if missing:
        raise _error("docx-reference", where, f"it lacks the styles {', '.join(missing)}; "
                     "start from a memo written by `policyeval report --format docx`, restyle "
                     f"it and save it as {where}")  # fmt: skip
    body = doc.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    return doc


def _error(code: str, where: str, message: str) -> WorkspaceError:
    return WorkspaceError([Issue(code, message, where, "")])


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry dated :data:`_ZIP_TIME` (reproducible bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, _ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def _blocks(markdown: str) -> Iterator[tuple[str, Any]]:
    """The Markdown's blocks: (kind, data) for heading, image, table, bullets, numbers, para."""
    lines = markdown.splitlines()
    i, n = 0, len(lines)

    def starts_block(line: str) -> bool:
        return bool(
            not line.strip()
            or _HEADING.match(line)
            or _IMAGE.match(line)
            or line.lstrip().startswith("|")
            or _BULLET.match(line)
            or _NUMBER.match(line)
        )

    while i < n:
        line = lines[i]
        if not line.strip():
            i += 1
        elif m := _HEADING.match(line):
            yield "heading", (len(m[1]), m[2])
            i += 1
        elif m := _IMAGE.match(line):
            yield "image", (m[1], m[2])
            i += 1
        elif line.lstrip().startswith("|"):
            rows = []
            while i < n and lines[i].lstrip().startswith("|"):
                rows.append(lines[i].strip())
                i += 1
            yield "table", rows
        elif _BULLET.match(line) or _NUMBER.match(line):
            pattern = _BULLET if _BULLET.match(line) else _NUMBER
            items: list[list[str]] = []
            while i < n and lines[i].strip():
                if m := pattern.match(lines[i]):
                    items.append(list(m.groups()))
                elif starts_block(lines[i]):
                    break
                else:  # a continuation line of the item
                    items[-1][-1] += " " + lines[i].strip()
                i += 1
            yield ("bullets" if pattern is _BULLET else "numbers"), items
        else:
            text = [line.strip()]
            i += 1
            while i < n and not starts_block(lines[i]):
                text.append(lines[i].strip())
                i += 1
            yield "para", " ".join(text)


def _cells(row: str) -> list[str]:
    r"""The cells of a pipe-table row (escaped pipes ``\|`` stay in the cell)."""
    row = row[1:] if row.startswith("|") else row
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    return [c.strip() for c in re.split(r"(?<!\\)\|", row)]


class _Writer:
    """Appends the blocks of a Markdown memo to a python-docx document."""

    def __init__(self, doc: Any, pictures: Mapping[str, bytes]) -> None:
        self.doc = doc
        self.pictures = pictures
        section = doc.sections[-1]
        self.text_width = section.page_width - section.left_margin - section.right_margin

    def write(self, markdown: str) -> None:
        after_image = False
        for kind, data in _blocks(markdown):
            if kind == "para":
                self._para(data, caption=after_image)
            else:
                getattr(self, f"_{kind}")(data)
            after_image = kind == "image"

    def _heading(self, data: tuple[int, str]) -> None:
        level, text = data
        self._inline(self.doc.add_paragraph(style=f"Heading {min(level, 3)}"), text)

    def _para(self, text: str, caption: bool = False) -> None:
        self._inline(self.doc.add_paragraph(style="Caption" if caption else None), text)

    def _bullets(self, items: list[list[str]]) -> None:
        for (text,) in items:
            self._inline(self.doc.add_paragraph(style="List Bullet"), text)

    def _numbers(self, items: list[list[str]]) -> None:
        num_id = self._restart(int(items[0][0]))
        for _, text in items:
            p = self.doc.add_paragraph(style="List Number")
            if num_id is not None:
                num_pr = p._p.get_or_add_pPr().get_or_add_numPr()
                num_pr.get_or_add_ilvl().val = 0
                num_pr.get_or_add_numId().val = num_id
            self._inline(p, text)

    def _restart(self, start: int) -> int | None:
        """A new numbering instance of the List Number style that starts at ``start``."""
        ppr = self.doc.styles["List Number"].element.pPr
        if ppr is None or ppr.numPr is None or ppr.numPr.numId is None:
            return None
        numbering = self.doc.part.numbering_part.element
        abstract = numbering.num_having_numId(ppr.numPr.numId.val).abstractNumId.val
        num = numbering.add_num(abstract)
        num.add_lvlOverride(ilvl=0).add_startOverride(start)
        return num.numId

    def _table(self, rows: list[str]) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.shared import Pt

        body = [_cells(r) for r in rows]
        align: list[str] = []
        if len(body) > 1 and _RULE.match(rows[1]):
            align = [
                "center" if c.startswith(":") and c.endswith(":") else
                "right" if c.endswith(":") else "left"
                for c in body.pop(1)
            ]  # fmt: skip
        header = any(body[0])  # an empty header row (a key-value table) is left out
        body = body if header else body[1:]
        width = max(len(r) for r in body)
        table = self.doc.add_table(rows=len(body), cols=width)
        table.style = TABLE_STYLE
        where = {"right": WD_ALIGN_PARAGRAPH.RIGHT, "center": WD_ALIGN_PARAGRAPH.CENTER}
        for i, row in enumerate(body):
            for j, cell in enumerate(table.rows[i].cells):
                p = cell.paragraphs[0]
                if j < len(align) and align[j] in where:
                    p.alignment = where[align[j]]
                self._inline(p, row[j] if j < len(row) else "", bold=header and i == 0)
                for run in p.runs:
                    run.font.size = Pt(TABLE_PT)
        if header:  # repeated at the top of every page the table runs onto
            table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        self._widths(table, body)

    def _widths(self, table: Any, body: list[list[str]]) -> None:
        """Column widths from their text (:func:`~policyeval.reporting.format.column_widths`)."""
        room = self.text_width / 12700 / (0.55 * TABLE_PT)  # characters across (12,700 EMU a pt)
        chars = column_widths(body, room)
        table.autofit = False
        for col, n in zip(table.columns, chars):
            col.width = width = int(self.text_width * n / sum(chars))
            for cell in col.cells:
                cell.width = width

    def _image(self, data: tuple[str, str]) -> None:
        alt, path = data
        if path not in self.pictures:
            raise _error("docx-image", path, f"the memo shows the image '{path}', which is not "
                         "one of its charts; a Word memo can only show the charts (remove the "
                         "image from the template or use --format md, html or pdf)")  # fmt: skip
        p = self.doc.add_paragraph()
        run = p.add_run()
        shape = run.add_picture(io.BytesIO(self.pictures[path]))
        if shape.width > self.text_width:
            shape.height = int(shape.height * self.text_width / shape.width)
            shape.width = self.text_width
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", alt)
        doc_pr.set("name", Path(path).stem)

    def _inline(self, p: Any, text: str, bold: bool = False, italic: bool = False,
                code: bool = False) -> None:  # fmt: skip
        """Runs of ``text`` with its inline Markdown formatting."""
        at = 0
        for m in _INLINE.finditer(text):
            self._run(p, text[at : m.start()], bold, italic, code)
            at = m.end()
            if m["code"] is not None:
                self._run(p, m["code"], bold, italic, True)
            elif m["bold"] is not None:
                self._inline(p, m["bold"], True, italic)
            elif m["em"] is not None or m["em2"] is not None:
                self._inline(p, m["em"] if m["em"] is not None else m["em2"], bold, True)
            elif m["url"] is not None:
                self._link(p, m["text"], m["url"], bold, italic)
            else:
                self._run(p, m["esc"], bold, italic, code)
        self._run(p, text[at:], bold, italic, code)

    @staticmethod
    def _run(p: Any, text: str, bold: bool, italic: bool, code: bool) -> Any:
        if not text:
            return None
        run = p.add_run(text)
        run.bold = bold or None
        run.italic = italic or None
        if code:
            run.font.name = "DejaVu Sans Mono"
        return run

    def _link(self, p: Any, text: str, url: str, bold: bool, italic: bool) -> None:
        """An external hyperlink (blue, underlined) around the link text."""
        from docx.opc.constants import RELATIONSHIP_TYPE
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import RGBColor

        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), p.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True))
        run = self._run(p, text, bold, italic, False)
        if run is None:
            return
        run.underline = True
        run.font.color.rgb = RGBColor(0x1F, 0x4E, 0x79)
        link.append(run._r)
        p._p.append(link)
