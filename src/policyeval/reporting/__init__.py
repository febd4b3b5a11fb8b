"""Policy memos: results -> context (pure) -> Jinja2 templates -> md, html, pdf, docx.

:func:`build_report` renders every requested template and format in memory
(nothing is written if anything fails); :func:`write_report` writes the
files atomically. See ``context`` for the hedging rules and ``render`` for
the template sandbox.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policyeval import charts, forked
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
    # child process beside the memo's other results; what both read is computed first, once.
    a.problem(a.subject_packages())
    a.profiles()
    with forked.submit(a.next_steps, max(samples, 2), seed) as voi:
        ctx = build_context(a, date=date, seed=seed, samples=samples, provenance=provenance)
        if voi.forked and ctx["charts"]:
            charts.preload()  # while the child works
        ctx["next_steps"] = voi.result()
    ctx["voi"] = next_steps.section(ctx["next_steps"])
    return ctx


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
    from functools import partial

    from policyeval.reporting.pdf import html_to_pdf

    out: dict[str, bytes] = {}
    svgs: dict[str, str] = {}  # each chart drawn once, and only when a template shows it
    pngs: dict[str, bytes] = {}  # the same for Word memos (within one process)
    printed: dict[str, Callable[[], bytes]] = {}  # PDF and Word files, made side by side
    seconds: dict[str, float] = {}  # about how long each takes (measured on the shipped case)
    for name in templates:
        files_dir = f"{name}_files"
        shown = FIGURES.get(name)
        figures = [c for c in ctx["charts"] if shown is None or c["id"] in shown]
        for c in figures:
            if c["id"] not in svgs:
                svgs[c["id"]] = c["render"]()
        figures = [{**c, "svg": svgs[c["id"]], "number": _FIG.format(c["id"])} for c in figures]
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
                for cid in sorted(shown_ids):
                    if cid in svgs:
                        out[f"{files_dir}/{cid}.svg"] = svgs[cid].encode()
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
