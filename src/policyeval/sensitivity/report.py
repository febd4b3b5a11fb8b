"""``run_sensitivity``: every robustness analysis of a workspace in one report."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from policyeval.display import Tabular, title_of
from policyeval.errors import Issue, WorkspaceError
from policyeval.sensitivity.reversal import ReversalCheck, rank_reversal
from policyeval.sensitivity.smaa import SmaaResult, smaa
from policyeval.sensitivity.stability import Stability, stability_intervals
from policyeval.sensitivity.stakeholders import Stakeholders, stakeholder_analysis
from policyeval.sensitivity.tornado import DEFAULT_SPREAD, Tornado, tornado
from policyeval.sensitivity.whatif import WhatItTakes, what_it_takes

if TYPE_CHECKING:
    from policyeval.model import Weights
    from policyeval.model.problem import Problem


def _num(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


@dataclass(frozen=True, slots=True, repr=False)
class SensitivityReport(Tabular):
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
    bounded : tuple of str
        Criteria whose weights the bounds sampler held within the profile's ranges.
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
    bounded: tuple[str, ...] = ()
    titles: dict[str, str] = field(default_factory=dict, compare=False)
    _percent = ("first", "top_3", "confidence")

    @property
    def robust_top(self) -> tuple[str, float]:
        """The option most often first in SMAA and its first-rank acceptability."""
        b1 = self.smaa.acceptability[:, 0]
        i = int(np.argmax(b1))
        return self.smaa.options[i], float(b1[i])

    def to_frame(self) -> Any:
        """One row per option, most often first on top: ``option``, ``title``, ``first``
        (share of samples where it ranks first), ``top_3``, ``confidence``, and the
        wsm ``stays_first`` weight interval of the criterion that limits the top choice."""
        import pandas as pd

        s = self.smaa
        acc = s.acceptability
        frame = pd.DataFrame(
            {
                "option": list(s.options),
                "title": [title_of(self.titles, o) for o in s.options],
                "first": acc[:, 0],
                "top_3": acc[:, :3].sum(axis=1),
                "confidence": s.confidence,
            }
        )
        return frame.sort_values(["first", "option"], ascending=[False, True]).reset_index(
            drop=True
        )

    def _caption(self) -> str:
        top, share = self.robust_top
        return (
            f"how sure: {title_of(self.titles, top)} ranks first in {share:.0%} of "
            f"{self.smaa.samples:,} samples ({self.method}, weights {self.smaa.sampler})"
        )

    def _notes(self) -> tuple[str, ...]:
        return (self.summary, *self.warnings)

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
            "sampler": {
                "weights": s.sampler,
                "spread": self.spread,
                "scores": "triangular",
                "bounded": list(self.bounded),
            },
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


def summarize(
    smaa_result: SmaaResult,
    stability: Stability,
    whatif: Sequence[WhatItTakes],
    profile: str,
    titles: Mapping[str, str] | None = None,
    bounded: Sequence[str] = (),
    baseline: str | None = None,
) -> str:
    """One paragraph: who is robustly first, how sure, and what would overturn it.

    "Weight moved" is the weight that changes hands: half the L1 distance
    between the two weight vectors (moving 0.1 from one criterion to another
    moves 0.1, not 0.2). ``bounded`` names the criteria whose weights the
    profile bounds (the others are free); ``baseline``'s share of first places
    is stated whenever it is above zero.

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
    The smallest change of weights that would overturn it moves 0.21 of the total weight
    to put 'b' on top: x 0.500 -> 0.286, y 0.500 -> 0.714.
    """
    s = smaa_result
    titles = titles or {}

    def name(option: str) -> str:
        return f"'{option}' ({titles[option]})" if option in titles else f"'{option}'"

    b1 = s.acceptability[:, 0]
    first, second = (int(i) for i in np.argsort(-b1, kind="stable")[:2])
    sampler = {
        "uniform": "weights uniform on the simplex",
        "bounds": _bounded_text(bounded, s.criteria),
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
    if baseline in s.options and baseline != s.options[first]:
        share = b1[s.options.index(baseline)]
        if share > 0:
            text += f" The baseline {name(baseline)} ranks first in {share:.1%} of them."
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
        f" The smallest change of weights that would overturn it moves {best.moved:.2f} of"
        f" the total weight to put '{best.option}' on top: {moves}."
    )


def _bounded_text(bounded: Sequence[str], criteria: Sequence[str]) -> str:
    """Which criteria the bounds sampler held within ranges and which it left free."""
    free = [c for c in criteria if c not in bounded]
    if not free:
        return "weights uniform within the profile's bounds on every criterion"
    return (
        f"weights uniform within the profile's bounds on {len(bounded)} of {len(criteria)} "
        f"criteria ({', '.join(bounded)}); free on {', '.join(free)}"
    )


def sensitivity_report(
    problem: Problem,
    weights: Weights,
    stakeholders: Mapping[str, np.ndarray],
    *,
    method: str = "wsm",
    samples: int = 10_000,
    seed: int = 0,
    spread: float | None = None,
    bounds: Mapping[str, tuple[float, float]] | None = None,
    chunk: int | None = None,
    progress: Callable[[int], Any] | None = None,
    top_k: int = 3,
    tornado_spread: float = DEFAULT_SPREAD,
    titles: Mapping[str, str] | None = None,
    baseline: str | None = None,
) -> SensitivityReport:
    """Every robustness analysis of one problem under one set of weights.

    Parameters
    ----------
    problem : Problem
        The options (or packages) compared.
    weights : Weights
        The profile's weights (stability, what-it-takes, tornado, reversal).
    stakeholders : mapping
        Profile id -> weight vector, compared across stakeholders.
    method : str
        Ranking method of SMAA, rank reversal and the stakeholder comparison;
        stability, what-it-takes and tornado are exact wsm analyses.
    samples, seed : int
        SMAA samples and seed.
    spread : float, optional
        Sample weights around the profile's (``w_j * U(1 - s, 1 + s)``, renormalized).
    bounds : mapping, optional
        Sample weights uniformly within these ranges (criteria not named: [0, 1]).
    chunk, progress
        SMAA samples per batched evaluation, and a callback with the samples done.
    top_k : int
        The k of "in every stakeholder's top k".
    tornado_spread : float
        Relative weight change of the tornado.
    titles : mapping, optional
        Option titles for the summary.
    baseline : str, optional
        The baseline's id (its share of first places is reported).

    Raises
    ------
    WorkspaceError
        Bad settings, or fewer than two options.
    """
    if len(problem.options) < 2:
        msg = "sensitivity needs at least two options to compare"
        raise WorkspaceError([Issue("too-few-options", msg, "options", "")])
    w = weights.vector(problem.criteria)
    box = None
    if bounds is not None:
        box = np.array([bounds.get(c, (0.0, 1.0)) for c in problem.criteria], dtype=float)
    result = smaa(
        problem,
        method,
        samples,
        seed,
        center=w,
        spread=spread,
        bounds=box,
        chunk=chunk,
        progress=progress,
    )
    stab = stability_intervals(problem, w)
    whatif = tuple(what_it_takes(problem, w))
    crowd = stakeholder_analysis(problem, dict(stakeholders), method, top_k)
    warnings = [*weights.warnings, *crowd.warnings]
    warnings += [
        f"criterion {c} has the same score for every option compared (value 1 for all)"
        for c in problem.constant_criteria
    ]
    bounded = [c for c in problem.criteria if bounds and c in bounds]
    return SensitivityReport(
        profile=weights.profile or weights.name,
        method=method,
        weights=dict(zip(problem.criteria, w.tolist())),
        spread=spread,
        smaa=result,
        stability=stab,
        what_it_takes=whatif,
        tornado=tornado(problem, w, tornado_spread),
        rank_reversal=rank_reversal(problem, w),
        stakeholders=crowd,
        summary=summarize(
            result, stab, whatif, weights.profile or weights.name, titles, bounded, baseline
        ),
        warnings=tuple(dict.fromkeys(warnings)),
        bounded=tuple(bounded),
    )
