"""Dispatch to the method kernels: batched utilities and one-problem rankings."""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from typing import Any

import numpy as np

from policyeval.errors import Issue, WorkspaceError, did_you_mean
from policyeval.model.problem import Problem
from policyeval.model.weights import Weights
from policyeval.ranking import skcriteria_methods as skc
from policyeval.ranking.electre import CONCORDANCE, DISCORDANCE, electre_i
from policyeval.ranking.promethee import check_preferences, promethee_ii
from policyeval.ranking.ranks import competition_rank
from policyeval.ranking.result import Ranking, RankRow
from policyeval.ranking.topsis import topsis
from policyeval.ranking.vikor import vikor, vikor_conditions
from policyeval.ranking.wsm import WPM_FLOOR, wpm, wsm_scores

METHODS = ("wsm", "wpm", "topsis", "vikor", "promethee", "electre")

#: Each method's parameters, their defaults and their allowed interval.
PARAMS: dict[str, dict[str, tuple[float, float, float, bool]]] = {
    # name: (default, low, high, low end open)
    "wsm": {},
    "wpm": {"floor": (WPM_FLOOR, 0.0, 1.0, True)},
    "topsis": {},
    "vikor": {"v": (0.5, 0.0, 1.0, False)},
    "promethee": {},
    "electre": {
        "concordance": (CONCORDANCE, 0.0, 1.0, False),
        "discordance": (DISCORDANCE, 0.0, 1.0, False),
    },
}


def _bad(message: str) -> WorkspaceError:
    return WorkspaceError([Issue("bad-argument", message)])


def check_params(method: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """The method's parameters with defaults filled in, validated.

    A ``skcriteria:NAME`` method takes its class's parameters, checked by
    scikit-criteria (:mod:`policyeval.ranking.skcriteria_methods`).

    Raises
    ------
    WorkspaceError
        Unknown method or parameter, or a value out of its interval.
    """
    if skc.is_skcriteria(method):
        return skc.check_params(method, params)
    if method not in PARAMS:
        raise _bad(
            f"unknown ranking method '{method}'.{did_you_mean(method, METHODS)} "
            f"Choices: {', '.join(METHODS)}"
        )
    spec = PARAMS[method]
    for name in params:
        if name not in spec:
            takes = ", ".join(spec) or "none"
            raise _bad(f"The {method} method takes no parameter '{name}'. Parameters: {takes}.")
    out = {}
    for name, (default, lo, hi, open_lo) in spec.items():
        value = params.get(name, default)
        ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
        ok = ok and (lo < value if open_lo else lo <= value) and value <= hi
        if not ok:
            bracket = "(" if open_lo else "["
            raise _bad(
                f"The '{name}' parameter of {method} must be a float in "
                f"{bracket}{lo:g}, {hi:g}]. Got {value!r} instead."
            )
        out[name] = float(value)
    return out


def normalize_weights(weights: np.ndarray, m: int) -> np.ndarray:
    """Weights ``(..., m)`` rescaled to sum 1 along the last axis.

    Raises
    ------
    WorkspaceError
        Wrong length, a negative or non-finite weight, or all weights zero.
    """
    w = np.asarray(weights, dtype=float)
    if w.ndim == 0 or w.shape[-1] != m:
        raise _bad(f"expected {m} weights (one per criterion), got shape {w.shape}")
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise _bad("weights must be finite and non-negative")
    largest = w.max(axis=-1, keepdims=True)
    if np.any(largest <= 0):
        raise _bad("weights must not all be zero")
    with np.errstate(over="ignore"):
        total = w.sum(axis=-1, keepdims=True)
    if not np.all(np.isfinite(total)):  # over 1.8e308: divide by the largest first
        w = w / largest
        total = w.sum(axis=-1, keepdims=True)
    return w / total


def _kernel(
    method: str, problem: Problem, w: np.ndarray, x: np.ndarray, params: dict[str, float]
) -> dict[str, Any]:
    """Run one method; ``score`` is in the method's own sense (vikor: Q)."""
    if method == "wsm":
        return {"score": wsm_scores(x, problem.maximize, problem.scale_lo, problem.scale_hi, w)}
    if method == "wpm":
        return {"score": wpm(problem.values(x), w, params["floor"])}
    if method == "topsis":
        score, d_plus, d_minus = topsis(x, problem.maximize, w)
        return {"score": score, "d_plus": d_plus, "d_minus": d_minus}
    if method == "vikor":
        S, R, Q = vikor(x, problem.maximize, w, params["v"])
        return {"score": Q, "S": S, "R": R}
    if method == "promethee":
        prefs = check_preferences(problem.criteria, problem.preferences)
        phi_plus, phi_minus, phi = promethee_ii(x, problem.maximize, w, prefs)
        return {"score": phi, "phi_plus": phi_plus, "phi_minus": phi_minus, "preferences": prefs}
    score, outranks, _, _ = electre_i(
        problem.values(x), w, params["concordance"], params["discordance"]
    )
    return {"score": score, "outranks": outranks}


def score_batch(
    method: str,
    problem: Problem,
    weights: np.ndarray,
    scores: np.ndarray | None = None,
    **params: float,
) -> np.ndarray:
    """Utilities (higher is better) of every option, batched over samples.

    One numpy computation broadcast over the leading axes of ``weights`` and
    ``scores``; no loop over samples. vikor returns ``-Q``. Value functions
    keep the problem's scales (``problem.scale_lo/hi``): a sampled score
    outside them gives a value outside [0, 1], kept as is (wpm floors values
    at ``floor``). topsis, vikor and promethee work on each sample's raw scores.
    promethee and electre hold ``(..., n, n, m)`` pairwise arrays in memory
    (8 bytes each); chunk very large sample axes.

    Parameters
    ----------
    method : str
        One of :data:`METHODS`, or ``skcriteria:NAME`` (one scikit-criteria
        run per sample: see :mod:`policyeval.ranking.skcriteria_methods`).
    problem : Problem
        The decision problem (directions, scales, preferences).
    weights : array_like, shape (..., m)
        Weights; rescaled to sum 1.
    scores : array_like, shape (..., n, m), optional
        Sampled raw scores (default ``problem.scores``).
    **params : float
        Method parameters: wpm ``floor``, vikor ``v``, electre ``concordance``
        and ``discordance``.

    Returns
    -------
    ndarray, shape (..., n)

    Examples
    --------
    >>> from policyeval.model.problem import make_problem
    >>> p = make_problem(["a", "b"], ["x", "y"], np.array([[1.0, 0.0], [0.0, 1.0]]), [True, True])
    >>> score_batch("wsm", p, np.array([[3.0, 1.0], [1.0, 3.0]])).tolist()
    [[0.75, 0.25], [0.25, 0.75]]
    """
    checked = check_params(method, params)
    w = normalize_weights(weights, len(problem.criteria))
    x = problem.scores if scores is None else np.asarray(scores, dtype=float)
    if x.shape[-2:] != problem.shape:
        raise _bad(
            f"expected scores of shape (..., {problem.shape[0]}, {problem.shape[1]}), got {x.shape}"
        )
    if skc.is_skcriteria(method):
        return skc.utilities(method, problem, w, x, checked)
    score = _kernel(method, problem, w, x, checked)["score"]
    return -score if method == "vikor" else score


def as_weights(problem: Problem, weights: Weights | Mapping[str, float]) -> Weights:
    """``weights`` as :class:`~policyeval.model.Weights` over the problem's criteria.

    A mapping is checked and rescaled (:meth:`Weights.given`); a ``Weights``
    must weigh exactly the problem's criteria.

    Raises
    ------
    WorkspaceError
        A criterion without a weight, or a weight for an unknown criterion.
    """
    if not isinstance(weights, Weights):
        return Weights.given(weights, problem.criteria)
    if set(weights.weights) != set(problem.criteria):
        return Weights.given(weights.weights, problem.criteria)
    return weights


def _per_option(problem: Problem, arr: np.ndarray) -> dict[str, float]:
    return {o: float(a) for o, a in zip(problem.options, arr)}


def _details(
    method: str, problem: Problem, out: dict[str, Any], params: dict[str, float]
) -> tuple[dict[str, Any], list[str]]:
    """Method details for a report, and the warnings they raise."""
    opts = problem.options
    if method == "topsis":
        return {k: _per_option(problem, out[k]) for k in ("d_plus", "d_minus")}, []
    if method == "promethee":
        return {
            "phi_plus": _per_option(problem, out["phi_plus"]),
            "phi_minus": _per_option(problem, out["phi_minus"]),
            "preferences": dict(zip(problem.criteria, out["preferences"])),
        }, []
    if method == "electre":
        rel = out["outranks"]
        return {
            "variant": "ELECTRE I outranking on values, ranked by net outranking flow",
            **params,
            "outranks": {o: [opts[b] for b in np.flatnonzero(rel[a])] for a, o in enumerate(opts)},
        }, []
    if method == "vikor":
        cond = vikor_conditions(out["S"], out["R"], out["score"])
        chosen = [opts[i] for i in cond["compromise_set"]]
        details = {
            "v": params["v"],
            "S": _per_option(problem, out["S"]),
            "R": _per_option(problem, out["R"]),
            "dq": cond["dq"],
            "acceptable_advantage": cond["acceptable_advantage"],
            "acceptable_stability": cond["acceptable_stability"],
            "compromise_set": chosen,
        }
        failed = [
            name
            for name, ok in (
                ("acceptable advantage (C1)", cond["acceptable_advantage"]),
                ("acceptable stability (C2)", cond["acceptable_stability"]),
            )
            if not ok
        ]
        warnings = (
            [f"vikor: {' and '.join(failed)} not met; compromise set: {', '.join(chosen)}"]
            if failed
            else []
        )
        return details, warnings
    return dict(params), []


def rank_problem(
    problem: Problem, weights: Weights | Mapping[str, float], method: str = "wsm", **params: float
) -> Ranking:
    """Rank a problem's options (baseline included and marked) by one method.

    Parameters
    ----------
    problem : Problem
        The decision problem.
    weights : Weights or mapping
        A profile's weights, or a mapping criterion -> weight (rescaled to sum 1).
    method : str
        One of :data:`METHODS`, or ``skcriteria:NAME`` for a scikit-criteria
        method (:mod:`policyeval.ranking.skcriteria_methods`).
    **params : float
        Method parameters (see :func:`score_batch`).

    Returns
    -------
    Ranking
        Score in the method's own sense (vikor: Q, lower is better).

    Examples
    --------
    >>> from policyeval.model.problem import make_problem
    >>> p = make_problem(["a", "b"], ["x", "y"], np.array([[1.0, 0.0], [0.0, 1.0]]),
    ...                  [True, True], baseline=1)
    >>> [(r.option, r.rank, r.baseline) for r in rank_problem(p, {"x": 2, "y": 1}).rows]
    [('a', 1, False), ('b', 2, True)]
    """
    checked = check_params(method, params)
    given = as_weights(problem, weights)
    wdict, profile, warnings = given.weights, given.profile, given.warnings
    w = given.vector(problem.criteria)
    if skc.is_skcriteria(method):
        out = skc.evaluate(method, problem, w, checked)
        higher, ranks = out["higher_is_better"], out["rank"]
        details, more = out["details"], out["warnings"]
    else:
        out = _kernel(method, problem, w, problem.scores, checked)
        higher = method != "vikor"
        ranks = competition_rank(out["score"], higher_is_better=higher)
        details, more = _details(method, problem, out, checked)
    rows = sorted(
        (
            RankRow(o, float(s), int(r), i == problem.baseline)
            for i, (o, s, r) in enumerate(zip(problem.options, out["score"], ranks))
        ),
        key=lambda row: (row.rank, row.option),
    )
    return Ranking(
        profile=profile,
        method=method,
        weights=wdict,
        rows=tuple(rows),
        higher_is_better=higher,
        details=details,
        warnings=(*warnings, *constant_warnings(problem), *baseline_ideal_warnings(problem), *more),
    )


def constant_warnings(problem: Problem) -> list[str]:
    """One warning per criterion whose scale is empty (value 1 for every option)."""
    return [
        f"criterion '{c}' has an empty scale (every option scores the same): every option "
        "gets value 1 on it and it does not separate the options"
        for c in problem.constant_criteria
    ]


def baseline_ideal_warnings(problem: Problem) -> list[str]:
    """One warning per criterion scaled over the options compared (no declared ``scale``)
    on which the baseline holds the best score of all.

    There the baseline gets value 1 and every measure at most as much: no measure can
    add value over the status quo on that criterion, and the baseline wins every draw
    that puts weight there. Declaring the criterion's ``scale`` removes the effect.

    Examples
    --------
    >>> from policyeval.model.problem import make_problem
    >>> p = make_problem(["sq", "a"], ["x"], np.array([[5.0], [3.0]]), [True], baseline=0)
    >>> baseline_ideal_warnings(p)[0][:40]
    "criterion 'x' has no declared scale and "
    """
    if problem.baseline is None:
        return []
    v = problem.values()
    base = problem.baseline
    return [
        f"criterion '{c}' has no declared scale and the baseline '{problem.options[base]}' "
        "scores best on it: no option can add value over the baseline there, which favours "
        "it when this criterion weighs much; declare scale: [lo, hi] to measure against the "
        "possible range"
        for j, c in enumerate(problem.criteria)
        if not problem.declared_scale[j]
        and problem.scale_hi[j] > problem.scale_lo[j]
        and v[base, j] >= v[:, j].max() - 1e-12
        and (v[:, j] < v[base, j] - 1e-12).any()
    ]
