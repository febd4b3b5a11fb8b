"""HTML tables for result objects in Jupyter (``_repr_html_``), no dependencies."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return html.escape("" if value is None else str(value))


def html_table(
    caption: str, header: Sequence[str], rows: Iterable[Sequence[Any]], notes: Iterable[str] = ()
) -> str:
    """A small, escaped HTML table with a caption and optional notes below it.

    Examples
    --------
    >>> html_table("W", ["criterion", "weight"], [["a<b", 0.5]])[:40]
    '<table><caption>W</caption><thead><tr><t'
    """
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>" for row in rows)
    foot = "".join(f"<p><em>{html.escape(n)}</em></p>" for n in notes)
    return (
        f"<table><caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>{foot}"
    )
