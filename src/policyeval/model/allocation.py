"""The resource-allocation model of a workspace (``options/allocation.yaml``), validated."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal


@dataclass(frozen=True, slots=True)
class Indicator:
    """One indicator of the need index: a countries.csv column and what a missing figure means.

    ``missing`` is ``drop`` (the indicator is left out of that target's index, whose
    weights are renormalized over the indicators it has figures for) or ``impute``
    (the figure ``impute`` stands in, for the stated ``reason``).
    """

    column: str
    weight: float
    missing: Literal["drop", "impute"] = "drop"
    impute: float | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class AllocationSpec:
    """A validated ``options/allocation.yaml``."""

    unit: str
    budget: float | None
    measures: str
    targets: tuple[tuple[str, str], ...]  # (target id, country row)
    channels: dict[str, dict[str, Any]]  # id -> {"targets": set, "member": column|None}
    indicators: tuple[Indicator, ...]
    floor: float
    membership: dict[str, dict[str, bool]]
    response: tuple[tuple[float, float], ...]
    settings: dict[str, dict[str, Any]]
    shares: dict[str, dict[str, dict[str, float]]]
    available: dict[str, tuple[str, ...]]  # target -> channels open there (membership applied)
