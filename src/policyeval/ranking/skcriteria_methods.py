"""scikit-criteria's aggregation methods as policyeval ranking methods: ``skcriteria:NAME``.

Any ranking method of ``skcriteria.agg`` (found when first asked for, so that
importing policyeval never imports scikit-criteria) ranks a
:class:`~policyeval.model.problem.Problem` by name, e.g. ``skcriteria:TOPSIS``,
``skcriteria:MOORA`` (an alias of ``RatioMOORA``, Brauers & Zavadskas's ratio
system), ``skcriteria:WeightedSumModel``. Names are matched exactly, then
without regard to case. Kernel-selection methods (``ELECTRE1``) do not rank and
are not offered.

The decision matrix is :func:`decision_matrix`: the problem's raw scores (no
value function: as policyeval's topsis, vikor and promethee), objectives from
``maximize`` and the weights as given. Whatever the method requires of it
(positive values, no minimized criterion, reference points) is checked by
scikit-criteria and reported as one bad-argument problem.

Ranks are scikit-criteria's, turned from dense ranks (1223) into policyeval's
competition ranks (1224): identical when no options tie. The score of a
ranking, and the utility (higher is better) of :func:`utilities`, is the
method's own output where scikit-criteria ranks by it (:data:`OWN_SCORE`, e.g.
TOPSIS similarity, MOORA ratio score, SPOTIS distance with lower better);
otherwise (VIKOR with its compromise set, SIMUS) it is scikit-criteria's rank
itself, lower is better, and the utility is minus the rank.

scikit-criteria evaluates one decision matrix at a time, so :func:`utilities`
loops over the samples: about 0.07 ms per sample for methods that use
scikit-criteria's generic evaluation (their kernel is called directly, without
building a ``DecisionMatrix``), about 0.6 ms for those that compute defaults in
their own ``evaluate`` (ARAS, MAIRCA, RIM, SPOTIS, SIMUS...), and tens of
milliseconds for SIMUS, which solves linear programs. Budget SMAA samples
accordingly.
"""

from __future__ import annotations

import functools
import inspect
import os
import warnings
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from policyeval.errors import Issue, WorkspaceError, did_you_mean
from policyeval.lp import quiet_stdout
from policyeval.model.problem import Problem
from policyeval.ranking.ranks import competition_rank

PREFIX = "skcriteria:"

#: Names policyeval accepts for scikit-criteria classes of another name.
ALIASES = {
    "MOORA": "RatioMOORA",
    "WSM": "WeightedSumModel",
    "WPM": "WeightedProductModel",
}

#: Methods that rank by one of their own outputs: class name -> (key of the
#: result's ``extra_``, True when higher is better). Checked against
#: scikit-criteria by the tests; any other method is scored by its rank.
OWN_SCORE: dict[str, tuple[str, bool]] = {
    "ARAS": ("utility", True),
    "CoCoSo": ("score", True),
    "CODAS": ("score", True),
    "COPRAS": ("score", True),
    "EDAS": ("score", True),
    "ELECTRE2": ("score", False),
    "MABAC": ("score", True),
    "MAIRCA": ("values", False),
    "MARCOS": ("utility_scores", True),
    "RatioMOORA": ("score", True),
    "ReferencePointMOORA": ("score", False),
    "FullMultiplicativeForm": ("score", True),
    "MultiMOORA": ("score", True),
    "OCRA": ("performance", True),
    "PROBID": ("score", True),
    "SimplifiedPROBID": ("score", True),
    "RAM": ("score", True),
    "RIM": ("score", True),
    "SPOTIS": ("score", False),
    "TOPSIS": ("similarity", True),
    "WASPAS": ("score", True),
    "WeightedSumModel": ("score", True),
    "WeightedProductModel": ("score", True),
}


def is_skcriteria(method: object) -> bool:
    """True for a ``skcriteria:NAME`` method name (known or not)."""
    return isinstance(method, str) and method.startswith(PREFIX)


def _bad(message: str) -> WorkspaceError:
    return WorkspaceError([Issue("bad-argument", message, "", "method")])


@functools.cache
def available() -> dict[str, type]:
    """scikit-criteria's ranking methods by class name (imports ``skcriteria.agg``)."""
    import importlib
    import pkgutil

    import skcriteria.agg as agg
    from skcriteria.agg import KernelResult, SKCDecisionMakerABC

    found = {}
    with warnings.catch_warnings():  # deprecated aliases warn on import; they are skipped
        warnings.simplefilter("ignore")
        for info in pkgutil.iter_modules(agg.__path__):
            if info.name.startswith("_"):
                continue
            module = importlib.import_module(f"{agg.__name__}.{info.name}")
            for name, cls in vars(module).items():
                if (
                    isinstance(cls, type)
                    and issubclass(cls, SKCDecisionMakerABC)
                    and not inspect.isabstract(cls)
                    and cls.__module__ == module.__name__
                    and KernelResult.__name__ not in cls._make_result.__code__.co_names
                ):
                    found[name] = cls
    return dict(sorted(found.items(), key=lambda kv: kv[0].lower()))


def resolve(method: str) -> str:
    """The scikit-criteria class name of ``skcriteria:NAME``.

    Raises
    ------
    WorkspaceError
        An unknown name, with a did-you-mean and the choices.
    """
    name = method[len(PREFIX) :]
    classes = available()
    names = {**{n: n for n in classes}, **ALIASES}
    if name in names:
        return names[name]
    folded = {n.lower(): target for n, target in names.items()}
    if name.lower() in folded:
        return folded[name.lower()]
    choices = [PREFIX + n for n in names]
    hint = did_you_mean(method, choices) or did_you_mean(
        PREFIX + name.lower(), [c.lower() for c in choices]
    )
    raise _bad(
        f"unknown scikit-criteria method '{name}'.{hint} Choices: "
        + ", ".join(PREFIX + n for n in classes)
        + " (aliases: "
        + ", ".join(f"{PREFIX}{a} = {t}" for a, t in ALIASES.items())
        + ")"
    )


def check_params(method: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """The method's parameters as given, checked by building the scikit-criteria object.

    Raises
    ------
    WorkspaceError
        An unknown method or parameter, or a value scikit-criteria refuses.
    """
    name = resolve(method)
    takes = list(inspect.signature(available()[name]).parameters)
    for key in params:
        if key not in takes:
            raise _bad(
                f"The {method} method takes no parameter '{key}'. "
                f"Parameters: {', '.join(takes) or 'none'}."
            )
    try:
        available()[name](**params)
    except (TypeError, ValueError) as exc:
        raise _bad(f"{method}: {exc}") from None
    return dict(params)


def decision_matrix(problem: Problem, weights: np.ndarray, scores: np.ndarray | None = None) -> Any:
    """A ``skcriteria`` DecisionMatrix: raw scores, objectives from ``maximize``, weights."""
    import skcriteria

    return skcriteria.mkdm(
        matrix=problem.scores if scores is None else scores,
        objectives=[max if up else min for up in problem.maximize],
        weights=weights,
        alternatives=list(problem.options),
        criteria=list(problem.criteria),
    )


def _runner(method: str, params: Mapping[str, Any], dm: Any) -> Callable[..., tuple]:
    """``run(matrix, weights) -> (dense ranks, extra)`` with scikit-criteria's own code.

    A method that keeps scikit-criteria's generic ``evaluate`` has its kernel
    (``_evaluate_data``, the extension point of ``SKCDecisionMakerABC``) called
    on the matrix and weights directly, as ``evaluate`` would; one that
    overrides ``evaluate`` to compute defaults gets a new ``DecisionMatrix``.
    """
    from skcriteria.agg import SKCDecisionMakerABC

    name = resolve(method)
    model = available()[name](**params)
    if type(model).evaluate is SKCDecisionMakerABC.evaluate:
        template = dm.to_dict()

        def run(matrix: np.ndarray, weights: np.ndarray) -> tuple:
            return model._evaluate_data(**{**template, "matrix": matrix, "weights": weights})

        return run

    def run_dm(matrix: np.ndarray, weights: np.ndarray) -> tuple:
        result = model.evaluate(dm.replace(matrix=matrix, weights=weights))
        return result.values, result.extra_

    return run_dm


def _score(name: str, ranks: np.ndarray, extra: Mapping[str, Any]) -> tuple[np.ndarray, bool]:
    """The ranking's score and whether higher is better (own output, else the rank)."""
    if name in OWN_SCORE:
        key, higher = OWN_SCORE[name]
        return np.asarray(extra[key], dtype=float), higher
    return np.asarray(ranks, dtype=float), False


def _refused(method: str, exc: Exception) -> WorkspaceError:
    return _bad(
        f"scikit-criteria's {resolve(method)} cannot rank these options ({method}): {exc}. "
        "Choose another method, e.g. skcriteria:TOPSIS or one of policyeval's."
    )


def evaluate(
    method: str, problem: Problem, weights: np.ndarray, params: Mapping[str, Any]
) -> dict[str, Any]:
    """Rank one problem: competition ranks, score, direction, details, warnings.

    Raises
    ------
    WorkspaceError
        When scikit-criteria refuses the matrix (its message, and a way out).
    """
    import skcriteria

    name = resolve(method)
    dm = decision_matrix(problem, weights)
    with warnings.catch_warnings(record=True) as caught, quiet_stdout():
        warnings.simplefilter("always")
        try:
            ranks, extra = _runner(method, params, dm)(dm.matrix.to_numpy(), weights)
        except ValueError as exc:
            raise _refused(method, exc) from None
    said = dict.fromkeys(
        f"{method}: {w.message}" for w in caught if f"{os.sep}skcriteria{os.sep}" in w.filename
    )
    score, higher = _score(name, ranks, extra)
    key = OWN_SCORE.get(name, ("rank",))[0]
    return {
        "score": score,
        "rank": competition_rank(-np.asarray(ranks, dtype=float)),
        "higher_is_better": higher,
        "details": {
            "skcriteria_method": name,
            "skcriteria_version": skcriteria.VERSION,
            "parameters": dict(params),
            "score": (
                f"{name}'s own {key!r} ({'higher' if higher else 'lower'} is better)"
                if name in OWN_SCORE
                else "scikit-criteria's rank (lower is better)"
            ),
            "skcriteria_rank": {o: int(r) for o, r in zip(problem.options, ranks)},
        },
        "warnings": list(said),
    }


def utilities(
    method: str,
    problem: Problem,
    weights: np.ndarray,
    scores: np.ndarray,
    params: Mapping[str, Any],
) -> np.ndarray:
    """Utilities ``(..., n)`` (higher is better), one scikit-criteria run per sample.

    ``weights`` ``(..., m)`` and ``scores`` ``(..., n, m)`` broadcast over their
    leading axes. The utility is the method's own score (negated when lower is
    better) or minus its rank (see the module's notes, and their cost).

    Raises
    ------
    WorkspaceError
        When scikit-criteria refuses a sampled matrix.
    """
    name = resolve(method)
    lead = np.broadcast_shapes(weights.shape[:-1], scores.shape[:-2])
    n, m = problem.shape
    w = np.broadcast_to(weights, (*lead, m))
    x = np.broadcast_to(scores, (*lead, n, m))
    out = np.empty((*lead, n))
    if out.size == 0:
        return out
    first = (0,) * len(lead)
    run = _runner(method, params, decision_matrix(problem, w[first], x[first]))
    with warnings.catch_warnings(), quiet_stdout():
        warnings.simplefilter("ignore")
        for k in np.ndindex(lead):
            try:
                ranks, extra = run(x[k], w[k])
            except ValueError as exc:
                raise _refused(method, exc) from None
            score, higher = _score(name, ranks, extra)
            out[k] = score if higher else -score
    return out
