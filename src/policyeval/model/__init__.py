"""Frozen domain objects: the workspace and the decision problem built from it.

``Problem`` and ``build_problem`` need numpy; they are imported on first use so
that validating a workspace stays light.
"""

from __future__ import annotations

from typing import Any

from policyeval.model.weights import Weights
from policyeval.model.workspace import (
    Criterion,
    Group,
    Option,
    Package,
    Score,
    Synergy,
    WeightProfile,
    Workspace,
)

_LAZY = {"Problem", "build_problem", "make_problem", "value_matrix"}

__all__ = [
    "Criterion",
    "Group",
    "Option",
    "Package",
    "Problem",
    "Score",
    "Synergy",
    "WeightProfile",
    "Weights",
    "Workspace",
    "build_problem",
    "make_problem",
    "value_matrix",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from policyeval.model import problem

        return getattr(problem, name)
    raise AttributeError(f"module 'policyeval.model' has no attribute '{name}'")
