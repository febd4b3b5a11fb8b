"""Eliciting a weight profile question by question (``policyeval elicit``).

The dialog logic is pure: an :class:`Elicitation` gives the next
:class:`Question`, takes the answer as text (raising ``ValueError`` with the
reason when it cannot be used), returns feedback lines, and finally builds the
profile as a dict in the ``criteria/weights/NAME.yaml`` format. The command
line only prints and reads.

Value tree: with ``tree=True`` the top-level items (groups and ungrouped
criteria) are weighted first, then the children inside each group, level by
level; the profile gets one ``local:`` entry per group with two or more
children (a group with one child passes its whole weight to it). Without
groups, or with ``tree=False``, every criterion is weighted at once.

AHP feedback: the consistency ratio is shown after each judgement once the
judgements given link every item (with the question order used, after the
first ``n - 1`` answers). Until the matrix is complete, the missing pairs are
filled with their consistent estimate ``w_i/w_j`` from Harker's eigenvector
(:func:`complete_judgements`), so "CR so far" is the CR of the most consistent
completion of the answers given. When the complete matrix has CR above 0.10,
the judgement whose revision most lowers CR (:func:`~policyeval.weighting.ahp.worst_judgement`)
is proposed, rounded to the 1-9 scale, until CR is at most 0.10 or the user
keeps the judgements (the profile then carries the CR warning).
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import combinations
from typing import Any

import numpy as np

from policyeval.errors import did_you_mean
from policyeval.model import Workspace
from policyeval.weighting.ahp import CR_THRESHOLD, ahp_weights, judgement_matrix, worst_judgement
from policyeval.weighting.direct import swing_weights
from policyeval.weighting.rank import RANK_RULES, rank_weights

#: Methods that can be elicited.
ELICIT_METHODS = ("ahp", "swing", "rank")

#: Saaty's 1-9 scale and its reciprocals, ascending.
SAATY_SCALE = tuple([1 / k for k in range(9, 1, -1)] + [float(k) for k in range(1, 10)])

INTRO = {
    "ahp": (
        "AHP pairwise comparisons. For each pair 'a vs b': how many times as important is a as b?",
        "  1 equal, 3 moderately, 5 strongly, 7 very strongly, 9 extremely more important",
        "  (2, 4, 6, 8 in between); 1/3 or -3 when b is 3 times as important as a.",
        f"  The consistency ratio (CR) is shown as you answer; above {CR_THRESHOLD:.2f} the",
        "  judgement that most lowers it is proposed for revision.",
    ),
    "swing": (
        "SWING weights. Imagine every criterion at its worst level. Which swing from worst to",
        "  best would you value most? Rank the swings (ids separated by commas, most valued",
        "  first, ties with '='), then rate each other swing from 0 to 100 against the best (100).",
    ),
    "rank": (
        "Ranking (ROC). Order the items from most to least important: ids separated by commas,",
        "  ties with '=' (e.g. 'a, b=c, d'). Weights follow from the ranks by the rank rule.",
    ),
}


@dataclass(frozen=True, slots=True)
class Question:
    """One question: its text, and lines to show before it (a step's header)."""

    text: str
    intro: tuple[str, ...] = ()


def parse_judgement(text: str) -> float:
    """An AHP judgement "a is k times as important as b" from ``3``, ``1/3``, ``-3`` or ``2.5``.

    ``-k`` (k >= 1) means ``1/k``: b is k times as important as a.

    Raises
    ------
    ValueError
        When the text is not a number or lies outside Saaty's 1/9..9.

    Examples
    --------
    >>> parse_judgement("3"), parse_judgement("1/4"), parse_judgement("-2"), parse_judgement("-1")
    (3.0, 0.25, 0.5, 1.0)
    """
    s = text.strip()
    hint = "answer 1 to 9 (e.g. 3), or 1/3 or -3 when the second item is more important"
    try:
        if "/" in s:
            num, den = s.split("/")
            k = float(num) / float(den)
        else:
            k = float(s)
            if k <= -1:
                k = -1 / k
    except (ValueError, ZeroDivisionError) as err:
        raise ValueError(f"'{s}' is not a judgement; {hint}") from err
    if not math.isfinite(k) or not 1 / 9 - 1e-9 <= k <= 9 + 1e-9:
        raise ValueError(f"'{s}' is outside Saaty's scale 1/9..9; {hint}")
    return k


def format_judgement(k: float) -> str:
    """A judgement as people write it: ``3``, ``1/3`` or ``2.5``.

    Examples
    --------
    >>> format_judgement(3.0), format_judgement(1 / 3), format_judgement(0.4375)
    ('3', '1/3', '0.438')
    """
    for n in range(1, 10):
        if math.isclose(k, n):
            return str(n)
        if math.isclose(k, 1 / n):
            return f"1/{n}"
    return f"{k:.3g}"


def _yaml_judgement(k: float) -> int | float | str:
    text = format_judgement(k)
    if "/" in text:
        return text
    return int(text) if text.isdigit() else round(k, 4)


def to_scale(k: float) -> float:
    """The value of Saaty's scale (1/9..9) nearest to ``k`` on a log scale.

    Examples
    --------
    >>> to_scale(0.45), to_scale(2.8)
    (0.5, 3.0)
    """
    logs = np.log(SAATY_SCALE)
    return SAATY_SCALE[int(np.argmin(np.abs(logs - np.log(k))))]


def parse_ranking(text: str, items: Sequence[str]) -> list[list[str]]:
    """A ranking ``"a, b=c, d"`` as tiers ``[["a"], ["b", "c"], ["d"]]``; every item once.

    Raises
    ------
    ValueError
        For an unknown, repeated or missing item.

    Examples
    --------
    >>> parse_ranking("b, a = c", ["a", "b", "c"])
    [['b'], ['a', 'c']]
    """
    tiers = [[x.strip() for x in part.split("=")] for part in text.split(",")]
    seen: list[str] = []
    for name in (x for tier in tiers for x in tier):
        if name not in items:
            what = f"'{name}' is not one of {', '.join(items)}" if name else "an empty entry"
            raise ValueError(f"{what}.{did_you_mean(name, items)}")
        if name in seen:
            raise ValueError(f"'{name}' appears twice; give each item once")
        seen.append(name)
    missing = [c for c in items if c not in seen]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}; rank every item: {', '.join(items)}")
    return tiers


def _connected(n: int, edges: Iterable[tuple[int, int]]) -> bool:
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, j in edges:
        parent[root(i)] = root(j)
    return len({root(i) for i in range(n)}) == 1


def complete_judgements(items: Sequence[str], pairwise: Iterable[Sequence]) -> np.ndarray:
    """Fill the missing judgements with their consistent estimate (Harker's method).

    Harker's matrix ``C`` has the given judgements, 0 for missing ones and
    ``1 + (missing in row i)`` on the diagonal; its principal eigenvector ``w``
    is also the eigenvector of the matrix completed with ``w_i/w_j``, which is
    returned (so its CR is the CR of the answers given, at their most
    consistent completion).

    Raises
    ------
    ValueError
        When the judgements do not link every item.

    References
    ----------
    Harker, P. T. (1987). Incomplete pairwise comparisons in the analytic
    hierarchy process. *Mathematical Modelling*, 9(11), 837-848.

    Examples
    --------
    >>> complete_judgements(["a", "b", "c"], [("a", "b", 2), ("a", "c", 4)]).round(3).tolist()
    [[1.0, 2.0, 4.0], [0.5, 1.0, 2.0], [0.25, 0.5, 1.0]]
    """
    index = {c: i for i, c in enumerate(items)}
    n = len(items)
    known = np.zeros((n, n))
    for a, b, k in pairwise:
        i, j = index[a], index[b]
        known[i, j], known[j, i] = float(k), 1.0 / float(k)
    if not _connected(n, zip(*np.nonzero(known))):
        raise ValueError("the judgements given do not yet link every item")
    missing = (known == 0).sum(axis=1) - 1  # the diagonal is 0 in `known` too
    harker = known + np.diag(1.0 + missing)
    values, vectors = np.linalg.eig(harker)
    w = np.abs(vectors[:, int(np.argmax(values.real))].real)
    return np.where(known > 0, known, w[:, None] / w[None, :])


def _weights_line(weights: dict[str, float], extra: str = "") -> str:
    text = ", ".join(f"{c} {w:.3f}" for c, w in weights.items())
    return f"  weights: {text}{extra}"


class _Step(ABC):
    """The questions of one tree node."""

    def __init__(self, node: str | None, items: tuple[str, ...]) -> None:
        self.node = node
        self.items = items

    @abstractmethod
    def question(self) -> Question | None:
        """The next question at this node, or None when the node is complete."""

    @abstractmethod
    def answer(self, text: str) -> list[str]:
        """Take an answer (``ValueError`` when it cannot be used); return feedback lines."""

    @abstractmethod
    def entries(self) -> dict[str, Any]:
        """The node's profile entries, e.g. ``{"pairwise": [...]}``."""

    @abstractmethod
    def weights(self) -> dict[str, float]:
        """The local weights of the node's items."""

    def summary(self) -> list[str]:
        """Feedback once the step is complete."""
        return [_weights_line(self.weights())]


class AhpStep(_Step):
    """Pairwise judgements at one node, with CR feedback and suggested revisions."""

    def __init__(self, node: str | None, items: tuple[str, ...]) -> None:
        super().__init__(node, items)
        self.pairs = list(combinations(items, 2))
        self.values: dict[tuple[str, str], float] = {}
        self.proposal: tuple[str, str, float, float] | None = None  # a, b, k, CR after

    def judgements(self) -> list[tuple[str, str, float]]:
        """The judgements given, as ``(a, b, k)``."""
        return [(a, b, k) for (a, b), k in self.values.items()]

    def cr(self) -> float:
        """Saaty's CR of the complete judgement matrix."""
        return ahp_weights(judgement_matrix(self.items, self.judgements())).cr

    def question(self) -> Question | None:
        if len(self.values) < len(self.pairs):
            a, b = self.pairs[len(self.values)]
            return Question(f"{a} vs {b}")
        if self.proposal is not None:
            a, b, k, after = self.proposal
            now = format_judgement(self.values[a, b])
            return Question(
                f"Most inconsistent judgement: {a} vs {b} = {now}. Revising it to "
                f"{format_judgement(k)} would lower CR from {self.cr():.3f} to {after:.3f}.\n"
                f"Revise? y = use {format_judgement(k)}, n = keep my judgements, "
                f"or give another value for {a} vs {b}"
            )
        return None

    def answer(self, text: str) -> list[str]:
        if len(self.values) < len(self.pairs):
            self.values[self.pairs[len(self.values)]] = parse_judgement(text)
            if len(self.values) < len(self.pairs):
                return self._so_far()
            return self._check()
        assert self.proposal is not None
        a, b, k, _ = self.proposal
        reply = text.strip().lower()
        if reply in ("n", "no"):
            self.proposal = None
            return [
                f"  kept: CR {self.cr():.3f} is above {CR_THRESHOLD:.2f}; the profile will carry "
                "a warning"
            ]
        if reply not in ("y", "yes"):
            try:
                k = parse_judgement(reply)
            except ValueError as err:
                raise ValueError(f"answer y, n or a judgement value: {err}") from err
        old = self.values[a, b]
        self.values[a, b] = k
        revised = f"  {a} vs {b} revised from {format_judgement(old)} to {format_judgement(k)}"
        return [revised, *self._check()]

    def _so_far(self) -> list[str]:
        if len(self.items) < 3:
            return []
        try:
            m = complete_judgements(self.items, self.judgements())
        except ValueError:
            return []
        return [f"  CR so far {ahp_weights(m).cr:.3f} (missing pairs estimated from your answers)"]

    def _check(self) -> list[str]:
        """CR of the complete matrix; propose a revision when it is too high."""
        self.proposal = None
        if len(self.items) < 3:
            return []
        m = judgement_matrix(self.items, self.judgements())
        cr = ahp_weights(m).cr
        if cr <= CR_THRESHOLD:
            return [f"  CR {cr:.3f}: consistent (at most {CR_THRESHOLD:.2f})"]
        rev = worst_judgement(m, self.items)
        i, j = self.items.index(rev.a), self.items.index(rev.b)
        for k in (to_scale(rev.suggested), round(rev.suggested, 3)):
            trial = m.copy()
            trial[i, j], trial[j, i] = k, 1 / k
            after = ahp_weights(trial).cr
            if after < cr and not math.isclose(k, rev.current):
                self.proposal = (rev.a, rev.b, k, after)
                return [f"  CR {cr:.3f}: above {CR_THRESHOLD:.2f}, the judgements are inconsistent"]
        return [
            f"  CR {cr:.3f}: above {CR_THRESHOLD:.2f}, and no single revision lowers it; "
            "the profile will carry a warning"
        ]

    def entries(self) -> dict[str, Any]:
        return {"pairwise": [[a, b, _yaml_judgement(k)] for a, b, k in self.judgements()]}

    def weights(self) -> dict[str, float]:
        r = ahp_weights(judgement_matrix(self.items, self.judgements()))
        return dict(zip(self.items, r.weights.tolist()))

    def summary(self) -> list[str]:
        extra = f" (CR {self.cr():.3f})" if len(self.items) > 2 else ""
        return [_weights_line(self.weights(), extra)]


class SwingStep(_Step):
    """Rank the swings, then rate each against the most valued one (100)."""

    def __init__(self, node: str | None, items: tuple[str, ...]) -> None:
        super().__init__(node, items)
        self.tiers: list[list[str]] | None = None
        self.ratings: dict[str, float] = {}

    def _pending(self) -> str | None:
        assert self.tiers is not None
        return next((c for t in self.tiers for c in t if c not in self.ratings), None)

    def question(self) -> Question | None:
        if self.tiers is None:
            return Question(f"Rank the swings of {', '.join(self.items)}, most valued first")
        item = self._pending()
        if item is None:
            return None
        best = self.tiers[0][0]
        return Question(f"Swing of {item}, against the swing of {best} = 100 (0-100)")

    def answer(self, text: str) -> list[str]:
        if self.tiers is None:
            self.tiers = parse_ranking(text, self.items)
            self.ratings = dict.fromkeys(self.tiers[0], 100)
            return []
        item = self._pending()
        try:
            r = float(text.strip())
        except ValueError as err:
            raise ValueError(f"'{text.strip()}' is not a number; rate from 0 to 100") from err
        level = next(i for i, t in enumerate(self.tiers) if item in t)
        above = [(c, self.ratings[c]) for t in self.tiers[:level] for c in t]
        cap_item, cap = min(above, key=lambda x: x[1])
        if not 0 <= r <= cap:
            why = f"you ranked {cap_item} ({cap:g}) above it" if cap < 100 else "100 is the best"
            raise ValueError(f"{text.strip()} is outside 0..{cap:g}: {why}")
        self.ratings[item] = int(r) if r.is_integer() else r
        return []

    def entries(self) -> dict[str, Any]:
        return {"swing": dict(self.ratings)}

    def weights(self) -> dict[str, float]:
        return swing_weights({c: self.ratings[c] for c in self.items})


class RankStep(_Step):
    """One ranking of the node's items (ties allowed)."""

    def __init__(self, node: str | None, items: tuple[str, ...], rule: str = "roc") -> None:
        super().__init__(node, items)
        self.rule = rule
        self.tiers: list[list[str]] | None = None

    def question(self) -> Question | None:
        if self.tiers is None:
            return Question(f"Rank {', '.join(self.items)}, most important first")
        return None

    def answer(self, text: str) -> list[str]:
        self.tiers = parse_ranking(text, self.items)
        return []

    def entries(self) -> dict[str, Any]:
        assert self.tiers is not None
        ranking = [t[0] if len(t) == 1 else t for t in self.tiers]
        return {"ranking": ranking, "rank_rule": self.rule}

    def weights(self) -> dict[str, float]:
        w = rank_weights(self.entries()["ranking"], self.rule)
        return {c: w[c] for c in self.items}


def elicitation_nodes(ws: Workspace, tree: bool = True) -> list[tuple[str | None, tuple[str, ...]]]:
    """The nodes to weigh, top-down: ``(group or None for the top, items)``.

    With ``tree`` and groups, the top level's children, then inside each group
    with two or more children, level by level; otherwise all criteria at once
    (also when the top level has a single child).

    Examples
    --------
    >>> from pathlib import Path
    >>> from policyeval.model import Criterion, Group
    >>> crits = (Criterion("a", "A", group="g"), Criterion("b", "B", group="g"),
    ...          Criterion("c", "C"))
    >>> ws = Workspace(Path("."), "t", crits, (Group("g", "G"),), (), {})
    >>> elicitation_nodes(ws), elicitation_nodes(ws, tree=False)
    ([(None, ('g', 'c')), ('g', ('a', 'b'))], [(None, ('a', 'b', 'c'))])
    """
    top = tuple(ws.children(None))
    if not tree or not ws.groups or len(top) < 2:
        return [(None, tuple(ws.leaves(None)))]
    groups = {g.id for g in ws.groups}
    nodes: list[tuple[str | None, tuple[str, ...]]] = []
    queue: list[str | None] = [None]
    while queue:
        node = queue.pop(0)
        items = tuple(ws.children(node))
        if len(items) >= 2:
            nodes.append((node, items))
        queue += [c for c in items if c in groups]
    return nodes


class Elicitation:
    """The whole dialog for one method: questions node by node, then the profile.

    Parameters
    ----------
    ws : Workspace
        Gives the criteria and the value tree.
    method : {"ahp", "swing", "rank"}
    tree : bool
        Weigh group by group (default) or all criteria at once.

    Examples
    --------
    >>> from pathlib import Path
    >>> from policyeval.model import Criterion
    >>> ws = Workspace(Path("."), "t", (Criterion("a", "A"), Criterion("b", "B")), (), (), {})
    >>> e = Elicitation(ws, "rank")
    >>> e.question().text
    'Rank rule: roc (rank order centroid), rank_sum or reciprocal; empty for roc'
    >>> e.answer(""), e.question().text
    ([], 'Rank a, b, most important first')
    >>> e.answer("b, a")
    ['  weights: a 0.250, b 0.750']
    >>> e.question() is None, e.profile("Mine")["ranking"]
    (True, ['b', 'a'])
    """

    def __init__(self, ws: Workspace, method: str, tree: bool = True) -> None:
        if method not in ELICIT_METHODS:
            raise ValueError(f"cannot elicit '{method}'; choices: {', '.join(ELICIT_METHODS)}")
        if len(ws.criteria) < 2:
            raise ValueError("eliciting weights needs at least two criteria")
        self.method = method
        self.tree = tree
        self.nodes = elicitation_nodes(ws, tree)
        self._labels = {g.id: g.name for g in ws.groups} | {c.id: c.name for c in ws.criteria}
        self.rule: str | None = "roc" if method != "rank" else None
        step = {"ahp": AhpStep, "swing": SwingStep, "rank": RankStep}[method]
        self.steps: list[_Step] = [step(node, items) for node, items in self.nodes]
        self._at = 0
        self._introduced = -1

    def question(self) -> Question | None:
        """The next question, or None when every answer is in."""
        if self.rule is None:
            rules = "roc (rank order centroid), rank_sum or reciprocal"
            return Question(f"Rank rule: {rules}; empty for roc")
        while self._at < len(self.steps):
            q = self.steps[self._at].question()
            if q is not None:
                if self._introduced < self._at:
                    self._introduced = self._at
                    q = replace(q, intro=self._intro(self.steps[self._at]))
                return q
            self._at += 1
        return None

    def _intro(self, step: _Step) -> tuple[str, ...]:
        where = "All criteria" if len(self.steps) == 1 else "Top level"
        if step.node is not None:
            where = f"Inside group {step.node} ({self._labels[step.node]})"
        n = f"step {self._at + 1} of {len(self.steps)}"
        lines = [f"{where}, {n}:"]
        lines += [f"  {c:<24} {self._labels[c]}" for c in step.items]
        return ("", *lines)

    def answer(self, text: str) -> list[str]:
        """Take the answer to the current question; return feedback lines.

        Raises
        ------
        ValueError
            When the answer cannot be used (the question stays the same).
        """
        if self.question() is None:
            raise ValueError("every question is answered already")
        if self.rule is None:
            rule = text.strip() or "roc"
            if rule not in RANK_RULES:
                raise ValueError(
                    f"unknown rank rule '{rule}'.{did_you_mean(rule, RANK_RULES)} "
                    f"Choices: {', '.join(RANK_RULES)}"
                )
            self.rule = rule
            self.steps = [RankStep(node, items, rule) for node, items in self.nodes]
            return []
        step = self.steps[self._at]
        feedback = step.answer(text)
        return feedback + (step.summary() if step.question() is None else [])

    def profile(self, name: str) -> dict[str, Any]:
        """The weight profile in the ``criteria/weights/NAME.yaml`` format.

        Raises
        ------
        ValueError
            When questions are still open.
        """
        if self.question() is not None:
            raise ValueError("the elicitation is not finished")
        top, *inner = self.steps
        how = "group by group" if inner else "all criteria at once"
        data: dict[str, Any] = {
            "name": name,
            "method": self.method,
            "description": f"Elicited with policyeval elicit ({self.method}, {how}).",
            **top.entries(),
        }
        if inner:
            data["local"] = {s.node: {"method": self.method, **s.entries()} for s in inner}
        return data
