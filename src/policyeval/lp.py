"""The only module that imports PuLP and highspy: model helpers, solver choice, status mapping.

PuLP models the portfolio and allocation problems (models a user can read and
export); :func:`solve_lp` solves the small dense LPs asked many times (BWM, what it
would take) with HiGHS in process.

PuLP 3.3 deprecates ``LpVariable(...)``, ``LpVariable.dicts`` and ``PULP_CBC_CMD``
(they warn, and vanish in PuLP 4). We use ``LpProblem.add_variable`` and
``COIN_CMD`` pointed at the CBC binary bundled with PuLP, which do not warn.

Solvers: ``cbc`` (default, bundled with PuLP) and ``highs`` (through the
``highspy`` package when installed). A non-optimal status (Infeasible, Not
Solved, Undefined, Unbounded) never raises inside PuLP; :func:`solve` maps it to
:class:`policyeval.errors.InfeasibleError`.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from policyeval.errors import InfeasibleError, Issue, WorkspaceError

if TYPE_CHECKING:
    import pulp

SOLVERS = ("cbc", "highs")
MIP_GAP = 1e-7
"""Absolute optimality gap of every MILP solve (relative gap 0)."""


def _stop_highs_threads() -> None:
    """Stop HiGHS's worker threads (it starts them at its first solve and keeps them).

    A forked child (:mod:`policyeval.forked`) copies HiGHS's scheduler but not its
    threads, and its next MIP waits for them for ever; run before every fork, this makes
    HiGHS start new ones where it next solves.
    """
    highspy = sys.modules.get("highspy")
    if highspy is not None:
        highspy.Highs.resetGlobalScheduler(True)


if hasattr(os, "register_at_fork"):  # POSIX; policyeval forks only on Linux
    os.register_at_fork(before=_stop_highs_threads)


def lp_name(*parts: str) -> str:
    """A PuLP-safe name from ids: ``lp_name("select", "a1")`` -> ``select_a1``.

    Examples
    --------
    >>> lp_name("requires", "a-1", "b 2")
    'requires_a_1_b_2'
    """
    return re.sub(r"[^A-Za-z0-9_]", "_", "_".join(str(p) for p in parts if p != ""))


def new_problem(name: str, maximize: bool = True) -> pulp.LpProblem:
    """An empty ``LpProblem`` (maximization by default)."""
    import pulp

    return pulp.LpProblem(lp_name(name), pulp.LpMaximize if maximize else pulp.LpMinimize)


def add_var(
    prob: pulp.LpProblem,
    name: str,
    low: float | None = 0.0,
    high: float | None = None,
    binary: bool = False,
) -> pulp.LpVariable:
    """A continuous (or binary) variable owned by ``prob``."""
    import pulp

    if binary:
        return prob.add_variable(name, 0, 1, pulp.LpBinary)
    return prob.add_variable(
        name, None if low is None else float(low), None if high is None else float(high)
    )


def lp_sum(terms: Any) -> pulp.LpAffineExpression:
    """``pulp.lpSum`` (a linear expression from ``(coef * var)`` terms or variables)."""
    import pulp

    return pulp.lpSum(terms)


def available_solvers() -> list[str]:
    """Solver names usable here (``cbc`` always; ``highs`` when highspy is installed)."""
    import pulp

    out = ["cbc"]
    if pulp.HiGHS(msg=False).available():
        out.append("highs")
    return out


def make_solver(name: str | None = None, lp: bool = False, gap: float = MIP_GAP) -> Any:
    """A quiet PuLP solver object by our name (``cbc`` default, or ``highs``).

    Every run stops after limit ``solve_seconds`` (see :func:`status`); ``gap`` is the
    absolute optimality gap (relative gap 0).

    Raises
    ------
    WorkspaceError
        For an unknown or unavailable solver name (exit code 2).
    """
    import pulp

    from policyeval.limits import limit

    name = name or "cbc"
    if name not in SOLVERS or name not in available_solvers():
        hint = " (install the highspy package)" if name == "highs" else ""
        raise WorkspaceError(
            [
                Issue(
                    "bad-solver",
                    f"The 'solver' parameter must be one of {', '.join(available_solvers())}. "
                    f"Got '{name}' instead{hint}.",
                    "",
                    "solver",
                )
            ]
        )
    # "Optimal" must mean optimal: both solvers stop by default at a relative gap (HiGHS
    # 1e-4), so the gaps are set to MIP_GAP (absolute) and 0 (relative).
    gaps = {"gapRel": 0.0, "gapAbs": gap, "timeLimit": limit("solve_seconds")}
    if name == "highs":  # HiGHS accepts MIP solutions 1e-6 infeasible by default: tightened
        tight = {"mip_feasibility_tolerance": 1e-9, "primal_feasibility_tolerance": 1e-9}
        return pulp.HiGHS(msg=False, mip=not lp, **gaps, **tight)
    # CBC 2.10.3's integer preprocessing returns wrong "optimal" solutions on some of our
    # models, so it is switched off. The case found: a minimum-cost portfolio above a value
    # floor (frontier breakpoints) whose floor row holds a synergy binary; CglPreProcess
    # ("2 fixed, 1 strengthened rows, 2 substitutions") reduces it to an empty model with a
    # cost of 3 where 2 is optimal, by a value margin of 0.02 (not a tolerance); without the
    # synergy it is right. 7 of 40 random 11-measure frontiers skipped a breakpoint with it
    # on (tests/optimization/test_frontier.py catches it). Off costs nothing measurable here.
    return pulp.COIN_CMD(
        path=pulp.apis.coin_api.pulp_cbc_path,
        msg=False,
        mip=not lp,
        options=["preprocess off"],
        **gaps,
    )


@contextlib.contextmanager
def quiet_stdout() -> Iterator[None]:
    """Silence C-level writes to standard output (HiGHS's banner, SIMUS's CBC)."""
    sys.stdout.flush()
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, ValueError, OSError):  # captured stdout (tests): nothing to silence
        yield
        return
    saved = os.dup(fd)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), fd)
            yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, fd)
        os.close(saved)


@contextlib.contextmanager
def _private_files(solver: Any) -> Iterator[None]:
    """Point CBC's model and solution files (``.mps``, ``.sol``) to a private folder.

    The folder is made 0700 (other users cannot read the model) and removed on the
    way out, also on Ctrl-C and SIGTERM (see :mod:`policyeval.interrupt`).
    """
    import secrets
    import shutil
    import tempfile

    from policyeval.interrupt import forget, stop_processes_using, track

    folder = os.path.join(tempfile.gettempdir(), f"policyeval-lp-{secrets.token_hex(8)}")
    track(folder, folder=True)  # before it exists: a SIGTERM at any moment removes it
    os.mkdir(folder, 0o700)
    saved = solver.tmpDir
    solver.tmpDir = folder
    try:
        yield
    except BaseException:
        stop_processes_using(folder)  # else CBC may still write its .sol file there
        raise
    finally:
        solver.tmpDir = saved
        shutil.rmtree(folder, ignore_errors=True)
        forget(folder)


def status(prob: pulp.LpProblem, solver: Any = None, at_least: float | None = None) -> str:
    """Solve ``prob`` and return PuLP's status text (``"Optimal"``, ``"Infeasible"``...).

    ``at_least`` (maximization only) says that only solutions whose objective is at
    least that value are wanted: CBC prunes with it as a cutoff (``"Infeasible"`` when
    there is none), which is much faster than a constraint; HiGHS, slower with either a
    constraint or its objective bound, ignores it, so callers check the value found.

    Raises
    ------
    WorkspaceError
        When the solver stops at the time limit ``solve_seconds`` before proving an
        optimum (exit code 2; the message names the limit and its variable).
    """
    import copy

    import pulp

    solver = solver if solver is not None else make_solver()
    if at_least is not None and not isinstance(solver, pulp.HiGHS):
        solver = copy.copy(solver)  # CBC minimizes the negated objective of a maximization
        solver.options = [*solver.options, f"cutoff {-at_least!r}"]
    try:
        if isinstance(solver, pulp.HiGHS):
            with quiet_stdout():
                prob.solve(solver)
        else:
            with _private_files(solver):
                prob.solve(solver)
    except pulp.PulpSolverError:
        # CBC writes no solution file when its preprocessing proves a binary model
        # infeasible ("Pre-processing says infeasible or unbounded"); PuLP then raises
        return "Infeasible"
    if _stopped_on_time(prob, solver):
        from policyeval.errors import WorkspaceError
        from policyeval.limits import exceeded, limit

        cap = limit("solve_seconds")
        raise WorkspaceError(
            [exceeded("solve_seconds", f"over {cap:g} s", f"solver time for {prob.name}")]
        )
    return pulp.LpStatus[prob.status]


def remove_row(prob: pulp.LpProblem, name: str) -> None:
    """Take the constraint ``name`` out of ``prob`` (PuLP 3.3 has no public call for it:
    the dict view of ``prob.constraints`` is deprecated)."""
    prob._constraints.pop(name)


def _stopped_on_time(prob: pulp.LpProblem, solver: Any) -> bool:
    """Whether the solver stopped at its time limit (with or without a solution)."""
    import pulp

    if prob.status == pulp.LpStatusOptimal:
        return bool(prob.sol_status == pulp.LpSolutionIntegerFeasible)
    if prob.status != pulp.LpStatusNotSolved:
        return False
    if isinstance(solver, pulp.HiGHS):  # other HiGHS failures are "Not Solved" too
        import highspy

        return bool(prob.solverModel.getModelStatus() == highspy.HighsModelStatus.kTimeLimit)
    return True  # CBC's "Stopped": the time limit is the only limit set


def solve(prob: pulp.LpProblem, solver: Any = None, what: str = "the model") -> None:
    """Solve ``prob`` to optimality or raise :class:`InfeasibleError` (exit code 3)."""
    st = status(prob, solver)
    if st != "Optimal":
        raise InfeasibleError(f"{what} has no optimal solution (solver status: {st})")


def dual_values(prob: pulp.LpProblem) -> dict[str, float]:
    """Shadow prices of an LP's constraints after :func:`solve`, by name.

    Sign convention (both solvers): the change of the objective per unit
    increase of the constraint's right-hand side.
    """
    import pulp

    sign = 1.0
    if isinstance(prob.solver, pulp.HiGHS) and prob.sense == pulp.LpMaximize:
        sign = -1.0  # PuLP's HiGHS interface reports duals of the minimized negation
    return {c.name: sign * float(c.pi or 0.0) for c in prob.constraints()}


def slacks(prob: pulp.LpProblem) -> dict[str, float]:
    """Slack of each constraint after a solve: 0 means it holds with equality."""
    return {c.name: abs(float(c.value())) for c in prob.constraints()}


def solve_lp(
    c: Sequence[float],
    a_ub: np.ndarray | None = None,
    b_ub: Sequence[float] | None = None,
    a_eq: np.ndarray | None = None,
    b_eq: Sequence[float] | None = None,
    bounds: Sequence[tuple[float | None, float | None]] | None = None,
    maximize: bool = False,
) -> tuple[np.ndarray, float, np.ndarray]:
    """Solve a small dense LP ``min/max c @ x`` s.t. ``a_ub x <= b_ub``, ``a_eq x == b_eq``.

    For the small LPs solved many times (a BWM model, a what-it-would-take
    question): HiGHS in process through ``highspy``, no model file and no solver
    process (PuLP stays for the portfolio and allocation models a user reads).
    Default bounds are ``x >= 0``.

    Returns
    -------
    x : ndarray, shape (n,)
    objective : float
    duals : ndarray
        Shadow prices of the ``a_ub`` rows then the ``a_eq`` rows (the change of
        the objective per unit of right-hand side).

    Raises
    ------
    InfeasibleError
        When the LP is infeasible or unbounded.

    Examples
    --------
    >>> x, obj, y = solve_lp([1, 1], a_ub=np.array([[-1.0, -2.0]]), b_ub=[-2])
    >>> x.round(6).tolist(), round(obj, 6), y.round(6).tolist()
    ([0.0, 1.0], 1.0, [-0.5])
    """
    import highspy

    n = len(c)
    inf = highspy.kHighsInf
    blocks = [(np.asarray(a, dtype=float).reshape(-1, n), np.asarray(b, dtype=float))
              for a, b in ((a_ub, b_ub), (a_eq, b_eq)) if a is not None]  # fmt: skip
    matrix = np.vstack([a for a, _ in blocks]) if blocks else np.zeros((0, n))
    ub_rows = 0 if a_ub is None else len(blocks[0][1])
    rhs = np.concatenate([b for _, b in blocks]) if blocks else np.zeros(0)
    model = highspy.HighsLp()
    model.num_col_, model.num_row_ = n, len(rhs)
    model.col_cost_ = np.asarray(c, dtype=float)
    bounds = list(bounds) if bounds is not None else [(0.0, None)] * n
    model.col_lower_ = np.array([-inf if lo is None else lo for lo, _ in bounds], dtype=float)
    model.col_upper_ = np.array([inf if hi is None else hi for _, hi in bounds], dtype=float)
    model.row_lower_ = np.concatenate([np.full(ub_rows, -inf), rhs[ub_rows:]])
    model.row_upper_ = rhs
    model.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    nonzero = matrix != 0
    model.a_matrix_.start_ = np.concatenate([[0], np.cumsum(nonzero.sum(axis=1))])
    model.a_matrix_.index_ = np.nonzero(nonzero)[1]
    model.a_matrix_.value_ = matrix[nonzero]
    if maximize:
        model.sense_ = highspy.ObjSense.kMaximize
    h = _highs()
    h.passModel(model)
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    if status != "Optimal":
        raise InfeasibleError(f"the linear programme has no optimal solution ({status})")
    solution = h.getSolution()
    x = np.array(solution.col_value, dtype=float)
    return x, float(h.getInfo().objective_function_value), np.array(solution.row_dual)


def _highs() -> Any:
    """A quiet HiGHS instance (its first construction prints a banner on standard output,
    which would spoil JSON output)."""
    import highspy

    with quiet_stdout():
        h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    return h
