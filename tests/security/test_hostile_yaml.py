"""Hostile workspace files (attack report 2026-11-30, surfaces 1 and 2): each gives exit 2
with one message naming the file and entry, quickly, and changes nothing.

Alias bombs ("billion laughs") in every placement the report tried, integers too long
for Python, ids ending in a newline, YAML 1.1 number surprises, extreme but finite
numbers, long lines in syntax errors, and the input-size limits.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from catalog.cases import A, B, C, Case, P, W
from catalog.test_catalog import check_api, check_cli, problem_lines, snapshot
from typer.testing import CliRunner
from workspaces import tiny_spec, write_workspace

from policyeval.cli.app import app
from policyeval.io import load_workspace

runner = CliRunner()
ALLOC = "options/allocation.yaml"

BOMB = (
    "["
    + ", ".join(
        [f"&l0 [{', '.join(['lol'] * 9)}]"]
        + [f"&l{k} [{', '.join([f'*l{k - 1}'] * 9)}]" for k in range(1, 9)]
    )
    + "]"
)
"""Nine levels of nine aliases: 400 bytes standing for 9**9 (387 million) strings."""


def raw(rel: str, place: Callable[[dict], None], text: str) -> Callable[[dict], None]:
    """Put the marker BOOM where ``place`` says in file ``rel``, then splice ``text`` in."""

    def mutate(spec: dict) -> None:
        place(spec[rel])
        spec[rel] = yaml.safe_dump(spec[rel], sort_keys=False).replace("BOOM", text)

    return mutate


def at(*keys: Any) -> Callable[[dict], None]:
    """A ``place`` setting the value at ``keys`` (dict keys and list indices) to BOOM."""

    def place(data: Any) -> None:
        for key in keys[:-1]:
            data = data[key]
        data[keys[-1]] = "BOOM"

    return place


def with_package_title(data: dict) -> None:
    data["packages"][0]["title"] = "BOOM"


def ahp_profile(data: dict) -> None:
    data.clear()
    data.update(method="ahp", pairwise=[["benefit", "reach", "BOOM"], ["benefit", "cost", 2]])


BOMB_PLACES = [
    ("title", A, at("title")),
    ("source", A, at("scores", "benefit", "source")),
    ("rationale", A, at("scores", "benefit", "rationale")),
    ("cost", A, at("cost")),
    ("requires", B, at("requires")),
    ("points weight", W, at("points", "benefit")),
    ("AHP judgement", W, ahp_profile),
    ("unit", C, at("criteria", 2, "unit")),
    ("workspace title", C, at("title")),
    ("package title", P, with_package_title),
    ("score", B, at("scores", "reach")),
    ("criterion name", C, at("criteria", 0, "name")),
]

LONG = "9" * 5000
CASES: list[Case] = [
    *(
        Case(f"alias bomb in {name}", raw(rel, place, BOMB), rel, "", "limit yaml_nodes")
        for name, rel, place in BOMB_PLACES
    ),
    Case("recursive alias", raw(A, at("title"), "&r [*r, *r]"), A, "", "yaml_nodes"),
    Case("5000-digit cost", raw(A, at("cost"), LONG), A, "line ", "expected a finite number"),
    Case(
        "5000-digit score",
        raw(B, at("scores", "cost"), "-" + LONG),
        B,
        "line ",
        "expected a finite number",
    ),
    Case("5000-digit points", raw(W, at("points", "reach"), LONG), W, "line ", "finite"),
    Case(
        "option id ending in a newline",
        lambda s: s[A].update(id="alpha\n"),
        A,
        "id",
        "not a valid id",
    ),
    Case(
        "package id ending in a newline",
        lambda s: s[P]["packages"][0].update(id="both\n"),
        P,
        "packages.",
        "not a valid id",
    ),
    Case(
        "id of 65 characters",
        lambda s: s[P]["packages"][0].update(id="p" * 65),
        P,
        "packages.",
        "limit id_length",
    ),
    Case("sexagesimal cost 1:30", raw(A, at("cost"), "1:30"), A, "cost", "expected a number"),
    Case(
        "cost 1.7e308 (span overflows)",
        lambda s: s[A]["scores"].update(cost=1.7e308),
        A,
        "scores.cost",
        "too large",
    ),
    Case(
        "cost -1.7e308",
        lambda s: s[B]["scores"].update(cost=-1.7e308),
        B,
        "scores.cost",
        "too large",
    ),
    Case(
        "score 5e-324 (1/span overflows)",
        lambda s: s[B]["scores"].update(cost=5e-324),
        B,
        "scores.cost",
        "too small",
    ),
    Case(
        "option cost 1e308 (sum overflows)",
        lambda s: s[A].update(cost=1e308),
        A,
        "cost",
        "other units",
    ),
    Case(
        "points 1e308",
        lambda s: s[W]["points"].update(benefit=1e308),
        W,
        "points.benefit",
        "too large",
    ),
    Case(
        "synergy adjustment 1e300",
        lambda s: s[P]["synergies"][0].update(adjust={"reach": 1e300}),
        P,
        "synergies[0].adjust.reach",
        "too large",
    ),
    Case(
        "scale [0, 1e-300]",
        lambda s: s[C]["criteria"][2].update(scale=[0, 1e-300]),
        C,
        "criteria.cost.scale",
        "too small",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_file(tmp_path: Path, case: Case) -> None:
    spec = tiny_spec()
    case.mutate(spec)
    root = write_workspace(tmp_path / "ws", spec)
    start = time.perf_counter()
    check_cli(root, case, "validate")
    check_cli(root, case, "rank", "--method", "all")
    check_api(root, case)
    assert time.perf_counter() - start < 30


def test_merge_key_may_be_overridden(tmp_path: Path) -> None:
    """``<<: *d`` followed by an explicit key is valid YAML: the explicit key wins."""
    spec = tiny_spec()
    spec[A] = (
        "id: alpha\ntitle: Alpha\ncost: 10\nscores:\n"
        "  <<: {benefit: 1, reach: 5, cost: 10}\n  benefit: 8\n"
    )
    ws = load_workspace(write_workspace(tmp_path / "ws", spec))
    assert ws.option("alpha").scores["benefit"].value == 8


def test_exponents_without_dot_or_sign_are_numbers(tmp_path: Path) -> None:
    spec = tiny_spec()
    spec[A] = yaml.safe_dump(spec[A], sort_keys=False).replace("cost: 10", "cost: 1e1")
    spec[B] = yaml.safe_dump(spec[B], sort_keys=False).replace("cost: 4", "cost: 0.4e1")
    ws = load_workspace(write_workspace(tmp_path / "ws", spec))
    assert ws.option("alpha").cost == 10 and ws.option("beta").cost == 4


def test_a_syntax_error_quotes_lines_briefly(tmp_path: Path) -> None:
    spec = tiny_spec()
    spec[A] = "id: alpha\ntitle: [" + "x" * 1_000_000 + "\n"
    root = write_workspace(tmp_path / "ws", spec)
    with pytest.raises(Exception) as info:
        load_workspace(root)
    assert len(str(info.value)) < 1000 and "..." in str(info.value)


def test_allocation_budget_of_extreme_size(tmp_path: Path) -> None:
    spec = tiny_spec()
    spec[ALLOC] = {"budget": 1.0e300, "targets": [], "channels": []}
    root = write_workspace(tmp_path / "ws", spec)
    with pytest.raises(Exception) as info:
        load_workspace(root)
    assert "budget" in str(info.value) and "too large" in str(info.value)


# --- size limits: each named, with the variable that raises it -------------------------

LIMIT_CASES = [
    ("POLICYEVAL_MAX_OPTIONS", "2", "limit options = 2"),
    ("POLICYEVAL_MAX_CRITERIA", "2", "limit criteria = 2"),
    ("POLICYEVAL_MAX_FILE_BYTES", "150", "limit file_bytes = 150"),
    ("POLICYEVAL_MAX_YAML_NODES", "20", "limit yaml_nodes = 20"),
    ("POLICYEVAL_MAX_ID_LENGTH", "4", "limit id_length = 4"),
]


@pytest.mark.parametrize("var, value, phrase", LIMIT_CASES, ids=[c[0] for c in LIMIT_CASES])
def test_input_limits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, var: str, value: str, phrase: str
) -> None:
    """Lowered by its variable, each limit stops the load; every message names it."""
    root = write_workspace(tmp_path / "ws", tiny_spec())
    load_workspace(root)
    monkeypatch.setenv(var, value)
    before = snapshot(root)
    result = runner.invoke(app, ["validate", "-w", str(root)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    lines = problem_lines(result.stderr)
    assert lines and all(phrase in line for line in lines), result.stderr
    assert snapshot(root) == before


def test_csv_rows_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = tiny_spec()
    spec["criteria/countries.csv"] = "country,gdp\n" + "".join(f"c{i},1\n" for i in range(50))
    root = write_workspace(tmp_path / "ws", spec)
    load_workspace(root)
    monkeypatch.setenv("POLICYEVAL_MAX_ROWS", "10")
    check_cli(
        root, Case("rows", lambda s: None, "criteria/countries.csv", "", "limit rows"), "validate"
    )


def test_a_bad_limit_value_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_workspace(tmp_path / "ws", tiny_spec())
    monkeypatch.setenv("POLICYEVAL_MAX_OPTIONS", "lots")
    check_cli(
        root,
        Case("bad", lambda s: None, "", "POLICYEVAL_MAX_OPTIONS", "positive number"),
        "validate",
    )
