"""The PuLP wrapper: status mapping, duals, solver choice."""

from __future__ import annotations

import numpy as np
import pytest

from policyeval import lp
from policyeval.errors import InfeasibleError, WorkspaceError

SOLVERS = lp.available_solvers()


def test_solve_lp_wyndor_hillier_lieberman() -> None:
    """Wyndor Glass (Hillier & Lieberman, Introduction to OR, ch. 3-4): x = (2, 6), Z = 36,
    shadow prices (0, 1.5, 1)."""
    a = np.array([[1.0, 0.0], [0.0, 2.0], [3.0, 2.0]])
    x, z, y = lp.solve_lp([3, 5], a_ub=a, b_ub=[4, 12, 18], maximize=True)
    np.testing.assert_allclose(x, [2, 6], atol=1e-7)
    assert z == pytest.approx(36)
    np.testing.assert_allclose(y, [0, 1.5, 1], atol=1e-6)


def test_infeasible_and_unbounded_map_to_infeasible_error() -> None:
    with pytest.raises(InfeasibleError, match="Infeasible"):
        lp.solve_lp([1.0], a_ub=np.array([[1.0], [-1.0]]), b_ub=[1, -2])
    with pytest.raises(InfeasibleError, match="no optimal solution"):
        lp.solve_lp([1.0], a_ub=np.array([[-1.0]]), b_ub=[0], maximize=True)


def test_solve_lp_equalities_bounds_and_minimum_duals() -> None:
    """min x0 + 2 x1 s.t. x0 + x1 = 3, x0 <= 2 (bound): x = (2, 1), obj 4, dual of the
    equality 2 (one more unit of right-hand side costs 2), checked by hand."""
    x, z, y = lp.solve_lp([1, 2], a_eq=np.array([[1.0, 1.0]]), b_eq=[3], bounds=[(0, 2), (0, None)])
    np.testing.assert_allclose(x, [2, 1], atol=1e-9)
    assert z == pytest.approx(4) and y == pytest.approx([2])


def test_solve_lp_prints_nothing() -> None:
    """HiGHS prints a banner on its first use in a process; a fresh process shows none."""
    import subprocess
    import sys

    code = (
        "import numpy as np; from policyeval import lp; "
        "print(lp.solve_lp([1, 1], a_ub=np.array([[-1.0, -2.0]]), b_ub=[-2])[1])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout == "1.0\n"


def test_unknown_solver_is_an_input_error() -> None:
    with pytest.raises(WorkspaceError, match="'solver' parameter must be one of"):
        lp.make_solver("gurobi")


def test_lp_name_from_ids() -> None:
    assert lp.lp_name("select", "a1_root_causes") == "select_a1_root_causes"
