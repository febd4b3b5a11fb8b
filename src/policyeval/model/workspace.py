"""Domain objects read from a workspace folder (see DESIGN.md, Workspace format).

Objects are frozen; they are built only by :func:`policyeval.io.load_workspace`,
which has validated them, so code downstream may rely on every reference
being resolvable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from policyeval.model.allocation import AllocationSpec

Direction = Literal["max", "min"]
Combine = Literal["sum", "max", "min", "mean"]


@dataclass(frozen=True, slots=True)
class Group:
    """A node of the value tree; ``parent`` is another group id or None."""

    id: str
    name: str
    parent: str | None = None


@dataclass(frozen=True, slots=True)
class Criterion:
    """A criterion (a leaf of the value tree).

    ``scale`` is the declared measurement scale ``(low, high)`` or None, in
    which case values are normalized over the options being compared.
    ``preference`` is the PROMETHEE preference function, e.g.
    ``{"type": "linear", "q": 0.5, "p": 2.0}``.
    """

    id: str
    name: str
    direction: Direction = "max"
    group: str | None = None
    scale: tuple[float, float] | None = None
    combine: Combine | None = None
    unit: str = ""
    preference: dict[str, Any] = field(default_factory=lambda: {"type": "usual"})
    description: str = ""
    source: str = ""
    role: Literal["cost"] | None = None

    @property
    def combine_rule(self) -> Combine:
        """The package rule: declared, else ``max`` for a bounded scale, ``sum`` otherwise."""
        if self.combine is not None:
            return self.combine
        return "max" if self.scale is not None else "sum"


@dataclass(frozen=True, slots=True)
class Score:
    """An option's score on one criterion, with its range and evidence."""

    value: float
    low: float | None = None
    high: float | None = None
    rationale: str = ""
    source: str = ""

    @property
    def lo(self) -> float:
        """Low end of the range (the value itself when certain)."""
        return self.value if self.low is None else self.low

    @property
    def hi(self) -> float:
        """High end of the range (the value itself when certain)."""
        return self.value if self.high is None else self.high

    @property
    def is_judgement(self) -> bool:
        """True when the score carries a range (an uncertain judgement)."""
        return self.low is not None or self.high is not None


@dataclass(frozen=True, slots=True)
class Option:
    """A policy option: a measure to fund, or the baseline (status quo)."""

    id: str
    title: str
    scores: dict[str, Score]
    kind: Literal["measure", "baseline"] = "measure"
    recommendation: str | None = None
    summary: str = ""
    source: str = ""
    cost: float = 0.0
    requires: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    basis: str = ""
    cost_note: str = ""
    has_cost: bool = True

    @property
    def is_baseline(self) -> bool:
        """True for the status quo."""
        return self.kind == "baseline"


@dataclass(frozen=True, slots=True)
class Synergy:
    """A score adjustment applied to a package holding all of ``options``."""

    options: tuple[str, ...]
    adjust: dict[str, float]
    rationale: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class Package:
    """A bundle of options, ranked like an option."""

    id: str
    title: str
    options: tuple[str, ...]
    summary: str = ""


@dataclass(frozen=True, slots=True)
class WeightProfile:
    """A stakeholder's weight profile (one file in ``criteria/weights/``).

    ``spec`` holds the method's own entries (``points``, ``ranking``,
    ``pairwise``...) exactly as validated; ``local`` maps a group id to a
    sub-profile giving weights inside that group (value tree).
    """

    id: str
    name: str
    method: str
    spec: dict[str, Any]
    local: dict[str, WeightProfile] = field(default_factory=dict)
    bounds: dict[str, tuple[float, float]] = field(default_factory=dict)
    description: str = ""
    provenance: Literal["illustrative", "elicited"] = "illustrative"
    elicited_from: str = ""
    elicited_on: str = ""


@dataclass(frozen=True, slots=True)
class Source:
    """Where a workspace's evidence comes from (``source`` in criteria.yaml)."""

    title: str
    authors: tuple[str, ...] = ()
    year: int | None = None
    published_in: str = ""
    url: str = ""

    def citation(self) -> str:
        """Authors (year), "title", where published.

        Examples
        --------
        >>> Source("A study", ("Doe",), 2020, "A journal").citation()
        'Doe (2020), "A study", A journal'
        """
        who = ", ".join(self.authors) or "Unknown author"
        year = f" ({self.year})" if self.year is not None else ""
        where = f", {self.published_in}" if self.published_in else ""
        return f'{who}{year}, "{self.title}"{where}'


@dataclass(frozen=True, slots=True)
class Workspace:
    """Everything read from a workspace folder, validated."""

    root: Path
    title: str
    criteria: tuple[Criterion, ...]
    groups: tuple[Group, ...]
    options: tuple[Option, ...]
    profiles: dict[str, WeightProfile]
    packages: tuple[Package, ...] = ()
    synergies: tuple[Synergy, ...] = ()
    default_profile: str | None = None
    files: tuple[Path, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    digests: tuple[tuple[str, str], ...] = ()
    source: Source | None = None
    evidence_date: str = ""
    allocation: AllocationSpec | None = None
    countries: dict[str, dict[str, str]] = field(default_factory=dict)
    templates: Path | None = None

    @property
    def budget(self) -> float | None:
        """The default budget (``budget`` of options/allocation.yaml), or None."""
        return None if self.allocation is None else self.allocation.budget

    @property
    def criterion_ids(self) -> list[str]:
        """Criterion ids in file order."""
        return [c.id for c in self.criteria]

    @property
    def option_ids(self) -> list[str]:
        """Option ids, baseline first then measures in id order."""
        return [o.id for o in self.options]

    def criterion(self, cid: str) -> Criterion:
        """The criterion with id ``cid``."""
        return next(c for c in self.criteria if c.id == cid)

    def option(self, oid: str) -> Option:
        """The option with id ``oid``."""
        return next(o for o in self.options if o.id == oid)

    @property
    def baseline(self) -> Option | None:
        """The baseline option, if one is declared."""
        return next((o for o in self.options if o.is_baseline), None)

    @property
    def measures(self) -> list[Option]:
        """Options of kind ``measure``."""
        return [o for o in self.options if not o.is_baseline]

    def profile_id(self, name: str | None = None) -> str:
        """Resolve a profile name: given, else ``default_profile``, else the only one.

        Raises
        ------
        WorkspaceError
            When the name is unknown or no default can be chosen.
        """
        from policyeval.errors import Issue, WorkspaceError, did_you_mean

        choices = sorted(self.profiles)
        if name is None:
            name = self.default_profile or (choices[0] if len(choices) == 1 else None)
            if name is None:
                raise WorkspaceError(
                    [
                        Issue(
                            "no-default-profile",
                            "several weight profiles and no default_profile; pass --profile "
                            f"NAME or set default_profile. Choices: {', '.join(choices) or 'none'}",
                            "criteria/criteria.yaml",
                            "default_profile",
                        )
                    ]
                )
        if name not in self.profiles:
            raise WorkspaceError(
                [
                    Issue(
                        "unknown-profile",
                        f"unknown profile '{name}'.{did_you_mean(name, choices)} "
                        f"Choices: {', '.join(choices) or 'none'}",
                        "",
                        "profile",
                    )
                ]
            )
        return name

    def children(self, node: str | None) -> list[str]:
        """Ids of the groups and criteria directly under ``node`` (None = root)."""
        groups = [g.id for g in self.groups if g.parent == node]
        crits = [c.id for c in self.criteria if c.group == node]
        return groups + crits

    def leaves(self, node: str | None) -> list[str]:
        """Criterion ids under ``node`` (None = the whole tree), in file order."""
        if node is None:
            return self.criterion_ids
        under = {node}
        changed = True
        while changed:
            more = {g.id for g in self.groups if g.parent in under} - under
            changed = bool(more)
            under |= more
        return [c.id for c in self.criteria if c.group in under]
