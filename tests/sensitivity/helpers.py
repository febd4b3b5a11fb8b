"""Small problems and workspaces whose SMAA and stability results follow by hand."""

from __future__ import annotations

from typing import Any

import numpy as np

from policyeval.model.problem import Problem, make_problem

# Three options on two criteria scored on [0, 1]: values a = (1, 0), b = (0, 1),
# c = (0.5, 0.3). With w = (t, 1 - t): s_a = t, s_b = 1 - t, s_c = 0.3 + 0.2 t.
# a beats b iff t > 1/2, a beats c iff t > 3/8, c beats b iff t > 7/12.
# Under uniform weights t ~ U(0, 1), so every acceptability is a length on [0, 1]:
HAND_ACCEPTABILITY = {
    "a": [1 / 2, 1 / 8, 3 / 8],  # first on (1/2, 1], second on (3/8, 1/2), last on [0, 3/8)
    "b": [1 / 2, 1 / 12, 5 / 12],  # first on [0, 1/2), second on (1/2, 7/12), last after
    "c": [0.0, 19 / 24, 5 / 24],  # never first
}
HAND_CENTRAL = {"a": [0.75, 0.25], "b": [0.25, 0.75]}  # means of t on (1/2, 1] and [0, 1/2)
HAND_PAIRWISE = {("a", "b"): 1 / 2, ("a", "c"): 5 / 8, ("b", "c"): 7 / 12, ("c", "b"): 5 / 12}
# At w = (0.7, 0.3) the ranking is a, c, b. Moving w_x = t (w_y = 1 - t):
# a stays on top for t >= 1/2; the ranking a > c > b holds for t >= 7/12.
# Moving w_y = t (w_x = 1 - t): a on top for t <= 1/2; ranking for t <= 5/12.
HAND_STABILITY_TOP = {"x": (0.5, 1.0), "y": (0.0, 0.5)}
HAND_STABILITY_RANKING = {"x": (7 / 12, 1.0), "y": (0.0, 5 / 12)}


def hand_problem() -> Problem:
    """The three-option problem above (declared scales [0, 10], scores x 10)."""
    return make_problem(
        ["a", "b", "c"],
        ["x", "y"],
        np.array([[10.0, 0.0], [0.0, 10.0], [5.0, 3.0]]),
        [True, True],
        declared=[(0.0, 10.0), (0.0, 10.0)],
    )


def hand_spec(extra_profiles: dict[str, Any] | None = None) -> dict[str, Any]:
    """The hand problem as a workspace (profile ``main``: x 70, y 30)."""
    spec: dict[str, Any] = {
        "criteria/criteria.yaml": {
            "title": "Hand-checkable decision",
            "default_profile": "main",
            "criteria": [
                {"id": "x", "name": "X", "scale": [0, 10]},
                {"id": "y", "name": "Y", "scale": [0, 10]},
            ],
        },
        "criteria/weights/main.yaml": {
            "name": "Main",
            "method": "points",
            "points": {"x": 70, "y": 30},
        },
        "options/a.yaml": {"id": "a", "title": "A", "scores": {"x": 10, "y": 0}},
        "options/b.yaml": {"id": "b", "title": "B", "scores": {"x": 0, "y": 10}},
        "options/c.yaml": {"id": "c", "title": "C", "scores": {"x": 5, "y": 3}},
    }
    for name, body in (extra_profiles or {}).items():
        spec[f"criteria/weights/{name}.yaml"] = body
    return spec


def random_problem(seed: int, n: int, m: int, uncertain: bool = False) -> Problem:
    """A random problem with mixed directions (observed scales), optionally with ranges."""
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 11, (n, m)).astype(float)
    low = high = None
    if uncertain:
        low = x - rng.integers(0, 3, (n, m))
        high = x + rng.integers(0, 3, (n, m))
    maximize = rng.random(m) < 0.7
    return make_problem(
        [f"o{i}" for i in range(n)], [f"c{j}" for j in range(m)], x, maximize, low, high
    )
