"""Interoperability with scikit-criteria: decision matrices in and out.

:func:`to_skcriteria` gives a case's (or a problem's) options as a
``skcriteria`` DecisionMatrix: raw scores, objectives from each criterion's
direction, the weights of a profile. :func:`from_skcriteria` gives a
DecisionMatrix as a case that every policyeval analysis takes. Both import
scikit-criteria when called, never before.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policyeval.errors import Issue, WorkspaceError
from policyeval.model import Criterion, Option, Score, WeightProfile, Weights, Workspace

if TYPE_CHECKING:
    from policyeval.model.problem import Problem

PROFILE = "skcriteria"
"""Id of the one weight profile of a case made by :func:`from_skcriteria`."""


def to_skcriteria(
    case_or_problem: Workspace | Problem, weights: Weights | Mapping[str, float] | str | None = None
) -> Any:
    """A scikit-criteria DecisionMatrix of a case's options (baseline included) or a problem.

    Parameters
    ----------
    case_or_problem : Workspace or Problem
        A loaded case (:func:`policyeval.load`) or a decision problem.
    weights : Weights, mapping, str or None
        Weights, a mapping criterion -> weight (rescaled to sum 1) or, for a
        case, a profile id. Default: the case's default profile; equal weights
        for a problem.

    Returns
    -------
    skcriteria.core.data.DecisionMatrix
        Alternatives and criteria named by their ids, raw scores, ``max`` or
        ``min`` objectives, weights summing to 1.

    Examples
    --------
    >>> import policyeval as pe
    >>> dm = to_skcriteria(pe.load("tests/fixtures/transport"))
    >>> dm.alternatives.tolist()[:2], dm.shape
    (['do_nothing', 'bus_rapid'], (5, 5))
    """
    import numpy as np

    from policyeval.model import build_problem
    from policyeval.ranking.core import as_weights
    from policyeval.ranking.skcriteria_methods import decision_matrix

    if isinstance(case_or_problem, Workspace):
        problem = build_problem(case_or_problem)
        if weights is None or isinstance(weights, str):
            from policyeval.weighting import compute_weights

            weights = compute_weights(case_or_problem, weights)
    else:
        problem = case_or_problem
        if weights is None:
            weights = dict.fromkeys(problem.criteria, 1.0)
    if isinstance(weights, str):
        raise WorkspaceError(
            [Issue("bad-argument", "a profile id needs a case, not a problem", "", "weights")]
        )
    w = as_weights(problem, weights).vector(problem.criteria)
    return decision_matrix(problem, np.asarray(w, dtype=float))


def _ids(names: Any, what: str) -> list[str]:
    """Valid, distinct policyeval ids for scikit-criteria names (``A0`` -> ``a0``)."""
    out: list[str] = []
    for name in map(str, names):
        base = re.sub(r"[^a-z0-9_]+", "_", name.lower()).strip("_") or what
        base = base if base[0].isalpha() else f"{what}_{base}"
        new, k = base, 2
        while new in out:
            new, k = f"{base}_{k}", k + 1
        out.append(new)
    return out


def from_skcriteria(dm: Any, title: str = "scikit-criteria decision matrix") -> Workspace:
    """A case from a scikit-criteria DecisionMatrix, ready for :func:`policyeval.analyze`.

    One criterion per column (``max`` or ``min`` from the objectives, no
    declared scale: values run over the observed min..max), one option per row
    (no baseline), and one ``points`` profile, ``skcriteria``, holding the
    matrix's weights. Ids are the matrix's names made valid (lower case,
    letters, digits and ``_``); the names themselves become the titles, so
    ``to_skcriteria(from_skcriteria(dm))`` gives ``dm`` back (weights rescaled
    to sum 1) whenever its names are valid ids.

    Parameters
    ----------
    dm : skcriteria.core.data.DecisionMatrix
        The decision matrix.
    title : str
        The case's title.

    Raises
    ------
    WorkspaceError
        A score that is not a finite number, or weights that are negative,
        not finite or all zero (one problem for each).

    Examples
    --------
    >>> import skcriteria
    >>> dm = skcriteria.mkdm([[7, 300], [5, 200]], [max, min], weights=[2, 1],
    ...                      alternatives=["tram", "bus"], criteria=["reach", "cost"])
    >>> case = from_skcriteria(dm)
    >>> [c.direction for c in case.criteria], case.profiles["skcriteria"].spec
    (['max', 'min'], {'points': {'reach': 2.0, 'cost': 1.0}})
    """
    import numpy as np

    x = dm.matrix.to_numpy(dtype=float)
    w = dm.weights.to_numpy(dtype=float)
    crits, opts = _ids(dm.criteria, "c"), _ids(dm.alternatives, "a")
    issues = [
        Issue(
            "bad-score",
            f"score of {opts[i]} on {crits[j]} is {x[i, j]!r}; give a finite number",
            "",
            f"{dm.alternatives[i]}.{dm.criteria[j]}",
        )
        for i, j in zip(*np.nonzero(~np.isfinite(x)))
    ]
    issues += [
        Issue(
            "bad-weight",
            f"weight of criterion {crits[j]} is {w[j]!r}; give a finite number >= 0",
            "",
            str(dm.criteria[j]),
        )
        for j in np.flatnonzero(~(np.isfinite(w) & (w >= 0)))
    ]
    if not issues and w.sum() <= 0:
        issues.append(Issue("bad-weight", "every weight is zero; give some weight", "", "weights"))
    if issues:
        raise WorkspaceError(issues)
    directions = ["max" if o > 0 else "min" for o in dm.iobjectives.to_numpy()]
    criteria = tuple(
        Criterion(cid, str(name), direction)
        for cid, name, direction in zip(crits, dm.criteria, directions)
    )
    options = tuple(
        Option(oid, str(name), {c: Score(float(v)) for c, v in zip(crits, row)})
        for oid, name, row in zip(opts, dm.alternatives, x)
    )
    profile = WeightProfile(
        PROFILE, "scikit-criteria weights", "points", {"points": dict(zip(crits, w.tolist()))}
    )
    return Workspace(
        root=Path("."),
        title=title,
        criteria=criteria,
        groups=(),
        options=options,
        profiles={PROFILE: profile},
        default_profile=PROFILE,
    )
