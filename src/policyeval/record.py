"""The decision record: every input hash, setting, number and verdict of a memo, as JSON.

``policyeval report`` writes ``decision.json`` next to the memos. It holds

- ``schema_version`` (``"1"``) and ``kind``;
- ``files``: the SHA-256 of every input file as parsed (``Workspace.digests``),
  and ``inputs_sha256``, their combined hash (the one the memo prints);
- ``settings``: profile, samples, seed, date, templates, formats, and the
  value-of-information settings; ``versions`` of the packages;
- ``inputs``: the case as compared by ``policyeval diff`` (criteria, options with
  scores and ranges, costs, packages, synergies, every profile's weights, budget);
- ``results``: the pipeline's typed results, each its ``to_dict()``: the weights,
  the verdict, every method's ranking of options and packages, the wsm ranking
  under every profile, SMAA and the rest of the sensitivity report, portfolio,
  frontier and allocation (or ``funding_error``), what to find out next, and
  what changed since an earlier version (``since``).

Nothing is read back from the memo text. Identical inputs and settings give
identical bytes: keys are sorted, floats are written by ``repr`` (shortest
round-trip form), non-finite numbers become ``null``, and there is no clock
(the date is a setting).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policyeval.errors import Issue, WorkspaceError

if TYPE_CHECKING:
    from policyeval.analysis import Analysis
    from policyeval.next_steps import NextSteps

SCHEMA_VERSION = "1"
FILE = "decision.json"
KIND = "policyeval decision record"


def plain(obj: Any) -> Any:
    """JSON-ready data: numpy values to Python, tuples to lists, non-finite floats to None.

    Examples
    --------
    >>> plain({"a": (1.5, float("nan")), 2: {"b": None}})
    {'a': [1.5, None], '2': {'b': None}}
    """
    if isinstance(obj, Mapping):
        return {str(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | set | frozenset):
        items = sorted(obj) if isinstance(obj, set | frozenset) else obj
        return [plain(v) for v in items]
    if hasattr(obj, "tolist"):  # numpy arrays and scalars
        return plain(obj.tolist())
    if isinstance(obj, float):
        return float(obj) if math.isfinite(obj) else None
    if isinstance(obj, Path):
        return obj.as_posix()
    return obj


def to_bytes(record: Mapping[str, Any]) -> bytes:
    """The record as bytes: sorted keys, two-space indent, UTF-8, a final newline."""
    text = json.dumps(plain(record), sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False)
    return (text + "\n").encode()


def case_inputs(a: Analysis) -> dict[str, Any]:
    """The case as ``policyeval diff`` compares it (every profile's weights computed)."""
    ws = a.case
    return {
        "title": ws.title,
        "default_profile": ws.default_profile,
        "criteria": {
            c.id: {
                "name": c.name,
                "direction": c.direction,
                "scale": c.scale,
                "combine": c.combine_rule,
                "role": c.role,
                "group": c.group,
            }
            for c in ws.criteria
        },
        "options": {
            o.id: {
                "title": o.title,
                "kind": o.kind,
                "cost": o.cost,
                "requires": sorted(o.requires),
                "excludes": sorted(o.excludes),
                "scores": {
                    c: {"value": s.value, "low": s.lo, "high": s.hi} for c, s in o.scores.items()
                },
            }
            for o in ws.options
        },
        "packages": {p.id: {"title": p.title, "options": list(p.options)} for p in ws.packages},
        "synergies": [
            {"options": sorted(s.options), "adjust": dict(sorted(s.adjust.items()))}
            for s in ws.synergies
        ],
        "profiles": {
            pid: {"name": w.name, "method": w.method, "weights": w.weights}
            for pid, w in a.profiles().items()
        },
        "budget": ws.budget,
    }


def funding_results(a: Analysis) -> dict[str, Any]:
    """Portfolio, frontier and allocation when the case sets a budget and costs.

    An infeasible model is recorded as ``funding_error`` (as the memo reports it).
    """
    from policyeval.errors import InfeasibleError

    out: dict[str, Any] = {"portfolio": None, "frontier": None, "allocation": None}
    if not a.funding_declared():
        return out
    try:
        out["portfolio"] = a.portfolio().to_dict()
        out["frontier"] = a.frontier().to_dict()
        if a.case.allocation is not None and a.case.allocation.targets:
            out["allocation"] = a.allocation().to_dict()
    except InfeasibleError as err:
        out["funding_error"] = f"{err} ({', '.join(err.constraints)})"
    return out


def results(a: Analysis, samples: int, seed: int) -> dict[str, Any]:
    """The memo's results from the pipeline (each computed once by the analysis)."""
    packages = a.subject_packages()
    sens = None
    if len(a.problem(packages).options) > 1:
        sens = a.sensitivity(samples=samples, seed=seed, packages=packages).to_dict()
    return {
        "subject": "packages" if packages else "options",
        "weights": a.weights.to_dict(),
        "verdict": a.verdict(samples=samples, seed=seed).to_dict(),
        "rankings": {
            "options": a.rankings().to_dict(),
            "packages": a.rankings(True).to_dict() if a.case.packages else None,
        },
        "by_profile": {p: r.to_dict()["ranking"] for p, r in a.by_profile(packages).items()},
        "sensitivity": sens,
        **funding_results(a),
    }


def decision_record(
    a: Analysis,
    *,
    samples: int,
    seed: int,
    date: str = "",
    templates: Sequence[str] = (),
    formats: Sequence[str] = (),
    next_steps: NextSteps | None = None,
    since: Mapping[str, Any] | None = None,
    versions: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The decision record of an analysis (see the module doc).

    Parameters
    ----------
    a : Analysis
    samples, seed : int
        The Monte Carlo settings of the memo.
    date : str
        The memo date (a setting, never the clock).
    templates, formats : sequence of str
        What the report rendered.
    next_steps : NextSteps, optional
        What to find out next, as the memo prints it.
    since : dict, optional
        The comparison with an earlier version (:meth:`policyeval.diff.Diff.to_dict`).
    versions : dict, optional
        Package versions (default: the installed ones).
    """
    from policyeval.reporting.provenance import combined_hash, file_hashes, package_versions

    files = file_hashes(a.case.digests)
    voi = None
    if next_steps is not None:
        voi = {k: getattr(next_steps, k) for k in ("samples", "seed", "decision", "weights_mode")}
    out = {
        "schema_version": SCHEMA_VERSION,
        "kind": KIND,
        "files": {f["path"]: f["sha256"] for f in files},
        "inputs_sha256": combined_hash(files),
        "settings": {
            "profile": a.profile,
            "samples": samples,
            "seed": seed,
            "date": date or None,
            "templates": list(templates),
            "formats": list(formats),
            "voi": voi,
        },
        "versions": dict(versions) if versions is not None else package_versions(),
        "inputs": case_inputs(a),
        "results": {
            **results(a, samples, seed),
            "next_steps": next_steps.to_dict() if next_steps is not None else None,
            "since": dict(since) if since is not None else None,
        },
    }
    return plain(out)


def load_record(path: Path) -> dict[str, Any]:
    """Read a decision record; a WorkspaceError naming the file when it is not one."""
    path = Path(path)

    def bad(message: str) -> WorkspaceError:
        return WorkspaceError([Issue("bad-record", message, str(path), "")])

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise bad(f"cannot read the decision record: {err}") from err
    except json.JSONDecodeError as err:
        raise bad(f"not JSON (line {err.lineno}): give a decision.json written by report") from err
    if not isinstance(data, dict) or data.get("kind") != KIND:
        raise bad("not a policyeval decision record; give a decision.json written by report")
    if data.get("schema_version") != SCHEMA_VERSION:
        raise bad(
            f"decision record schema version {data.get('schema_version')!r} is not supported "
            f"(this policyeval reads {SCHEMA_VERSION!r}); rewrite it with this version's report"
        )
    return data
