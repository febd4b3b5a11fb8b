"""Junk anywhere in a workspace: the loader reports it or accepts it, it never crashes.

hypothesis replaces one value (or key) at a random place of the valid fixture
workspace with a value of another type. Loading must then either succeed, and
ranking by every method must work, or raise WorkspaceError whose issues all name
a file. No other exception may escape (it would be exit code 1 and a traceback).
"""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from workspaces import tiny_spec, write_workspace

from policyeval.errors import WorkspaceError
from policyeval.io import load_workspace
from policyeval.model import build_problem
from policyeval.ranking import rank_all
from policyeval.weighting import compute_all_weights

JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.sampled_from(["max", "min", "alpha", "benefit", "even", "1/3", "", "baseline", "ahp"]),
    st.lists(st.sampled_from(["alpha", "beta", "benefit", "reach", 3, None]), max_size=4),
    st.dictionaries(st.sampled_from(["value", "low", "high", "id", "type", "x"]),
                    st.one_of(st.none(), st.integers(-5, 15), st.text(max_size=3)), max_size=3),
)  # fmt: skip


def paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in a nested spec: dict keys and list indices."""
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += paths(v, (*prefix, i))
    return out


SPEC = tiny_spec()
SPEC["criteria/criteria.yaml"]["criteria"][0]["preference"] = {"type": "linear", "q": 1, "p": 3}
SPEC.update(
    {
        "criteria/weights/pair.yaml": {
            "method": "ahp",
            "pairwise": [["benefit", "reach", 3], ["benefit", "cost", 2], ["reach", "cost", "1/2"]],
            "bounds": {"benefit": [0.1, 0.8]},
        },
        "criteria/weights/best.yaml": {
            "method": "bwm",
            "best": "benefit",
            "worst": "cost",
            "best_to_others": {"benefit": 1, "reach": 2, "cost": 5},
            "others_to_worst": {"benefit": 5, "reach": 3, "cost": 1},
        },
        "criteria/weights/order.yaml": {
            "method": "rank",
            "ranking": ["benefit", ["reach", "cost"]],
        },
        "criteria/weights/tree.yaml": {
            "method": "swing",
            "swing": {"impact": 100, "cost": 50},
            "local": {"impact": {"method": "points", "points": {"benefit": 2, "reach": 1}}},
        },
        "criteria/weights/panel.yaml": {"method": "group", "members": ["even", "pair"]},
    }
)
PLACES = paths(SPEC)


def put(spec: dict, place: tuple, value: Any, as_key: bool) -> None:
    *parents, last = place
    node = spec
    for p in parents:
        node = node[p]
    if as_key and isinstance(node, dict) and parents:  # file names stay
        node[value if isinstance(value, str | int | float | bool) else "junk"] = node.pop(last)
    else:
        node[last] = value


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(st.sampled_from(PLACES), JUNK, st.booleans())
def test_junk_is_reported_or_accepted(place: tuple, value: Any, as_key: bool) -> None:
    spec = copy.deepcopy(SPEC)
    put(spec, place, value, as_key)
    with tempfile.TemporaryDirectory() as tmp:
        try:
            root = write_workspace(Path(tmp), spec)
        except (ValueError, TypeError):  # yaml cannot write it (not a workspace problem)
            return
        try:
            ws = load_workspace(root)
        except WorkspaceError as err:
            assert err.issues and all(i.file and i.message for i in err.issues)
            return
        for w in compute_all_weights(ws).values():
            rank_all(build_problem(ws), w)
            rank_all(build_problem(ws, packages=True), w)
