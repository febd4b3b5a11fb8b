"""Policy memos: results -> context (pure) -> Jinja2 templates -> md, html, pdf, docx.

:func:`build_report` renders every requested template and format in memory
(nothing is written if anything fails); :func:`write_report` writes the
files atomically. See ``context`` for the hedging rules and ``render`` for
the template sandbox.
"""

from __future__ import annotations

import base64
import html as html_lib
import re
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policyeval import forked
from policyeval.reporting.render import FORMATS, TEMPLATES, render, write_files

FIGURES: dict[str, tuple[str, ...] | None] = {
    "brief": (),
    "memo": ("acceptability",),
    "full": None,
}
"""Charts each template shows (None: all), numbered in the order the document shows them."""

if TYPE_CHECKING:
    from policyeval.analysis import Analysis

__all__ = ["FORMATS", "TEMPLATES", "build_report", "report_context", "write_report"]


def report_context(
    a: Analysis,
    *,
    date: str = "",
    seed: int = 0,
    samples: int = 10_000,
    command: Mapping[str, Any] | None = None,
    versions: Mapping[str, str] | None = None,
    templates: Sequence[str] = (),
    formats: Sequence[str] = ("md",),
) -> dict[str, Any]:
    """The memo context of an analysis, charts included.

    Parameters
    ----------
    a : Analysis
        The analysis (its case, weights and cached results).
    date : str
        Memo date (``YYYY-MM-DD``), printed and stored in the PDF metadata.
    seed, samples : int
        Monte Carlo settings.
    command : dict, optional
        Command-line options that reproduce the report (for provenance).
    versions : dict, optional
        Package versions to print (default: the installed ones; tests pin them).
    templates, formats : sequence of str
        The templates and formats that will be rendered: their charts are drawn by worker
        processes, in the kinds those formats show (SVG, PNG), from the moment their data
        is known (:func:`build_report` takes them from there).
    """
    from policyeval import next_steps
    from policyeval.reporting.context import build_context
    from policyeval.reporting.provenance import file_hashes, package_versions, reproduce_command

    pid = a.profile or "current"
    args = {"profile": pid, "date": date or None, "seed": seed, "samples": samples}
    args.update(command or {})
    provenance = {
        "files": file_hashes(a.case.digests),
        "versions": dict(versions) if versions is not None else package_versions(),
        "command": reproduce_command(args),
    }
    # The value of information (many small regressions, mostly holding the GIL) runs in a
    # child process beside the memo's other results (what both read is computed first,
    # once); drawing, matplotlib's import included, in others, from the moment the charts'
    # data is known, while the decision record and the texts are written.
    a.problem(a.subject_packages())
    a.profiles()
    with forked.submit(a.next_steps, max(samples, 2), seed) as voi:
        ctx = build_context(a, date=date, seed=seed, samples=samples, provenance=provenance)
        wanted = {c["id"]: c for name in templates for c in _shown(ctx["charts"], name)}
        ctx["drawing"] = Drawing(list(wanted.values()), _kinds(formats))
        ctx["next_steps"] = voi.result()
    ctx["voi"] = next_steps.section(ctx["next_steps"])
    return ctx


def _shown(figures: Sequence[Mapping[str, Any]], template: str) -> list[Mapping[str, Any]]:
    """The charts of ``figures`` that ``template`` shows (:data:`FIGURES`)."""
    shown = FIGURES.get(template)
    return [c for c in figures if shown is None or c["id"] in shown]


def _kinds(formats: Sequence[str]) -> tuple[str, ...]:
    """What the drawing workers draw for ``formats``: SVG for Markdown, HTML and PDF, PNG
    pictures for Word memos (each chart once, however many documents show it)."""
    svg = ("svg",) if {"md", "html", "pdf"} & set(formats) else ()
    return svg + (("png",) if "docx" in formats else ())


_DRAWN_BY = {"svg": "render", "png": "png"}
"""Kind of chart -> the figure's function that draws it."""


def _draw(figures: Sequence[Mapping[str, Any]], kinds: Sequence[str]) -> dict[tuple, Any]:
    """(chart id, kind) -> the chart drawn as that kind, for each of ``figures``."""
    return {(c["id"], kind): c[_DRAWN_BY[kind]]() for c in figures for kind in kinds}


class Drawing:
    """Charts drawn by worker processes (:mod:`policyeval.forked`) as ``kinds`` (svg, png).

    The figures are shared out between up to :func:`policyeval.forked.workers` children,
    the costliest first to the least loaded (``cost``: a figure's area); a chart or kind
    no child drew is drawn in the process that first asks for it, once.
    """

    def __init__(self, figures: Sequence[Mapping[str, Any]] = (), kinds: Sequence[str] = ()):
        parts: list[list[Mapping[str, Any]]] = [[] for _ in figures[: forked.workers()]]
        for c in sorted(figures, key=lambda c: -c["cost"]):
            min(parts, key=lambda part: sum(f["cost"] for f in part)).append(c)
        jobs = [forked.submit(_draw, part, kinds) for part in parts]
        self._jobs = {c["id"]: job for part, job in zip(parts, jobs) for c in part}
        self._done: dict[tuple, Any] = {}

    def get(self, c: Mapping[str, Any], kind: str) -> Any:
        """Chart ``c`` drawn as ``kind`` (``svg``: inline SVG text, ``png``: PNG bytes)."""
        key = (c["id"], kind)
        if key not in self._done and c["id"] in self._jobs:
            self._done.update(self._jobs[c["id"]].result())
        if key not in self._done:
            self._done[key] = c[_DRAWN_BY[kind]]()
        return self._done[key]

    def finish(self) -> None:
        """Collect every child's charts (before forking others: they inherit them, not pipes)."""
        for job in self._jobs.values():
            self._done.update(job.result())


def build_report(
    ctx: Mapping[str, Any],
    templates: Sequence[str] = ("memo",),
    formats: Sequence[str] = ("md",),
    user_dir: Path | None = None,
    made: Callable[[str], Any] | None = None,
) -> dict[str, bytes]:
    """Render ``templates`` x ``formats`` in memory: relative path -> bytes.

    ``made`` is called with the name of each PDF and Word file as it is made (they take
    most of the time; the others are made first).

    Markdown memos reference their charts as ``NAME_files/ID.svg``; those SVG
    files are part of the result. HTML inlines them; PDF is the HTML page typeset by
    Typst (:mod:`policyeval.reporting.pdf`), each chart an ``<img>`` of its SVG;
    Word (docx) is the Markdown memo with the charts as PNG pictures, styled by
    ``user_dir/reference.docx`` when it exists.
    """
    from policyeval.reporting.pdf import html_to_pdf

    # the charts report_context has had drawn meanwhile (each chart drawn once)
    drawing = ctx.get("drawing") or Drawing()
    pages, texts, htmls = {}, {}, {}
    for name in templates:  # the texts first: they need no chart, only its place
        files_dir = f"{name}_files"
        figures = [{**c, "svg": _CHART.format(c["id"]), "number": _FIG.format(c["id"])}
                   for c in _shown(ctx["charts"], name)]  # fmt: skip
        pages[name] = page = {**ctx, "files_dir": files_dir, "charts": figures}
        if {"md", "docx"} & set(formats):
            texts[name] = re.sub(r"\n{3,}", "\n\n", _number(render(page, name, "md", user_dir)))
        if {"html", "pdf"} & set(formats):
            htmls[name] = _number(render(page, name, "html", user_dir))

    # PDF and Word files are made side by side, the longest first, each as soon as its
    # charts are in (a PDF shows its charts as SVG images, a Word memo as PNG pictures)
    printing: forked.Pool[str, bytes]
    with forked.Pool() as printing:  # its children stopped on an error
        for name in sorted(templates, key=lambda n: -len(htmls.get(n) or texts.get(n, ""))):
            page, figures = pages[name], pages[name]["charts"]
            if "pdf" in formats:
                html = _charts_in(htmls[name], figures, partial(_image, drawing))
                printing.add(f"{name}.pdf", partial(html_to_pdf, html), 0.1 + len(html) / 1.5e6)
            if "docx" in formats:
                shown = _shown_in(texts[name], figures, page["files_dir"])
                drawing.finish()  # a worker inherits the charts drawn, not the pipes they come by
                pictures = {f"{page['files_dir']}/{c['id']}.svg": partial(drawing.get, c, "png")
                            for c in shown}  # fmt: skip
                printing.add(f"{name}.docx", partial(_docx, page, texts[name], pictures, user_dir),
                             0.25 * len(shown) + len(texts[name]) / 100e3)  # fmt: skip

        out: dict[str, bytes] = {}
        for name in templates:
            files_dir, figures = pages[name]["files_dir"], pages[name]["charts"]
            for fmt in formats:
                if fmt == "md":
                    out[f"{name}.md"] = texts[name].encode()
                    for c in sorted(
                        _shown_in(texts[name], figures, files_dir), key=lambda c: c["id"]
                    ):
                        out[f"{files_dir}/{c['id']}.svg"] = drawing.get(c, "svg").encode()
                elif fmt == "html":  # inline SVG: its text can be selected, searched, zoomed
                    html = _charts_in(htmls[name], figures, lambda c: drawing.get(c, "svg"))
                    out[f"{name}.html"] = html.encode()
                else:
                    out[f"{name}.{fmt}"] = b""  # its place in the order of files
        out.update(printing.results(made))
        return out


_FIG = "\x00fig:{}\x00"
_CHART = "\x00chart:{}\x00"


def _charts_in(html: str, figures: Sequence[Mapping[str, Any]],
               show: Callable[[Mapping[str, Any]], str]) -> str:  # fmt: skip
    """``html`` with each chart a template showed (:data:`_CHART`) as ``show(chart)``.

    A placeholder naming no chart of ``figures`` (a template can write one) shows nothing.
    """
    by_id = {c["id"]: c for c in figures}
    return re.sub(
        "\x00chart:([\\w-]+)\x00",
        lambda m: show(by_id[m.group(1)]) if m.group(1) in by_id else "",
        html,
    )


def _shown_in(text: str, figures: Sequence[Mapping[str, Any]], files_dir: str) -> list:
    """The charts of ``figures`` a Markdown memo ``text`` shows (``files_dir/ID.svg``)."""
    ids = set(re.findall(rf"{re.escape(files_dir)}/([\w-]+)\.svg", text))
    return [c for c in figures if c["id"] in ids]


def _image(drawing: Drawing, c: Mapping[str, Any]) -> str:
    """Chart ``c`` as an ``<img>`` of its SVG, with its alt text (the page typeset as PDF:
    :mod:`policyeval.reporting.typeset` shows images, not inline SVG)."""
    data = base64.b64encode(drawing.get(c, "svg").encode()).decode()
    return f'<img alt="{html_lib.escape(c["alt"])}" src="data:image/svg+xml;base64,{data}">'


def _docx(page: Mapping[str, Any], text: str, pictures: Mapping[str, Callable[[], bytes]],
          user_dir: Path | None) -> bytes:  # fmt: skip
    """The Markdown memo ``text`` as a Word document, with ``pictures`` (path -> its PNG)."""
    from policyeval.reporting.docx import REFERENCE, markdown_to_docx

    reference = user_dir / REFERENCE if user_dir is not None else None
    return markdown_to_docx(
        text,
        {path: png() for path, png in pictures.items()},
        title=page["title"],
        date=page.get("date") or "",
        reference=reference if reference is not None and reference.is_file() else None,
    )


def _number(text: str) -> str:
    """Number the figures in the order the document shows them (1, 2, ...).

    Templates print each figure's number as a placeholder; a figure keeps one
    number wherever it is referred to again.
    """
    numbers: dict[str, int] = {}

    def sub(m: re.Match[str]) -> str:
        return str(numbers.setdefault(m.group(1), len(numbers) + 1))

    return re.sub("\x00fig:([\\w-]+)\x00", sub, text)


def write_report(files: Mapping[str, bytes], out: Path) -> list[Path]:
    """Write rendered files under ``out`` atomically; returns the paths written."""
    return write_files(out, files)
