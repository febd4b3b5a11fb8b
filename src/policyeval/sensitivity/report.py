"""``run_sensitivity``: every robustness analysis of a workspace in one report."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from policyeval.errors import Issue, WorkspaceError
from policyeval.sensitivity.reversal import ReversalCheck, rank_reversal
from policyeval.sensitivity.smaa import SmaaResult, smaa
from policyeval.sensitivity.stability import Stability, stability_intervals
from policyeval.sensitivity.stakeholders import Stakeholders, stakeholder_analysis
from policyeval.sensitivity.tornado import DEFAULT_SPREAD, Tornado, tornado
from policyeval.sensitivity.whatif import WhatItTakes, what_it_takes

if TYPE_CHECKING:
    from policyeval.model import Workspace


def _num(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


@dataclass(frozen=True, slots=True)
class SensitivityReport:
    """How sure the ranking is, for one profile and method.

    Attributes
    ----------
    profile, method : str
        The weight profile and the ranking method of SMAA.
    weights : dict
        The profile's weights (used by stability, what-it-takes, tornado, reversal).
    spread : float or None
        Weight spread of the SMAA sampler, when used.
    smaa : SmaaResult
    stability : Stability
    what_it_takes : tuple of WhatItTakes
    tornado : Tornado
    rank_reversal : dict
        Method -> its checks.
    stakeholders : Stakeholders
    summary : str
        Which option is robustly first, with what acceptability, and what
        change of weights would overturn the profile's top option.
    warnings : tuple of str
    """

    profile: str
    method: str
    weights: dict[str, float]
    spread: float | None
    smaa: SmaaResult
    stability: Stability
    what_it_takes: tuple[WhatItTakes, ...]
    tornado: Tornado
    rank_reversal: dict[str, tuple[ReversalCheck, ...]]
    stakeholders: Stakeholders
    summary: str
    warnings: tuple[str, ...] = ()

    @property
    def robust_top(self) -> tuple[str, float]:
        """The option most often first in SMAA and its first-rank acceptability."""
        b1 = self.smaa.acceptability[:, 0]
        i = int(np.argmax(b1))
        return self.smaa.options[i], float(b1[i])

    def _repr_html_(self) -> str:
        from policyeval.display import html_table

        acc = self.smaa.acceptability
        rows = sorted(
            ((o, *acc[i, : min(3, acc.shape[1])]) for i, o in enumerate(self.smaa.options)),
            key=lambda r: -r[1],
        )
        header = ["option", *(f"rank {k + 1}" for k in range(min(3, acc.shape[1])))]
        caption = f"Rank acceptability ({self.method}, {self.smaa.samples} samples)"
        return html_table(caption, header, rows, [self.summary, *self.warnings])

    def to_dict(self) -> dict[str, Any]:
        """The DESIGN.md ``sensitivity`` JSON shape plus extra keys (full precision)."""
        s = self.smaa
        top, b1 = self.robust_top
        return {
            "profile": self.profile,
            "samples": s.samples,
            "seed": s.seed,
            "acceptability": {o: row.tolist() for o, row in zip(s.options, s.acceptability)},
            "central_weights": {o: cw or {} for o, cw in s.central_weights_dict().items()},
            "confidence": {o: _num(p) for o, p in zip(s.options, s.confidence)},
            "stability": {c: list(iv) for c, iv in self.stability.top_intervals.items()},
            "stability_ranking": {
                c: list(iv) for c, iv in self.stability.ranking_intervals.items()
            },
            "method": self.method,
            "sampler": {"weights": s.sampler, "spread": self.spread, "scores": "triangular"},
            "weights": self.weights,
            "top": {
                "option": top,
                "first_rank_acceptability": b1,
                "profile_top": self.stability.top,
            },
            "pairwise_winning": {
                o: dict(zip(s.options, row.tolist())) for o, row in zip(s.options, s.pairwise)
            },
            "what_it_takes": [w.to_dict() for w in self.what_it_takes],
            "tornado": self.tornado.to_dict(),
            "rank_reversal": {
                m: [c.to_dict() for c in checks] for m, checks in self.rank_reversal.items()
            },
            "stakeholders": self.stakeholders.to_dict(),
            "summary": self.summary,
            "warnings": list(self.warnings),
        }


def _titles(ws: Workspace, packages: bool) -> dict[str, str]:
    titles = {o.id: o.title for o in ws.options}
    if packages:
        titles.update({p.id: p.title for p in ws.packages})
    return titles


def _bounds(ws: Workspace, pid: str) -> np.ndarray:
    declared = ws.profiles[pid].bounds
    if not declared:
        msg = f"profile '{pid}' declares no weight bounds; add bounds: {{criterion: [lo, hi]}}"
        raise WorkspaceError([Issue("no-bounds", msg, f"criteria/weights/{pid}.yaml", "bounds")])
    return np.array([declared.get(c, (0.0, 1.0)) for c in ws.criterion_ids], dtype=float)


def summarize(
    smaa_result: SmaaResult,
    stability: Stability,
    whatif: Sequence[WhatItTakes],
    profile: str,
    titles: Mapping[str, str] | None = None,
) -> str:
    """One paragraph: who is robustly first, how sure, and what would overturn it.

    Examples
    --------
    >>> from policyeval.model.problem import make_problem
    >>> p = make_problem(["a", "b"], ["x", "y"], np.array([[1.0, 0.6], [0.0, 1.0]]),
    ...                  [True, True], declared=[(0, 1), (0, 1)])  # a first iff w_x > 2/7
    >>> w = np.array([0.5, 0.5])
    >>> print(summarize(smaa(p, samples=4096), stability_intervals(p, w), what_it_takes(p, w), "p"))
    ... # doctest: +NORMALIZE_WHITESPACE
    'a' is robustly first: it ranks first in 71% of 4,096 SMAA samples (weights uniform on
    the simplex, method wsm), ahead of 'b' (29%). With profile 'p' weights (wsm) 'a' is on
    top too; it stays on top while the weight of x stays within [0.286, 1.000] (now 0.500).
    The smallest change of weights that would overturn it moves 0.43 of the total weight
    (L1) to put 'b' on top: x 0.500 -> 0.286, y 0.500 -> 0.714.
    """
    s = smaa_result
    titles = titles or {}

    def name(option: str) -> str:
        return f"'{option}' ({titles[option]})" if option in titles else f"'{option}'"

    b1 = s.acceptability[:, 0]
    first, second = (int(i) for i in np.argsort(-b1, kind="stable")[:2])
    sampler = {
        "uniform": "weights uniform on the simplex",
        "bounds": "weights uniform within the profile's bounds",
        "spread": "weights spread around the profile's",
    }[s.sampler]
    where = (
        f"it ranks first in {b1[first]:.0%} of {s.samples:,} SMAA samples ({sampler}, method "
        f"{s.method}), ahead of '{s.options[second]}' ({b1[second]:.0%})"
    )
    if b1[first] >= 0.5:
        text = f"{name(s.options[first])} is robustly first: {where}."
    else:
        text = (
            f"{name(s.options[first])} is the most robust first choice, though for less than "
            f"half of the weights: {where}."
        )
    top = stability.top
    width = {c: hi - lo for c, (lo, hi) in stability.top_intervals.items()}
    tight = min(width, key=lambda c: (width[c], c))
    lo, hi = stability.top_intervals[tight]
    on_top = f"'{top}' is on top too" if top == s.options[first] else f"{name(top)} is on top"
    text += (
        f" With profile '{profile}' weights (wsm) {on_top}; it stays on top while the weight"
        f" of {tight} stays within [{lo:.3f}, {hi:.3f}] (now {stability.weights[tight]:.3f})."
    )
    possible = [w for w in whatif if w.distance is not None]
    if not possible:
        return text + " No change of weights would overturn it: every other option is dominated."
    best = min(possible, key=lambda w: (w.distance, w.rank))
    moves = ", ".join(
        f"{c} {stability.weights[c]:.3f} -> {x:.3f}"
        for c, x in best.weights.items()
        if abs(x - stability.weights[c]) > 5e-4
    )
    return text + (
        f" The smallest change of weights that would overturn it moves {best.distance:.2f} of"
        f" the total weight (L1) to put '{best.option}' on top: {moves}."
    )


def run_sensitivity(
    ws: Workspace,
    profile: str | None = None,
    method: str = "wsm",
    samples: int = 10_000,
    seed: int = 0,
    spread: float | None = None,
    packages: bool = False,
    progress: Callable[[int], Any] | bool | None = None,
    chunk: int | None = None,
    bounds: bool = False,
    profiles: Sequence[str] | None = None,
    top_k: int = 3,
    tornado_spread: float = DEFAULT_SPREAD,
) -> SensitivityReport:
    """Every robustness analysis of a workspace (DESIGN.md, smaa and stability).

    Parameters
    ----------
    ws : Workspace
        A validated workspace.
    profile : str, optional
        Weight profile (default: the workspace's default).
    method : str
        Ranking method used by SMAA, rank reversal and the stakeholder comparison;
        stability, what-it-takes and tornado are exact wsm analyses.
    samples, seed : int
        SMAA samples and seed.
    spread : float, optional
        Sample weights around the profile's (``w_j * U(1 - s, 1 + s)``, renormalized)
        instead of uniformly on the simplex.
    packages : bool
        Analyse the packages instead of the options.
    progress : callable, optional
        Called with the number of SMAA samples done after each chunk (False or
        None: silent).
    chunk : int, optional
        SMAA samples per batched evaluation.
    bounds : bool
        Sample weights uniformly within the profile's declared ``bounds``.
    profiles : sequence of str, optional
        Profiles compared across stakeholders (default: all).
    top_k : int
        The k of "in every stakeholder's top k".
    tornado_spread : float
        Relative weight change of the tornado.

    Returns
    -------
    SensitivityReport

    Raises
    ------
    WorkspaceError
        Bad arguments (unknown profile or method, spread and bounds together,
        bounds asked but not declared), or fewer than two options.
    """
    from policyeval.model import build_problem
    from policyeval.weighting import compute_weights

    if packages and not ws.packages:
        msg = "this workspace has no packages; add options/packages.yaml"
        raise WorkspaceError([Issue("bad-argument", msg, "", "--packages")])
    if bounds and spread is not None:
        msg = "choose either --spread or --bounds, not both"
        raise WorkspaceError([Issue("bad-argument", msg, "", "--spread")])
    compared = list(profiles) if profiles is not None else list(ws.profiles)
    for p in compared:
        ws.profile_id(p)  # raises for an unknown name
    wr = compute_weights(ws, profile)
    problem = build_problem(ws, packages=packages)
    if len(problem.options) < 2:
        msg = "sensitivity needs at least two options to compare"
        raise WorkspaceError([Issue("too-few-options", msg, "options", "")])
    w = wr.vector(problem.criteria)
    result = smaa(
        problem,
        method,
        samples,
        seed,
        center=w,
        spread=spread,
        bounds=_bounds(ws, wr.profile) if bounds else None,
        chunk=chunk,
        progress=progress,
    )
    stab = stability_intervals(problem, w)
    whatif = tuple(what_it_takes(problem, w))
    others = {p: compute_weights(ws, p).vector(problem.criteria) for p in compared}
    crowd = stakeholder_analysis(problem, others, method, top_k)
    warnings = [*wr.warnings, *crowd.warnings]
    warnings += [
        f"criterion {c} has the same score for every option compared (value 1 for all)"
        for c in problem.constant_criteria
    ]
    return SensitivityReport(
        profile=wr.profile,
        method=method,
        weights=dict(zip(problem.criteria, w.tolist())),
        spread=spread,
        smaa=result,
        stability=stab,
        what_it_takes=whatif,
        tornado=tornado(problem, w, tornado_spread),
        rank_reversal=rank_reversal(problem, w),
        stakeholders=crowd,
        summary=summarize(result, stab, whatif, wr.profile, _titles(ws, packages)),
        warnings=tuple(dict.fromkeys(warnings)),
    )
