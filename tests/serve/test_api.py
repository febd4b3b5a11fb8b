"""The JSON API of ``policyeval serve``, on a server started in a thread on a free port.

Expected rankings on the tiny workspace are hand computations (tests/workspaces.py):
values (benefit, reach, cost) are status_quo (0.2, 0.3, 1.0), alpha (0.8, 0.5, 0.0)
and beta (0.5, 0.9, 0.6) (cost is 'min' on its observed scale 0..10).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from workspaces import tiny_spec, write_workspace

from policyeval.errors import Issue, WorkspaceError
from policyeval.io import load_workspace
from policyeval.model import build_problem
from policyeval.ranking import rank_problem
from policyeval.sensitivity import smaa
from policyeval.serve import api
from policyeval.weighting import compute_weights

from .helpers import MEMO_DATE, call, call_json, running

EVEN = {"benefit": 1.0, "reach": 1.0, "cost": 1.0}


@pytest.fixture
def server(tiny: Path):
    with running(tiny) as srv:
        yield srv


def test_state_lists_criteria_tree_profiles_and_options(server) -> None:
    status, state = call_json(server, "/api/state")
    assert status == 200
    assert state["title"] == "Tiny decision"
    assert [c["id"] for c in state["criteria"]] == ["benefit", "reach", "cost"]
    assert [c["direction"] for c in state["criteria"]] == ["max", "max", "min"]
    assert state["groups"] == [{"id": "impact", "name": "Impact", "parent": None}]
    assert state["default_profile"] == "even"
    (even,) = state["profiles"]
    assert even["id"] == "even" and even["method"] == "points"
    assert even["weights"] == pytest.approx({c: 1 / 3 for c in EVEN})  # points 1:1:1
    assert {o["id"] for o in state["options"]} == {"status_quo", "alpha", "beta"}
    assert state["baseline"] == "status_quo"
    assert state["packages"] == [{"id": "both", "title": "Both"}]


def test_state_reports_a_profile_that_cannot_be_computed(server, monkeypatch) -> None:
    import policyeval.weighting

    def refuse(ws, profile=None):
        raise WorkspaceError([Issue("bad-weights", "cannot", "criteria/weights/even.yaml")])

    monkeypatch.setattr(policyeval.weighting, "compute_weights", refuse)
    _, state = call_json(server, "/api/state")
    (even,) = state["profiles"]
    assert even["weights"] is None
    assert even["error"] == ["criteria/weights/even.yaml: cannot"]


def test_rank_even_weights_matches_hand_computation(server) -> None:
    status, out = call_json(server, "/api/rank", {"weights": EVEN, "robustness": False})
    assert status == 200
    wsm = out["methods"]["wsm"]
    assert [r["option"] for r in wsm] == ["beta", "status_quo", "alpha"]
    scores = {r["option"]: r["score"] for r in wsm}
    assert scores == pytest.approx({"beta": 2.0 / 3, "status_quo": 0.5, "alpha": 1.3 / 3})
    assert set(out["methods"]) == {"wsm", "wpm", "topsis", "vikor", "promethee", "electre"}
    assert {r["option"] for r in out["consensus"]} == {"beta", "status_quo", "alpha"}
    assert out["agreement"]["wsm"]["wsm"] == pytest.approx(1.0)
    assert out["weights"] == pytest.approx({c: 1 / 3 for c in EVEN})
    assert out["robustness"] is None and out["bottom_line"] is None


def test_contributions_split_each_score_by_criterion(server) -> None:
    """Weight x value per criterion (values in the module doc); parts sum to the wsm score."""
    weights = {"benefit": 0.5, "reach": 0.25, "cost": 0.25}
    _, out = call_json(server, "/api/rank", {"weights": weights, "robustness": False})
    parts = out["contributions"]
    assert parts["alpha"] == pytest.approx({"benefit": 0.4, "reach": 0.125, "cost": 0.0})
    assert parts["beta"] == pytest.approx({"benefit": 0.25, "reach": 0.225, "cost": 0.15})
    assert parts["status_quo"] == pytest.approx({"benefit": 0.1, "reach": 0.075, "cost": 0.25})
    for r in out["methods"]["wsm"]:
        assert sum(parts[r["option"]].values()) == pytest.approx(r["score"])


def test_spread_draws_weights_around_the_pages(server, tiny: Path) -> None:
    """With a spread the acceptability is the pipeline's around the page's weights, so it
    moves with them; without, weights are drawn from all weights and it does not."""
    import policyeval as pe

    near = {"benefit": 0.9, "reach": 0.05, "cost": 0.05}
    out = {}
    for name, weights in (("even", EVEN), ("near", near)):
        for spread in (None, 0.3):
            body = {"weights": weights, "samples": 500, "seed": 1, "spread": spread}
            status, got = call_json(server, "/api/rank", body)
            assert status == 200, got
            out[name, spread] = got["robustness"]
    assert out["even", None]["acceptability"] == out["near", None]["acceptability"]
    assert out["even", 0.3]["acceptability"] != out["near", 0.3]["acceptability"]
    assert out["near", 0.3]["sampler_text"] == "weights within ±30% of the page's"
    a = pe.analyze(pe.load(tiny)).with_weights(near)
    report = a.sensitivity(samples=500, seed=1, spread=0.3)
    expected = dict(zip(report.smaa.options, report.smaa.acceptability.tolist()))
    assert out["near", 0.3]["acceptability"] == expected


def test_bottom_line_is_the_memos(server) -> None:
    """The page's bottom line is the memo's, word for word, for the same edited weights."""
    import json
    from urllib.parse import urlencode

    weights = {"benefit": 0.9, "reach": 0.05, "cost": 0.05}
    body = {"weights": weights, "profile": "even", "samples": 256, "seed": 0}
    status, out = call_json(server, "/api/rank", body)
    assert status == 200
    bl = out["bottom_line"]
    query = urlencode({"format": "md", "profile": "even", "weights": json.dumps(weights)})
    _, _, memo = call(server, f"/api/memo?{query}")  # the server's memo: 256 samples, seed 0
    text = memo.decode()
    assert f"**{bl['headline']}** {bl['headline_rest']}" in text
    assert "Briefing (unsaved, edited from Even)" in bl["headline"] + bl["headline_rest"]
    assert bl["verdict"] in ("firm", "qualified", "fragile")
    assert all(reason in text for reason in bl["reasons"])
    assert bl["acceptability"] in text


def test_moving_weight_to_benefit_puts_alpha_on_top(server) -> None:
    """All weight on benefit: alpha 0.8 > beta 0.5 > status quo 0.2 (hand computation)."""
    body = {"weights": {"benefit": 1, "reach": 0, "cost": 0}, "robustness": False}
    _, out = call_json(server, "/api/rank", body)
    assert [r["option"] for r in out["methods"]["wsm"]] == ["alpha", "beta", "status_quo"]


def test_rank_robustness_is_smaa_of_the_pipeline(server, tiny: Path) -> None:
    """Edited weights (no declared bounds): SMAA-2 with weights uniform on the simplex."""
    weights = {"benefit": 0.5, "reach": 0.3, "cost": 0.2}
    _, out = call_json(server, "/api/rank", {"weights": weights, "profile": "mine"})
    rob = out["robustness"]
    problem = build_problem(load_workspace(tiny))
    direct = smaa(problem, "wsm", api.SAMPLES, api.SEED)
    for i, option in enumerate(problem.options):
        assert rob["acceptability"][option] == pytest.approx(direct.acceptability[i].tolist())
        assert sum(rob["acceptability"][option]) == pytest.approx(1.0)
    assert (rob["samples"], rob["seed"], rob["sampler"]) == (api.SAMPLES, api.SEED, "uniform")
    # beta is on top at these weights: 0.5*0.5 + 0.3*0.9 + 0.2*0.6 = 0.64 (alpha 0.55, sq 0.39)
    assert rob["top"] == "beta"
    assert {w["option"] for w in rob["what_it_takes"]} == {"alpha", "status_quo"}
    lo, hi = rob["stability"]["benefit"]
    assert lo <= 0.5 <= hi
    assert "'mine'" in rob["summary"]
    # the page shows the summary in words: titles and percentages, never ids
    share = f"{direct.acceptability[problem.options.index('beta'), 0]:.0%}"
    assert rob["in_words"].startswith(f"Beta ranks first in {share} of 10,000 draws")
    assert "to put Alpha first" in rob["in_words"] or "to put Status quo first" in rob["in_words"]
    assert not any(f"'{o}'" in rob["in_words"] or "status_quo" in rob["in_words"]
                   for o in problem.options)  # fmt: skip


def test_rank_packages(server) -> None:
    _, out = call_json(server, "/api/rank", {"weights": EVEN, "packages": True})
    assert {r["option"] for r in out["methods"]["wsm"]} == {"both", "status_quo"}
    assert out["packages"] is True


@pytest.mark.parametrize(
    ("body", "code", "entry"),
    [
        ({"weights": {**EVEN, "benfit": 1}}, "unknown-criterion", "weights"),
        ({"weights": {"benefit": 1}}, "missing-weight", "weights"),
        ({"weights": {**EVEN, "cost": -1}}, "bad-weight", "weights.cost"),
        ({"weights": {**EVEN, "cost": "high"}}, "bad-weight", "weights.cost"),
        ({"weights": {c: 0 for c in EVEN}}, "bad-weight", "weights"),
        ({"weights": [1, 2, 3]}, "bad-weight", "weights"),
        ({"weights": EVEN, "packages": "yes"}, "bad-request", "packages"),
        ({"weights": EVEN, "spread": "wide"}, "bad-request", "spread"),
        ({"weights": EVEN, "spread": 1.5}, "bad-argument", "spread"),
        ([1, 2], "bad-request", ""),
    ],
)
def test_rank_rejects_bad_input_with_issues(server, body, code: str, entry: str) -> None:
    status, out = call_json(server, "/api/rank", body)
    assert status == 400
    assert out["issues"][0]["code"] == code
    assert out["issues"][0]["entry"] == entry
    assert "Traceback" not in out["error"]


def test_rank_of_packages_without_packages_is_an_error(tmp_path: Path) -> None:
    spec = tiny_spec()
    del spec["options/packages.yaml"]
    with running(write_workspace(tmp_path / "ws", spec)) as srv:
        status, out = call_json(srv, "/api/rank", {"weights": EVEN, "packages": True})
    assert status == 400
    assert "no packages" in out["error"]


def test_http_errors(server) -> None:
    assert call_json(server, "/api/rank", raw=b"{not json")[0] == 400
    status, _, _ = call(server, "/api/rank", raw=b"{}", headers={"Content-Type": "text/plain"})
    assert status == 415
    assert call_json(server, "/api/nothing")[0] == 404
    assert call_json(server, "/api/nothing", {})[0] == 404
    status, out = call_json(server, "/api/state", headers={"Host": "attacker.example:80"})
    assert status == 403 and "127.0.0.1" in out["error"]


def test_internal_errors_do_not_leak_a_traceback(server, monkeypatch) -> None:
    def boom(*args, **kwargs):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(api, "robustness", boom)
    status, out = call_json(server, "/api/rank", {"weights": EVEN})
    assert status == 500
    assert out["error"] == "internal error: RuntimeError"


def test_static_page_is_served_with_a_strict_policy(server) -> None:
    status, headers, body = call(server, "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert b'src="/app.js"' in body
    assert b'src="/charts.js"' in body
    for path, kind in (
        ("/app.js", "text/javascript"),
        ("/charts.js", "text/javascript"),
        ("/app.css", "text/css"),
    ):
        status, headers, _ = call(server, path)
        assert status == 200 and headers["Content-Type"].startswith(kind)


def test_static_files_load_nothing_from_the_network() -> None:
    from importlib import resources

    static = resources.files("policyeval.serve").joinpath("static")
    for name in ("index.html", "app.js", "charts.js", "app.css"):
        text = static.joinpath(name).read_text(encoding="utf-8")
        text = text.replace('"http://www.w3.org/2000/svg"', "")  # SVG's namespace: a name only
        assert not re.search(r"https?://|@import|url\(\s*['\"]?//", text), name


def test_save_profile_writes_a_valid_points_file(server, tiny: Path) -> None:
    weights = {"benefit": 0.5, "reach": 0.3, "cost": 0.2}
    body = {"id": "briefing_1", "name": "Briefing", "weights": weights, "source": "even"}
    status, out = call_json(server, "/api/profiles", body)
    assert status == 201
    assert out["file"] == "criteria/weights/briefing_1.yaml"
    data = yaml.safe_load((tiny / out["file"]).read_text(encoding="utf-8"))
    assert data["method"] == "points" and data["name"] == "Briefing"
    assert data["points"] == {"benefit": 50.0, "reach": 30.0, "cost": 20.0}
    ws = load_workspace(tiny)
    assert compute_weights(ws, "briefing_1").weights == pytest.approx(weights)
    _, state = call_json(server, "/api/state")
    assert "briefing_1" in {p["id"] for p in state["profiles"]}


def test_save_profile_refuses_an_existing_id_unless_overwrite(server, tiny: Path) -> None:
    path = tiny / "criteria/weights/even.yaml"
    before = path.read_text(encoding="utf-8")
    body = {"id": "even", "weights": {"benefit": 2, "reach": 1, "cost": 1}}
    status, out = call_json(server, "/api/profiles", body)
    assert status == 409 and out["issues"][0]["code"] == "profile-exists"
    assert path.read_text(encoding="utf-8") == before
    status, _ = call_json(server, "/api/profiles", {**body, "overwrite": True})
    assert status == 201
    assert compute_weights(load_workspace(tiny), "even").weights["benefit"] == pytest.approx(0.5)


@pytest.mark.parametrize("pid", ["Briefing", "1st", "a-b", "", None, "../evil"])
def test_save_profile_rejects_a_bad_id(server, tiny: Path, pid) -> None:
    status, out = call_json(server, "/api/profiles", {"id": pid, "weights": EVEN})
    assert status == 400 and out["issues"][0]["entry"] == "id"
    assert sorted(p.name for p in (tiny / "criteria/weights").iterdir()) == ["even.yaml"]


def test_save_profile_undoes_a_file_that_does_not_load(server, tiny: Path, monkeypatch) -> None:
    """If the workspace does not load with the new file, the file is removed (or restored)."""
    import policyeval.weighting

    def refuse(ws, profile=None):
        raise WorkspaceError([Issue("bad-weights", "refused", f"criteria/weights/{profile}.yaml")])

    monkeypatch.setattr(policyeval.weighting, "compute_weights", refuse)
    status, out = call_json(server, "/api/profiles", {"id": "new_one", "weights": EVEN})
    assert status == 400 and out["issues"][0]["message"] == "refused"
    assert not (tiny / "criteria/weights/new_one.yaml").exists()
    path = tiny / "criteria/weights/even.yaml"
    before = path.read_bytes()
    body = {"id": "even", "weights": EVEN, "overwrite": True}
    assert call_json(server, "/api/profiles", body)[0] == 400
    assert path.read_bytes() == before


def test_memo_of_a_profile_downloads_as_markdown(server) -> None:
    status, headers, body = call(server, "/api/memo?format=md&profile=even")
    assert status == 200
    assert headers["Content-Disposition"] == 'attachment; filename="memo-even.md"'
    assert headers["Content-Type"].startswith("text/markdown")
    text = body.decode()
    assert text.startswith("# Tiny decision")
    assert MEMO_DATE in text
    assert "_files/" not in text  # charts are inlined
    assert "data:image/svg+xml;base64," in text


def test_memo_of_edited_weights_uses_an_unsaved_profile(server) -> None:
    import json
    from urllib.parse import urlencode

    weights = {"benefit": 1, "reach": 0, "cost": 0}
    query = urlencode({"format": "html", "profile": "even", "weights": json.dumps(weights)})
    status, headers, body = call(server, f"/api/memo?{query}")
    assert status == 200
    assert headers["Content-Disposition"] == 'attachment; filename="memo-current.html"'
    assert headers["Content-Type"].startswith("text/html")
    assert "Briefing (unsaved, edited from Even)" in body.decode()


@pytest.mark.parametrize(
    ("query", "entry"),
    [("format=pdf", "format"), ("profile=nobody", "profile"), ("weights=%7Bbad", "weights")],
)
def test_memo_rejects_bad_queries(server, query: str, entry: str) -> None:
    status, out = call_json(server, f"/api/memo?{query}")
    assert status == 400
    assert out["issues"][0]["entry"] == entry


def test_shipped_case_state_and_rank(shipped: Path) -> None:
    """On the shipped case the page's wsm ranking is the one of ``rank_problem``."""
    with running(shipped) as srv:
        _, state = call_json(srv, "/api/state")
        default = next(p for p in state["profiles"] if p["id"] == state["default_profile"])
        _, out = call_json(srv, "/api/rank", {"weights": default["weights"]})
    ws = load_workspace(shipped)
    expected = rank_problem(build_problem(ws), compute_weights(ws))
    assert [r["option"] for r in out["methods"]["wsm"]] == [r.option for r in expected.rows]
    assert out["robustness"]["top"] == expected.rows[0].option
    groups = {g["id"] for g in state["groups"]}
    assert {c["group"] for c in state["criteria"]} <= groups


def test_the_pages_memo_uses_the_workspaces_own_template(tiny: Path) -> None:
    """Attack report R32: the page's memo download ignored reports/templates/ (it rendered
    the shipped memo where ``policyeval report`` used the workspace's override)."""
    own = tiny / "reports" / "templates"
    own.mkdir(parents=True)
    (own / "memo.md.j2").write_text("# Our unit's memo for {{ title }}\n")
    with running(tiny) as server:
        status, _, body = call(server, "/api/memo?format=md&profile=even")
    assert status == 200
    assert body.decode().startswith("# Our unit's memo for Tiny decision")
