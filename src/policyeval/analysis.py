"""One analysis of a case: each result computed once, on demand, for every surface.

:class:`Analysis` is the only place that turns (case, weights or profile,
settings) into results. The command line, the ``serve`` page, the memo and the
Python API all ask it and only format what it returns, so the same settings
give the same figures everywhere. Results are cached by their settings; asking
for the ranking does not run SMAA. Derived analyses (:meth:`Analysis.with_weights`,
:meth:`Analysis.with_scores`) share what does not change (decision matrices,
profile weights).

Settings are validated here, by parameter name (``samples``, ``budget``...);
the command line maps those names to its flags.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from policyeval.errors import Issue, WorkspaceError, bad_setting
from policyeval.model import Weights, Workspace

if TYPE_CHECKING:
    from policyeval.model.problem import Problem
    from policyeval.next_steps import NextSteps
    from policyeval.optimization import AllocationResult, FrontierResult, PortfolioResult
    from policyeval.ranking.result import MultiRanking, Ranking
    from policyeval.sensitivity import SensitivityReport
    from policyeval.sensitivity.voi import VoiResult
    from policyeval.verdict import Verdict

SAMPLES = 10_000
"""Default SMAA samples of ``sensitivity`` and of the memo."""


class _Shared:
    """What every analysis of one case shares: decision matrices and profile weights."""

    def __init__(self, case: Workspace) -> None:
        self.case = case
        self.problems: dict[bool, Problem] = {}
        self.profiles: dict[str, Weights] = {}
        self.counts: dict[str, int] = {}

    def count(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1

    def problem(self, packages: bool) -> Problem:
        if packages not in self.problems:
            from policyeval.model import build_problem

            self.count("problem")
            self.problems[packages] = build_problem(self.case, packages=packages)
        return self.problems[packages]

    def profile(self, pid: str) -> Weights:
        if pid not in self.profiles:
            from policyeval.weighting import compute_weights

            self.count("weights")
            names = {c.id: c.name for c in self.case.criteria}
            self.profiles[pid] = dataclasses.replace(compute_weights(self.case, pid), titles=names)
        return self.profiles[pid]


class Analysis:
    """One case under one set of weights; every result computed once, when asked.

    Parameters
    ----------
    case : Workspace
        A loaded case (:func:`policyeval.load`).
    weights : Weights, optional
        The weights (default: those of ``profile``).
    profile : str, optional
        A profile id (default: the case's default profile).

    Examples
    --------
    >>> import policyeval as pe
    >>> a = pe.analyze(pe.load("tests/fixtures/transport"))
    >>> a.ranking().rows[0].option
    'tram_line'
    """

    def __init__(
        self,
        case: Workspace,
        weights: Weights | None = None,
        *,
        profile: str | None = None,
        _shared: _Shared | None = None,
    ) -> None:
        self.case = case
        self._shared = _shared or _Shared(case)
        if weights is None:
            weights = self._shared.profile(case.profile_id(profile))
        self.weights = weights
        self._cache: dict[Hashable, Any] = {}

    # ------------------------------------------------------------------ plumbing

    def _once(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The result for ``key``, computed on first request (titles attached for display)."""
        if key not in self._cache:
            self._shared.count(str(key[0]) if isinstance(key, tuple) else str(key))
            result = compute()
            if dataclasses.is_dataclass(result) and any(
                f.name == "titles" for f in dataclasses.fields(result)
            ):
                result = dataclasses.replace(result, titles=self.titles())
            self._cache[key] = result
        return self._cache[key]

    @property
    def work(self) -> dict[str, int]:
        """How many times each kind of result was computed (for tests and profiling)."""
        return dict(self._shared.counts)

    def __repr__(self) -> str:
        who = self.weights.profile or self.weights.name
        return (
            f"<Analysis of {self.case.title!r}: {len(self.case.measures)} measures, "
            f"{len(self.case.packages)} packages, weights {who}>"
        )

    @property
    def profile(self) -> str | None:
        """The profile id of the weights (None for weights given directly)."""
        return self.weights.profile

    def problem(self, packages: bool = False) -> Problem:
        """The decision matrix of the options, or of the packages."""
        if packages and not self.case.packages:
            raise bad_setting(
                "packages", "this workspace has no packages; add options/packages.yaml"
            )
        return self._shared.problem(packages)

    def profiles(self) -> dict[str, Weights]:
        """Every profile's weights, by id (sorted)."""
        return {pid: self._shared.profile(pid) for pid in sorted(self.case.profiles)}

    def titles(self) -> dict[str, str]:
        """Titles of options, packages and criteria (their names), by id."""
        out = {c.id: c.name for c in self.case.criteria}
        out.update({o.id: o.title for o in self.case.options})
        out.update({p.id: p.title for p in self.case.packages})
        return out

    # ------------------------------------------------------------------ what-if

    def with_weights(self, weights: Weights | Mapping[str, float] | str) -> Analysis:
        """The same case under other weights: a profile id, a mapping or a ``Weights``."""
        if isinstance(weights, str):
            return type(self)(self.case, profile=weights, _shared=self._shared)
        if not isinstance(weights, Weights):
            weights = Weights.given(weights, self.case.criterion_ids)
        names = {c.id: c.name for c in self.case.criteria}
        weights = dataclasses.replace(weights, titles=names)
        return type(self)(self.case, weights, _shared=self._shared)

    def with_scores(self, changes: Mapping[str, float]) -> Analysis:
        """The case with some scores changed: ``{"option_id.criterion_id": value}``.

        The range of a changed score becomes the new value (a certain score).
        Weights given by a profile are recomputed (objective weights depend on scores).
        """
        options = {o.id: o for o in self.case.options}
        issues = []
        new = {oid: dict(o.scores) for oid, o in options.items()}
        for key, value in changes.items():
            oid, _, cid = key.partition(".")
            if oid not in options or cid not in new[oid]:
                issues.append(
                    Issue("unknown-score", f"no score '{key}'; use option_id.criterion_id", "")
                )
                continue
            old = new[oid][cid]
            new[oid][cid] = dataclasses.replace(old, value=float(value), low=None, high=None)
        if issues:
            raise WorkspaceError(issues)
        case = dataclasses.replace(
            self.case,
            options=tuple(dataclasses.replace(o, scores=new[o.id]) for o in self.case.options),
        )
        if self.weights.profile is not None:
            return type(self)(case, profile=self.weights.profile)
        return type(self)(case, self.weights)

    # ------------------------------------------------------------------ rankings

    def ranking(self, method: str = "wsm", packages: bool = False, **params: float) -> Ranking:
        """The ranking by one method (baseline included and marked)."""
        from policyeval.ranking import rank_problem

        key = ("ranking", method, packages, tuple(sorted(params.items())))
        return self._once(
            key, lambda: rank_problem(self.problem(packages), self.weights, method, **params)
        )

    def rankings(self, packages: bool = False) -> MultiRanking:
        """Every method's ranking, the Borda consensus and Kendall's tau between methods."""
        from policyeval.ranking import rank_all

        return self._once(
            ("rankings", packages), lambda: rank_all(self.problem(packages), self.weights)
        )

    def by_profile(self, packages: bool = False) -> dict[str, Ranking]:
        """The wsm ranking under every profile's weights."""
        return self._once(
            ("by_profile", packages),
            lambda: {
                pid: self.with_weights(w).ranking("wsm", packages)
                for pid, w in self.profiles().items()
            },
        )

    def subject_packages(self) -> bool:
        """Whether the memo's choice is among packages (the case declares some)."""
        return bool(self.case.packages)

    # ------------------------------------------------------------------ robustness

    def sensitivity(
        self,
        *,
        method: str = "wsm",
        samples: int = SAMPLES,
        seed: int = 0,
        spread: float | None = None,
        bounds: bool | None = None,
        packages: bool = False,
        profiles: Sequence[str] | None = None,
        top_k: int = 3,
        chunk: int | None = None,
        progress: Callable[[int], Any] | None = None,
    ) -> SensitivityReport:
        """SMAA-2, stability, what it would take, tornado, rank reversal, stakeholders.

        Parameters
        ----------
        method : str
            Ranking method of SMAA, rank reversal and the stakeholder comparison.
        samples, seed : int
            SMAA samples and seed.
        spread : float, optional
            Sample weights around the profile's instead.
        bounds : bool, optional
            Sample weights within the profile's declared ``bounds``. Default:
            when the profile declares bounds and no spread is given.
        packages : bool
            Analyse the packages instead of the options.
        profiles : sequence of str, optional
            Profiles compared across stakeholders (default: all).
        top_k : int
            The k of "in every stakeholder's top k".
        chunk, progress
            SMAA samples per batched evaluation; a callback with the samples done.
        """
        from policyeval.ranking import METHODS, is_skcriteria
        from policyeval.sensitivity import sensitivity_report

        if method not in METHODS and not is_skcriteria(method):  # skcriteria: checked by SMAA
            from policyeval.errors import did_you_mean

            raise bad_setting(
                "method",
                f"unknown ranking method '{method}'.{did_you_mean(method, METHODS)} "
                f"Choices: {', '.join(METHODS)}",
            )
        if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
            raise bad_setting("samples", f"must be a positive integer. Got {samples!r} instead.")
        if isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 1:
            raise bad_setting("top_k", f"must be a positive integer. Got {top_k!r} instead.")
        declared = self._declared_bounds()
        if bounds and spread is not None:
            raise bad_setting("spread", "choose either a spread or the profile's bounds, not both")
        if bounds is None:
            bounds = spread is None and bool(declared)
        if bounds and not declared:
            raise WorkspaceError(
                [
                    Issue(
                        "no-bounds",
                        f"profile '{self.profile}' declares no weight bounds; add "
                        "bounds: {criterion: [lo, hi]}",
                        f"criteria/weights/{self.profile}.yaml" if self.profile else "",
                        "bounds",
                    )
                ]
            )
        compared = list(profiles) if profiles is not None else sorted(self.case.profiles)
        for pid in compared:
            self.case.profile_id(pid)  # raises for an unknown name
        key = (
            "sensitivity", method, samples, seed, spread, bounds, packages, tuple(compared), top_k
        )  # fmt: skip

        def run() -> SensitivityReport:
            problem = self.problem(packages)
            others = {p: self._shared.profile(p).vector(problem.criteria) for p in compared}
            base = self.case.baseline
            return sensitivity_report(
                problem,
                self.weights,
                others,
                method=method,
                samples=samples,
                seed=seed,
                spread=spread,
                bounds=declared if bounds else None,
                chunk=chunk,
                progress=progress,
                top_k=top_k,
                titles=self.titles(),
                baseline=base.id if base else None,
            )

        return self._once(key, run)

    def _declared_bounds(self) -> dict[str, tuple[float, float]]:
        if self.profile is None:
            return {}
        return dict(self.case.profiles[self.profile].bounds)

    # ------------------------------------------------------------------ budgets

    def budget(self, budget: float | None = None) -> tuple[float, str]:
        """The budget to use and where it comes from (given, allocation.yaml or total cost)."""
        import math

        if budget is not None:
            if isinstance(budget, bool) or not math.isfinite(budget) or budget < 0:
                raise bad_setting("budget", f"must be a number >= 0. Got {budget!r} instead.")
            return abs(float(budget)), "given"  # -0.0 is 0
        if self.case.budget is not None:
            return self.case.budget, "options/allocation.yaml"
        return float(sum(o.cost for o in self.case.measures)), "total cost of all measures"

    def portfolio(
        self,
        budget: float | None = None,
        *,
        at_least: Mapping[str, int] | None = None,
        at_most: Mapping[str, int] | None = None,
        must_fund: Sequence[str] = (),
        must_not_fund: Sequence[str] = (),
        min_recommendations: int | None = None,
        solver: str | None = None,
        baseline: str = "declared",
    ) -> PortfolioResult:
        """The measures to fund: the most value added over the baseline within the budget."""
        from policyeval.optimization import optimize_portfolio

        if budget is not None:
            budget, _ = self.budget(budget)  # checked; -0.0 is 0
        key = (
            "portfolio", budget,
            tuple(sorted((at_least or {}).items())), tuple(sorted((at_most or {}).items())),
            tuple(must_fund), tuple(must_not_fund), min_recommendations, solver, baseline,
        )  # fmt: skip
        return self._once(
            key,
            lambda: optimize_portfolio(
                self.case,
                self.weights,
                budget,
                problem=self.problem(),
                baseline=baseline,  # type: ignore[arg-type]
                at_least=at_least,
                at_most=at_most,
                must_fund=must_fund,
                must_not_fund=must_not_fund,
                min_recommendations=min_recommendations,
                solver=solver,
            ),
        )

    def robust_portfolio(
        self,
        budget: float | None = None,
        *,
        samples: int = SAMPLES,
        seed: int = 0,
        solver: str | None = None,
        **policy: Any,
    ) -> PortfolioResult:
        """The portfolio with the core index of each measure over random weights."""
        from policyeval.optimization.portfolio import portfolio_data
        from policyeval.optimization.robust import robust_portfolio

        if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
            raise bad_setting("samples", f"must be a positive integer. Got {samples!r} instead.")
        if budget is not None:
            budget, _ = self.budget(budget)  # checked; -0.0 is 0
        result = self.portfolio(budget, solver=solver, **policy)

        def run() -> PortfolioResult:
            data, _ = portfolio_data(
                self.case, self.weights, budget, problem=self.problem(), **policy
            )
            core = robust_portfolio(self.case, data, samples, seed, solver, problem=self.problem())
            return dataclasses.replace(result, robust=core)

        key = ("robust", budget, samples, seed, solver, tuple(sorted(map(repr, policy.items()))))
        return self._once(key, run)

    def baseline_sensitivity(self, budget: float | None = None) -> dict[str, Any] | None:
        """Whether the portfolio changes when the baseline moves to the worst level.

        Liesiö & Punkka (2014): the added values depend on the baseline; the
        answer is robust to it when the portfolio at the scale's worst level is
        the same. None when the case declares no baseline.
        """
        if self.case.baseline is None:
            return None
        at_status_quo = self.portfolio(budget)
        at_worst = self.portfolio(budget, baseline="worst")
        return {
            "same": at_worst.selected == at_status_quo.selected,
            "worst_level": list(at_worst.selected),
            "status_quo": list(at_status_quo.selected),
        }

    def frontier(
        self,
        points: int | None = None,
        solver: str | None = None,
        progress: Callable[[int], Any] | None = None,
    ) -> FrontierResult:
        """Best value added against budget (exact breakpoints, or ``points`` budgets);
        ``progress`` is called with the number of budgets solved so far."""
        from policyeval.optimization import efficient_frontier

        if points is not None and (isinstance(points, bool) or points < 2):
            raise bad_setting("points", f"must be an integer >= 2. Got {points!r} instead.")
        return self._once(
            ("frontier", points, solver),
            lambda: efficient_frontier(
                self.case, self.weights, points, solver, problem=self.problem(), progress=progress
            ),
        )

    def allocation(
        self, budget: float | None = None, solver: str | None = None
    ) -> AllocationResult:
        """The budget split over measures, targets and channels (options/allocation.yaml)."""
        from policyeval.optimization import allocate

        if budget is not None:
            budget, _ = self.budget(budget)  # checked; -0.0 is 0
        return self._once(
            ("allocation", budget, solver),
            lambda: allocate(
                self.case,
                self.weights,
                budget,
                solver,
                problem=self.problem(),
                portfolio=self.portfolio(budget, solver=solver) if self.case.budget else None,
            ),
        )

    def funding_declared(self) -> bool:
        """Whether the case sets a budget and costs (the memo then reports funding)."""
        return self.case.budget is not None and any(o.cost for o in self.case.measures)

    # ------------------------------------------------------------------ the answer

    def verdict(self, *, samples: int = SAMPLES, seed: int = 0) -> Verdict:
        """The memo's bottom line: what to recommend, how firmly, and what the budget buys."""
        from policyeval.verdict import decide

        return self._once(("verdict", samples, seed), lambda: decide(self, samples, seed))

    # ------------------------------------------------------------------ what to find out

    def value_of_information(
        self,
        samples: int = 100_000,
        seed: int = 0,
        weights: str = "fixed",
        decision: str = "options",
    ) -> VoiResult:
        """EVPI and EVPPI of every score, weight and group (:mod:`policyeval.next_steps`).

        Parameters
        ----------
        samples, seed : int
            Monte Carlo samples and seed.
        weights : {"fixed", "bounds", "simplex"}
            Weights fixed at the analysis's, uniform within the profile's declared
            bounds, or uniform on the simplex.
        decision : {"options", "packages", "portfolio"}
            Choose an option, a package, or a portfolio within the declared budget.
        """
        from policyeval.next_steps import value_of_information

        key = ("voi", samples, seed, weights, decision)
        return self._once(key, lambda: value_of_information(self, samples, seed, weights, decision))

    def next_steps(
        self,
        samples: int = 100_000,
        seed: int = 0,
        weights: str = "fixed",
        decision: str | None = None,
    ) -> NextSteps:
        """The inputs worth finding out most, in words (default decision: the memo's)."""
        from policyeval.next_steps import next_steps

        decision = decision or ("packages" if self.subject_packages() else "options")
        return next_steps(self, self.value_of_information(samples, seed, weights, decision))
