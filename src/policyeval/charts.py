"""Every chart of policyeval, drawn one way (bottom layer: plain arrays and labels in).

Each ``draw_*`` function draws on a given matplotlib ``Axes`` (so a result's
``.plot(ax=None)`` and the memo share the drawing code) from plain arrays and
the labels to print: titles, never ids. :func:`svg` draws one chart on a fresh
``Figure`` (no pyplot global state) and returns deterministic SVG text (fixed
hash salt, no date) with its alt text as ``aria-label`` and ``<title>``; :func:`png`
draws the same chart as PNG bytes (for Word documents);
:func:`inline` strips the XML prolog to embed it in HTML.

One style (:data:`STYLE`, applied by :func:`style`), one colour-blind-safe
palette: Okabe-Ito for categories (:data:`OKABE_ITO`), viridis for values and
cividis for ranks in heat maps (both readable under deuteranopia, unlike a
red-yellow-green map). matplotlib is imported inside the functions (heavy).
"""

from __future__ import annotations

import contextlib
import html
import io
import textwrap
from collections.abc import Callable, Iterator, Sequence
from typing import Any

OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)
"""Okabe & Ito (2008) categorical palette, distinguishable under every common colour blindness."""

VALUE_CMAP = "viridis"
RANK_CMAP = "cividis_r"

STYLE: dict[str, Any] = {
    "svg.hashsalt": "policyeval",
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica"],
    "font.size": 8.5,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.labelsize": 8.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.fontsize": 8,
    "legend.frameon": False,
}


@contextlib.contextmanager
def style() -> Iterator[None]:
    """The one chart style (matplotlib rc settings) for the duration of a ``with`` block."""
    import matplotlib
    from cycler import cycler

    rc = {**STYLE, "axes.prop_cycle": cycler(color=OKABE_ITO)}
    with matplotlib.rc_context(rc):
        yield


def wrap(label: str, width: int = 34, lines: int = 3) -> str:
    """A label broken into at most ``lines`` lines of about ``width`` characters.

    Examples
    --------
    >>> wrap("Curbs radicalization and recruitment inside Central Asia", 20)
    'Curbs radicalization\\nand recruitment\\ninside Central Asia'
    """
    parts = textwrap.wrap(label, width) or [label]
    if len(parts) > lines:
        rest = textwrap.shorten(" ".join(parts[lines - 1 :]), width, placeholder="…")
        parts = [*parts[: lines - 1], rest]
    return "\n".join(parts)


PNG_DPI = 200
"""Resolution of :func:`png` charts (sharp when printed at the page's width)."""


def _figure(draw: Callable[..., Any], width: float, height: float, fmt: str, **data: Any) -> bytes:
    """One chart drawn on a new figure (no pyplot state), saved as ``fmt`` into a buffer."""
    from matplotlib.figure import Figure

    with style():
        fig = Figure(figsize=(width, height), layout="constrained")
        draw(fig.add_subplot(), **data)
        buf = io.BytesIO()
        if fmt == "svg":
            fig.savefig(buf, format="svg", metadata={"Date": None})
        else:
            fig.savefig(buf, format="png", metadata={"Software": None}, dpi=PNG_DPI)
    return buf.getvalue()


def svg(draw: Callable[..., Any], width: float, height: float, alt: str, **data: Any) -> str:
    """Draw one chart on a new figure and return it as SVG text (same bytes for same data).

    Parameters
    ----------
    draw : callable
        A ``draw_*`` function of this module: ``draw(ax, **data)``.
    width, height : float
        Figure size in inches.
    alt : str
        A sentence saying what the chart shows (``aria-label`` and ``<title>``).
    **data
        The arguments of ``draw``.

    Examples
    --------
    >>> one = svg(draw_frontier, 4, 3, "A frontier.", budgets=[0, 1], values=[0, 1], unit="RU")
    >>> one == svg(draw_frontier, 4, 3, "A frontier.", budgets=[0, 1], values=[0, 1], unit="RU")
    True
    >>> 'aria-label="A frontier."' in one and inline(one).startswith("<svg")
    True
    """
    text = _figure(draw, width, height, "svg", **data).decode()
    start = text.find("<svg")
    head_end = text.find(">", start) + 1
    label = html.escape(alt, quote=True)
    head = text[start:head_end].replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
    return f"{text[:start]}{head}\n <title>{html.escape(alt)}</title>{text[head_end:]}"


def png(draw: Callable[..., Any], width: float, height: float, alt: str, **data: Any) -> bytes:
    """The chart of :func:`svg` as PNG bytes (:data:`PNG_DPI`; same bytes for same data).

    Takes the same arguments as :func:`svg`; ``alt`` is not drawn (the document that shows
    the picture carries it, e.g. a Word picture's description).

    Examples
    --------
    >>> one = png(draw_frontier, 4, 3, "A frontier.", budgets=[0, 1], values=[0, 1], unit="RU")
    >>> one[:8] == b"\\x89PNG\\r\\n\\x1a\\n" and one == png(
    ...     draw_frontier, 4, 3, "A frontier.", budgets=[0, 1], values=[0, 1], unit="RU")
    True
    """
    return _figure(draw, width, height, "png", **data)


def inline(document: str) -> str:
    """An SVG document without its XML declaration and DOCTYPE, to embed in HTML."""
    start = document.find("<svg")
    return document[start:] if start >= 0 else document


def rows_height(labels: Sequence[str], per_line: float = 0.17, base: float = 1.3) -> float:
    """Figure height that gives every (wrapped) row label room: lines x ``per_line`` + base."""
    lines = sum(max(1, label.count("\n") + 1) for label in labels)
    return max(2.2, base + per_line * max(lines, 1.6 * len(labels)))


def _grid(ax: Any, values: Any, text: Sequence[Sequence[str]], cmap: str, vmin: float,
          vmax: float) -> Any:  # fmt: skip
    """A heat grid with cell text in black or white, whichever reads on the colour."""
    import matplotlib
    import numpy as np

    v = np.asarray(values, dtype=float)
    im = ax.imshow(v, cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto")
    colours = matplotlib.colormaps[cmap]((v - vmin) / ((vmax - vmin) or 1.0))
    luminance = colours[..., :3] @ np.array([0.299, 0.587, 0.114])
    for i in range(v.shape[0]):
        for j in range(v.shape[1]):
            ax.text(j, i, text[i][j], ha="center", va="center", fontsize=7.5,
                    color="black" if luminance[i, j] > 0.5 else "white")  # fmt: skip
    ax.spines[:].set_visible(False)
    ax.tick_params(length=0)
    return im


def draw_weights(
    ax: Any, criteria: Sequence[str], profiles: Sequence[str], weights: Sequence[Sequence[float]]
) -> None:
    """Weights as a grid: one row per criterion, one column per profile (cells in percent).

    ``weights`` has shape ``(profiles, criteria)``; labels are wrapped names.
    """
    import numpy as np

    w = np.asarray(weights, dtype=float).T
    text = [[f"{100 * x:.0f}%" for x in row] for row in w]
    _grid(ax, w, text, VALUE_CMAP, 0.0, max(float(w.max()), 1e-9))
    ax.set_xticks(np.arange(w.shape[1]), [wrap(p, 26, 2) for p in profiles], fontsize=7)
    ax.xaxis.tick_top()
    ax.tick_params(axis="x", labelrotation=40)
    for label in ax.get_xticklabels():  # slanted, anchored at the column: no overlap
        label.set(ha="left", rotation_mode="anchor")
    ax.set_yticks(np.arange(w.shape[0]), [wrap(c, 40, 2) for c in criteria], fontsize=7.5)


def draw_ranks(
    ax: Any, options: Sequence[str], methods: Sequence[str], ranks: Sequence[Sequence[int]]
) -> None:
    """Ranks as a grid: one row per alternative, one column per method (1 = best, darker)."""
    import numpy as np

    r = np.asarray(ranks, dtype=float)
    _grid(ax, r, [[str(int(x)) for x in row] for row in r], RANK_CMAP, 1, max(r.max(), 2))
    ax.set_xticks(np.arange(r.shape[1]), [wrap(m, 10, 2) for m in methods])
    ax.xaxis.tick_top()
    ax.set_yticks(np.arange(r.shape[0]), [wrap(o, 48, 2) for o in options], fontsize=7.5)


def draw_acceptability(
    ax: Any, options: Sequence[str], acceptability: Sequence[Sequence[float]], shown: int = 3
) -> None:
    """Stacked bars: the share of draws in which each alternative takes rank 1, 2, 3, lower."""
    import numpy as np
    from matplotlib.ticker import PercentFormatter

    b = np.asarray(acceptability, dtype=float)
    n, k = b.shape
    shown = min(shown, k)
    y = np.arange(n)
    left = np.zeros(n)
    for r in range(shown):
        ax.barh(y, b[:, r], left=left, color=OKABE_ITO[r], label=f"Rank {r + 1}")
        left += b[:, r]
    if k > shown:
        ax.barh(y, np.clip(1 - left, 0, 1), left=left, color="#dddddd",
                label=f"Rank {shown + 1} or lower")  # fmt: skip
    ax.set_yticks(y, [wrap(o, 48, 2) for o in options], fontsize=7.5)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    ax.set_xlabel("Share of draws (weights and score judgements varied)")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=shown + 1)


def draw_tornado(
    ax: Any,
    labels: Sequence[str],
    low: Sequence[float],
    high: Sequence[float],
    base: float,
    xlabel: str,
) -> None:
    """Bars from the lead at a factor's low end to the lead at its high end, largest on top.

    The black line is the lead now; the dashed line is zero (left of it, another
    alternative leads).
    """
    y = range(len(labels))[::-1]
    for yy, lo, hi in zip(y, low, high):
        ax.barh(yy, lo - base, left=base, color=OKABE_ITO[0], height=0.6)
        ax.barh(yy, hi - base, left=base, color=OKABE_ITO[1], height=0.6)
    ax.axvline(base, color="black", linewidth=0.8)
    ax.axvline(0.0, color="#555555", linewidth=0.8, linestyle="--")
    ax.set_yticks(list(y), [wrap(x, 52, 3) for x in labels], fontsize=7.5)
    ax.set_xlabel(wrap(xlabel, 50, 3))  # centred under the bars: a long one ran off the chart
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(color=OKABE_ITO[0], label="low end of its range"),
                       Patch(color=OKABE_ITO[1], label="high end of its range")],
              loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2)  # fmt: skip


def draw_frontier(
    ax: Any,
    budgets: Sequence[float],
    values: Sequence[float],
    unit: str,
    budget: float | None = None,
) -> None:
    """The best value added reachable at each budget (a step function), the budget marked."""
    ax.step(budgets, values, where="post", color=OKABE_ITO[0])
    ax.plot(budgets, values, "o", color=OKABE_ITO[0], markersize=3.5)
    if budget is not None:
        ax.axvline(budget, color=OKABE_ITO[5], linewidth=1, linestyle="--", label="budget")
        ax.legend(loc="lower right")
    ax.set_xlabel(f"Budget ({unit})" if unit else "Budget")
    ax.set_ylabel("Value added over the status quo")
    ax.grid(alpha=0.3)


def draw_scores(
    ax: Any,
    options: Sequence[str],
    criteria: Sequence[str],
    values: Sequence[Sequence[float]],
    labels: Sequence[Sequence[str]],
) -> None:
    """A heat map of values (0 worst, 1 best; viridis) with the raw scores as cell text."""
    import numpy as np

    im = _grid(ax, values, labels, VALUE_CMAP, 0.0, 1.0)
    n, m = np.asarray(values).shape
    ax.set_xticks(np.arange(m), [wrap(c, 18, 3) for c in criteria], rotation=90, fontsize=7)
    ax.set_yticks(np.arange(n), [wrap(o, 44, 2) for o in options], fontsize=7.5)
    ax.figure.colorbar(im, ax=ax, shrink=0.6, label="Value (0 = worst, 1 = best)")


def draw_allocation(
    ax: Any,
    targets: Sequence[str],
    channels: Sequence[str],
    amounts: Sequence[Sequence[float]],
    unit: str,
) -> None:
    """Stacked bars: the amount each target receives, split by channel."""
    import numpy as np

    a = np.asarray(amounts, dtype=float)
    y = np.arange(len(targets))
    left = np.zeros(len(targets))
    for k, ch in enumerate(channels):
        ax.barh(y, a[:, k], left=left, color=OKABE_ITO[k % len(OKABE_ITO)], label=ch)
        left += a[:, k]
    ax.set_yticks(y, list(targets))
    ax.invert_yaxis()
    ax.set_xlabel(f"Allocated ({unit})" if unit else "Allocated")
    ax.legend(loc="lower right")


def tornado_label(criterion: str, option: str | None = None, of_top: bool = False) -> str:
    """A tornado row's label: a weight, the top choice's own score, or another's score.

    Examples
    --------
    >>> tornado_label("Cost"), tornado_label("Cost", "Tram", True), tornado_label("Cost", "Bus")
    ('Weight of Cost', 'Its score on Cost', 'Bus: score on Cost')
    """
    if option is None:
        return f"Weight of {criterion}"
    return f"Its score on {criterion}" if of_top else f"{option}: score on {criterion}"
