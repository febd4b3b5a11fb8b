"""The elicitation dialog logic (weighting/elicit.py), without any I/O."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from policyeval.weighting.ahp import ahp_weights, judgement_matrix, worst_judgement
from policyeval.weighting.elicit import (
    AhpStep,
    Elicitation,
    SwingStep,
    complete_judgements,
    elicitation_nodes,
    format_judgement,
    parse_judgement,
    parse_ranking,
    to_scale,
)


def run(session: Elicitation, answers: list[str]) -> list[str]:
    """Answer every question in turn; return all feedback lines."""
    out: list[str] = []
    for text in answers:
        assert session.question() is not None, f"no question left for {text!r}"
        out += session.answer(text)
    return out


# --- parsing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "k"),
    [("3", 3), (" 9 ", 9), ("1/3", 1 / 3), ("-3", 1 / 3), ("1", 1), ("-1", 1), ("2.5", 2.5)],
)
def test_parse_judgement_accepts_the_scale_and_its_reciprocals(text: str, k: float) -> None:
    assert parse_judgement(text) == pytest.approx(k)


@pytest.mark.parametrize("text", ["10", "1/10", "0", "-0.5", "-10", "0.1"])
def test_parse_judgement_rejects_values_outside_one_ninth_to_nine(text: str) -> None:
    with pytest.raises(ValueError, match="outside Saaty's scale 1/9..9|is not a judgement"):
        parse_judgement(text)


@pytest.mark.parametrize("text", ["", "abc", "1/0", "1/2/3", "nan", "inf"])
def test_parse_judgement_rejects_non_numbers(text: str) -> None:
    with pytest.raises(ValueError, match="is not a judgement|outside Saaty's scale"):
        parse_judgement(text)


def test_format_and_round_to_scale() -> None:
    assert [format_judgement(k) for k in (1, 7, 1 / 7, 2.5)] == ["1", "7", "1/7", "2.5"]
    # nearest on a log scale: |ln 0.4 - ln 1/3| = 0.18 < |ln 0.4 - ln 0.5| = 0.22
    assert (
        to_scale(0.4) == 1 / 3
        and to_scale(0.45) == 0.5
        and to_scale(12) == 9
        and to_scale(1.4) == 1
    )


def test_parse_ranking_with_ties() -> None:
    assert parse_ranking("c, a=b , d", ["a", "b", "c", "d"]) == [["c"], ["a", "b"], ["d"]]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a, bb, c", "'bb' is not one of a, b, c. Did you mean 'b'?"),
        ("a, b, a, c", "'a' appears twice"),
        ("a, c", "missing b"),
        ("a,, b, c", "an empty entry"),
    ],
)
def test_parse_ranking_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_ranking(text, ["a", "b", "c"])


# --- Harker completion ----------------------------------------------------------------------


def _fixed_point_completion(n: int, known: dict[tuple[int, int], float]) -> np.ndarray:
    """Independent check: iterate "fill the gaps with w_i/w_j, take the eigenvector"."""
    w = np.full(n, 1 / n)
    for _ in range(500):
        m = w[:, None] / w[None, :]
        for (i, j), k in known.items():
            m[i, j], m[j, i] = k, 1 / k
        w = ahp_weights(m).weights
    return m


def test_complete_judgements_matches_the_fixed_point_of_harker_1987() -> None:
    """Harker (1987): the eigenvector of C is that of the w_i/w_j completion."""
    items = ["a", "b", "c", "d"]
    given = [("a", "b", 3), ("a", "c", 1 / 2), ("b", "c", 1 / 4), ("c", "d", 5)]
    m = complete_judgements(items, given)
    index = {c: i for i, c in enumerate(items)}
    expected = _fixed_point_completion(4, {(index[a], index[b]): k for a, b, k in given})
    np.testing.assert_allclose(m, expected, rtol=1e-8)
    np.testing.assert_allclose(m * m.T, 1.0)  # reciprocal, diagonal 1


def test_complete_judgements_of_a_spanning_tree_is_consistent() -> None:
    """Hand computation: a = 2b and a = 4c give weights 4:2:1, hence b/c = 2, CR = 0."""
    m = complete_judgements(["a", "b", "c"], [("a", "b", 2), ("a", "c", 4)])
    assert m[1, 2] == pytest.approx(2.0)
    r = ahp_weights(m)
    np.testing.assert_allclose(r.weights, [4 / 7, 2 / 7, 1 / 7])
    assert r.cr == pytest.approx(0.0, abs=1e-9)


@given(
    w=st.lists(st.floats(0.5, 4.0), min_size=3, max_size=6),
    extra=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), max_size=6),
)
def test_complete_judgements_recovers_weights_from_consistent_answers(w, extra) -> None:
    """Consistent judgements w_i/w_j on any linked subset: completion gives w back, CR 0."""
    n = len(w)
    items = [f"c{i}" for i in range(n)]
    pairs = {(0, j) for j in range(1, n)} | {(i, j) for i, j in extra if i < j < n}
    m = complete_judgements(items, [(items[i], items[j], w[i] / w[j]) for i, j in pairs])
    r = ahp_weights(m)
    np.testing.assert_allclose(r.weights, np.array(w) / sum(w), rtol=1e-8)
    assert r.cr == pytest.approx(0.0, abs=1e-8)


def test_complete_judgements_leaves_a_complete_matrix_unchanged() -> None:
    pairs = [("a", "b", 3), ("a", "c", 1 / 5), ("b", "c", 7)]
    full = judgement_matrix(["a", "b", "c"], pairs)
    np.testing.assert_allclose(complete_judgements(["a", "b", "c"], pairs), full)


def test_complete_judgements_needs_linked_items() -> None:
    with pytest.raises(ValueError, match="do not yet link every item"):
        complete_judgements(["a", "b", "c", "d"], [("a", "b", 2), ("c", "d", 2)])


# --- AHP step -------------------------------------------------------------------------------


def test_ahp_step_consistent_judgements_saaty_example() -> None:
    """a = 2b = 4c is perfectly consistent: weights 4/7, 2/7, 1/7, CR 0 (hand computation)."""
    step = AhpStep(None, ("a", "b", "c"))
    assert step.question().text == "a vs b"
    assert step.answer("2") == []  # one judgement does not link three items
    assert step.answer("4")[0].startswith("  CR so far 0.000")
    assert step.question().text == "b vs c"
    assert step.answer("2") == ["  CR 0.000: consistent (at most 0.10)"]
    assert step.question() is None
    assert step.weights() == pytest.approx({"a": 4 / 7, "b": 2 / 7, "c": 1 / 7})
    assert step.entries() == {"pairwise": [["a", "b", 2], ["a", "c", 4], ["b", "c", 2]]}


def test_ahp_step_cr_so_far_is_the_cr_of_the_harker_completion() -> None:
    items = ("a", "b", "c", "d")
    step = AhpStep(None, items)
    answers = ["9", "1/2", "2", "9"]  # a = 9b and c = 2a, yet b = 9c
    for text in answers:
        feedback = step.answer(text)
    given = [(a, b, parse_judgement(t)) for (a, b), t in zip(step.pairs, answers)]
    cr = ahp_weights(complete_judgements(items, given)).cr
    assert cr > 0.5
    assert feedback == [f"  CR so far {cr:.3f} (missing pairs estimated from your answers)"]


# consistent weights 8:4:2:1 except "c vs d": d is 5 times as important as c
INCONSISTENT = ["2", "4", "8", "2", "4", "1/5"]


def test_ahp_step_proposes_the_revision_of_worst_judgement_rounded_to_the_scale() -> None:
    step = AhpStep(None, ("a", "b", "c", "d"))
    for text in INCONSISTENT[:-1]:
        step.answer(text)
    feedback = step.answer(INCONSISTENT[-1])
    m = judgement_matrix(step.items, step.judgements())
    cr = ahp_weights(m).cr
    assert cr > 0.10 and feedback == [f"  CR {cr:.3f}: above 0.10, the judgements are inconsistent"]
    rev = worst_judgement(m, step.items)
    assert (rev.a, rev.b) == ("c", "d")
    q = step.question()
    k = to_scale(rev.suggested)
    assert k == 2  # the judgement consistent with the other five
    assert f"c vs d = 1/5. Revising it to 2 would lower CR from {cr:.3f} to 0.000" in q.text
    assert step.answer("y")[:2] == [
        "  c vs d revised from 1/5 to 2",
        "  CR 0.000: consistent (at most 0.10)",
    ]
    assert step.question() is None
    assert step.weights() == pytest.approx({"a": 8 / 15, "b": 4 / 15, "c": 2 / 15, "d": 1 / 15})


def test_ahp_step_keep_or_give_another_value() -> None:
    step = AhpStep(None, ("a", "b", "c", "d"))
    for text in INCONSISTENT:
        step.answer(text)
    with pytest.raises(ValueError, match="answer y, n or a judgement value"):
        step.answer("maybe")
    assert step.answer("3")[0] == "  c vs d revised from 1/5 to 3"
    assert step.values["c", "d"] == 3 and step.question() is None  # CR fine with 3 as well
    kept = AhpStep(None, ("a", "b", "c", "d"))
    for text in INCONSISTENT:
        kept.answer(text)
    assert "kept: CR 0.269 is above 0.10" in kept.answer("n")[0]
    assert kept.question() is None and kept.values["c", "d"] == pytest.approx(1 / 5)


def test_ahp_step_of_two_items_has_no_cr() -> None:
    step = AhpStep("g", ("a", "b"))
    assert step.answer("-4") == []
    assert step.entries() == {"pairwise": [["a", "b", "1/4"]]}
    assert step.summary() == ["  weights: a 0.200, b 0.800"]


# --- SWING and rank steps -------------------------------------------------------------------


def test_swing_step_ranks_then_rates_against_the_best() -> None:
    """von Winterfeldt & Edwards (1986): weights are the ratings normalized (hand computed)."""
    step = SwingStep(None, ("a", "b", "c", "d"))
    assert step.question().text == "Rank the swings of a, b, c, d, most valued first"
    step.answer("c, a=b, d")
    assert step.question().text == "Swing of a, against the swing of c = 100 (0-100)"
    step.answer("60")
    with pytest.raises(ValueError, match=r"outside 0..100: 100 is the best"):
        step.answer("120")
    step.answer("80")  # tied with a in the ranking: not capped by a's rating
    with pytest.raises(ValueError, match=r"outside 0..60: you ranked a \(60\) above it"):
        step.answer("70")
    with pytest.raises(ValueError, match="is not a number"):
        step.answer("lots")
    step.answer("20.5")
    assert step.question() is None
    assert step.entries() == {"swing": {"c": 100, "a": 60, "b": 80, "d": 20.5}}
    total = 100 + 60 + 80 + 20.5
    assert step.weights() == pytest.approx(
        {"a": 60 / total, "b": 80 / total, "c": 100 / total, "d": 20.5 / total}
    )


def test_rank_elicitation_roc_with_ties_barron_barrett_1996(flat) -> None:
    """ROC for n = 4: slots 25/48, 13/48, 7/48, 3/48; a tie takes the mean of its slots."""
    e = Elicitation(flat(4), "rank")
    assert run(e, ["", "b, a=d, c"]) == ["  weights: a 0.208, b 0.521, c 0.062, d 0.208"]
    p = e.profile("Mine")
    assert p["ranking"] == ["b", ["a", "d"], "c"] and p["rank_rule"] == "roc"


def test_rank_elicitation_other_rule_and_bad_rule(flat) -> None:
    e = Elicitation(flat(3), "rank")
    with pytest.raises(ValueError, match="unknown rank rule 'rank_summ'. Did you mean 'rank_sum'"):
        e.answer("rank_summ")
    run(e, ["rank_sum", "c, b, a"])
    assert e.steps[0].weights() == pytest.approx({"a": 1 / 6, "b": 2 / 6, "c": 3 / 6})
    assert e.profile("x")["rank_rule"] == "rank_sum"


# --- the tree and the whole dialog ----------------------------------------------------------


@pytest.fixture
def flat(make_ws):
    """A workspace of ``n`` ungrouped criteria a, b, c..."""
    return lambda n: make_ws(list("abcdefgh"[:n]), [])


@pytest.fixture
def tree(make_ws):
    # top: prevention, control, f; prevention: a, b, deep; deep: c, d; control: e (single child)
    groups = {"prevention": None, "control": None, "deep": "prevention"}
    crits = {
        "a": "prevention",
        "b": "prevention",
        "c": "deep",
        "d": "deep",
        "e": "control",
        "f": None,
    }
    return make_ws(crits, [], groups)


def test_elicitation_nodes_top_down_level_by_level(tree) -> None:
    ws = tree
    assert elicitation_nodes(ws) == [
        (None, ("prevention", "control", "f")),
        ("prevention", ("deep", "a", "b")),
        ("deep", ("c", "d")),
    ]  # control has a single child: no question, its weight passes to e
    assert elicitation_nodes(ws, tree=False) == [(None, ("a", "b", "c", "d", "e", "f"))]


def test_elicitation_tree_builds_a_hierarchical_profile(tree) -> None:
    e = Elicitation(tree, "swing")
    q = e.question()
    assert q.intro[1] == "Top level, step 1 of 3:"
    run(e, ["prevention, f, control", "50", "25"])
    assert e.question().intro[1] == "Inside group prevention (prevention), step 2 of 3:"
    run(e, ["a, deep=b", "40", "30", "d, c", "10"])
    assert e.question() is None
    assert e.profile("Swing panel") == {
        "name": "Swing panel",
        "method": "swing",
        "description": "Elicited with policyeval elicit (swing, group by group).",
        "swing": {"prevention": 100, "f": 50, "control": 25},
        "local": {
            "prevention": {"method": "swing", "swing": {"a": 100, "deep": 40, "b": 30}},
            "deep": {"method": "swing", "swing": {"d": 100, "c": 10}},
        },
    }


def test_elicitation_errors(flat) -> None:
    with pytest.raises(ValueError, match="cannot elicit 'bwm'; choices: ahp, swing, rank"):
        Elicitation(flat(3), "bwm")
    with pytest.raises(ValueError, match="at least two criteria"):
        Elicitation(flat(1), "ahp")
    e = Elicitation(flat(2), "ahp")
    with pytest.raises(ValueError, match="not finished"):
        e.profile("x")
    run(e, ["3"])
    with pytest.raises(ValueError, match="every question is answered already"):
        e.answer("3")
