"""Across stakeholders: what every weight profile agrees on, and a compromise.

- **top k for everyone**: options ranked k or better (competition ranks) by every profile.
- **minimax regret**: ``regret(i, p) = best utility under p - utility of i under p``;
  the compromise is the option whose largest regret is smallest (ties: the
  smaller mean regret, then the first option).
- **drivers of disagreement**: per criterion, the spread (max - min) of its
  weight across profiles times the spread of its values among the options in
  anyone's top k; the largest products are the criteria the disagreement turns on.
- **double counting**: pairs of criteria whose values move together across the
  options (Spearman ``rho > 0.9``) may measure the same thing twice. A strong
  negative correlation (``rho < -0.9``) is a trade-off, not double counting: it
  is listed (``correlated``) but raises no warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from policyeval.model.problem import Problem
from policyeval.ranking.ranks import competition_rank

RHO_WARN = 0.9


@dataclass(frozen=True, slots=True)
class Stakeholders:
    """Agreement across weight profiles.

    Attributes
    ----------
    method : str
        Ranking method.
    ranks : dict
        Profile -> option -> rank.
    top_k : int
        The k of ``in_top_k``.
    in_top_k : tuple of str
        Options ranked k or better by every profile.
    compromise : str
        The minimax-regret option.
    max_regret : dict
        Option -> its largest regret across profiles.
    drivers : tuple of dict
        ``criterion``, ``weight_spread``, ``value_spread``, ``effect``; largest effect first.
    correlated : tuple of dict
        ``criteria`` (a pair) and ``rho`` for ``|rho| > 0.9``.
    warnings : tuple of str
        One sentence per correlated pair.
    """

    method: str
    ranks: dict[str, dict[str, int]]
    top_k: int
    in_top_k: tuple[str, ...]
    compromise: str
    max_regret: dict[str, float]
    drivers: tuple[dict[str, Any], ...]
    correlated: tuple[dict[str, Any], ...]
    warnings: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready)."""
        return {
            "method": self.method,
            "profiles": list(self.ranks),
            "ranks": self.ranks,
            "top_k": self.top_k,
            "in_top_k": list(self.in_top_k),
            "compromise": self.compromise,
            "max_regret": self.max_regret,
            "drivers": list(self.drivers),
            "correlated": list(self.correlated),
            "warnings": list(self.warnings),
        }


def correlated_criteria(problem: Problem, threshold: float = RHO_WARN) -> list[dict[str, Any]]:
    """Pairs of criteria with ``|Spearman rho| > threshold`` across the options.

    Spearman's rho is Pearson's correlation of the average ranks (ties share
    their mean rank), computed with numpy. ``kind`` is ``double counting``
    for ``rho > 0`` and ``trade-off`` for ``rho < 0``. Constant criteria are
    skipped; fewer than three options give no pairs.

    Examples
    --------
    >>> from policyeval.model.problem import make_problem
    >>> p = make_problem(list("abcd"), ["x", "y", "z"],
    ...                  np.array([[1.0, 2, 5], [2, 4, 1], [3, 6, 4], [4, 8, 2]]), [True] * 3)
    >>> correlated_criteria(p)
    [{'criteria': ['x', 'y'], 'rho': 1.0, 'kind': 'double counting'}]
    """
    v = problem.values()
    keep = [j for j in range(v.shape[1]) if np.ptp(v[:, j]) > 0]
    if v.shape[0] < 3 or len(keep) < 2:
        return []
    rho = np.corrcoef(np.column_stack([_average_ranks(v[:, j]) for j in keep]), rowvar=False)
    out = []
    for a in range(len(keep)):
        for b in range(a + 1, len(keep)):
            if abs(rho[a, b]) > threshold:
                pair = [problem.criteria[keep[a]], problem.criteria[keep[b]]]
                kind = "double counting" if rho[a, b] > 0 else "trade-off"
                out.append({"criteria": pair, "rho": float(rho[a, b]), "kind": kind})
    return out


def _average_ranks(x: np.ndarray) -> np.ndarray:
    """Ranks 1..n of ``x``, tied values sharing their mean rank.

    Examples
    --------
    >>> _average_ranks(np.array([3.0, 1.0, 3.0])).tolist()
    [2.5, 1.0, 2.5]
    """
    values, inverse, counts = np.unique(x, return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    return ((ends - (counts - 1) / 2.0)[inverse]).astype(float)


def stakeholder_analysis(
    problem: Problem,
    profile_weights: Mapping[str, np.ndarray],
    method: str = "wsm",
    top_k: int = 3,
    **params: float,
) -> Stakeholders:
    """Compare the rankings given by several weight profiles.

    Parameters
    ----------
    problem : Problem
        The decision problem.
    profile_weights : mapping
        Profile id -> weights, shape ``(m,)``, criteria order.
    method : str
        Ranking method (utilities from :func:`policyeval.ranking.score_batch`).
    top_k : int
        The k of "in everyone's top k".
    **params : float
        Parameters of the ranking method.

    Returns
    -------
    Stakeholders

    References
    ----------
    Savage, L. J. (1951). The theory of statistical decision. *JASA* 46, 55-67
    (minimax regret).

    Examples
    --------
    >>> from policyeval.model.problem import make_problem
    >>> p = make_problem(["a", "b", "c"], ["x", "y"],
    ...                  np.array([[10.0, 0.0], [0.0, 10.0], [6.0, 6.0]]), [True, True])
    >>> s = stakeholder_analysis(p, {"hawk": np.array([0.9, 0.1]), "dove": np.array([0.1, 0.9])},
    ...                          top_k=2)
    >>> s.in_top_k, s.compromise, s.drivers[0]["criterion"]
    (('c',), 'c', 'x')
    """
    from policyeval.ranking import score_batch

    names = list(profile_weights)
    w = np.array([np.asarray(profile_weights[p], dtype=float) for p in names])
    w = w / w.sum(axis=1, keepdims=True)
    u = score_batch(method, problem, w, **params)  # (profiles, n)
    ranks = competition_rank(u)
    regret = u.max(axis=1, keepdims=True) - u
    worst, mean = regret.max(axis=0), regret.mean(axis=0)
    compromise = min(range(len(problem.options)), key=lambda i: (worst[i], mean[i], i))
    everyone = np.all(ranks <= top_k, axis=0)
    anyone = np.any(ranks <= top_k, axis=0)
    v = problem.values()
    w_spread = np.ptp(w, axis=0)
    v_spread = np.ptp(v[anyone], axis=0)
    drivers = sorted(
        (
            {
                "criterion": c,
                "weight_spread": float(ws),
                "value_spread": float(vs),
                "effect": float(ws * vs),
            }
            for c, ws, vs in zip(problem.criteria, w_spread, v_spread)
        ),
        key=lambda d: (-d["effect"], d["criterion"]),
    )
    corr = correlated_criteria(problem)
    warnings = tuple(
        f"criteria {a} and {b} move together across the options (Spearman rho = {c['rho']:.2f}); "
        "they may count the same thing twice"
        for c in corr
        if c["kind"] == "double counting"
        for a, b in [c["criteria"]]
    )
    return Stakeholders(
        method=method,
        ranks={
            p: dict(zip(problem.options, (int(r) for r in row))) for p, row in zip(names, ranks)
        },
        top_k=top_k,
        in_top_k=tuple(o for o, ok in zip(problem.options, everyone) if ok),
        compromise=problem.options[compromise],
        max_regret=dict(zip(problem.options, worst.tolist())),
        drivers=tuple(drivers),
        correlated=tuple(corr),
        warnings=warnings,
    )
