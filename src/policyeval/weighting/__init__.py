"""Criteria weights from stakeholders' profiles (DESIGN.md, weights).

Kernels (pure functions) live in one module per method: ``direct`` (points,
swing), ``rank``, ``ahp``, ``bwm``, ``objective`` (entropy, CRITIC), ``group``
and ``tree``; :func:`compute_weights` applies them to a workspace profile.
"""

from __future__ import annotations

from policyeval.weighting.compute import compute_all_weights, compute_weights

__all__ = ["compute_all_weights", "compute_weights"]
