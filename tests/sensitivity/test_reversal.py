"""Rank reversal checks (sensitivity/reversal.py)."""

from __future__ import annotations

import numpy as np
import pytest

from policyeval.model.problem import make_problem
from policyeval.ranking import METHODS
from policyeval.sensitivity.reversal import rank_reversal

from .helpers import random_problem


def test_observed_scale_makes_wsm_reverse_by_hand() -> None:
    """x: a 10, b 6, c 0; y: a 0, b 10, c 6 (scales observed). With w = (1/2, 1/2):
    s = (0.5, 0.8, 0.3). Without c, x runs 6..10 and y 0..10: a = b = 0.5, a tie appears."""
    p = make_problem(list("abc"), ["x", "y"], np.array([[10.0, 0], [6, 10], [0, 6]]), [True] * 2)
    checks = rank_reversal(p, np.array([0.5, 0.5]), ["wsm"])["wsm"]
    by = {(c.test, c.option): c for c in checks}
    assert by[("remove", "c")].reversed_pairs == (("b", "a"),)
    assert not by[("remove", "a")].reversed
    assert not by[("add_worst_copy", "c_copy")].reversed
    assert by[("remove", "c")].to_dict()["reversed"] is True


@pytest.mark.parametrize("seed", range(5))
def test_wsm_on_declared_scales_never_reverses(seed: int) -> None:
    """With every scale declared, an option's wsm (wpm) score does not depend on the others."""
    q = random_problem(seed, 6, 3)
    p = make_problem(q.options, q.criteria, q.scores, q.maximize, declared=[(0, 10)] * 3)
    w = np.random.default_rng(seed).dirichlet(np.ones(3))
    out = rank_reversal(p, w, ["wsm", "wpm"])
    assert not any(c.reversed for checks in out.values() for c in checks)


def test_every_method_runs_one_check_per_runner_up_plus_copy() -> None:
    p = random_problem(3, 5, 3)
    out = rank_reversal(p, np.full(3, 1 / 3))
    assert list(out) == list(METHODS)
    for checks in out.values():
        assert [c.test for c in checks] == ["remove"] * 4 + ["add_worst_copy"]
