"""Weights from a ranking: rank order centroid (ROC), rank sum, reciprocal."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

RANK_RULES = ("roc", "rank_sum", "reciprocal")

Ranking = Sequence[str | Sequence[str]]


def slot_weights(n: int, rule: str = "roc") -> np.ndarray:
    """Weights of the rank slots ``k = 1..n`` (shape ``(n,)``, sums to 1).

    ``roc``: ``w_k = (1/n) sum_{i=k..n} 1/i``; ``rank_sum``: ``w_k`` proportional
    to ``n - k + 1``; ``reciprocal``: ``w_k`` proportional to ``1/k``.

    References
    ----------
    Barron, F. H., & Barrett, B. E. (1996). Decision quality using ranked
    attribute weights. *Management Science*, 42(11), 1515-1523.
    Stillwell, W. G., Seaver, D. A., & Edwards, W. (1981). A comparison of weight
    approximation techniques in multiattribute utility decision making.
    *Organizational Behavior and Human Performance*, 28(1), 62-77.

    Examples
    --------
    >>> slot_weights(4).round(4).tolist()
    [0.5208, 0.2708, 0.1458, 0.0625]
    >>> slot_weights(3, "rank_sum").tolist()
    [0.5, 0.3333333333333333, 0.16666666666666666]
    """
    if rule not in RANK_RULES:
        raise ValueError(f"unknown rank rule '{rule}'; choices: {', '.join(RANK_RULES)}")
    k = np.arange(1, n + 1, dtype=float)
    if rule == "roc":
        return np.cumsum((1.0 / k)[::-1])[::-1] / n
    raw = n - k + 1 if rule == "rank_sum" else 1.0 / k
    return raw / raw.sum()


def rank_weights(ranking: Ranking, rule: str = "roc") -> dict[str, float]:
    """Weights from a ranking, most important first; a nested list is a tie.

    Tied items occupy consecutive slots and each takes the mean of the weights
    of those slots (DESIGN.md, rank).

    Parameters
    ----------
    ranking : sequence of str or sequence of str
        E.g. ``["a", ["b", "c"], "d"]``: a first, b and c tied second/third.
    rule : {"roc", "rank_sum", "reciprocal"}
        How slot weights are derived from the rank.

    Returns
    -------
    dict of str to float
        Weight per item, in ranking order.

    References
    ----------
    Barron, F. H., & Barrett, B. E. (1996). Decision quality using ranked
    attribute weights. *Management Science*, 42(11), 1515-1523.

    Examples
    --------
    >>> w = rank_weights(["a", ["b", "c"]])
    >>> {k: round(v, 4) for k, v in w.items()}
    {'a': 0.6111, 'b': 0.1944, 'c': 0.1944}
    """
    tiers = [[t] if isinstance(t, str) else list(t) for t in ranking]
    slots = slot_weights(sum(len(t) for t in tiers), rule)
    out: dict[str, float] = {}
    start = 0
    for tier in tiers:
        mean = float(slots[start : start + len(tier)].mean())
        out.update(dict.fromkeys(tier, mean))
        start += len(tier)
    return out
