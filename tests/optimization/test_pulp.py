"""The PuLP wrapper: status mapping, duals, solver choice."""

from __future__ import annotations

import numpy as np
import pytest

from policyeval import lp
from policyeval.errors import InfeasibleError, WorkspaceError

SOLVERS = lp.available_solvers()


@pytest.mark.parametrize("solver", SOLVERS)
def test_solve_lp_wyndor_hillier_lieberman(solver: str) -> None:
    """Wyndor Glass (Hillier & Lieberman, Introduction to OR, ch. 3-4): x = (2, 6), Z = 36,
    shadow prices (0, 1.5, 1)."""
    a = np.array([[1.0, 0.0], [0.0, 2.0], [3.0, 2.0]])
    x, z, y = lp.solve_lp([3, 5], a_ub=a, b_ub=[4, 12, 18], maximize=True, solver=solver)
    np.testing.assert_allclose(x, [2, 6], atol=1e-7)
    assert z == pytest.approx(36)
    np.testing.assert_allclose(y, [0, 1.5, 1], atol=1e-6)


@pytest.mark.parametrize("solver", SOLVERS)
def test_infeasible_and_unbounded_map_to_infeasible_error(solver: str) -> None:
    with pytest.raises(InfeasibleError, match="Infeasible"):
        lp.solve_lp([1.0], a_ub=np.array([[1.0], [-1.0]]), b_ub=[1, -2], solver=solver)
    with pytest.raises(InfeasibleError, match="no optimal solution"):
        lp.solve_lp([1.0], a_ub=np.array([[-1.0]]), b_ub=[0], maximize=True, solver=solver)


def test_unknown_solver_is_an_input_error() -> None:
    with pytest.raises(WorkspaceError, match="'solver' parameter must be one of"):
        lp.make_solver("gurobi")


def test_lp_name_from_ids() -> None:
    assert lp.lp_name("select", "a1_root_causes") == "select_a1_root_causes"
