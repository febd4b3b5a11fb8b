"""policyeval: evaluate policy recommendations the way an analysis unit would.

>>> import policyeval as pe
>>> case = pe.load("tests/fixtures/transport")
>>> a = pe.analyze(case, profile="council")
>>> a.ranking().rows[0].option
'tram_line'

The package is light to import; heavy modules (numpy, pandas, scikit-criteria,
matplotlib, pulp) are imported when first needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from policyeval._version import __version__

__all__ = [
    "Analysis", "Weights", "WorkspaceError", "__version__", "analyze", "from_skcriteria", "load",
    "to_skcriteria",
]  # fmt: skip

if TYPE_CHECKING:
    from pathlib import Path

    from policyeval.api import Analysis
    from policyeval.errors import WorkspaceError
    from policyeval.model import Weights, Workspace


def load(path: str | Path = ".") -> Workspace:
    """Read and validate a case (a workspace folder) once: every file, every problem.

    Raises
    ------
    WorkspaceError
        With every problem found, each naming its file, entry and fix.
    """
    from policyeval.io import load_workspace

    return load_workspace(path)


def analyze(
    case: Workspace | str | Path = ".",
    profile: str | None = None,
    weights: Weights | dict[str, float] | None = None,
) -> Analysis:
    """An analysis of a case under a profile's weights (default profile) or given weights."""
    from policyeval.api import Analysis
    from policyeval.model import Workspace as _Workspace

    if not isinstance(case, _Workspace):
        case = load(case)
    a = Analysis(case, profile=profile) if weights is None else None
    return a if a is not None else Analysis(case, profile=profile).with_weights(weights)


def __getattr__(name: str) -> Any:
    if name == "Analysis":
        from policyeval.api import Analysis

        return Analysis
    if name == "Weights":
        from policyeval.model import Weights

        return Weights
    if name in ("from_skcriteria", "to_skcriteria"):
        from policyeval import interop

        return getattr(interop, name)
    if name == "WorkspaceError":
        from policyeval.errors import WorkspaceError

        return WorkspaceError
    raise AttributeError(f"module 'policyeval' has no attribute '{name}'")


def __dir__() -> list[str]:
    return sorted(__all__)
