"""Random problems shared by the ranking tests."""

from __future__ import annotations

import numpy as np

from policyeval.model.problem import Problem, make_problem


def random_problem(seed: int, n: int = 6, m: int = 4, preferences=None) -> Problem:
    """Distinct random scores in [1, 10], mixed directions, observed scales."""
    rng = np.random.default_rng(seed)
    scores = rng.uniform(1.0, 10.0, size=(n, m))
    maximize = rng.random(m) < 0.6
    maximize[0] = True
    return make_problem(
        options=[f"o{i}" for i in range(n)],
        criteria=[f"c{j}" for j in range(m)],
        scores=scores,
        maximize=maximize,
        preferences=preferences,
        baseline=n - 1,
    )


def random_weights(seed: int, m: int) -> np.ndarray:
    """Weights drawn uniformly on the simplex."""
    return np.random.default_rng(seed).dirichlet(np.ones(m))
