"""What changed between two versions of a decision, and which change did it.

Each side is a decision record (``decision.json``), a workspace folder, or a git
revision of the workspace (extracted with ``git archive`` into a temporary
folder). A workspace side is analysed into a record by the same code as the
memo (:func:`policyeval.record.decision_record`), so both sides compare alike.

- **Input changes** (:class:`Change`), from the records' ``inputs`` and file
  hashes: scores and ranges, criteria, options added or removed, costs,
  ``requires``/``excludes``, packages and synergies, every profile's weights,
  the budget, and any other input file whose bytes changed. Each change belongs
  to a **group**, the input file it comes from (``options/<id>.yaml``,
  ``criteria/weights/<profile>.yaml``, ``criteria/criteria.yaml``,
  ``options/packages.yaml``, ``options/allocation.yaml`` with
  ``criteria/countries.csv``). Weights that moved although their profile file
  did not (objective weights follow the scores) have no group of their own.
- **Result changes** (:class:`Change`): ranks by method (options and
  packages), SMAA first-rank shares, the verdict, the portfolio and the
  allocation.
- **Attribution** (:class:`Attribution`, both sides workspaces): the
  recommended choice is the wsm leader that is not the baseline, among packages
  when the case has some, and its value is its wsm score. Each group's new
  version is applied to the old case alone, and all but it together (the
  composed cases are the old one with some components taken from the new:
  options by id, profiles by id, the packages file, the criteria file, the
  allocation model). With at most :data:`MAX_SHAPLEY` groups every subset is
  evaluated and the change in value is split by the Shapley value
  (shares sum to the total change exactly).
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policyeval.errors import Issue, WorkspaceError

if TYPE_CHECKING:
    from policyeval.analysis import Analysis
    from policyeval.model import Workspace

MAX_SHAPLEY = 10
"""At most this many change groups get a Shapley split (2**10 replays)."""
ALLOCATION_FILES = ("options/allocation.yaml", "criteria/countries.csv")
ALLOCATION_GROUP = "options/allocation.yaml"
TOL = 1e-12
"""Result numbers closer than this count as unchanged."""


# --------------------------------------------------------------------- sides


@dataclass(frozen=True)
class Side:
    """One version: its label, its decision record, and its case when it is a workspace."""

    label: str
    record: dict[str, Any]
    case: Workspace | None = None


def _bad(message: str, entry: str = "") -> WorkspaceError:
    return WorkspaceError([Issue("bad-argument", message, "", entry)])


def _git(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError as err:
        raise _bad("git is not installed; give a decision record or a workspace folder") from err


def git_workspace(revision: str, workspace: Path, into: Path) -> Path:
    """Extract the workspace as it is at a git revision into ``into``; return its folder.

    Raises
    ------
    WorkspaceError
        When the workspace is not in a git repository or the revision is unknown.
    """
    import io
    import tarfile

    workspace = Path(workspace).resolve()
    top = _git(["rev-parse", "--show-toplevel"], workspace)
    if top.returncode != 0:
        raise _bad(
            f"'{revision}' is neither a decision record, a workspace folder nor a git revision: "
            f"the workspace {workspace} is not in a git repository",
            revision,
        )
    root = Path(top.stdout.decode().strip())
    if _git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], root).returncode:
        raise _bad(
            f"'{revision}' is neither a decision record, a workspace folder nor a revision of "
            f"the git repository {root}; give a file, a folder, a commit, a tag or HEAD~N",
            revision,
        )
    rel = workspace.relative_to(root).as_posix()
    out = _git(["archive", "--format=tar", revision, *([rel] if rel != "." else [])], root)
    if out.returncode != 0:
        raise _bad(
            f"the workspace folder '{rel}' does not exist at revision '{revision}'", revision
        )
    with tarfile.open(fileobj=io.BytesIO(out.stdout)) as tar:
        tar.extractall(into, filter="data")
    return into / rel


@contextmanager
def open_side(
    spec: str | Path,
    workspace: Path,
    *,
    profile: str | None = None,
    samples: int = 10_000,
    seed: int = 0,
) -> Iterator[Side]:
    """A side from a decision record, a workspace folder or a git revision of ``workspace``."""
    from policyeval.io import load_workspace
    from policyeval.record import load_record

    path = Path(spec)
    if path.is_file():
        yield Side(str(spec), load_record(path))
        return
    with tempfile.TemporaryDirectory(prefix="policyeval-diff-") as tmp:
        folder = path if path.is_dir() else git_workspace(str(spec), workspace, Path(tmp))
        yield workspace_side(str(spec), load_workspace(folder), profile, samples, seed)


def workspace_side(
    label: str, case: Workspace, profile: str | None, samples: int, seed: int
) -> Side:
    """A side from a loaded case: its record computed as the memo's."""
    from policyeval.analysis import Analysis

    a = Analysis(case, profile=profile)
    from policyeval.record import decision_record

    return Side(label, decision_record(a, samples=samples, seed=seed, versions={}), case)


# --------------------------------------------------------------------- changes


@dataclass(frozen=True, slots=True)
class Change:
    """One difference: what (``kind``, ``key``), from ``old`` to ``new``, in words.

    ``group`` is the input file an input change comes from (None for results and
    for weights that follow from other changes).
    """

    kind: str
    key: str
    old: Any
    new: Any
    text: str
    group: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "key": self.key,
            "old": self.old,
            "new": self.new,
            "text": self.text,
            "group": self.group,
        }


def _g(x: Any) -> str:
    """A value for people: floats with up to 4 significant digits."""
    if isinstance(x, float):
        return f"{x:.4g}"
    if isinstance(x, list):
        return "[" + ", ".join(_g(v) for v in x) + "]"
    return "none" if x is None else str(x)


def _score(s: Mapping[str, float] | None) -> str:
    if s is None:
        return "none"
    if s["low"] == s["high"] == s["value"]:
        return _g(s["value"])
    return f"{_g(s['value'])} ({_g(s['low'])}–{_g(s['high'])})"


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= TOL * max(1.0, abs(a), abs(b))
    return a == b


def _keyed(
    kind: str,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    group: Callable[[str], str | None],
    what: str,
) -> list[Change]:
    """Entries added and removed between two mappings."""
    out = []
    for k in sorted(set(old) | set(new)):
        if k not in old:
            out.append(Change(f"{kind}-added", k, None, k, f"{what} '{k}' added", group(k)))
        elif k not in new:
            out.append(Change(f"{kind}-removed", k, k, None, f"{what} '{k}' removed", group(k)))
    return out


def _fields(
    kind: str, key: str, old: Mapping[str, Any], new: Mapping[str, Any], group: str | None
) -> list[Change]:
    return [
        Change(
            kind, f"{key}.{f}", old[f], new.get(f), f"{key} {f}: {_g(old[f])} → {_g(new[f])}", group
        )
        for f in old
        if f in new and not _same(old[f], new[f])
    ]


def input_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Differences of two records' inputs (see the module doc), grouped by input file."""
    oi, ni = old["inputs"], new["inputs"]
    crit = "criteria/criteria.yaml"
    out: list[Change] = []
    for f in ("title", "default_profile"):
        if oi[f] != ni[f]:
            out.append(Change("case", f, oi[f], ni[f], f"{f}: {_g(oi[f])} → {_g(ni[f])}", crit))
    out += _keyed("criterion", oi["criteria"], ni["criteria"], lambda _: crit, "criterion")
    for c in sorted(set(oi["criteria"]) & set(ni["criteria"])):
        out += _fields("criterion", c, oi["criteria"][c], ni["criteria"][c], crit)

    def opt(oid: str) -> str:
        return f"options/{oid}.yaml"

    out += _keyed("option", oi["options"], ni["options"], opt, "option")
    for oid in sorted(set(oi["options"]) & set(ni["options"])):
        o, n = oi["options"][oid], ni["options"][oid]
        plain_o = {k: v for k, v in o.items() if k != "scores"}
        plain_n = {k: v for k, v in n.items() if k != "scores"}
        out += _fields("option", oid, plain_o, plain_n, opt(oid))
        for c in sorted(set(o["scores"]) | set(n["scores"])):
            so, sn = o["scores"].get(c), n["scores"].get(c)
            if so == sn:
                continue
            kind = "score" if so is None or sn is None or so["value"] != sn["value"] else "range"
            text = f"{oid}.{c}: {_score(so)} → {_score(sn)}"
            out.append(Change(kind, f"{oid}.{c}", so, sn, text, opt(oid)))
    pk = "options/packages.yaml"
    out += _keyed("package", oi["packages"], ni["packages"], lambda _: pk, "package")
    for p in sorted(set(oi["packages"]) & set(ni["packages"])):
        out += _fields("package", p, oi["packages"][p], ni["packages"][p], pk)
    if oi["synergies"] != ni["synergies"]:
        out.append(Change("synergies", "synergies", oi["synergies"], ni["synergies"],
                          "synergies changed", pk))  # fmt: skip
    changed_files = {
        f
        for f in set(old["files"]) | set(new["files"])
        if old["files"].get(f) != new["files"].get(f)
    }

    def prof(pid: str) -> str:
        return f"criteria/weights/{pid}.yaml"

    out += _keyed("profile", oi["profiles"], ni["profiles"], prof, "profile")
    for pid in sorted(set(oi["profiles"]) & set(ni["profiles"])):
        wo, wn = oi["profiles"][pid]["weights"], ni["profiles"][pid]["weights"]
        group = prof(pid) if prof(pid) in changed_files else None
        for c in sorted(set(wo) & set(wn)):
            if not _same(wo[c], wn[c]):
                text = f"weight of {c} under {pid}: {wo[c]:.4f} → {wn[c]:.4f}"
                out.append(Change("weight", f"{pid}.{c}", wo[c], wn[c], text, group))
    if not _same(oi["budget"], ni["budget"]):
        text = f"budget: {_g(oi['budget'])} → {_g(ni['budget'])}"
        out.append(Change("budget", "budget", oi["budget"], ni["budget"], text, ALLOCATION_GROUP))
    covered = {c.group for c in out}
    for f in sorted(changed_files - covered):
        group = ALLOCATION_GROUP if f in ALLOCATION_FILES else f
        if group in covered:
            continue
        what = (
            "added" if f not in old["files"] else "removed" if f not in new["files"] else "edited"
        )
        out.append(
            Change("file", f, old["files"].get(f), new["files"].get(f), f"{f} {what}", group)
        )
    return out


def _ranks(rows: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    return {r["option"]: r["rank"] for r in rows}


def result_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Differences of two records' results: ranks, SMAA shares, verdict, portfolio, allocation."""
    ro, rn = old["results"], new["results"]
    out: list[Change] = []
    for subject in ("options", "packages"):
        mo, mn = ro["rankings"][subject], rn["rankings"][subject]
        if mo is None or mn is None:
            if (mo is None) != (mn is None):
                text = f"{subject} ranked: {mo is not None} → {mn is not None}"
                out.append(Change("rankings", subject, mo is not None, mn is not None, text))
            continue
        for method in sorted(set(mo["methods"]) & set(mn["methods"])):
            a, b = _ranks(mo["methods"][method]), _ranks(mn["methods"][method])
            for o in sorted(set(a) | set(b), key=lambda o: (b.get(o, math.inf), o)):
                if a.get(o) != b.get(o):
                    text = f"{method} rank of {o}: {_g(a.get(o))} → {_g(b.get(o))}"
                    out.append(Change("rank", f"{subject}.{method}.{o}", a.get(o), b.get(o), text))
    so, sn = ro["sensitivity"], rn["sensitivity"]
    if so is not None and sn is not None:
        ao, an = so["acceptability"], sn["acceptability"]
        for o in sorted(set(ao) | set(an)):
            x = ao[o][0] if o in ao else None
            y = an[o][0] if o in an else None
            if x is None or y is None or not _same(x, y):
                text = f"SMAA first-rank share of {o}: {_pct(x)} → {_pct(y)}"
                out.append(Change("smaa", o, x, y, text))
    vo, vn = ro["verdict"], rn["verdict"]
    for f in ("strength", "leader", "choice", "runner_up", "status_quo_wins", "acceptability"):
        if not _same(vo[f], vn[f]):
            shown = _pct if f == "acceptability" else _g
            text = f"verdict {f}: {shown(vo[f])} → {shown(vn[f])}"
            out.append(Change("verdict", f, vo[f], vn[f], text))
    fo, fn = vo["funding"] or {}, vn["funding"] or {}
    for f in ("kind", "fund", "package", "shortfall"):
        if not _same(fo.get(f), fn.get(f)):
            text = f"verdict funding {f}: {_g(fo.get(f))} → {_g(fn.get(f))}"
            out.append(Change("verdict", f"funding.{f}", fo.get(f), fn.get(f), text))
    po, pn = ro["portfolio"] or {}, rn["portfolio"] or {}
    for f in ("selected", "value", "cost", "budget"):
        if not _same(po.get(f), pn.get(f)):
            text = f"portfolio {f}: {_g(po.get(f))} → {_g(pn.get(f))}"
            out.append(Change("portfolio", f, po.get(f), pn.get(f), text))
    out += _allocation_changes(ro["allocation"] or {}, rn["allocation"] or {})
    return out


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _pct(x: float | None) -> str:
    return "none" if x is None else f"{100 * x:.1f}%"


def _allocation_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    def amounts(al: Mapping[str, Any]) -> dict[str, float]:
        rows = al.get("allocation", [])
        return {f"{r['option']}/{r['target']}/{r['channel']}": r["amount"] for r in rows}

    a, b = amounts(old), amounts(new)
    out = []
    for k in sorted(set(a) | set(b)):
        x, y = a.get(k, 0.0), b.get(k, 0.0)
        if abs(x - y) > 1e-9 * max(1.0, abs(x), abs(y)):
            out.append(Change("allocation", k, x, y, f"allocation {k}: {_g(x)} → {_g(y)}"))
    if not _same(old.get("value"), new.get("value")):
        text = f"allocation value: {_g(old.get('value'))} → {_g(new.get('value'))}"
        out.append(Change("allocation", "value", old.get("value"), new.get("value"), text))
    return out


# --------------------------------------------------------------------- attribution


@dataclass(frozen=True, slots=True)
class Outcome:
    """The recommended choice of a case and its wsm value."""

    choice: str
    value: float


@dataclass(frozen=True, slots=True)
class GroupEffect:
    """One change group: the outcome with it alone, without it, and its Shapley share."""

    group: str
    alone: Outcome
    without: Outcome
    shapley: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "alone": dataclasses.asdict(self.alone),
            "without": dataclasses.asdict(self.without),
            "shapley": self.shapley,
        }


@dataclass(frozen=True, slots=True)
class Attribution:
    """The change of the recommended choice and its value, split over change groups."""

    old: Outcome
    new: Outcome
    together: Outcome
    groups: tuple[GroupEffect, ...]
    note: str = ""

    @property
    def change(self) -> float:
        """Total change of the recommended choice's value (together minus old)."""
        return self.together.value - self.old.value

    @property
    def drivers(self) -> tuple[str, ...]:
        """Groups that change the choice on their own, or without which it would not change."""
        if self.new.choice == self.old.choice:
            return ()
        return tuple(
            g.group
            for g in self.groups
            if g.alone.choice != self.old.choice or g.without.choice == self.old.choice
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "measure": "wsm score of the recommended choice (the wsm leader other than the "
            "baseline; packages when the case has some)",
            "old": dataclasses.asdict(self.old),
            "new": dataclasses.asdict(self.new),
            "together": dataclasses.asdict(self.together),
            "change": self.change,
            "choice_changed": self.new.choice != self.old.choice,
            "drivers": list(self.drivers),
            "groups": [g.to_dict() for g in self.groups],
            "note": self.note,
        }


def compose(old: Workspace, new: Workspace, groups: Sequence[str]) -> Workspace:
    """The old case with the components of ``groups`` taken from the new one."""
    options = {o.id: o for o in old.options}
    new_options = {o.id: o for o in new.options}
    profiles = dict(old.profiles)
    fields: dict[str, Any] = {}
    for g in groups:
        if g == "options/packages.yaml":
            fields.update(packages=new.packages, synergies=new.synergies)
        elif g == "criteria/criteria.yaml":
            fields.update(
                criteria=new.criteria,
                groups=new.groups,
                default_profile=new.default_profile,
                title=new.title,
            )
        elif g == ALLOCATION_GROUP:
            fields.update(allocation=new.allocation, countries=new.countries)
        elif g.startswith("criteria/weights/"):
            pid = Path(g).stem
            if pid in new.profiles:
                profiles[pid] = new.profiles[pid]
            else:
                profiles.pop(pid, None)
        elif g.startswith("options/"):
            oid = Path(g).stem
            if oid in new_options:
                options[oid] = new_options[oid]
            else:
                options.pop(oid, None)
    ordered = sorted(options.values(), key=lambda o: (not o.is_baseline, o.id))
    return dataclasses.replace(old, options=tuple(ordered), profiles=profiles, **fields)


def replay_groups(changes: Sequence[Change]) -> list[str]:
    """The change groups a replay can apply (input files that are part of the case)."""
    known = ("options/", "criteria/weights/", "criteria/criteria.yaml")
    return sorted({c.group for c in changes if c.group and c.group.startswith(known)})


def outcome(case: Workspace, profile: str | None) -> Outcome:
    """The recommended choice (wsm leader other than the baseline) and its wsm score."""
    from policyeval.analysis import Analysis

    a = Analysis(case, profile=profile)
    rows = a.ranking("wsm", a.subject_packages()).rows
    best = next((r for r in rows if not r.baseline), rows[0])
    return Outcome(best.option, float(best.score))


REPLAY_ERRORS = (WorkspaceError, KeyError, ValueError, IndexError, StopIteration)
"""A composed case can be inconsistent (a package naming an option not yet added)."""


def attribute(
    old: Workspace, new: Workspace, groups: Sequence[str], profile: str | None = None
) -> Attribution:
    """Replay each change group alone and all but it; Shapley split when few groups."""
    cache: dict[frozenset[str], Outcome] = {}

    def f(subset: frozenset[str]) -> Outcome:
        if subset not in cache:
            cache[subset] = outcome(compose(old, new, sorted(subset)), profile)
        return cache[subset]

    everything = frozenset(groups)
    k = len(groups)
    shapley: dict[str, float | None] = {g: None for g in groups}
    note = ""
    if k <= MAX_SHAPLEY:
        weight = [
            math.factorial(s) * math.factorial(k - s - 1) / math.factorial(k) for s in range(k)
        ]
        for g in groups:
            rest = [h for h in groups if h != g]
            total = 0.0
            for size in range(k):
                for sub in itertools.combinations(rest, size):
                    s = frozenset(sub)
                    total += weight[size] * (f(s | {g}).value - f(s).value)
            shapley[g] = total
    else:
        note = f"{k} change groups: more than {MAX_SHAPLEY}, so no Shapley split"
    effects = tuple(
        GroupEffect(g, f(frozenset({g})), f(everything - {g}), shapley[g]) for g in groups
    )
    return Attribution(
        old=f(frozenset()),
        new=outcome(new, profile),
        together=f(everything),
        groups=effects,
        note=note,
    )


# --------------------------------------------------------------------- the diff


@dataclass(frozen=True)
class Diff:
    """Input changes, result changes and the attribution between two versions."""

    old: str
    new: str
    inputs: tuple[Change, ...]
    results: tuple[Change, ...]
    attribution: Attribution | None
    note: str = ""
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        """True when nothing differs."""
        return not self.inputs and not self.results

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": "1",
            "old": self.old,
            "new": self.new,
            "settings": self.settings,
            "inputs": [c.to_dict() for c in self.inputs],
            "results": [c.to_dict() for c in self.results],
            "attribution": self.attribution.to_dict() if self.attribution else None,
            "note": self.note,
        }

    def summary(self) -> str:
        """One paragraph: what changed, and which change moved the recommendation."""
        if self.empty:
            return "Nothing changed: the inputs and every result are the same."
        groups = sorted({c.group for c in self.inputs if c.group})
        head = (
            f"{_count(len(self.inputs), 'input change')} in {_count(len(groups), 'file')}, "
            f"{_count(len(self.results), 'result change')}."
        )
        at = self.attribution
        if at is None:
            return f"{head} {self.note}".strip()
        if at.new.choice != at.old.choice:
            move = (
                f"The recommendation moved from {at.old.choice} to {at.new.choice}"
                + (f", driven by {', '.join(at.drivers)}" if at.drivers else "")
                + "."
            )
        else:
            move = f"The recommendation stays {at.new.choice}."
        value = f"Its wsm value went from {at.old.value:.4f} to {at.together.value:.4f}"
        shares = [f"{g.group} {g.shapley:+.4f}" for g in at.groups if g.shapley is not None]
        if shares:
            value += f" (Shapley split: {'; '.join(shares)})"
        return f"{head} {move} {value}."

    def key_results(self) -> tuple[Change, ...]:
        """The result changes a memo shows: verdict, portfolio, allocation value, wsm ranks,
        and SMAA first-rank shares that moved by at least one percentage point."""
        return tuple(
            c
            for c in self.results
            if c.kind in ("verdict", "portfolio", "rankings")
            or (c.kind == "rank" and ".wsm." in c.key)
            or (c.kind == "allocation" and c.key == "value")
            or (c.kind == "smaa" and abs((c.new or 0.0) - (c.old or 0.0)) >= 0.01)
        )

    def markdown(
        self, heading: str = "## What changed since the last version", key: bool = False
    ) -> str:
        """The comparison as Markdown: summary, input changes, result changes, attribution.

        ``key``: only the result changes of :meth:`key_results` (the memo's section).
        """
        lines = [heading, "", f"Compared with {self.old}: {self.summary()}"]
        if self.inputs:
            lines += ["", "Input changes:", ""] + [f"- {c.text}" for c in self.inputs]
        shown = self.key_results() if key else self.results
        if shown:
            more = len(self.results) - len(shown)
            what = f" (the main ones; {more} more in decision.json)" if more else ""
            lines += ["", f"Result changes{what}:", ""] + [f"- {c.text}" for c in shown]
        at = self.attribution
        if at is not None and at.groups:
            lines += [
                "",
                "| Change group | Choice with it alone | Choice without it | Shapley share |",
                "|---|---|---|---:|",
            ]
            for g in at.groups:
                share = "—" if g.shapley is None else f"{g.shapley:+.4f}"
                lines.append(f"| {g.group} | {g.alone.choice} | {g.without.choice} | {share} |")
        return "\n".join(lines) + "\n"


def section(d: Diff) -> dict[str, Any]:
    """The memo section's context: heading, summary, changes and the Markdown."""
    heading = "What changed since the last version"
    return {
        "heading": heading,
        "summary": f"Compared with {d.old}: {d.summary()}",
        "inputs": [c.text for c in d.inputs],
        "results": [c.text for c in d.key_results()],
        "markdown": d.markdown(f"## {heading}", key=True),
    }


def compare(old: Side, new: Side, profile: str | None = None) -> Diff:
    """The diff of two sides (attribution only when both are workspaces)."""
    inputs = input_changes(old.record, new.record)
    results = result_changes(old.record, new.record)
    attribution, note = None, ""
    if old.case is not None and new.case is not None and (inputs or results):
        try:
            attribution = attribute(old.case, new.case, replay_groups(inputs), profile)
        except REPLAY_ERRORS as err:
            note = f"no attribution: replaying the changes one file at a time fails ({err})"
    elif inputs or results:
        note = "no attribution: a decision record holds results, not a case to replay"
    settings = {
        k: [old.record["settings"].get(k), new.record["settings"].get(k)]
        for k in ("profile", "samples", "seed")
    }
    return Diff(old.label, new.label, tuple(inputs), tuple(results), attribution, note, settings)


def diff(
    old: str | Path,
    new: str | Path,
    workspace: Path = Path("."),
    *,
    profile: str | None = None,
    samples: int | None = None,
    seed: int | None = None,
) -> Diff:
    """Compare two versions: decision records, workspace folders or git revisions.

    Workspace sides are analysed with ``profile``, ``samples`` and ``seed``; when
    one side is a record, its settings are the default for the other.
    """
    settings = _settings(old, new)
    profile = profile if profile is not None else settings.get("profile")
    samples = samples if samples is not None else settings.get("samples", 10_000)
    seed = seed if seed is not None else settings.get("seed", 0)
    kw = {"profile": profile, "samples": samples, "seed": seed}
    with open_side(old, workspace, **kw) as a, open_side(new, workspace, **kw) as b:
        return compare(a, b, profile)


def _settings(*specs: str | Path) -> dict[str, Any]:
    """The settings of the first side that is a decision record (else none)."""
    from policyeval.record import load_record

    for spec in specs:
        if Path(spec).is_file():
            return load_record(Path(spec))["settings"]
    return {}


def since_section(
    a: Analysis, workspace: Path, since: str, *, samples: int, seed: int
) -> tuple[dict[str, Any], Diff]:
    """The memo's "What changed since the last version" section, and the comparison.

    ``since`` names an earlier version (a decision record, a folder or a git revision).
    """
    from policyeval.record import decision_record

    kw = {"profile": a.profile, "samples": samples, "seed": seed}
    with open_side(since, workspace, **kw) as old:
        record = decision_record(a, samples=samples, seed=seed, versions={})
        d = compare(old, Side("this version", record, a.case), a.profile)
    return section(d), d
