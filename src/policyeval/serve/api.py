"""What the briefing page asks for, as plain JSON-ready data.

Each function takes a loaded :class:`~policyeval.model.Workspace` (or its
folder) and the request's parsed JSON or query, and returns plain data. Bad
input raises :class:`~policyeval.errors.WorkspaceError`; the server turns it
into a 400 response with the issues.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policyeval.errors import Issue, WorkspaceError

if TYPE_CHECKING:
    from policyeval.model import Workspace

SAMPLES = 10_000
"""SMAA samples of the page and of a downloaded memo: the pipeline's default, so the
page, ``policyeval sensitivity`` and the memo give the same figures for the same settings."""
SEED = 0
MEMO_SAMPLES = SAMPLES
_SAVE_LOCK = threading.Lock()
"""Saves run one at a time: the existence check, the write and the reload go together."""
MEMO_FORMATS = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8"}
CURRENT = "current"
"""Id of the unsaved profile holding the page's weights in a memo."""


def bad_request(message: str, entry: str = "", code: str = "bad-request") -> WorkspaceError:
    """A WorkspaceError with one issue (for a 400 answer)."""
    return WorkspaceError([Issue(code, message, "", entry)])


def state(ws: Workspace) -> dict[str, Any]:
    """Everything the page shows before any weight moves.

    A profile whose weights cannot be computed is listed with its ``error``
    (and no weights) so that the others stay usable.
    """
    from policyeval.weighting import compute_weights

    profiles = []
    for pid in sorted(ws.profiles):
        prof = ws.profiles[pid]
        entry: dict[str, Any] = {
            "id": pid, "name": prof.name, "method": prof.method, "provenance": prof.provenance,
        }  # fmt: skip
        try:
            w = compute_weights(ws, pid)
        except WorkspaceError as err:
            entry.update(weights=None, error=[str(i) for i in err.issues])
        else:
            entry.update(
                weights=w.weights,
                consistency_ratio=w.consistency_ratio,
                warnings=list(w.warnings),
            )
        profiles.append(entry)
    try:
        default = ws.profile_id()
    except WorkspaceError:
        default = None
    from policyeval.charts import OKABE_ITO

    return {
        "title": ws.title,
        "palette": list(OKABE_ITO),
        "criteria": [
            {
                "id": c.id,
                "name": c.name,
                "group": c.group,
                "direction": c.direction,
                "unit": c.unit,
            }
            for c in ws.criteria
        ],
        "groups": [{"id": g.id, "name": g.name, "parent": g.parent} for g in ws.groups],
        "profiles": profiles,
        "default_profile": default,
        "options": [{"id": o.id, "title": o.title, "kind": o.kind} for o in ws.options],
        "packages": [{"id": p.id, "title": p.title} for p in ws.packages],
        "baseline": ws.baseline.id if ws.baseline else None,
        "settings": {"samples": SAMPLES, "seed": SEED, "weights": "auto"},
    }


def parse_weights(ws: Workspace, given: Any) -> dict[str, float]:
    """Weights of every criterion from a JSON object, rescaled to sum 1.

    Raises
    ------
    WorkspaceError
        Not an object, an unknown or missing criterion, a weight that is not
        a finite non-negative number, or all weights zero.

    Examples
    --------
    >>> from pathlib import Path
    >>> from policyeval.model import Criterion, Workspace
    >>> ws = Workspace(Path("."), "t", (Criterion("a", "A"), Criterion("b", "B")), (), (), {})
    >>> parse_weights(ws, {"a": 3, "b": 1})
    {'a': 0.75, 'b': 0.25}
    """
    from policyeval.model import Weights

    return Weights.given(given, ws.criterion_ids).weights


def _flag(body: Mapping[str, Any], key: str, default: bool) -> bool:
    value = body.get(key, default)
    if not isinstance(value, bool):
        raise bad_request(f"'{key}' must be true or false. Got {value!r} instead.", key)
    return value


def _int(body: Mapping[str, Any], key: str, default: int, low: int) -> int:
    value = body.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise bad_request(f"'{key}' must be an integer >= {low}. Got {value!r} instead.", key)
    return value


def analysis_for(ws: Workspace, body: Mapping[str, Any]) -> Any:
    """The analysis the page asks for: a profile's, or the page's edited weights.

    Weights equal to the named profile's (within 1e-9) are that profile's, so
    the page's figures are the profile's (its declared bounds included).
    """
    from policyeval.api import Analysis
    from policyeval.model import Weights

    label = body.get("profile")
    known = isinstance(label, str) and label in ws.profiles
    a = Analysis(ws, profile=label if known else None)
    if "weights" in body:
        weights = parse_weights(ws, body.get("weights"))
        same = known and all(abs(weights[c] - a.weights.weights[c]) <= 1e-9 for c in weights)
        if not same:
            name = (
                f"Briefing (unsaved, edited from {ws.profiles[label].name})"
                if known
                else str(label or "Briefing (unsaved)")
            )
            a = a.with_weights(Weights.given(weights, ws.criterion_ids, name))
    return a


def rank(ws: Workspace, body: Any) -> dict[str, Any]:
    """Every method's ranking at the given weights, and how robust it is.

    ``body``: ``{"weights": {criterion: w}, "packages": bool, "robustness":
    bool, "profile": id, "samples": n, "seed": s, "spread": f}``. With ``robustness``
    (default true) the answer has a ``robustness`` entry computed by the
    pipeline with the same defaults as ``policyeval sensitivity`` and the memo
    (SMAA-2 with :data:`SAMPLES` samples, weights within the profile's bounds
    when it declares some, else uniform; ``spread``: weights drawn around the
    page's instead, as ``sensitivity --spread``): acceptability, wsm stability
    intervals, what it would take, and the summary; and the memo's
    ``bottom_line`` (always with the memo's settings). ``contributions``
    splits each wsm score by criterion.
    """
    if not isinstance(body, Mapping):
        raise bad_request("the request body must be a JSON object")
    packages = _flag(body, "packages", False)
    if packages and not ws.packages:
        raise bad_request("this workspace has no packages; add options/packages.yaml", "packages")
    samples = _int(body, "samples", SAMPLES, 1)
    seed = _int(body, "seed", SEED, 0)
    spread = body.get("spread")
    if spread is not None and (isinstance(spread, bool) or not isinstance(spread, int | float)):
        raise bad_request(f"'spread' must be a number or null. Got {spread!r} instead.", "spread")
    a = analysis_for(ws, body)
    out = a.rankings(packages).to_dict()
    out.pop("details")
    label = a.profile or str(body.get("profile") or CURRENT)
    out.update(profile=label, packages=packages, robustness=None, bottom_line=None)
    out["contributions"] = contributions(a, packages)
    if _flag(body, "robustness", True) and len(a.problem(packages).options) > 1:
        out["robustness"] = robustness(a, packages, samples, seed, spread)
        out["bottom_line"] = bottom_line(a, samples, seed)
    return out


def contributions(a: Any, packages: bool) -> dict[str, dict[str, float]]:
    """Each option's weighted-sum score split by criterion: weight x value, by option id.

    The pipeline's value matrix times the page's weights; an option's parts sum
    to its ``wsm`` score.
    """
    problem = a.problem(packages)
    w = [a.weights.weights[c] for c in problem.criteria]
    parts = problem.values() * w
    return {o: dict(zip(problem.criteria, row.tolist())) for o, row in zip(problem.options, parts)}


def bottom_line(a: Any, samples: int = SAMPLES, seed: int = SEED) -> dict[str, Any]:
    """The memo's bottom line for these weights (same verdict, words and figures)."""
    from policyeval.reporting.context import bottom_line_of

    bl = bottom_line_of(a, samples=samples, seed=seed)
    keep = ("verdict", "headline", "headline_rest", "leader", "acceptability", "reasons")
    return {k: bl[k] for k in keep} | {"choice": bl["choice"]["title"]}


def robustness(
    a: Any, packages: bool, samples: int = SAMPLES, seed: int = SEED, spread: float | None = None
) -> dict[str, Any]:
    """The sensitivity figures the page shows, from the pipeline."""
    report = a.sensitivity(samples=samples, seed=seed, packages=packages, spread=spread)
    s = report.smaa
    sampler = {
        "uniform": "weights uniform over all possible weights",
        "bounds": "weights within the profile's declared ranges",
        "spread": f"weights within ±{spread:.0%} of the page's" if spread is not None else "",
    }[s.sampler]
    return {
        "method": report.method,
        "samples": s.samples,
        "seed": s.seed,
        "sampler": s.sampler,
        "sampler_text": sampler,
        "acceptability": {o: row.tolist() for o, row in zip(s.options, s.acceptability)},
        "top": report.stability.top,
        "stability": {c: list(iv) for c, iv in report.stability.top_intervals.items()},
        "what_it_takes": [x.to_dict() for x in report.what_it_takes],
        "summary": report.summary,
        "in_words": in_words(a, report, sampler),
    }


def in_words(a: Any, report: Any, sampler: str) -> str:
    """The robustness summary for the room: titles, never ids, short enough to read out."""
    from policyeval.reporting.context import names_of
    from policyeval.reporting.format import num, pct

    names = names_of(a)
    s = report.smaa
    first = max(range(len(s.options)), key=lambda i: (s.acceptability[i, 0], -i))
    if s.sampler == "bounds" and len(report.bounded) < len(s.criteria):
        sampler += f" ({len(report.bounded)} of {len(s.criteria)} criteria; the others free)"
    text = (
        f"{names(s.options[first])} ranks first in {pct(s.acceptability[first, 0])} of "
        f"{num(s.samples, 0)} draws of plausible scores and {sampler}."
    )
    possible = [w for w in report.what_it_takes if w.distance is not None]
    if not possible:
        return text + " No change of weights would put another first: every other is dominated."
    best = min(possible, key=lambda w: (w.distance, w.rank))
    return text + (
        f" At the page's weights, the smallest change that would put another first moves "
        f"{pct(best.moved, 1)} of the total weight, to put {names(best.option)} first."
    )


def save_profile(root: Path, body: Any) -> dict[str, Any]:
    """Write ``criteria/weights/<id>.yaml`` as a points profile and prove it loads.

    ``body``: ``{"id", "name", "weights", "overwrite": false, "source": profile}``.
    Points are the weights x 100, rounded to 4 decimals. After writing, the
    workspace is loaded again; if that fails the file is removed (or its old
    text restored) and the issues are raised.

    Raises
    ------
    WorkspaceError
        A bad id, name or weights, an existing profile without ``overwrite``,
        or a workspace that no longer loads with the new file.
    """
    from policyeval.io import load_workspace
    from policyeval.io.checks import id_problem, valid_id
    from policyeval.io.writer import dump_yaml, write_atomic
    from policyeval.safepath import resolve_write_path
    from policyeval.weighting import compute_weights

    if not isinstance(body, Mapping):
        raise bad_request("the request body must be a JSON object")
    pid = body.get("id")
    if not valid_id(pid):
        raise bad_request(id_problem(pid, "profile id"), "id")
    name = body.get("name") or pid
    if not isinstance(name, str) or "\n" in name or len(name) > 200:
        raise bad_request(
            f"the profile name must be one line of text of at most 200 characters. Got "
            f"{name!r:.80} instead.",
            "name",
        )
    overwrite = _flag(body, "overwrite", False)
    rel = f"criteria/weights/{pid}.yaml"
    path = resolve_write_path(root, rel, "id")
    exists = bad_request(
        f"profile '{pid}' already exists ({path.name}); choose another id or overwrite it",
        "id",
        "profile-exists",
    )
    source = body.get("source")
    note = f", starting from profile '{source}'" if isinstance(source, str) and source else ""
    with _SAVE_LOCK:
        ws = load_workspace(root)
        weights = parse_weights(ws, body.get("weights"))
        if path.exists() and not overwrite:
            raise exists
        old = path.read_bytes() if path.exists() else None
        data = {
            "name": name.strip() or pid,
            "method": "points",
            "description": f"Weights set on the policyeval serve briefing page{note}.",
            "points": {c: round(w * 100, 4) for c, w in weights.items()},
        }
        text = dump_yaml(data, "Saved by policyeval serve; points are weights x 100.")
        try:  # exclusive: another process saving the same id at once cannot be overwritten
            write_atomic(path, text, exclusive=not overwrite)
        except FileExistsError:
            raise exists from None
        try:
            saved = compute_weights(load_workspace(root), pid)
        except WorkspaceError:
            if old is None:
                path.unlink(missing_ok=True)
            else:
                write_atomic(path, old)
            raise
    return {"id": pid, "name": data["name"], "file": rel, "weights": saved.weights}


def memo(
    ws: Workspace, query: Mapping[str, str], date: str, samples: int = MEMO_SAMPLES
) -> tuple[str, str, bytes]:
    """The memo for a profile or for the page's weights: ``(filename, content type, bytes)``.

    ``query``: ``format`` (md or html), ``profile`` (a profile id) and
    optionally ``weights`` (JSON ``{criterion: w}``); ``date`` and ``samples`` as
    in ``policyeval report``. Markdown charts are inlined as ``data:`` URIs so
    that the one file is complete. The memo honours the workspace's templates.

    Raises
    ------
    WorkspaceError
        Unknown format or profile, or bad weights.
    """
    import base64
    import json

    fmt = query.get("format", "md")
    if fmt not in MEMO_FORMATS:
        raise bad_request(
            f"unknown memo format '{fmt}'. Choices: {', '.join(MEMO_FORMATS)}", "format"
        )
    profile = query.get("profile") or None
    if profile is not None:
        ws.profile_id(profile)  # raises for an unknown name
    body: dict[str, Any] = {"profile": profile}
    if "weights" in query:
        try:
            body["weights"] = json.loads(query["weights"])
        except ValueError as err:
            raise bad_request(f"'weights' is not valid JSON: {err}", "weights") from err
    a = analysis_for(ws, body)
    files = a.memo("memo", fmt, date=date, samples=samples, seed=SEED)
    data = files[f"memo.{fmt}"]
    if fmt == "md":
        text = data.decode()
        for rel, svg in files.items():
            if rel.endswith(".svg"):
                uri = "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
                text = text.replace(f"({rel})", f"({uri})")
        data = text.encode()
    return f"memo-{a.profile or CURRENT}.{fmt}", MEMO_FORMATS[fmt], data
