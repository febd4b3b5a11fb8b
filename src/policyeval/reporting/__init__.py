"""Policy memos: results -> context (pure) -> Jinja2 templates -> md, html, pdf, docx.

:func:`build_report` renders every requested template and format in memory
(nothing is written if anything fails); :func:`write_report` writes the
files atomically. See ``context`` for the hedging rules and ``render`` for
the template sandbox.
"""

from __future__ import annotations

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
    templates : sequence of str
        The templates that will be rendered: their charts are drawn by a worker process
        from the moment their data is known (:func:`build_report` takes them from it).
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
    # once); drawing, matplotlib's import included, in another, from the moment the charts'
    # data is known, while the decision record and the texts are written.
    a.problem(a.subject_packages())
    a.profiles()
    with forked.submit(a.next_steps, max(samples, 2), seed) as voi:
        ctx = build_context(a, date=date, seed=seed, samples=samples, provenance=provenance)
        wanted = {c["id"]: c for name in templates for c in _shown(ctx["charts"], name)}
        ctx["drawing"] = forked.submit(_draw, list(wanted.values())) if wanted else None
        ctx["next_steps"] = voi.result()
    ctx["voi"] = next_steps.section(ctx["next_steps"])
    return ctx


def _shown(figures: Sequence[Mapping[str, Any]], template: str) -> list[Mapping[str, Any]]:
    """The charts of ``figures`` that ``template`` shows (:data:`FIGURES`)."""
    shown = FIGURES.get(template)
    return [c for c in figures if shown is None or c["id"] in shown]


def _draw(figures: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Chart id -> its inline SVG, for each of ``figures``."""
    return {c["id"]: c["render"]() for c in figures}


class _Drawn:
    """A chart's SVG as a template shows it, fetched when first shown (Jinja's ``safe``)."""

    def __init__(self, svg: Callable[[], str]) -> None:
        self._svg = svg

    def __html__(self) -> str:
        return self._svg()

    __str__ = __html__


def build_report(
    ctx: Mapping[str, Any],
    templates: Sequence[str] = ("memo",),
    formats: Sequence[str] = ("md",),
    user_dir: Path | None = None,
) -> dict[str, bytes]:
    """Render ``templates`` x ``formats`` in memory: relative path -> bytes.

    Markdown memos reference their charts as ``NAME_files/ID.svg``; those SVG
    files are part of the result. HTML inlines them; PDF is the HTML printed;
    Word (docx) is the Markdown memo with the charts as PNG pictures, styled by
    ``user_dir/reference.docx`` when it exists.
    """
    from policyeval.reporting.pdf import html_to_pdf

    out: dict[str, bytes] = {}
    svgs: dict[str, str] = {}  # each chart drawn once, and only when a template shows it
    pngs: dict[str, bytes] = {}  # the same for Word memos made in one process
    printed: dict[str, Callable[[], bytes]] = {}  # PDF and Word files, made side by side
    seconds: dict[str, float] = {}  # about how long each takes (measured on the shipped case)
    drawing = ctx.get("drawing")  # the charts report_context had drawn meanwhile

    def svg(c: Mapping[str, Any]) -> str:
        if c["id"] not in svgs and drawing is not None:
            svgs.update(drawing.result())
        if c["id"] not in svgs:
            svgs[c["id"]] = c["render"]()
        return svgs[c["id"]]

    for name in templates:
        files_dir = f"{name}_files"
        figures = [{**c, "svg": _Drawn(partial(svg, c)), "number": _FIG.format(c["id"])}
                   for c in _shown(ctx["charts"], name)]  # fmt: skip
        page = {**ctx, "files_dir": files_dir, "charts": figures}
        html = text = None
        for fmt in formats:
            if fmt in ("md", "docx"):
                text = text or re.sub(
                    r"\n{3,}", "\n\n", _number(render(page, name, "md", user_dir))
                )
                shown_ids = set(re.findall(rf"{re.escape(files_dir)}/([\w-]+)\.svg", text))
            if fmt == "md":
                out[f"{name}.md"] = text.encode()
                for c in sorted(figures, key=lambda c: c["id"]):
                    if c["id"] in shown_ids:
                        out[f"{files_dir}/{c['id']}.svg"] = str(c["svg"]).encode()
            elif fmt == "docx":
                out[f"{name}.docx"] = b""  # its place in the order of files
                printed[f"{name}.docx"] = partial(_docx, page, text, shown_ids, pngs, user_dir)
                seconds[f"{name}.docx"] = 0.25 * len(shown_ids) + len(text) / 100e3
            else:
                html = html or _number(render(page, name, "html", user_dir))
                if fmt == "html":
                    out[f"{name}.html"] = html.encode()
                else:
                    out[f"{name}.pdf"] = b""  # its place in the order of files
                    printed[f"{name}.pdf"] = partial(html_to_pdf, html)
                    seconds[f"{name}.pdf"] = 0.4 + len(html) / 90e3
    out.update(forked.run_all(printed, cost=seconds.__getitem__))
    return out


_FIG = "\x00fig:{}\x00"


def _docx(page: Mapping[str, Any], text: str, shown: set[str], pngs: dict[str, bytes],
          user_dir: Path | None) -> bytes:  # fmt: skip
    """The Markdown memo ``text`` as a Word document; each chart drawn as PNG once (``pngs``)."""
    from policyeval.reporting.docx import REFERENCE, markdown_to_docx

    pictures = {}
    for c in page["charts"]:
        if c["id"] in shown:
            if c["id"] not in pngs:
                pngs[c["id"]] = c["png"]()
            pictures[f"{page['files_dir']}/{c['id']}.svg"] = pngs[c["id"]]
    reference = user_dir / REFERENCE if user_dir is not None else None
    return markdown_to_docx(
        text,
        pictures,
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
