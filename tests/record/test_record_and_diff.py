"""decision.json, ``policyeval diff`` and its attribution, ``report --since``."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner
from workspaces import tiny_spec, write_workspace

import policyeval as pe
from policyeval.cli.app import app
from policyeval.diff import diff, outcome
from policyeval.io import load_workspace

runner = CliRunner()
REPO = Path(__file__).resolve().parents[2]
A2 = "options/a2_migrant_integration.yaml"
SCORE = "a2_migrant_integration.recruitment_migrants"


def run(*args: str):
    return runner.invoke(app, list(args))


def shipped_copy(root: Path) -> Path:
    root.mkdir(parents=True)
    for sub in ("criteria", "options"):
        shutil.copytree(REPO / sub, root / sub)
    return root


def set_score(ws: Path, rel: str, criterion: str, value: float, low: float, high: float) -> None:
    import yaml

    path = ws / rel
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["scores"][criterion].update(value=value, low=low, high=high)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


@pytest.fixture(scope="module")
def changed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped case with a2's recruitment_migrants score cut from 7 (5-8) to 1 (0-2)."""
    ws = shipped_copy(tmp_path_factory.mktemp("changed") / "ws")
    set_score(ws, A2, "recruitment_migrants", 1, 0, 2)
    return ws


# --------------------------------------------------------------------- decision record


def test_decision_json_is_byte_identical_and_holds_the_pipeline_results(tiny: Path) -> None:
    args = ["report", "-w", str(tiny), "--date", "2026-01-01", "--samples", "2000"]
    first = run(*args, "--out", str(tiny / "r1"))
    second = run(*args, "--out", str(tiny / "r2"))
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert "decision.json" in first.stdout
    raw = (tiny / "r1" / "decision.json").read_bytes()
    assert raw == (tiny / "r2" / "decision.json").read_bytes()
    rec = json.loads(raw)
    a = pe.analyze(pe.load(tiny))
    assert rec["schema_version"] == "1"
    assert rec["files"] == dict(a.case.digests)
    assert rec["settings"]["date"] == "2026-01-01" and rec["settings"]["samples"] == 2000
    assert rec["settings"]["templates"] == ["memo"] and rec["settings"]["formats"] == ["md"]
    verdict = json.loads(json.dumps(a.verdict(samples=2000, seed=0).to_dict()))
    assert rec["results"]["verdict"] == verdict
    wsm = a.rankings(True).to_dict()["methods"]["wsm"]
    assert rec["results"]["rankings"]["packages"]["methods"]["wsm"] == wsm
    ns = rec["results"]["next_steps"]
    assert ns["evpi"] == a.value_of_information(2000, 0, "fixed", "packages").evpi
    # the memo prints what the record holds
    memo = (tiny / "r1" / "memo.md").read_text()
    assert "## What to find out next" in memo and ns["summary"] in memo


def test_a_record_that_is_not_one_is_an_input_error(tmp_path: Path, tiny: Path) -> None:
    bad = tmp_path / "decision.json"
    bad.write_text('{"schema_version": "1"}')
    res = run("diff", str(bad), str(tiny))
    assert res.exit_code == 2 and "not a policyeval decision record" in res.stderr
    assert str(bad) in res.stderr and "Traceback" not in res.output


# --------------------------------------------------------------------- diff


def test_diff_of_a_workspace_with_itself_is_empty() -> None:
    d = diff(REPO, REPO, samples=2000)
    assert d.empty and d.inputs == () and d.results == () and d.attribution is None
    res = run("diff", str(REPO), str(REPO), "--samples", "2000", "--format", "json")
    data = json.loads(res.stdout)
    assert data["inputs"] == [] and data["results"] == [] and data["attribution"] is None


def test_diff_names_the_score_its_rank_changes_and_attributes_the_change(changed: Path) -> None:
    d = diff(REPO, changed, samples=2000)
    assert [(c.kind, c.key, c.group) for c in d.inputs] == [("score", SCORE, A2)]
    assert d.inputs[0].old == {"value": 7.0, "low": 5.0, "high": 8.0}
    assert d.inputs[0].new == {"value": 1.0, "low": 0.0, "high": 2.0}
    # every wsm rank change of the options, computed independently
    old = {r.option: r.rank for r in pe.analyze(pe.load(REPO)).ranking().rows}
    new = {r.option: r.rank for r in pe.analyze(pe.load(changed)).ranking().rows}
    expected = {o: (old[o], new[o]) for o in old if old[o] != new[o]}
    assert expected  # the change moves ranks
    got = {
        c.key.split(".")[-1]: (c.old, c.new) for c in d.results if c.key.startswith("options.wsm.")
    }
    assert got == expected
    at = d.attribution
    before, after = outcome(load_workspace(REPO), None), outcome(load_workspace(changed), None)
    assert (at.old, at.new, at.together) == (before, after, after)
    assert after.value != before.value
    [g] = at.groups
    assert g.group == A2 and g.alone == after and g.without == before
    assert g.shapley == pytest.approx(after.value - before.value, abs=1e-12)


def test_shapley_shares_sum_to_the_total_change(tmp_path: Path, changed: Path) -> None:
    both = shipped_copy(tmp_path / "both")
    set_score(both, A2, "recruitment_migrants", 1, 0, 2)
    d1 = "options/d1_csto_sco_joint_framework.yaml"
    set_score(both, d1, "regional_cooperation", 2, 1, 3)
    only_d1 = shipped_copy(tmp_path / "only_d1")
    set_score(only_d1, d1, "regional_cooperation", 2, 1, 3)
    d = diff(REPO, both, samples=500)
    at = d.attribution
    assert [g.group for g in at.groups] == [A2, d1]
    f = {
        (): outcome(load_workspace(REPO), None).value,
        (A2,): outcome(load_workspace(changed), None).value,
        (d1,): outcome(load_workspace(only_d1), None).value,
        (A2, d1): outcome(load_workspace(both), None).value,
    }
    phi_a2 = 0.5 * ((f[(A2,)] - f[()]) + (f[(A2, d1)] - f[(d1,)]))
    phi_d1 = 0.5 * ((f[(d1,)] - f[()]) + (f[(A2, d1)] - f[(A2,)]))
    shares = {g.group: g.shapley for g in at.groups}
    assert shares[A2] == pytest.approx(phi_a2, abs=1e-12)
    assert shares[d1] == pytest.approx(phi_d1, abs=1e-12)
    assert sum(shares.values()) == pytest.approx(f[(A2, d1)] - f[()], abs=1e-12)
    assert at.change == pytest.approx(f[(A2, d1)] - f[()], abs=1e-12)


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=t@example.org", "-c", "user.name=t", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def test_diff_against_a_git_revision(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    ws = write_workspace(repo / "case", tiny_spec())
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "first")
    git(repo, "tag", "v1")
    set_score(ws, "options/alpha.yaml", "benefit", 3, 2, 4)
    git(repo, "commit", "-qam", "second")
    for args in (["HEAD~1", "HEAD"], ["v1"]):
        res = run("diff", *args, "-w", str(ws), "--samples", "500", "--format", "json")
        assert res.exit_code == 0, res.output
        data = json.loads(res.stdout)
        assert [(c["kind"], c["key"]) for c in data["inputs"]] == [("score", "alpha.benefit")]
        assert data["inputs"][0]["new"] == {"value": 3.0, "low": 2.0, "high": 4.0}
        assert data["attribution"]["groups"][0]["group"] == "options/alpha.yaml"
    res = run("diff", "HEAD", "HEAD", "-w", str(ws), "--samples", "500", "--format", "json")
    assert json.loads(res.stdout)["inputs"] == []
    res = run("diff", "no-such-rev", "-w", str(ws))
    assert res.exit_code == 2 and "no-such-rev" in res.stderr and "Traceback" not in res.output


def test_report_since_adds_the_section(tiny: Path, tmp_path: Path) -> None:
    older = write_workspace(tmp_path / "older", tiny_spec())
    set_score(older, "options/alpha.yaml", "benefit", 3, 2, 4)
    args = ["report", "-w", str(tiny), "--date", "2026-01-01", "--samples", "500", "-f", "md,html"]
    res = run(*args, "--since", str(older), "--out", str(tmp_path / "with"))
    assert res.exit_code == 0, res.output
    memo = (tmp_path / "with" / "memo.md").read_text()
    assert "## What changed since the last version" in memo
    assert "alpha.benefit: 3 (2–4) → 8 (6–9)" in memo
    html = (tmp_path / "with" / "memo.html").read_text()
    assert "<h2>What changed since the last version</h2>" in html
    rec = json.loads((tmp_path / "with" / "decision.json").read_text())
    assert rec["results"]["since"]["inputs"][0]["key"] == "alpha.benefit"
    res = run(*args, "--out", str(tmp_path / "without"))
    assert "What changed" not in (tmp_path / "without" / "memo.md").read_text()
