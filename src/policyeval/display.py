"""How result objects show in a notebook: ``to_frame`` (pandas), ``_repr_html_``, ``__repr__``.

:class:`Tabular` is the mixin every result shares: a result defines
``to_frame()``, a ``_caption()`` and which columns are shares (``_percent``);
``_repr_html_`` is the frame formatted with a pandas Styler. pandas is imported
only when a frame is asked for.
"""

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


def styled(
    frame: Any,
    caption: str,
    percent: Sequence[str] = (),
    digits: int = 3,
    notes: Iterable[str] = (),
) -> str:
    """A pandas DataFrame as notebook HTML: caption, percentages, rounded numbers, no index.

    Examples
    --------
    >>> import pandas as pd
    >>> "50.0%" in styled(pd.DataFrame({"w": [0.5]}), "W", percent=["w"])
    True
    """
    fmt = {c: "{:.1%}" for c in percent if c in frame.columns}
    for c in frame.columns:
        if c not in fmt and frame[c].dtype.kind == "f":
            fmt[c] = f"{{:.{digits}f}}"
    html_out = frame.style.format(fmt, na_rep="—").hide(axis="index").set_caption(caption).to_html()
    return html_out + "".join(f"<p><em>{html.escape(n)}</em></p>" for n in notes)


class Tabular:
    """Notebook display for a result with ``to_frame()`` (a mixin of frozen dataclasses)."""

    __slots__ = ()
    _percent: tuple[str, ...] = ()

    def to_frame(self) -> Any:  # pragma: no cover - every result defines it
        raise NotImplementedError

    def _caption(self) -> str:
        return type(self).__name__

    def _notes(self) -> Sequence[str]:
        return getattr(self, "warnings", ())

    def _repr_html_(self) -> str:
        return styled(self.to_frame(), self._caption(), self._percent, notes=self._notes())

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self._caption()}>"


def title_of(titles: Any, key: str) -> str:
    """The title of an id from a mapping (the id itself when unknown)."""
    return titles.get(key, key) if titles else key
