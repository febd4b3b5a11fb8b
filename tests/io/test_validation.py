"""The loader reports every problem, each naming the file, the entry and the fix."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from workspaces import tiny_spec, write_workspace

from policyeval.errors import WorkspaceError
from policyeval.io import load_workspace

C, W, A, B, S = (
    "criteria/criteria.yaml",
    "criteria/weights/even.yaml",
    "options/alpha.yaml",
    "options/beta.yaml",
    "options/status_quo.yaml",
)


def _crit(spec: dict, i: int) -> dict:
    return spec[C]["criteria"][i]


# (case id, mutation of the spec, expected code, file, entry)
CASES: list[tuple[str, Callable[[dict], Any], str, str, str]] = [
    (
        "unknown-key typo",
        lambda s: _crit(s, 0).update(directon="max"),
        "unknown-key",
        C,
        "criteria.benefit.directon",
    ),
    (
        "unknown direction",
        lambda s: _crit(s, 0).update(direction="maximise"),
        "unknown-direction",
        C,
        "criteria.benefit.direction",
    ),
    (
        "inverted scale",
        lambda s: _crit(s, 0).update(scale=[10, 0]),
        "inverted-scale",
        C,
        "criteria.benefit.scale",
    ),
    ("bad id", lambda s: _crit(s, 0).update(id="Benefit"), "bad-id", C, "criteria.Benefit.id"),
    (
        "duplicate criterion",
        lambda s: _crit(s, 1).update(id="benefit"),
        "duplicate-id",
        C,
        "criteria.benefit.id",
    ),
    (
        "unknown group",
        lambda s: _crit(s, 0).update(group="impacts"),
        "unknown-group",
        C,
        "criteria.benefit.group",
    ),
    (
        "unknown preference",
        lambda s: _crit(s, 0).update(preference={"type": "linaer", "p": 1}),
        "unknown-preference-type",
        C,
        "criteria.benefit.preference.type",
    ),
    (
        "preference q above p",
        lambda s: _crit(s, 0).update(preference={"type": "level", "q": 3, "p": 1}),
        "q-above-p",
        C,
        "criteria.benefit.preference",
    ),
    ("criteria is a list", lambda s: s.update({C: [{"id": "x"}]}), "wrong-type", C, ""),
    ("unknown method", lambda s: s[W].update(method="pionts"), "unknown-method", W, "method"),
    (
        "negative points",
        lambda s: s[W]["points"].update(benefit=-1),
        "out-of-range",
        W,
        "points.benefit",
    ),
    (
        "all-zero points",
        lambda s: s[W].update(points={"benefit": 0, "reach": 0, "cost": 0}),
        "all-zero",
        W,
        "points",
    ),
    ("missing points", lambda s: s[W]["points"].pop("cost"), "missing-item", W, "points"),
    (
        "unknown criterion in points",
        lambda s: s[W]["points"].update(benfit=1),
        "unknown-criterion-or-group",
        W,
        "points.benfit",
    ),
    (
        "unknown rank rule",
        lambda s: s.update(
            {W: {"method": "rank", "rank_rule": "rocc", "ranking": ["benefit", "reach", "cost"]}}
        ),
        "unknown-rank-rule",
        W,
        "rank_rule",
    ),
    (
        "ranking repeats",
        lambda s: s.update(
            {W: {"method": "rank", "ranking": ["benefit", "benefit", "reach", "cost"]}}
        ),
        "repeated-item",
        W,
        "ranking[1]",
    ),
    (
        "ranking misses",
        lambda s: s.update({W: {"method": "rank", "ranking": ["benefit", "cost"]}}),
        "missing-item",
        W,
        "ranking",
    ),
    (
        "ahp out of 1/9..9",
        lambda s: s.update(
            {
                W: {
                    "method": "ahp",
                    "pairwise": [
                        ["benefit", "reach", 12],
                        ["benefit", "cost", 2],
                        ["reach", "cost", "1/2"],
                    ],
                }
            }
        ),
        "out-of-range",
        W,
        "pairwise[0][2]",
    ),
    (
        "ahp missing pair",
        lambda s: s.update(
            {W: {"method": "ahp", "pairwise": [["benefit", "reach", 3], ["benefit", "cost", 2]]}}
        ),
        "missing-pair",
        W,
        "pairwise",
    ),
    (
        "ahp self comparison",
        lambda s: s.update(
            {
                W: {
                    "method": "ahp",
                    "pairwise": [
                        ["benefit", "benefit", 3],
                        ["benefit", "reach", 3],
                        ["benefit", "cost", 2],
                        ["reach", "cost", 1],
                    ],
                }
            }
        ),
        "self-comparison",
        W,
        "pairwise[0]",
    ),
    (
        "group refers to itself",
        lambda s: s.update({W: {"method": "group", "members": ["even"]}}),
        "self-member",
        W,
        "members",
    ),
    (
        "group missing member",
        lambda s: s.update({W: {"method": "group", "members": ["evn"]}}),
        "unknown-profile",
        W,
        "members[0]",
    ),
    ("missing score", lambda s: s[A]["scores"].pop("reach"), "missing-score", A, "scores.reach"),
    (
        "non-numeric score",
        lambda s: s[A]["scores"].update(reach="high"),
        "not-a-number",
        A,
        "scores.reach",
    ),
    (
        "nan score",
        lambda s: s[A]["scores"].update(reach=float("nan")),
        "not-finite",
        A,
        "scores.reach",
    ),
    (
        "infinite score",
        lambda s: s[A]["scores"].update(cost=float("inf")),
        "not-finite",
        A,
        "scores.cost",
    ),
    (
        "low above high",
        lambda s: s[A]["scores"]["benefit"].update(low=9.5, high=9),
        "low-above-high",
        A,
        "scores.benefit",
    ),
    (
        "value outside range",
        lambda s: s[A]["scores"]["benefit"].update(value=5.5),
        "value-outside-range",
        A,
        "scores.benefit",
    ),
    ("outside scale", lambda s: s[A]["scores"].update(reach=11), "out-of-scale", A, "scores.reach"),
    (
        "unknown criterion in scores",
        lambda s: s[A]["scores"].update(benfit=3),
        "unknown-criterion",
        A,
        "scores.benfit",
    ),
    ("negative cost", lambda s: s[A].update(cost=-5), "out-of-range", A, "cost"),
    (
        "two baselines",
        lambda s: s[B].update(kind="baseline", requires=[], cost=0),
        "two-baselines",
        S,
        "kind",
    ),
    (
        "requires unknown",
        lambda s: s[B].update(requires=["alpah"]),
        "unknown-option",
        B,
        "requires[0]",
    ),
    (
        "requires and excludes same",
        lambda s: s[B].update(excludes=["alpha"]),
        "requires-and-excludes",
        B,
        "excludes",
    ),
    (
        "unfundable cycle",
        lambda s: s[A].update(requires=["beta"], excludes=["beta"]),
        "requires-and-excludes",
        A,
        "excludes",
    ),
    ("id mismatch", lambda s: s[A].update(id="alfa"), "id-file-mismatch", A, "id"),
    (
        "package with unknown option",
        lambda s: s["options/packages.yaml"]["packages"][0].update(options=["alpha", "gamma"]),
        "unknown-measure",
        "options/packages.yaml",
        "packages.both.options[1]",
    ),
    (
        "package misses required",
        lambda s: s["options/packages.yaml"]["packages"][0].update(options=["beta"]),
        "missing-required",
        "options/packages.yaml",
        "packages.both.options",
    ),
    ("empty file", lambda s: s.update({B: ""}), "empty-file", B, ""),
    ("not utf-8", lambda s: s.update({B: "title: caf\xe9\n".encode("latin-1")}), "not-utf8", B, ""),
    (
        "tab indent",
        lambda s: s.update({B: "id: beta\nscores:\n\tbenefit: 1\n"}),
        "tab-indent",
        B,
        "line 3",
    ),
    (
        "duplicate key",
        lambda s: s.update({B: "id: beta\ntitle: a\ntitle: b\nscores: {}\n"}),
        "duplicate-key",
        B,
        "line 3",
    ),
    (
        "yaml syntax",
        lambda s: s.update({B: "id: beta\ntitle: [unclosed\n"}),
        "yaml-syntax",
        B,
        "line",
    ),
    (
        "unknown default profile",
        lambda s: s[C].update(default_profile="evn"),
        "unknown-profile",
        C,
        "default_profile",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "code", "file", "entry"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_each_problem_is_named(tmp_path: Path, mutate, code, file, entry) -> None:
    spec = tiny_spec()
    mutate(spec)
    root = write_workspace(tmp_path, spec)
    with pytest.raises(WorkspaceError) as info:
        load_workspace(root)
    found = [(i.code, i.file, i.entry) for i in info.value.issues]
    assert any(c == code and f == file and e.startswith(entry) for c, f, e in found), found


def test_every_problem_is_collected_before_failing(tmp_path: Path) -> None:
    spec = tiny_spec()
    spec[A]["scores"]["reach"] = 11
    spec[B]["scores"]["benefit"] = "x"
    spec[W]["method"] = "ahpp"
    with pytest.raises(WorkspaceError) as info:
        load_workspace(write_workspace(tmp_path, spec))
    assert {i.file for i in info.value.issues} == {A, B, W}
    assert "Did you mean 'ahp'?" in str(info.value)


def test_missing_folder_names_it(tmp_path: Path) -> None:
    (tmp_path / "criteria").mkdir()
    with pytest.raises(WorkspaceError, match="folder 'options/' not found"):
        load_workspace(tmp_path)


def test_valid_workspace_loads(tiny: Path) -> None:
    ws = load_workspace(tiny)
    assert ws.option_ids == ["status_quo", "alpha", "beta"]
    assert ws.baseline is not None and ws.baseline.id == "status_quo"
    assert ws.option("alpha").scores["benefit"].lo == 6
    assert ws.option("beta").requires == ("alpha",)
    assert ws.criterion("benefit").combine_rule == "max"
    assert ws.criterion("cost").combine_rule == "sum"


def test_fractions_in_ahp_judgements(tmp_path: Path) -> None:
    spec = tiny_spec()
    spec[W] = {
        "method": "ahp",
        "pairwise": [["benefit", "reach", "1/3"], ["benefit", "cost", 2], ["reach", "cost", "5"]],
    }
    ws = load_workspace(write_workspace(tmp_path, spec))
    assert ws.profiles["even"].spec["pairwise"][0] == ("benefit", "reach", pytest.approx(1 / 3))


def test_hierarchical_profile_is_accepted(tmp_path: Path) -> None:
    spec = tiny_spec()
    spec[W] = {
        "method": "swing",
        "swing": {"impact": 100, "cost": 50},
        "local": {"impact": {"method": "points", "points": {"benefit": 2, "reach": 1}}},
    }
    ws = load_workspace(write_workspace(tmp_path, spec))
    prof = ws.profiles["even"]
    assert prof.spec["swing"] == {"impact": 100, "cost": 50}
    assert prof.local["impact"].spec["points"] == {"benefit": 2, "reach": 1}


def test_mixing_tree_levels_is_an_error(tmp_path: Path) -> None:
    spec = tiny_spec()
    spec[W] = {"method": "points", "points": {"impact": 1, "benefit": 1, "cost": 1}}
    with pytest.raises(WorkspaceError, match="lie inside groups also named here"):
        load_workspace(write_workspace(tmp_path, spec))


def test_shipped_case_validates(shipped: Path) -> None:
    ws = load_workspace(shipped)
    assert len(ws.criteria) >= 8 and len(ws.measures) >= 10
    assert ws.baseline is not None
    assert len(ws.packages) >= 5 and ws.synergies
    assert len(ws.profiles) >= 5
