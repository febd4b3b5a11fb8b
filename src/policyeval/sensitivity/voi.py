"""Value of information: what is it worth to learn an input before deciding?

From one probabilistic sample of the decision (``S`` joint draws of every
uncertain input and the net value of each of ``d`` decisions in each draw):

- **EVPI**, the expected value of perfect information, ``E[max_d NB_d] -
  max_d E[NB_d]``: what knowing everything before deciding would add to the
  expected value of the decision taken now (:func:`evpi`);
- **EVPPI**, the partial value of learning one input, or a group of inputs,
  ``E_x[max_d E[NB_d | x]] - max_d E[NB_d]`` (:func:`evppi`, and
  :func:`evppi_many` for many inputs on the same sample);
- with **changes_choice**, the probability that learning the input(s) changes
  the recommended decision.

Estimator (regression on the same sample, no nested simulation)
----------------------------------------------------------------
The conditional expectation ``g_d(x) = E[NB_d - NB_r | x]`` of each decision's
*incremental* net value against the reference ``r`` (the decision best on the
sample mean) is estimated by a penalized regression spline of the incremental
net values on the input(s); then ``EVPPI = mean_s max(0, max_d g_d(x_s)) -
max(0, max_d mean_s g_d(x_s))``. Both terms use the same fit, so the estimate
is never negative, and the fitted mean of every ``g_d`` equals its sample mean
(the intercept is not penalized), so the second term is 0 up to rounding.
Regressing increments rather than net values removes the noise shared by all
decisions, which is the main source of the upward bias of a maximum over
noisy fits.

- **One input** (Strong & Oakley 2013: sort the sample by the input, cut it into
  bins, smooth): the sorted sample is cut into :data:`BINS` bins of equal
  counts, and the increments are regressed on a P-spline of the input (Eilers &
  Marx 1996: a cubic B-spline basis on :data:`SEGMENTS` equal segments of the
  input's sample range, 13 functions, second-order difference penalty) from the
  bins' sufficient statistics, each sample's input replaced by its bin's mean
  (exact when the conditional expectation is linear in the input). The degrees
  of freedom run from 2 (a straight line, the penalty's null space) to 13 and
  are chosen per decision by generalized cross-validation (GCV) over a grid of
  smoothing parameters. The outer mean is taken over bins, except in the bins
  where the best fitted decision changes, evaluated sample by sample. Cost: one
  sort and a few passes over ``S`` per input, about 4 ms at ``S = 100,000``.
- **A group of k inputs** (Strong, Oakley & Brennan 2014, the multiparameter
  regression method, with an additive model in place of their tensor-product
  GAM or Gaussian process): each input rescaled to ``z`` in [-1, 1] enters as
  ``z, z^2, z^3`` and truncated cubics ``(z - kappa)^3_+`` at the :data:`KNOTS`
  (a penalized regression spline, Ruppert, Wand & Carroll 2003: ridge penalty
  on the knot coefficients, one smoothing parameter per decision by GCV); groups
  of at most :data:`MAX_PAIRWISE` inputs also get every pairwise product of the
  standardized inputs (unpenalized), for interactions such as weight x score.
  The additive part is exact for the wsm value of scores (linear in each score)
  whatever the weights' law, weights and scores being independent. Fitted on
  every sample; the cost is ``O(S p^2)`` for ``p = 1 + 5k`` (+ pairs) columns,
  about 35 ms for ``k = 12`` at ``S = 100,000``, where a Gaussian process would
  need ``O(S n)`` kernel evaluations for a subsample of ``n`` per group.

An input with no uncertainty (a constant column; in a group, every column
constant) gets exactly 0 for the EVPPI, its standard error and
``changes_choice`` without any fit.

Standard errors
---------------
- EVPI (delta method): the estimate equals ``mean_s (max_d NB_sd - NB_sr)``, the
  sample mean of the regret of the reference decision ``r``; its standard error
  is that regret's standard deviation over ``sqrt(S)`` (the choice of ``r`` taken
  as fixed; when two decisions tie in expectation this also covers the downward
  bias from choosing the best of two noisy means, to first order).
- EVPPI: two independent parts, added in variance. (1) Monte Carlo error of the
  outer mean: ``var_s(h_s) / S`` with ``h_s = max(0, max_d g_d(x_s))``. (2)
  Regression error, by the delta method on the fitted-value covariance (in the
  spirit of Strong, Oakley & Brennan 2014, who simulate from the regression's
  posterior): the estimate's gradient in the coefficients of decision ``d`` is
  ``G_d``, the mean design row over the samples where ``d`` wins; with
  ``M_d = (X'X + lambda_d P)^-1`` and the residual covariance ``Sigma`` across
  decisions (homoscedastic), ``var = sum_de Sigma_de G_d' M_d X'X M_e G_e``.
  The smoothing parameters are taken as fixed. When the input is the only
  uncertain one the residuals vanish and the EVPPI and its error equal the EVPI's.

``changes_choice`` is the share of samples whose best fitted decision
(``argmax_d g_d(x_s)``, with ``g_r = 0``) is not the reference ``r``: the
probability that learning the input changes the recommendation. For an input
that matters little next to a near-tie of two decisions it can be large while
the EVPPI is small: read them together.

References
----------
Strong, M. & Oakley, J. E. (2013). An efficient method for computing
single-parameter partial expected value of perfect information. *Medical
Decision Making* 33(6), 755-766.
Strong, M., Oakley, J. E. & Brennan, A. (2014). Estimating multiparameter
partial expected value of perfect information from a probabilistic sensitivity
analysis sample: a nonparametric regression approach. *Medical Decision
Making* 34(3), 311-326.
Eilers, P. H. C. & Marx, B. D. (1996). Flexible smoothing with B-splines and
penalties. *Statistical Science* 11(2), 89-121.
Ruppert, D., Wand, M. P. & Carroll, R. J. (2003). *Semiparametric Regression*.
Cambridge University Press.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from policyeval.errors import Issue, WorkspaceError
from policyeval.model.problem import Problem
from policyeval.sensitivity.sampling import block_rngs, check_bounds, score_block, weight_block

SCHEMA_VERSION = "1"
SEGMENTS = 10
"""Equal segments of the cubic B-spline basis of one input (``SEGMENTS + 3`` functions)."""
BINS = 512
"""Bins of equal counts of the sorted sample for one input's regression."""
KNOTS = (-1.0 / 3.0, 1.0 / 3.0)
"""Knots of each input's truncated cubics in a group, on the input rescaled to [-1, 1]."""
MAX_PAIRWISE = 6
"""Groups of at most this many inputs also get their pairwise products."""
_RHO = 10.0 ** np.arange(-8.0, 5.0)
"""Smoothing parameters tried by GCV, relative to ``trace(X'X) / trace(P)``."""

NetValue = Callable[[np.ndarray, np.ndarray], np.ndarray]
"""Net values ``(S, d)`` from sampled scores ``(S, n, m)`` and weights: ``(S, m)``, or
``(m,)`` when the weights are fixed."""


@dataclass(frozen=True, slots=True)
class VoiEstimate:
    """The partial value of learning one input or group (see the module docstring).

    Attributes
    ----------
    evppi : float
        Expected value of partial perfect information, in net-value units.
    se : float
        Its standard error.
    changes_choice : float
        Probability that learning the input changes the recommended decision.
    """

    evppi: float
    se: float
    changes_choice: float


_ZERO = VoiEstimate(0.0, 0.0, 0.0)


def _net_values(net_values: np.ndarray) -> np.ndarray:
    nb = np.asarray(net_values, dtype=float)
    if nb.ndim != 2 or nb.shape[0] < 2 or nb.shape[1] < 1:
        raise ValueError(f"net_values must have shape (S, d) with S >= 2; got {nb.shape}")
    return nb


def evpi(net_values: np.ndarray) -> tuple[float, float]:
    """Expected value of perfect information and its standard error.

    Parameters
    ----------
    net_values : array_like, shape (S, d)
        Net value of each of ``d`` decisions in each of ``S`` joint samples.

    Returns
    -------
    (float, float)
        ``E[max_d NB] - max_d E[NB]`` and its standard error (delta method: the
        standard deviation of the reference decision's regret over ``sqrt(S)``).

    Examples
    --------
    >>> nb = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 0.0], [0.0, 2.0]])
    >>> value, se = evpi(nb)  # means 0.5 and 1: knowing first gains 1 in half the samples
    >>> value, round(se, 6)  # regrets 1, 0, 1, 0: sd 0.57735 over sqrt(4)
    (0.5, 0.288675)
    """
    nb = _net_values(net_values)
    ref = int(np.argmax(nb.mean(axis=0)))
    regret = nb.max(axis=1) - nb[:, ref]
    return float(regret.mean()), float(regret.std(ddof=1) / np.sqrt(len(regret)))


class _Increments:
    """Incremental net values against the reference decision (the best on the sample
    mean), centred, shape ``(d - 1, S)``, and their cross products: computed once and
    shared by the regressions of every input."""

    def __init__(self, net_values: np.ndarray) -> None:
        nb = _net_values(net_values)
        self.samples = len(nb)
        ref = int(np.argmax(nb.mean(axis=0)))
        inc = np.ascontiguousarray(np.delete(nb, ref, axis=1).T) - nb[:, ref]
        self.mean = inc.mean(axis=1)
        self.y = inc - self.mean[:, None]
        self.yy = self.y @ self.y.T


@dataclass(frozen=True, slots=True)
class _Fit:
    """A penalized least-squares fit of the increments: coefficients ``(p, d - 1)``,
    each decision's penalized normal matrix ``(d - 1, p, p)``, the design's Gram matrix
    and the residual covariance across decisions."""

    beta: np.ndarray
    systems: np.ndarray
    gram: np.ndarray
    sigma: np.ndarray


def _fit(gram: np.ndarray, cross: np.ndarray, penalty: np.ndarray, inc: _Increments) -> _Fit:
    """Penalized regression of the increments, smoothing parameter per decision by GCV.

    ``gram`` is ``X'X`` and ``cross`` is ``X'y`` (``(p, d - 1)``) for a design ``X``
    with one row per sample; residual sums of squares come from these (no pass over
    the samples).
    """
    s, p = inc.samples, len(gram)
    lam = _RHO * (np.trace(gram) / np.trace(penalty))
    ridge = 1e-12 * np.trace(gram) / p * np.eye(p)  # keeps rank-deficient designs solvable
    systems = gram + ridge + lam[:, None, None] * penalty
    rhs = np.concatenate(
        [np.broadcast_to(cross, (len(lam), *cross.shape)), np.broadcast_to(gram, systems.shape)],
        axis=2,
    )
    sol = np.linalg.solve(systems, rhs)
    beta_all, hat = sol[..., : cross.shape[1]], sol[..., cross.shape[1] :]
    edf = np.trace(hat, axis1=1, axis2=2)
    rss = (
        np.diag(inc.yy)
        - 2.0 * np.einsum("lpd,pd->ld", beta_all, cross)
        + np.einsum("lpd,pq,lqd->ld", beta_all, gram, beta_all)
    )
    gcv = np.maximum(rss, 0.0) / np.maximum(s - edf, 1.0)[:, None] ** 2
    best = np.argmin(gcv, axis=0)
    beta = beta_all[best, :, np.arange(cross.shape[1])].T
    resid = inc.yy - beta.T @ cross - cross.T @ beta + beta.T @ gram @ beta
    sigma = resid / max(s - float(edf[best].mean()), 1.0)
    return _Fit(beta, systems[best], gram, sigma)


def _estimate(fit: _Fit, rows: np.ndarray, weights: np.ndarray, inc: _Increments) -> VoiEstimate:
    """EVPPI, standard error and changes_choice from a fit evaluated at weighted points.

    ``rows`` ``(Q, p)`` are design rows where the fit is evaluated and ``weights``
    ``(Q,)`` (summing to 1) their shares of the samples: every sample with weight
    ``1/S``, or bins of samples at their mean input (see :func:`_single`).
    """
    s = inc.samples
    fitted = fit.beta.T @ rows.T + inc.mean[:, None]  # (d - 1, Q)
    top = fitted.max(axis=0)
    gain = np.maximum(top, 0.0)
    changed = top > 0.0
    mean_gain = float(weights @ gain)
    value = mean_gain - max(0.0, float((fitted @ weights).max()))
    wins = np.empty(fitted.shape, dtype=bool)  # the first best decision, if not the reference
    taken = ~changed
    for d, row in enumerate(fitted):
        np.logical_and(row == top, ~taken, out=wins[d])
        taken |= wins[d]
    some = np.flatnonzero(changed)  # d(EVPPI)/d(beta_d), over the samples some d wins
    grad = (wins[:, some] * weights[some]) @ rows[some]  # (d - 1, p)
    v = np.linalg.solve(fit.systems, grad[..., None])[..., 0]
    var_reg = max(float(np.sum(fit.sigma * (v @ fit.gram @ v.T))), 0.0)
    var_mc = max(float(weights @ gain**2) - mean_gain**2, 0.0) / max(s - 1, 1)
    return VoiEstimate(max(value, 0.0), float(np.sqrt(var_mc + var_reg)), float(weights @ changed))


def _bspline(x: np.ndarray, lo: float, hi: float, segments: int = SEGMENTS) -> np.ndarray:
    """Uniform cubic B-spline basis on ``[lo, hi]``, shape ``(len(x), segments + 3)``.

    Examples
    --------
    >>> b = _bspline(np.array([0.0, 0.37, 1.0]), 0.0, 1.0, 4)
    >>> b.shape, np.allclose(b.sum(axis=1), 1.0)  # a partition of unity
    ((3, 7), True)
    """
    t = np.clip((x - lo) * (segments / (hi - lo)), 0.0, segments)
    i = np.minimum(t.astype(np.intp), segments - 1)
    u = t - i
    u2, u3 = u * u, u * u * u
    values = np.column_stack(
        [(1.0 - u) ** 3, 3.0 * u3 - 6.0 * u2 + 4.0, -3.0 * u3 + 3.0 * u2 + 3.0 * u + 1.0, u3]
    )
    out = np.zeros((len(x), segments + 3))
    out[np.arange(len(x))[:, None], i[:, None] + np.arange(4)] = values / 6.0
    return out


def _difference_penalty(width: int) -> np.ndarray:
    """``D'D`` for second differences of B-spline coefficients (null space: lines)."""
    d = np.diff(np.eye(width), n=2, axis=0)
    return d.T @ d


def _winner(fit: _Fit, rows: np.ndarray, inc: _Increments) -> np.ndarray:
    """Index of the best fitted decision at each row, -1 where it is the reference."""
    fitted = fit.beta.T @ rows.T + inc.mean[:, None]
    return np.where(fitted.max(axis=0) > 0.0, fitted.argmax(axis=0), -1)


def _single(x: np.ndarray, inc: _Increments) -> VoiEstimate:
    """EVPPI of one non-constant input: a P-spline on the sorted, binned sample.

    The samples are sorted by the input and cut into :data:`BINS` bins of equal
    counts; the regression's sufficient statistics (counts, sums of increments) are
    taken per bin, with each sample's input replaced by its bin's mean (exact when
    the conditional expectation is linear in the input, otherwise an error of the
    order of the bin's variance times the curvature). The outer expectation is taken
    over bins at their mean, except in bins where the best fitted decision changes
    (at the bin's smallest, mean or largest input), which are evaluated sample by
    sample, so that the kink of the maximum is not smoothed over.
    """
    s = inc.samples
    bins = min(BINS, s)
    order = np.argsort(x)
    xs = x[order]
    starts = np.arange(bins + 1) * s // bins
    counts = np.diff(starts)
    member = np.empty(s, dtype=np.intp)
    member[order] = np.repeat(np.arange(bins), counts)
    xbar = np.add.reduceat(xs, starts[:-1]) / counts
    sums = np.stack([np.bincount(member, weights=row, minlength=bins) for row in inc.y])
    lo, hi = float(xs[0]), float(xs[-1])
    phi = _bspline(xbar, lo, hi)
    fit = _fit(
        (phi * counts[:, None]).T @ phi, phi.T @ sums.T, _difference_penalty(phi.shape[1]), inc
    )
    mid = _winner(fit, phi, inc)
    first = _winner(fit, _bspline(xs[starts[:-1]], lo, hi), inc)
    last = _winner(fit, _bspline(xs[starts[1:] - 1], lo, hi), inc)
    switch = np.flatnonzero((first != mid) | (last != mid))
    inside = np.concatenate([xs[starts[b] : starts[b + 1]] for b in switch] or [xs[:0]])
    keep = np.ones(bins, dtype=bool)
    keep[switch] = False
    rows = np.vstack([phi[keep], _bspline(inside, lo, hi)])
    weights = np.concatenate([counts[keep], np.ones(len(inside))]) / s
    return _estimate(fit, rows, weights, inc)


def _group_width(k: int) -> int:
    """Design columns of a group of ``k`` inputs (see :func:`_group`)."""
    return 1 + k * (3 + len(KNOTS)) + (k * (k - 1) // 2 if k <= MAX_PAIRWISE else 0)


def _group(
    cols: Sequence[np.ndarray], inc: _Increments, buf: np.ndarray | None = None
) -> VoiEstimate:
    """EVPPI of a group of non-constant inputs: an additive penalized regression spline.

    Each input ``x`` is rescaled to ``z`` in [-1, 1] over its sample range; its
    terms are ``z, z^2, z^3`` and the truncated cubics ``(z - kappa)^3_+`` at the
    :data:`KNOTS` (a penalized regression spline with a ridge penalty on the knot
    coefficients: Ruppert, Wand & Carroll 2003), plus one intercept; for groups of
    at most :data:`MAX_PAIRWISE` inputs, the products of every pair of standardized
    inputs (unpenalized). Evaluated at every sample. ``buf``, a Fortran-ordered
    ``(S, >= p)`` array, is reused for the design (large fresh arrays cost page
    faults).
    """
    s, k = inc.samples, len(cols)
    pairs = [(a, b) for a in range(k) for b in range(a + 1, k)] if k <= MAX_PAIRWISE else []
    per = 3 + len(KNOTS)
    p = _group_width(k)
    x = (np.empty((s, p), order="F") if buf is None else buf)[:, :p]
    tmp = np.empty(s)
    x[:, 0] = 1.0
    for j, c in enumerate(cols):
        lo, hi = float(c.min()), float(c.max())
        o = 1 + j * per
        z = x[:, o]
        np.subtract(c, lo, out=z)
        z *= 2.0 / (hi - lo)
        z -= 1.0
        np.multiply(z, z, out=x[:, o + 1])
        np.multiply(x[:, o + 1], z, out=x[:, o + 2])
        for q, knot in enumerate(KNOTS):
            h = x[:, o + 3 + q]
            np.subtract(z, knot, out=h)
            np.maximum(h, 0.0, out=h)
            np.multiply(h, h, out=tmp)
            h *= tmp
    for c, (a, b) in enumerate(pairs):
        za, zb = x[:, 1 + a * per], x[:, 1 + b * per]
        out = x[:, 1 + k * per + c]
        np.multiply(za - za.mean(), zb - zb.mean(), out=out)
        out /= za.std() * zb.std()
    penalty = np.zeros(p)
    for j in range(k):
        penalty[1 + j * per + 3 : 1 + (j + 1) * per] = 1.0
    fit = _fit(x.T @ x, (inc.y @ x).T, np.diag(penalty), inc)
    return _estimate(fit, x, np.full(s, 1.0 / s), inc)


def _columns(inputs: np.ndarray, samples: int) -> list[np.ndarray]:
    """The uncertain (non-constant) columns of one input or group, shape ``(S,)`` each."""
    arr = np.asarray(inputs, dtype=float)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or arr.shape[0] != samples:
        raise ValueError(f"inputs must have shape ({samples},) or ({samples}, k); got {arr.shape}")
    lo, hi = arr.min(axis=0), arr.max(axis=0)
    return [np.ascontiguousarray(arr[:, j]) for j in np.flatnonzero(hi > lo)]


def _evppi(
    cols: list[np.ndarray], inc: _Increments | None, buf: np.ndarray | None = None
) -> VoiEstimate:
    """Route: exactly 0 without uncertainty or choice, one input or a group."""
    if not cols or inc is None:
        return _ZERO
    return _single(cols[0], inc) if len(cols) == 1 else _group(cols, inc, buf)


def evppi(inputs: np.ndarray, net_values: np.ndarray) -> VoiEstimate:
    """Expected value of partial perfect information about one input or a group.

    Parameters
    ----------
    inputs : array_like, shape (S,) or (S, k)
        The sampled input (one column) or group of inputs (``k`` columns), drawn
        jointly with ``net_values``.
    net_values : array_like, shape (S, d)
        Net value of each decision in each sample.

    Returns
    -------
    VoiEstimate
        EVPPI, its standard error and the probability that learning the input(s)
        changes the decision (the estimators are in the module docstring). Exactly
        0, 0, 0 when no column varies or there is one decision.

    Raises
    ------
    ValueError
        When the shapes do not match.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x, noise = rng.uniform(-1, 1, 20_000), rng.normal(0, 1, 20_000)
    >>> nb = np.column_stack([np.zeros_like(x), x + noise])  # EVPPI of x = E[max(0, x)] = 1/4
    >>> e = evppi(x, nb)
    >>> bool(abs(e.evppi - 0.25) < 3 * e.se), bool(abs(e.changes_choice - 0.5) < 0.02)
    (True, True)
    >>> evppi(np.full(20_000, 3.0), nb)
    VoiEstimate(evppi=0.0, se=0.0, changes_choice=0.0)
    """
    nb = _net_values(net_values)
    inc = _Increments(nb) if nb.shape[1] > 1 else None
    return _evppi(_columns(inputs, len(nb)), inc)


def evppi_many(
    inputs: Mapping[str, np.ndarray],
    net_values: np.ndarray,
    groups: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, VoiEstimate]:
    """EVPPI of many inputs and groups on one sample (increments computed once).

    Parameters
    ----------
    inputs : mapping of str to array_like, shape (S,) or (S, k)
        Named inputs drawn jointly with ``net_values``.
    net_values : array_like, shape (S, d)
        Net value of each decision in each sample.
    groups : mapping of str to sequence of str, optional
        Named groups of input names, each estimated jointly (multiparameter method).

    Returns
    -------
    dict of str to VoiEstimate
        The inputs' estimates then the groups', in the order given.

    Raises
    ------
    ValueError
        For a shape mismatch or a group naming an unknown input.
    """
    nb = _net_values(net_values)
    inc = _Increments(nb) if nb.shape[1] > 1 else None
    s = len(nb)
    cols = {name: _columns(x, s) for name, x in inputs.items()}
    out = {name: _evppi(c, inc) for name, c in cols.items()}
    members: dict[str, list[np.ndarray]] = {}
    for name, names in (groups or {}).items():
        unknown = [m for m in names if m not in inputs]
        if unknown:
            raise ValueError(f"group {name!r} names unknown inputs: {', '.join(unknown)}")
        members[name] = [c for m in names for c in cols[m]]
    widest = max((_group_width(len(c)) for c in members.values() if len(c) > 1), default=0)
    buf = np.empty((s, widest), order="F") if widest and inc is not None else None
    for name, c in members.items():
        out[name] = _evppi(c, inc, buf)
    return out


WEIGHT_MODES = ("fixed", "bounds", "simplex")
"""Weight uncertainty: none, uniform within bounds, uniform on the simplex."""


def wsm_net_value(problem: Problem) -> NetValue:
    """The default net value: the wsm score of every option (DESIGN.md, wsm).

    Examples
    --------
    >>> from policyeval.model.problem import make_problem
    >>> p = make_problem(["a", "b"], ["x"], np.array([[0.0], [10.0]]), [True])
    >>> wsm_net_value(p)(np.array([[[5.0], [10.0]]]), np.array([[1.0]])).tolist()
    [[0.5, 1.0]]
    """
    from policyeval.ranking.wsm import wsm_scores

    def net_value(scores: np.ndarray, weights: np.ndarray) -> np.ndarray:
        return wsm_scores(scores, problem.maximize, problem.scale_lo, problem.scale_hi, weights)

    return net_value


def _bad(message: str, entry: str, code: str = "bad-argument") -> WorkspaceError:
    return WorkspaceError([Issue(code, message, "", entry)])


def sample_inputs(
    problem: Problem,
    weights: Sequence[float] | np.ndarray,
    samples: int,
    seed: int = 0,
    weights_mode: str = "fixed",
    bounds: Sequence[tuple[float, float]] | np.ndarray | None = None,
    net_value: NetValue | None = None,
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Draw every uncertain input of a decision problem and the net values.

    Scores come from triangular(low, score, high) by
    :func:`~policyeval.sensitivity.sampling.score_block`, block by block as SMAA
    draws them (same seed, same numbers whatever the chunking); with uncertain
    weights each block draws the weights first, exactly as SMAA does, so that
    ``weights_mode="simplex"`` (``"bounds"``) gives SMAA's uniform (bounds) samples.

    Parameters
    ----------
    problem : Problem
        Options, criteria, scores and their ranges.
    weights : array_like, shape (m,)
        The weight vector (rescaled to sum 1), used when ``weights_mode="fixed"``.
    samples, seed : int
        Number of joint samples and the random seed.
    weights_mode : {"fixed", "bounds", "simplex"}
        Weights fixed at ``weights``, uniform within ``bounds``, or uniform on the
        simplex.
    bounds : array_like, shape (m, 2), optional
        ``(lo, hi)`` per criterion, for ``weights_mode="bounds"``.
    net_value : callable, optional
        ``(scores (S, n, m), weights (S, m) or (m,) when fixed) -> (S, d)`` (see
        :data:`NetValue`); default :func:`wsm_net_value`.

    Returns
    -------
    inputs : dict of str to ndarray, shape (S,)
        ``"option_id.criterion_id"`` for every score cell, ``"weight:criterion_id"``
        for every weight (constant columns where certain; read-only views).
    net_values : ndarray, shape (S, d)

    Raises
    ------
    WorkspaceError
        For fewer than 2 samples, a negative seed, bad weights, an unknown weights
        mode, or bad or missing bounds.
    """
    n, m = problem.shape
    if samples < 2:
        msg = f"The 'samples' parameter must be an integer >= 2. Got {samples} instead."
        raise _bad(msg, "--samples")
    if seed < 0:
        msg = f"The 'seed' parameter must be a non-negative integer. Got {seed} instead."
        raise _bad(msg, "--seed")
    if weights_mode not in WEIGHT_MODES:
        msg = f"unknown weights mode '{weights_mode}'. Choices: {', '.join(WEIGHT_MODES)}"
        raise _bad(msg, "--weights")
    w0 = np.asarray(weights, dtype=float)
    if w0.shape != (m,) or not np.all(w0 >= 0) or not w0.sum() > 0:
        msg = f"weights must be {m} non-negative numbers with a positive sum; got {w0.tolist()}"
        raise _bad(msg, "weights")
    b = None
    if weights_mode == "bounds":
        if bounds is None:
            raise _bad("weights mode 'bounds' needs weight bounds", "bounds", "no-bounds")
        b = check_bounds(np.asarray(bounds, dtype=float), problem.criteria)
    xs, ws = [], []
    for size, rng in block_rngs(seed, samples):
        if weights_mode != "fixed":
            ws.append(weight_block(rng, size, m, bounds=b))
        xs.append(score_block(rng, size, problem.scores, problem.low, problem.high))
    scores = (
        np.broadcast_to(problem.scores, (samples, n, m)) if xs[0] is None else np.concatenate(xs)
    )
    w = np.concatenate(ws) if ws else w0 / w0.sum()
    nv = np.asarray((net_value or wsm_net_value(problem))(scores, w), dtype=float)
    if nv.ndim != 2 or nv.shape[0] != samples:
        raise ValueError(f"net_value must return shape ({samples}, d); got {nv.shape}")
    inputs = {
        f"{o}.{c}": scores[:, i, j]
        for i, o in enumerate(problem.options)
        for j, c in enumerate(problem.criteria)
    }
    w = np.broadcast_to(w, (samples, m))
    inputs.update({f"weight:{c}": w[:, j] for j, c in enumerate(problem.criteria)})
    return inputs, nv


def input_groups(problem: Problem) -> dict[str, list[str]]:
    """Groups of score inputs: ``option:<id>`` (its scores), ``criterion:<id>`` (all
    options' scores on it), named as :func:`sample_inputs` names the cells.

    Examples
    --------
    >>> from policyeval.model.problem import make_problem
    >>> input_groups(make_problem(["a", "b"], ["x"], np.array([[0.0], [1.0]]), [True]))
    {'option:a': ['a.x'], 'option:b': ['b.x'], 'criterion:x': ['a.x', 'b.x']}
    """
    out = {f"option:{o}": [f"{o}.{c}" for c in problem.criteria] for o in problem.options}
    out.update({f"criterion:{c}": [f"{o}.{c}" for o in problem.options] for c in problem.criteria})
    return out


@dataclass(frozen=True, slots=True)
class VoiInput:
    """The value of learning one input or group: :class:`VoiEstimate` with its name."""

    input: str
    evppi: float
    se: float
    changes_choice: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "evppi": self.evppi,
            "se": self.se,
            "changes_choice": self.changes_choice,
        }


@dataclass(frozen=True, slots=True)
class VoiResult:
    """Value of information of a decision (see the module docstring).

    Attributes
    ----------
    evpi, evpi_se : float
        Expected value of perfect information and its standard error.
    inputs : tuple of VoiInput
        Every score cell, weight and group, by EVPPI descending (ties in input order).
    samples, seed : int
    decisions : tuple of str
        Labels of the decisions compared (columns of the net values).
    decision : str
        What is decided: ``options``, ``packages`` or ``portfolio``.
    method : str
        The value model of the net values (``wsm``).
    weights_mode : str
        ``fixed``, ``bounds`` or ``simplex``.
    """

    evpi: float
    evpi_se: float
    inputs: tuple[VoiInput, ...]
    samples: int
    seed: int
    decisions: tuple[str, ...]
    decision: str = "options"
    method: str = "wsm"
    weights_mode: str = "fixed"

    def to_dict(self) -> dict[str, Any]:
        """The ``voi`` JSON shape (schema version 1)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "method": self.method,
            "samples": self.samples,
            "seed": self.seed,
            "decision": self.decision,
            "evpi": self.evpi,
            "evpi_se": self.evpi_se,
            "inputs": [i.to_dict() for i in self.inputs],
        }


def value_of_information(
    problem: Problem,
    weights: Sequence[float] | np.ndarray,
    samples: int = 100_000,
    seed: int = 0,
    weights_mode: str = "fixed",
    bounds: Sequence[tuple[float, float]] | np.ndarray | None = None,
    net_value: NetValue | None = None,
    decisions: Sequence[str] | None = None,
    decision: str = "options",
    method: str = "wsm",
) -> VoiResult:
    """EVPI of a decision and EVPPI of every score, weight, option and criterion.

    Parameters
    ----------
    problem : Problem
        Options, criteria, scores and their ranges.
    weights : array_like, shape (m,)
        Weight vector (the profile's), used as is with ``weights_mode="fixed"``.
    samples, seed : int
        Monte Carlo samples and seed.
    weights_mode : {"fixed", "bounds", "simplex"}
        Weight uncertainty (see :func:`sample_inputs`).
    bounds : array_like, shape (m, 2), optional
        Weight bounds for ``weights_mode="bounds"``.
    net_value : callable, optional
        The value of each decision in each sample (see :data:`NetValue`); default
        the wsm score of each option.
    decisions : sequence of str, optional
        Labels of the ``d`` decisions (default the problem's options).
    decision : str
        What is decided, for the JSON (``options``, ``packages``, ``portfolio``).
    method : str
        The value model, for the JSON.

    Returns
    -------
    VoiResult

    Raises
    ------
    WorkspaceError
        For bad arguments (see :func:`sample_inputs`).

    Examples
    --------
    >>> from policyeval.model.problem import make_problem
    >>> p = make_problem(["a", "b"], ["x", "y"], np.array([[5.0, 0.0], [4.0, 1.0]]), [True] * 2,
    ...                  low=np.array([[5.0, 0.0], [2.0, 1.0]]),
    ...                  high=np.array([[5.0, 0.0], [6.0, 1.0]]), declared=[(0, 10)] * 2)
    >>> r = value_of_information(p, [0.5, 0.5], samples=20_000)
    >>> [(i.input, i.evppi == 0.0) for i in r.inputs][:2], r.inputs[-1].evppi
    ([('b.x', False), ('option:b', False)], 0.0)
    """
    inputs, nv = sample_inputs(problem, weights, samples, seed, weights_mode, bounds, net_value)
    labels = tuple(decisions) if decisions is not None else problem.options
    if len(labels) != nv.shape[1]:
        raise ValueError(f"{len(labels)} decision labels for {nv.shape[1]} net-value columns")
    value, se = evpi(nv)
    est = evppi_many(inputs, nv, input_groups(problem))
    rows = sorted(
        (VoiInput(name, e.evppi, e.se, e.changes_choice) for name, e in est.items()),
        key=lambda r: -r.evppi,
    )
    return VoiResult(
        evpi=value,
        evpi_se=se,
        inputs=tuple(rows),
        samples=samples,
        seed=seed,
        decisions=labels,
        decision=decision,
        method=method,
        weights_mode=weights_mode,
    )
