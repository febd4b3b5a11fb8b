"""PROMETHEE II net outranking flow (Brans & Vincke 1985)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from policyeval.errors import Issue, WorkspaceError

#: Preference function types and the parameters each needs (Brans & Vincke's type).
PREFERENCE_TYPES: dict[str, tuple[str, ...]] = {
    "usual": (),  # type I
    "linear": ("q", "p"),  # type V, linear with indifference
    "vshape": ("p",),  # type III
    "level": ("q", "p"),  # type IV
    "gaussian": ("s",),  # type VI
}


def preference(d: np.ndarray, kind: str, q: float = 0.0, p: float = 0.0, s: float = 0.0):
    """Preference degree ``P(d)`` in [0, 1] of a difference ``d`` (0 when ``d <= 0``).

    - usual: 1 if d > 0.
    - linear (q, p): 0 if d <= q, (d - q)/(p - q) if q < d <= p, 1 above.
    - vshape (p): d/p if 0 < d <= p, 1 above.
    - level (q, p): 0 if d <= q, 1/2 if q < d <= p, 1 above.
    - gaussian (s): 1 - exp(-d^2 / (2 s^2)) for d > 0.

    Examples
    --------
    >>> d = np.array([-1.0, 0.0, 0.5, 1.5, 3.0])
    >>> preference(d, "linear", q=0.5, p=2.0).tolist()
    [0.0, 0.0, 0.0, 0.6666666666666666, 1.0]
    >>> preference(d, "level", q=0.5, p=2.0).tolist()
    [0.0, 0.0, 0.0, 0.5, 1.0]
    """
    if kind == "usual":
        return (d > 0).astype(float)
    if kind == "linear":
        return np.clip((d - q) / (p - q), 0.0, 1.0) if p > q else (d > q).astype(float)
    if kind == "vshape":
        return np.clip(d / p, 0.0, 1.0)
    if kind == "level":
        return np.where(d > p, 1.0, np.where(d > q, 0.5, 0.0))
    if kind == "gaussian":
        return np.where(d > 0, -np.expm1(-(d**2) / (2.0 * s**2)), 0.0)
    raise ValueError(f"unknown preference type {kind!r}; choices: {', '.join(PREFERENCE_TYPES)}")


def _preference_problem(kind: str, pref: dict) -> str:
    """What is wrong with one preference function, or ``""``."""
    if kind not in PREFERENCE_TYPES:
        return f"unknown preference type '{kind}'; choices: {', '.join(PREFERENCE_TYPES)}"
    missing = [k for k in PREFERENCE_TYPES[kind] if k != "q" and k not in pref]
    if missing:
        return f"type {kind} needs {' and '.join(missing)}"
    try:
        q, p, s = (float(pref.get(k, 0.0)) for k in ("q", "p", "s"))
    except (TypeError, ValueError):
        return "q, p and s must be numbers"
    if min(q, p, s) < 0:
        return "q, p and s must be non-negative"
    if kind in ("linear", "level") and q > p:
        return f"q ({q:g}) is above p ({p:g}); expected q <= p"
    if kind == "vshape" and p <= 0 or kind == "gaussian" and s <= 0:
        return f"type {kind} needs a positive {'p' if kind == 'vshape' else 's'}"
    return ""


def check_preferences(criteria: Sequence[str], preferences: Sequence[dict]) -> list[dict]:
    """Validated preference functions: type, with q (default 0), p, s as floats.

    Raises
    ------
    WorkspaceError
        Unknown type, missing, non-numeric or negative parameter, ``q > p``,
        ``p <= 0`` for vshape or ``s <= 0`` for gaussian; one issue per criterion.
    """
    issues, out = [], []
    for cid, pref in zip(criteria, preferences):
        kind = pref.get("type", "usual")
        problem = _preference_problem(kind, pref)
        if problem:
            entry = f"criteria.{cid}.preference"
            issues.append(Issue("bad-preference", problem, "criteria/criteria.yaml", entry))
        else:
            out.append({"type": kind, **{k: float(pref.get(k, 0.0)) for k in ("q", "p", "s")}})
    if issues:
        raise WorkspaceError(issues)
    return out


def promethee_ii(
    scores: np.ndarray, maximize: np.ndarray, weights: np.ndarray, preferences: Sequence[dict]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Positive, negative and net outranking flows.

    ``d_j(a, b) = x_aj - x_bj`` for a max criterion (``x_bj - x_aj`` for min),
    ``pi(a, b) = sum_j w_j P_j(d_j(a, b))``, ``phi+(a) = sum_b pi(a, b)/(n - 1)``,
    ``phi-(a) = sum_b pi(b, a)/(n - 1)``, ``phi = phi+ - phi-`` (all 0 when n = 1).
    Memory: the differences are an array of shape ``(..., n, n, m)`` (8 bytes
    each: 10,000 samples of 10 options and 10 criteria take 80 MB, twice that
    at peak); chunk the sample axis above that.

    Parameters
    ----------
    scores : ndarray, shape (..., n, m)
        Raw scores (thresholds q, p, s are in score units).
    maximize : ndarray of bool, shape (m,)
        Criterion directions.
    weights : ndarray, shape (..., m)
        Normalized weights.
    preferences : sequence of dict
        Output of :func:`check_preferences`, one per criterion.

    Returns
    -------
    phi_plus, phi_minus, phi : ndarray, shape (..., n)
        phi is higher-is-better.

    References
    ----------
    Brans, J. P. & Vincke, Ph. (1985). A preference ranking organisation method
    (The PROMETHEE method for multiple criteria decision-making).
    *Management Science* 31(6), 647-656.

    Examples
    --------
    >>> x = np.array([[4.0, 3.0, 2.0], [3.0, 2.0, 4.0], [5.0, 1.0, 3.0]])
    >>> _, _, phi = promethee_ii(x, np.ones(3, bool), np.array([0.5, 0.3, 0.2]),
    ...                          [{"type": "usual"}] * 3)
    >>> phi.round(2).tolist()
    [0.1, -0.3, 0.2]
    """
    signed = np.where(maximize, scores, -scores)
    d = signed[..., :, None, :] - signed[..., None, :, :]
    P = np.empty_like(d)
    for j, pref in enumerate(preferences):  # a loop over criteria, vectorized over samples
        q, p, s = (pref.get(k, 0.0) for k in ("q", "p", "s"))
        P[..., j] = preference(d[..., j], pref.get("type", "usual"), q, p, s)
    pi = np.einsum("...abm,...m->...ab", P, weights)
    n = scores.shape[-2]
    phi_plus = pi.sum(axis=-1) / max(n - 1, 1)
    phi_minus = pi.sum(axis=-2) / max(n - 1, 1)
    return phi_plus, phi_minus, phi_plus - phi_minus
