"""The Python API: every result as a pandas DataFrame, a short repr and a formatted table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import policyeval as pe

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def shipped_analysis() -> pe.Analysis:
    return pe.analyze(pe.load(REPO))


def test_package_face_is_small_and_lazy() -> None:
    assert set(pe.__all__) == {"Analysis", "Weights", "WorkspaceError", "__version__", "analyze",
                               "from_skcriteria", "load", "to_skcriteria"}  # fmt: skip
    assert callable(pe.from_skcriteria) and callable(pe.to_skcriteria)
    assert set(dir(pe)) >= set(pe.__all__)


def test_every_result_is_a_frame_with_titles_and_the_json_numbers(shipped_analysis) -> None:
    a = shipped_analysis
    titles = a.titles()
    ranking = a.ranking(packages=True)
    frame = ranking.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert frame["score"].tolist() == [r["score"] for r in ranking.to_dict()["ranking"]]
    assert frame["title"].tolist() == [titles[o] for o in frame["option"]]

    weights = a.weights.to_frame()
    assert dict(zip(weights["criterion"], weights["weight"])) == a.weights.to_dict()["weights"]
    assert weights["name"].tolist() == [titles[c] for c in weights["criterion"]]

    multi = a.rankings(True)
    tidy = multi.to_frame()
    assert set(tidy["method"]) == {*multi.methods, "consensus"}
    wsm = tidy[tidy["method"] == "wsm"].set_index("option")["rank"].to_dict()
    assert wsm == {r["option"]: r["rank"] for r in multi.to_dict()["methods"]["wsm"]}

    report = a.sensitivity(samples=500, packages=True)
    acc = report.to_frame().set_index("option")["first"].to_dict()
    assert acc == {o: row[0] for o, row in report.to_dict()["acceptability"].items()}

    plan = a.portfolio()
    frame = plan.to_frame()
    assert frame.loc[frame["selected"], "option"].tolist() == sorted(
        plan.selected, key=lambda i: (-plan.added_value[i], i)
    )
    assert dict(zip(frame["option"], frame["added_value"])) == plan.to_dict()["added_value"]

    alloc = a.allocation().to_frame()
    assert alloc["amount"].sum() == pytest.approx(
        sum(r["amount"] for r in a.allocation().allocation)
    )
    assert len(a.frontier().to_frame()) == len(a.frontier().points)


def test_reprs_are_short_and_html_is_formatted(shipped_analysis) -> None:
    a = shipped_analysis
    results = [a.weights, a.ranking(), a.rankings(), a.sensitivity(samples=300), a.portfolio()]
    for r in results:
        assert len(repr(r)) < 200, repr(r)
        html = r._repr_html_()
        assert "<caption>" in html and len(html) < 20_000
    assert "%" in a.weights._repr_html_()  # weights as percentages
    first = a.ranking().rows[0].option
    assert a.titles()[first] in a.ranking()._repr_html_()
    assert len(repr(a)) < 200


def test_with_weights_and_with_scores_are_what_if_analyses(shipped_analysis) -> None:
    a = shipped_analysis
    top = a.ranking().rows[0].option
    crit = a.case.criterion_ids[0]
    only = {c: (1.0 if c == crit else 0.0) for c in a.case.criterion_ids}
    b = a.with_weights(only)
    assert b.weights.weights[crit] == 1.0 and b.profile is None
    assert b.problem() is a.problem()  # shared, not rebuilt
    scores = {f"{top}.{c}": a.case.option(top).scores[c].value for c in a.case.criterion_ids}
    same = a.with_scores(scores)
    assert same.ranking().rows[0].option == top
    worst = {
        f"{top}.{c.id}": c.scale[0] if c.direction == "max" else c.scale[1]
        for c in a.case.criteria
        if c.scale is not None
    }
    assert a.with_scores(worst).ranking().rows[0].option != top
    with pytest.raises(pe.WorkspaceError, match="no score 'nope.x'"):
        a.with_scores({"nope.x": 1})
