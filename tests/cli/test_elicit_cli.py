"""``policyeval elicit`` end to end: answers from stdin or a file, profile written and reloaded.

Expected weights are hand computations: consistent AHP judgements give the ratio weights
exactly (Saaty 1980), SWING normalizes the ratings (von Winterfeldt & Edwards 1986), ROC
follows Barron & Barrett (1996), and tree weights are products along the tree.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner
from workspaces import tiny_spec, write_workspace

from policyeval.cli.app import app
from policyeval.cli.elicit import run_dialog
from policyeval.errors import WorkspaceError
from policyeval.io import load_workspace
from policyeval.weighting import compute_weights
from policyeval.weighting.elicit import Elicitation

runner = CliRunner()


def elicit(ws: Path, *args: str, input: str | None = None):
    return runner.invoke(app, ["elicit", "-w", str(ws), *args], input=input)


def profile_file(ws: Path, name: str) -> dict:
    return yaml.safe_load((ws / f"criteria/weights/{name}.yaml").read_text(encoding="utf-8"))


def weights_of(ws: Path, name: str) -> dict[str, float]:
    return compute_weights(load_workspace(ws), name).weights


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """Top level: effect (a, b, c), feasibility (d, e) and f; scores on 0-10 scales."""
    crits = {"a": "effect", "b": "effect", "c": "effect", "d": "feasibility", "e": "feasibility"}
    crits["f"] = None
    criteria = [
        {"id": c, "name": c.upper(), "scale": [0, 10], **({"group": g} if g else {})}
        for c, g in crits.items()
    ]
    spec = {
        "criteria/criteria.yaml": {
            "title": "Tree decision",
            "default_profile": "even",
            "groups": [{"id": "effect", "name": "Effect"}, {"id": "feasibility", "name": "Do"}],
            "criteria": criteria,
        },
        "criteria/weights/even.yaml": {"method": "points", "points": dict.fromkeys(crits, 1)},
        "options/status_quo.yaml": {
            "id": "status_quo",
            "title": "Status quo",
            "kind": "baseline",
            "scores": dict.fromkeys(crits, 2),
        },
        "options/alpha.yaml": {"id": "alpha", "title": "Alpha", "scores": dict.fromkeys(crits, 7)},
    }
    return write_workspace(tmp_path / "tree", spec)


@pytest.fixture
def four(tmp_path: Path) -> Path:
    """Four ungrouped criteria: benefit, reach, cost, speed."""
    spec = tiny_spec()
    crit = spec["criteria/criteria.yaml"]
    del crit["groups"]
    for c in crit["criteria"]:
        c.pop("group", None)
    crit["criteria"].append({"id": "speed", "name": "Speed", "scale": [0, 10]})
    spec["criteria/weights/even.yaml"]["points"]["speed"] = 1
    for opt in ("status_quo", "alpha", "beta"):
        spec[f"options/{opt}.yaml"]["scores"]["speed"] = 5
    return write_workspace(tmp_path / "four", spec)


# --- AHP ------------------------------------------------------------------------------------

AHP_TREE = "2\n4\n2\n1\n3\n3\n-3\n"  # top: 4:2:1; effect: 3:3:1; feasibility: d = e/3


def test_ahp_tree_from_stdin_writes_a_hierarchical_profile(tree: Path) -> None:
    result = elicit(tree, "--method", "ahp", "--name", "panel", input=AHP_TREE)
    assert result.exit_code == 0, result.output
    assert profile_file(tree, "panel") == {
        "name": "panel",
        "method": "ahp",
        "description": "Elicited with policyeval elicit (ahp, group by group).",
        "pairwise": [["effect", "feasibility", 2], ["effect", "f", 4], ["feasibility", "f", 2]],
        "local": {
            "effect": {"method": "ahp", "pairwise": [["a", "b", 1], ["a", "c", 3], ["b", "c", 3]]},
            "feasibility": {"method": "ahp", "pairwise": [["d", "e", "1/3"]]},
        },
    }
    expected = {
        "a": 4 / 7 * 3 / 7,
        "b": 4 / 7 * 3 / 7,
        "c": 4 / 7 * 1 / 7,
        "d": 2 / 7 * 1 / 4,
        "e": 2 / 7 * 3 / 4,
        "f": 1 / 7,
    }
    assert weights_of(tree, "panel") == pytest.approx(expected)
    # the dialog on stderr, the weights table on stdout
    assert "Top level, step 1 of 3:" in result.stderr
    assert "Inside group effect (Effect), step 2 of 3:" in result.stderr
    assert "effect vs f: 4\n  CR so far 0.000" in result.stderr
    assert "feasibility vs f: 2\n  CR 0.000: consistent" in result.stderr
    assert "wrote criteria/weights/panel.yaml" in result.stderr
    assert "Weights — Tree decision" in result.stdout and "0.245" in result.stdout  # 12/49
    assert "vs" not in result.stdout


def test_ahp_flat_from_an_answers_file_with_comments(tiny: Path, tmp_path: Path) -> None:
    answers = tmp_path / "answers.txt"
    answers.write_text("# tiny, flat\n2  # benefit vs reach\n4\n\n2\n", encoding="utf-8")
    # the blank line 4 is an answer: it is not a judgement
    result = elicit(tiny, "-m", "ahp", "-n", "flat", "--flat", "--answers", str(answers))
    assert result.exit_code == 2
    assert f"{answers}: line 4: '' is not a judgement" in result.stderr
    answers.write_text("# tiny, flat\n2  # benefit vs reach\n4\n2\n", encoding="utf-8")
    result = elicit(tiny, "-m", "ahp", "-n", "flat", "--flat", "--answers", str(answers))
    assert result.exit_code == 0, result.output
    assert "benefit vs reach: 2\n" in result.stderr  # scripted answers are echoed
    data = profile_file(tiny, "flat")
    assert "local" not in data and len(data["pairwise"]) == 3
    assert weights_of(tiny, "flat") == pytest.approx(
        {"benefit": 4 / 7, "reach": 2 / 7, "cost": 1 / 7}
    )


# consistent 8:4:2:1 except "cost vs speed": speed said to be 5 times as important as cost
INCONSISTENT = "2\n4\n8\n2\n4\n1/5\n"


def test_ahp_following_the_suggestion_brings_cr_under_threshold(four: Path) -> None:
    result = elicit(four, "-m", "ahp", "-n", "fixed", input=INCONSISTENT + "y\n")
    assert result.exit_code == 0, result.output
    assert "CR 0.269: above 0.10" in result.stderr
    assert "Most inconsistent judgement: cost vs speed = 1/5. Revising it to 2" in result.stderr
    assert "cost vs speed revised from 1/5 to 2" in result.stderr
    assert profile_file(four, "fixed")["pairwise"][-1] == ["cost", "speed", 2]
    res = compute_weights(load_workspace(four), "fixed")
    assert res.consistency_ratio < 0.10 and res.warnings == ()
    assert res.weights == pytest.approx(
        {"benefit": 8 / 15, "reach": 4 / 15, "cost": 2 / 15, "speed": 1 / 15}
    )
    shown = runner.invoke(app, ["weights", "-w", str(four), "-p", "fixed"])
    assert shown.exit_code == 0 and "warning" not in shown.output


def test_ahp_keeping_inconsistent_judgements_writes_them_with_a_warning(four: Path) -> None:
    result = elicit(four, "-m", "ahp", "-n", "kept", input=INCONSISTENT + "n\n")
    assert result.exit_code == 0, result.output
    assert profile_file(four, "kept")["pairwise"][-1] == ["cost", "speed", "1/5"]
    warning = "warning: profile 'kept': AHP consistency ratio 0.27 is above 0.10"
    assert warning in result.stderr
    shown = runner.invoke(app, ["weights", "-w", str(four), "-p", "kept"])
    assert warning in shown.stderr


# --- SWING and rank -------------------------------------------------------------------------


def test_swing_tree(tree: Path) -> None:
    answers = "effect, f, feasibility\n50\n25\na, b, c\n50\n50\ne, d\n25\n"
    result = elicit(tree, "-m", "swing", "-n", "swing_tree", input=answers)
    assert result.exit_code == 0, result.output
    data = profile_file(tree, "swing_tree")
    assert data["swing"] == {"effect": 100, "f": 50, "feasibility": 25}
    assert data["local"]["feasibility"] == {"method": "swing", "swing": {"e": 100, "d": 25}}
    # effect 100/175 = 4/7, feasibility 1/7, f 2/7; inside: a .5, b = c = .25; e .8, d .2
    expected = {"a": 2 / 7, "b": 1 / 7, "c": 1 / 7, "d": 1 / 35, "e": 4 / 35, "f": 2 / 7}
    assert weights_of(tree, "swing_tree") == pytest.approx(expected)


def test_swing_flat_with_display_name(tiny: Path) -> None:
    result = elicit(
        tiny, "-m", "swing", "-n", "sw", "--flat", "--display-name", "Swing panel",
        input="cost, benefit, reach\n50\n25\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert profile_file(tiny, "sw")["name"] == "Swing panel"
    assert weights_of(tiny, "sw") == pytest.approx(
        {"benefit": 50 / 175, "reach": 25 / 175, "cost": 100 / 175}
    )


def test_rank_tree_roc(tree: Path) -> None:
    result = elicit(
        tree, "-m", "rank", "-n", "ranked", input="\neffect, f=feasibility\nc, a, b\nd=e\n"
    )
    assert result.exit_code == 0, result.output
    data = profile_file(tree, "ranked")
    assert data["ranking"] == ["effect", ["f", "feasibility"]] and data["rank_rule"] == "roc"
    # ROC n = 3: 11/18, 5/18, 2/18; the tie f = feasibility takes 7/36 each
    expected = {
        "c": 11 / 18 * 11 / 18,
        "a": 11 / 18 * 5 / 18,
        "b": 11 / 18 * 2 / 18,
        "d": 7 / 72,
        "e": 7 / 72,
        "f": 7 / 36,
    }
    assert weights_of(tree, "ranked") == pytest.approx(expected)


def test_rank_flat_reciprocal(tiny: Path) -> None:
    result = elicit(
        tiny, "-m", "rank", "-n", "rr", "--flat", input="reciprocal\nreach, benefit, cost\n"
    )
    assert result.exit_code == 0, result.output
    assert profile_file(tiny, "rr")["rank_rule"] == "reciprocal"
    # 1, 1/2, 1/3 normalized by 11/6
    assert weights_of(tiny, "rr") == pytest.approx(
        {"reach": 6 / 11, "benefit": 3 / 11, "cost": 2 / 11}
    )


# --- errors: exit 2, nothing written --------------------------------------------------------


def test_bad_answer_in_a_file_names_the_line_and_writes_nothing(tree: Path, tmp_path: Path) -> None:
    answers = tmp_path / "a.txt"
    answers.write_text("2\n12\n", encoding="utf-8")
    result = elicit(tree, "-m", "ahp", "-n", "bad", "--answers", str(answers))
    assert result.exit_code == 2
    assert f"{answers}: line 2: '12' is outside Saaty's scale 1/9..9" in result.stderr
    assert "nothing was written" in result.stderr and "Traceback" not in result.output
    assert not (tree / "criteria/weights/bad.yaml").exists()


@pytest.mark.parametrize(
    ("method", "answers", "message"),
    [
        ("rank", "\neffect, f\n", "<stdin>: line 2: missing feasibility"),
        ("swing", "effect, f, feasibility\n150\n", "<stdin>: line 2: 150 is outside 0..100"),
        ("ahp", "2\n4\n", "<stdin>: the answers ended before 'feasibility vs f'"),
    ],
)
def test_bad_or_missing_answers_on_stdin(
    tree: Path, method: str, answers: str, message: str
) -> None:
    result = elicit(tree, "-m", method, "-n", "bad", input=answers)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (tree / "criteria/weights/bad.yaml").exists()


def test_extra_answers_in_a_file_are_an_error(tiny: Path, tmp_path: Path) -> None:
    answers = tmp_path / "a.txt"
    answers.write_text("\nimpact, cost\nbenefit, reach\nbenefit, reach\n\n", encoding="utf-8")
    result = elicit(tiny, "-m", "rank", "-n", "extra", "--answers", str(answers))
    assert result.exit_code == 2
    assert "line 4: 1 answer(s) left after the last question" in result.stderr
    assert not (tiny / "criteria/weights/extra.yaml").exists()


def test_existing_profile_needs_force(tiny: Path) -> None:
    path = tiny / "criteria/weights/even.yaml"
    before = path.read_text(encoding="utf-8")
    result = elicit(tiny, "-m", "rank", "-n", "even", input="\nimpact, cost\nbenefit, reach\n")
    assert result.exit_code == 2
    assert "criteria/weights/even.yaml already exists; use --force" in result.stderr
    assert path.read_text(encoding="utf-8") == before
    result = elicit(
        tiny, "-m", "rank", "-n", "even", "--force", input="\nimpact, cost\nbenefit, reach\n"
    )
    assert result.exit_code == 0, result.output
    assert profile_file(tiny, "even")["method"] == "rank"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-m", "ahp", "-n", "My-Profile"], "'My-Profile' is not a valid profile id"),
        (["-m", "ahp", "-n", "p", "--answers", "nowhere.txt"], "cannot read the answers file"),
    ],
)
def test_bad_arguments(tiny: Path, args: list[str], message: str) -> None:
    result = elicit(tiny, *args, input="3\n")
    assert result.exit_code == 2 and message in result.stderr


def test_a_single_criterion_cannot_be_weighted(tmp_path: Path) -> None:
    spec = tiny_spec()
    del spec["criteria/criteria.yaml"]["groups"]
    spec["criteria/criteria.yaml"]["criteria"] = [{"id": "benefit", "name": "Benefit"}]
    spec["criteria/weights/even.yaml"]["points"] = {"benefit": 1}
    for name in ("status_quo", "alpha", "beta"):
        spec[f"options/{name}.yaml"]["scores"] = {"benefit": 3}
    del spec["options/packages.yaml"]
    result = elicit(write_workspace(tmp_path / "one", spec), "-m", "ahp", "-n", "p", input="3\n")
    assert result.exit_code == 2, result.output
    assert "--method: eliciting weights needs at least two criteria" in result.stderr


def test_a_profile_that_does_not_reload_is_rolled_back(
    tiny: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Elicitation, "profile", lambda self, name: {"method": "ahpp"})
    answers = "\nimpact, cost\nbenefit, reach\n"
    result = elicit(tiny, "-m", "rank", "-n", "new", input=answers)
    assert result.exit_code == 2
    assert "criteria/weights/new.yaml was not saved" in result.stderr
    assert "unknown method 'ahpp'" in result.stderr
    assert not (tiny / "criteria/weights/new.yaml").exists()
    path = tiny / "criteria/weights/even.yaml"
    before = path.read_bytes()
    result = elicit(tiny, "-m", "rank", "-n", "even", "--force", input=answers)
    assert result.exit_code == 2 and path.read_bytes() == before


# --- interactive use and the installed command ----------------------------------------------


def test_interactive_dialog_asks_again_after_a_bad_answer(
    tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session = Elicitation(load_workspace(tiny), "ahp", tree=False)
    answers = iter(enumerate(["12", "2", "oops", "4", "2"], 1))
    run_dialog(session, answers, scripted=False, source="<stdin>")
    err = capsys.readouterr().err
    assert "'12' is outside Saaty's scale 1/9..9; answer 1 to 9" in err and "; try again" in err
    assert err.count("benefit vs reach: ") == 2 and err.count("benefit vs cost: ") == 2
    assert session.question() is None and session.steps[0].values["benefit", "reach"] == 2
    with pytest.raises(WorkspaceError, match="the answers ended before 'impact vs cost'"):
        run_dialog(Elicitation(load_workspace(tiny), "ahp"), iter([]), False, "<stdin>")


def test_installed_command_reads_a_pipe(tiny: Path) -> None:
    exe = shutil.which("policyeval") or str(Path(__file__).parents[2] / ".venv/bin/policyeval")
    out = subprocess.run(
        [exe, "elicit", "-w", str(tiny), "-m", "ahp", "-n", "piped"],
        input="3\n-2\n",
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    shown = subprocess.run(
        [exe, "weights", "-w", str(tiny), "-p", "piped", "-f", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    # impact = 3 cost -> 3/4, 1/4; inside impact reach = 2 benefit -> 1/3, 2/3
    assert json.load(io.StringIO(shown.stdout))["weights"] == pytest.approx(
        {"benefit": 0.25, "reach": 0.5, "cost": 0.25}
    )
