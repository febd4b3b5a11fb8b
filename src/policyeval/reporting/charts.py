"""Memo charts as deterministic SVG strings (matplotlib, Agg, no pyplot state).

Every function takes plain data from the report context (so a chart shows the
numbers the memo prints) and returns an SVG document as text. Output is
byte-for-byte reproducible: the SVG hash salt is fixed and the date metadata
dropped. matplotlib is imported inside the functions (heavy import).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

PALETTE = (
    "#1f4e79",
    "#c55a11",
    "#548235",
    "#7030a0",
    "#bf9000",
    "#2e75b6",
    "#a5a5a5",
    "#843c0c",
    "#375623",
    "#3a3a3a",
)

_RC = {
    "svg.hashsalt": "policyeval",
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica"],
    "font.size": 9,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.labelsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.fontsize": 8,
    "legend.frameon": False,
}


def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def _svg(fig: Any) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


def _render(draw: Any, width: float, height: float) -> str:
    import matplotlib

    with matplotlib.rc_context(_RC):
        fig = _figure(width, height)
        draw(fig)
        return _svg(fig)


def _rows_height(n: int, per_row: float = 0.32, base: float = 1.4) -> float:
    return max(2.4, base + per_row * n)


def weights_by_profile(
    criteria: Sequence[str], profiles: Sequence[str], weights: Sequence[Sequence[float]]
) -> str:
    """Grid of weights: one column per profile, one row per criterion, cells in percent.

    Parameters
    ----------
    criteria : sequence of str
        Criterion labels, shape ``(m,)``.
    profiles : sequence of str
        Profile names, shape ``(p,)``.
    weights : array-like, shape (p, m)
        Normalized weights.
    """
    import numpy as np

    w = np.asarray(weights, dtype=float).T
    m, p = w.shape

    def draw(fig: Any) -> None:
        ax = fig.add_subplot()
        ax.imshow(w, cmap="Blues", vmin=0.0, vmax=max(float(w.max()), 1e-9) * 1.15, aspect="auto")
        for i in range(m):
            for j in range(p):
                ax.text(j, i, f"{100 * w[i, j]:.0f}%", ha="center", va="center", fontsize=8,
                        color="white" if w[i, j] > 0.6 * w.max() else "black")  # fmt: skip
        ax.set_xticks(np.arange(p), [_wrap(n) for n in profiles], fontsize=8)
        ax.xaxis.tick_top()
        ax.set_yticks(np.arange(m), list(criteria))
        ax.spines[:].set_visible(False)
        ax.set_xlabel("Weight of each criterion (share of the total) by profile")

    return _render(draw, 7.5, _rows_height(m, 0.3, 1.9))


def _wrap(text: str, width: int = 14) -> str:
    """Break a label into lines of about ``width`` characters."""
    import textwrap

    return "\n".join(textwrap.wrap(text, width)[:3]) or text


def _percent() -> Any:
    from matplotlib.ticker import PercentFormatter

    return PercentFormatter(xmax=1.0, decimals=0)


def score_heatmap(
    options: Sequence[str],
    criteria: Sequence[str],
    values: Sequence[Sequence[float]],
    labels: Sequence[Sequence[str]],
) -> str:
    """Heat map of normalized values (0 worst, 1 best) annotated with raw scores.

    Parameters
    ----------
    options, criteria : sequence of str
        Row and column labels, shapes ``(n,)`` and ``(m,)``.
    values : array-like, shape (n, m)
        MAVT values in [0, 1] (colour).
    labels : array-like of str, shape (n, m)
        Raw scores as printed (cell text).
    """
    import numpy as np

    v = np.asarray(values, dtype=float)
    n, m = v.shape

    def draw(fig: Any) -> None:
        ax = fig.add_subplot()
        im = ax.imshow(v, cmap="RdYlGn", vmin=0.0, vmax=1.0, aspect="auto")
        for i in range(n):
            for j in range(m):
                dark = v[i, j] < 0.2 or v[i, j] > 0.85
                ax.text(j, i, labels[i][j], ha="center", va="center", fontsize=8,
                        color="white" if dark else "black")  # fmt: skip
        ax.set_xticks(np.arange(m), list(criteria), rotation=40, ha="right")
        ax.set_yticks(np.arange(n), list(options))
        ax.spines[:].set_visible(False)
        ax.set_title("Scores by criterion (colour: value, 0 = worst, 1 = best)")
        fig.colorbar(im, ax=ax, shrink=0.8, label="Value (0-1)")

    return _render(draw, 7.5, _rows_height(n, 0.36, 2.8))


def ranks_by_method(
    options: Sequence[str], methods: Sequence[str], ranks: Sequence[Sequence[int]]
) -> str:
    """Grid of ranks: one column per method, 1 = best (darker = better).

    Parameters
    ----------
    options, methods : sequence of str
        Row and column labels.
    ranks : array-like of int, shape (n, k)
        Rank of each option under each method.
    """
    import numpy as np

    r = np.asarray(ranks, dtype=float)
    n, k = r.shape

    def draw(fig: Any) -> None:
        ax = fig.add_subplot()
        ax.imshow(r, cmap="Blues_r", vmin=1, vmax=max(n, 2) + 1, aspect="auto")
        for i in range(n):
            for j in range(k):
                ax.text(j, i, str(int(r[i, j])), ha="center", va="center", fontsize=9,
                        color="white" if r[i, j] <= n / 3 else "black")  # fmt: skip
        ax.set_xticks(np.arange(k), list(methods))
        ax.xaxis.tick_top()
        ax.set_yticks(np.arange(n), list(options))
        ax.spines[:].set_visible(False)
        ax.set_title("Rank by method (1 = best)")

    return _render(draw, 6.5, _rows_height(n, 0.32, 1.8))


def acceptability_bars(options: Sequence[str], acceptability: Sequence[Sequence[float]]) -> str:
    """Stacked horizontal bars of rank acceptability (SMAA): share of draws at each rank.

    Parameters
    ----------
    options : sequence of str
        Row labels, shape ``(n,)``.
    acceptability : array-like, shape (n, n)
        ``b[i, r]`` = share of draws in which option i takes rank r + 1.
    """
    import numpy as np

    b = np.asarray(acceptability, dtype=float)
    n, k = b.shape
    shown = min(k, 4)

    def draw(fig: Any) -> None:
        ax = fig.add_subplot()
        y = np.arange(n)
        left = np.zeros(n)
        colors = ("#1f4e79", "#5b9bd5", "#9dc3e6", "#deebf7")
        for r in range(shown):
            ax.barh(y, b[:, r], left=left, color=colors[r], label=f"Rank {r + 1}")
            left += b[:, r]
        rest = np.clip(1.0 - left, 0.0, 1.0)
        if k > shown:
            ax.barh(y, rest, left=left, color="#eeeeee", label=f"Rank {shown + 1} or lower")
        ax.set_yticks(y, list(options))
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(_percent())
        ax.set_xlabel("Share of Monte Carlo draws (weights and scores varied)")
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=shown + 1)

    return _render(draw, 7.5, max(1.8, 1.0 + 0.22 * n))


def allocation_chart(
    targets: Sequence[str], channels: Sequence[str], amounts: Sequence[Sequence[float]], unit: str
) -> str:
    """Stacked horizontal bars: amount allocated to each target, split by channel.

    Parameters
    ----------
    targets, channels : sequence of str
        Row labels ``(t,)`` and stack labels ``(c,)``.
    amounts : array-like, shape (t, c)
        Resources allocated.
    unit : str
        Resource unit for the axis label.
    """
    import numpy as np

    a = np.asarray(amounts, dtype=float)

    def draw(fig: Any) -> None:
        ax = fig.add_subplot()
        y = np.arange(len(targets))
        left = np.zeros(len(targets))
        for k, ch in enumerate(channels):
            ax.barh(y, a[:, k], left=left, color=PALETTE[k % 10], label=ch)
            left += a[:, k]
        ax.set_yticks(y, list(targets))
        ax.invert_yaxis()
        ax.set_xlabel(f"Allocated ({unit})")
        ax.set_title("Recommended allocation by target and channel")
        ax.legend(loc="lower right")

    return _render(draw, 7.0, _rows_height(len(targets), 0.4, 1.8))


def memo_charts(data: dict[str, Any], ready: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Every chart whose data exists, in memo order, numbered.

    Parameters
    ----------
    data : dict
        ``context["chart_data"]`` (see :func:`policyeval.reporting.context.build_context`).
    ready : dict, optional
        SVGs drawn elsewhere (``frontier``, ``tornado``) keyed by chart id.

    Returns
    -------
    list of dict
        ``id``, ``title``, ``caption`` and ``svg`` (the document without its
        XML prolog, ready to inline). Each template numbers the ones it shows.
    """
    ready = ready or {}
    out: list[tuple[str, str, str, str]] = []
    w = data["weights"]
    out.append(
        ("weights", "Criteria weights by profile",
         "Weight of each criterion under each weight profile (shares of the total).",
         weights_by_profile(w["criteria"], w["profiles"], w["weights"]))
    )  # fmt: skip
    r = data["ranks"]
    out.append(
        ("ranks", "Ranking by method",
         "Rank of each alternative under each method (1 = best), in consensus order.",
         ranks_by_method(r["options"], r["methods"], r["ranks"]))
    )  # fmt: skip
    if data.get("acceptability"):
        a = data["acceptability"]
        out.append(
            ("acceptability", "Rank acceptability",
             "Share of Monte Carlo draws in which each alternative takes each rank.",
             acceptability_bars(a["options"], a["acceptability"]))
        )  # fmt: skip
    if "tornado" in ready:
        out.append(("tornado", "What moves the lead",
                    "Lead of the top choice over the next best (weighted sum) when one weight "
                    "or score moves to the low or high end of its range, largest swings first.",
                    ready["tornado"]))  # fmt: skip
    if "frontier" in ready:
        out.append(("frontier", "Efficient frontier",
                    "Best portfolio value reachable at each budget.",
                    ready["frontier"]))  # fmt: skip
    if data.get("allocation"):
        al = data["allocation"]
        out.append(
            ("allocation", "Allocation by target and channel",
             "Recommended allocation of the budget by target and channel.",
             allocation_chart(al["targets"], al["channels"], al["amounts"], al["unit"]))
        )  # fmt: skip
    sc = data["scores"]
    out.append(
        ("scores", "Scores by criterion",
         "Each option's score (cell text) and its value on the criterion's scale (colour).",
         score_heatmap(sc["options"], sc["criteria"], sc["values"], sc["labels"]))
    )  # fmt: skip
    return [
        {"id": cid, "title": title, "caption": caption, "svg": inline(svg)}
        for cid, title, caption, svg in out
    ]


def inline(svg: str) -> str:
    """An SVG document without its XML declaration and DOCTYPE, to embed in HTML."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg
