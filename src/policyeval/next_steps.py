"""What to find out next: the value of information of an analysis, and its words.

:func:`value_of_information` computes the EVPI and per-input EVPPI
(:mod:`policyeval.sensitivity.voi`) of one of three decisions of an analysis:

- ``options``: which option to choose; the value of each is its wsm score;
- ``packages``: which package to choose. The inputs are the MEASURES' scores
  (what an analyst can find out); each sample is combined into every package by
  the combine rules and synergies (:func:`package_net_value`), so packages that
  share a measure move together;
- ``portfolio``: which measures to fund within the declared budget. The
  decisions compared are the candidate portfolios: the optimal portfolio at the
  budget and every portfolio of the efficient frontier that fits the budget
  (each is optimal at some smaller budget, the empty portfolio included; they
  are the sensible alternatives when the values move). The value of a
  portfolio in a sample is the value it adds over the baseline (DESIGN.md,
  Portfolio selection), evaluated on the sampled scores and weights: the sum of
  its measures' ``V_i`` plus the synergies it earns, ``role: cost`` criteria
  left out. Only those candidates are compared, not every subset of measures:
  the EVPI is that of choosing among them.

:func:`next_steps` turns a result into :class:`NextSteps`: the three inputs
worth most, in words, or the statement that nothing is worth finding out.
**Negligible** means an EVPI at most :data:`NEGLIGIBLE` (1%) of the spread of
the decisions' values at the stated scores and weights (best minus worst):
perfect knowledge of everything would then gain less than a hundredth of what
separates the choices, a difference no analyst would act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from policyeval.sensitivity.voi import VoiInput

if TYPE_CHECKING:
    import numpy as np

    from policyeval.analysis import Analysis
    from policyeval.model.problem import Problem
    from policyeval.sensitivity.voi import NetValue, VoiResult

VOI_SAMPLES = 100_000
"""Default Monte Carlo samples of the value of information."""
DECISIONS = ("options", "packages", "portfolio")
"""What the value of information is about."""
NEGLIGIBLE = 0.01
"""EVPI at most this share of the spread of the decisions' values is negligible."""
TOP = 3
"""Inputs the memo lists."""


def _problem(a: Analysis, decision: str) -> Problem:
    """The decision matrix whose scores are sampled."""
    from policyeval.errors import bad_setting

    if decision not in DECISIONS:
        raise bad_setting(
            "decision", f"unknown decision '{decision}'. Choices: {', '.join(DECISIONS)}"
        )
    if decision == "portfolio" and not a.funding_declared():
        raise bad_setting(
            "decision",
            "the portfolio decision needs a budget and costs: set budget in "
            "options/allocation.yaml and cost in the option files",
        )
    return a.problem()


def package_net_value(a: Analysis) -> NetValue:
    """The wsm value of every package (and the baseline) from sampled OPTION scores.

    Packages share measures, so their scores are not sampled on their own: each
    sample of the measures' scores is combined into every package by each
    criterion's combine rule, plus the synergies it earns, clipped to the declared
    scale (as :mod:`policyeval.model.packages` does for the stated scores), and
    valued on the package ranking's scales.
    """
    import numpy as np

    from policyeval.ranking.wsm import wsm_scores

    options, packages = a.problem(), a.problem(True)
    ws = a.case
    rules = {"sum": np.sum, "max": np.max, "min": np.min, "mean": np.mean}
    lo = np.array([c.scale[0] if c.scale else -np.inf for c in ws.criteria])
    hi = np.array([c.scale[1] if c.scale else np.inf for c in ws.criteria])
    rows = []
    for pid in packages.options:
        if ws.baseline is not None and pid == ws.baseline.id:
            rows.append(([options.options.index(pid)], np.zeros(len(ws.criteria))))
            continue
        members = next(p.options for p in ws.packages if p.id == pid)
        adjust = np.zeros(len(ws.criteria))
        for syn in ws.synergies:
            if set(syn.options) <= set(members):
                adjust += [syn.adjust.get(c.id, 0.0) for c in ws.criteria]
        rows.append(([options.options.index(m) for m in members], adjust))
    by_rule = {r: [j for j, c in enumerate(ws.criteria) if c.combine_rule == r] for r in rules}

    def net_value(scores: np.ndarray, weights: np.ndarray) -> np.ndarray:
        combined = np.empty((scores.shape[0], len(rows), scores.shape[2]))
        for k, (members, adjust) in enumerate(rows):
            part = scores[:, members, :]
            for rule, cols in by_rule.items():
                if cols:
                    combined[:, k, cols] = rules[rule](part[:, :, cols], axis=1)
            combined[:, k, :] = np.clip(combined[:, k, :] + adjust, lo, hi)
        return wsm_scores(
            combined, packages.maximize, packages.scale_lo, packages.scale_hi, weights
        )

    return net_value


def candidate_portfolios(a: Analysis) -> list[tuple[str, ...]]:
    """The optimal portfolio at the budget, then the frontier's that fit it, distinct."""
    budget, _ = a.budget()
    found = [a.portfolio().selected]
    found += [p.selected for p in a.frontier().points if p.cost <= budget + 1e-9]
    return list(dict.fromkeys(tuple(sorted(s)) for s in found))


def portfolio_net_value(a: Analysis, portfolios: list[tuple[str, ...]]) -> NetValue:
    """Value added over the baseline by each portfolio, from sampled scores and weights."""
    import numpy as np

    from policyeval.optimization.portfolio import gain_vectors
    from policyeval.ranking.wsm import wsm_scores

    problem = a.problem()
    ids, _, synergies = gain_vectors(a.case, problem)
    measures = [problem.options.index(i) for i in ids]
    kept = np.array([c.role != "cost" for c in a.case.criteria], dtype=float)
    member = np.array([[i in p for i in ids] for p in portfolios], dtype=float)  # (d, n)
    earned = np.array(
        [[set(opts) <= set(p) for opts, _ in synergies] for p in portfolios], dtype=float
    ).reshape(len(portfolios), len(synergies))
    adjust = np.array([adj for _, adj in synergies]).reshape(len(synergies), problem.shape[1])
    base = problem.baseline

    def net_value(scores: np.ndarray, weights: np.ndarray) -> np.ndarray:
        u = wsm_scores(scores, problem.maximize, problem.scale_lo, problem.scale_hi, weights * kept)
        gains = u[:, measures] - (u[:, [base]] if base is not None else 0.0)
        return gains @ member.T + (np.atleast_2d(weights) @ adjust.T) @ earned.T

    return net_value


def decision_values(
    a: Analysis, decision: str
) -> tuple[Problem, NetValue, tuple[str, ...], np.ndarray]:
    """Problem, net-value function, decision labels and values at the stated inputs."""
    import numpy as np

    from policyeval.sensitivity.voi import wsm_net_value

    problem = _problem(a, decision)
    if decision == "portfolio":
        portfolios = candidate_portfolios(a)
        net_value = portfolio_net_value(a, portfolios)
        labels = tuple("+".join(p) or "(fund nothing)" for p in portfolios)
    elif decision == "packages":
        net_value, labels = package_net_value(a), a.problem(True).options
    else:
        net_value, labels = wsm_net_value(problem), problem.options
    w = a.weights.vector(problem.criteria)
    point = np.asarray(net_value(problem.scores[None], w), dtype=float)[0]
    return problem, net_value, labels, point


def value_of_information(
    a: Analysis,
    samples: int = VOI_SAMPLES,
    seed: int = 0,
    weights: str = "fixed",
    decision: str = "options",
) -> VoiResult:
    """EVPI and EVPPI of every input of one decision of an analysis (see the module doc).

    Weights are fixed at the analysis's (``fixed``), uniform within the profile's
    declared bounds (``bounds``) or uniform on the simplex (``simplex``).
    """
    from policyeval.sensitivity.voi import value_of_information as voi

    problem, net_value, labels, _ = decision_values(a, decision)
    bounds = None
    if weights == "bounds":
        declared = a._declared_bounds()
        if declared:
            bounds = [declared.get(c, (0.0, 1.0)) for c in problem.criteria]
    return voi(
        problem,
        a.weights.vector(problem.criteria),
        samples=samples,
        seed=seed,
        weights_mode=weights,
        bounds=bounds,
        net_value=net_value,
        decisions=labels,
        decision=decision,
    )


@dataclass(frozen=True, slots=True)
class NextStep(VoiInput):
    """One input worth finding out: its estimate, its share of the EVPI and the sentence
    the memo prints."""

    share: float
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {**VoiInput.to_dict(self), "share_of_evpi": self.share, "text": self.text}


@dataclass(frozen=True, slots=True)
class NextSteps:
    """What to find out next: the inputs worth most, or that nothing is (see module doc).

    Attributes
    ----------
    decision, weights_mode : str
    samples, seed : int
    evpi, evpi_se : float
    spread : float
        Best minus worst decision value at the stated scores and weights.
    negligible : bool
        ``evpi <= NEGLIGIBLE * spread``.
    summary : str
        The sentence before the list (or the whole section when negligible).
    steps : tuple of NextStep
        At most :data:`TOP`, by EVPPI descending; empty when negligible.
    """

    decision: str
    weights_mode: str
    samples: int
    seed: int
    evpi: float
    evpi_se: float
    spread: float
    negligible: bool
    summary: str
    steps: tuple[NextStep, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "decision": self.decision,
            "weights": self.weights_mode,
            "samples": self.samples,
            "seed": self.seed,
            "evpi": self.evpi,
            "evpi_se": self.evpi_se,
            "spread": self.spread,
            "negligible_below": NEGLIGIBLE * self.spread,
            "negligible": self.negligible,
            "summary": self.summary,
            "steps": [s.to_dict() for s in self.steps],
        }


def _n(x: float) -> str:
    """A value with two significant digits (``0.0038``, ``0.12``)."""
    return f"{x:.2g}"


def _plural(decision: str) -> str:
    return "portfolios" if decision == "portfolio" else decision


def _range(lo: float, value: float, hi: float) -> str:
    return f"now {value:g}, judged {lo:g}–{hi:g}"


def describe(a: Analysis, problem: Problem, name: str, decision: str = "options") -> str:
    """What learning input ``name`` means, in words (titles and names, not ids)."""
    titles = a.titles()
    crit = {c.id: c.name for c in a.case.criteria}
    kind, _, ref = name.partition(":")
    if kind == "weight":
        return f"Settling the weight of “{crit[ref]}” (now {a.weights.weights[ref]:.0%})"
    if kind == "option":
        return f"Pinning down every score of “{titles[ref]}”"
    if kind == "criterion":
        return f"Pinning down how every option scores on “{crit[ref]}”"
    oid, _, cid = name.partition(".")
    i, j = problem.options.index(oid), problem.criteria.index(cid)
    span = _range(float(problem.low[i, j]), float(problem.scores[i, j]), float(problem.high[i, j]))
    return f"Pinning down how “{titles[oid]}” scores on “{crit[cid]}” ({span})"


def next_steps(a: Analysis, result: VoiResult, top: int = TOP) -> NextSteps:
    """The inputs worth finding out most, in words, from a value-of-information result."""
    problem, _, _, point = decision_values(a, result.decision)
    spread = float(point.max() - point.min()) if len(point) > 1 else 0.0
    negligible = result.evpi <= NEGLIGIBLE * spread
    what = (
        "value added by the portfolio" if result.decision == "portfolio" else "weighted-sum value"
    )
    about = "every score" + (" and weight" if result.weights_mode != "fixed" else "")
    ratio = f"{result.evpi / spread:.1%}" if spread > 0 else "all"
    head = (
        f"Perfect information on {about} would add {_n(result.evpi)} (standard error "
        f"{_n(result.evpi_se)}) to the expected {what} of the choice made now, {ratio} of the "
        f"gap between the best and the worst {result.decision} ({_n(spread)})"
    )
    if negligible:
        summary = (
            f"{head}: under {NEGLIGIBLE:.0%} of that gap, so nothing is worth finding out "
            "before deciding."
        )
        return NextSteps(
            result.decision, result.weights_mode, result.samples, result.seed, result.evpi,
            result.evpi_se, spread, True, summary, (),
        )  # fmt: skip
    worth = [i for i in result.inputs if i.evppi > 0][:top]
    steps = tuple(
        NextStep(
            i.input,
            i.evppi,
            i.se,
            i.changes_choice,
            i.evppi / result.evpi if result.evpi > 0 else 0.0,
            f"{describe(a, problem, i.input, result.decision)} is worth {_n(i.evppi)} "
            f"(standard error {_n(i.se)}, {i.evppi / result.evpi:.0%} of perfect information "
            "on everything): "
            f"it changes the recommendation in {i.changes_choice:.0%} of cases.",
        )
        for i in worth
    )
    tail = (
        ". The inputs worth most:"
        if steps
        else (", but no single score, weight or group is worth anything on its own.")
    )
    return NextSteps(
        result.decision, result.weights_mode, result.samples, result.seed, result.evpi,
        result.evpi_se, spread, False, head + tail, steps,
    )  # fmt: skip


HEADING = "What to find out next"


def markdown(ns: NextSteps, level: str = "##") -> str:
    """The memo section as Markdown."""
    lines = [f"{level} {HEADING}", "", ns.summary]
    if ns.steps:
        lines.append("")
        lines += [f"- {s.text}" for s in ns.steps]
    return "\n".join(lines) + "\n"


def section(ns: NextSteps) -> dict[str, Any]:
    """The template context of the section: heading, summary, items and the Markdown."""
    return {
        "heading": HEADING,
        "summary": ns.summary,
        "items": [s.text for s in ns.steps],
        "markdown": markdown(ns),
    }
