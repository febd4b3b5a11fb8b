"""Test workspaces built directly from dicts (no YAML loader)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from policyeval.model import Criterion, Group, Option, Score, WeightProfile, Workspace


def profile(pid: str, method: str, local: dict[str, Any] | None = None, **spec: Any):
    """A WeightProfile; ``local`` maps group -> (method, spec dict) or a WeightProfile."""
    subs = {}
    for g, sub in (local or {}).items():
        subs[g] = sub if isinstance(sub, WeightProfile) else profile(f"{pid}.{g}", sub[0], **sub[1])
    return WeightProfile(pid, pid.title(), method, spec, subs)


def workspace(
    criteria: list[str] | dict[str, str | None],
    profiles: list[WeightProfile],
    groups: dict[str, str | None] | None = None,
    scores: dict[str, dict[str, float]] | None = None,
    directions: dict[str, str] | None = None,
) -> Workspace:
    """``criteria``: ids, or id -> group; ``groups``: id -> parent; ``scores``: option -> row."""
    crit_groups = criteria if isinstance(criteria, dict) else dict.fromkeys(criteria)
    directions = directions or {}
    return Workspace(
        root=Path("."),
        title="test",
        criteria=tuple(
            Criterion(c, c, directions.get(c, "max"), g) for c, g in crit_groups.items()
        ),
        groups=tuple(Group(g, g, p) for g, p in (groups or {}).items()),
        options=tuple(
            Option(o, o, {c: Score(float(v)) for c, v in row.items()})
            for o, row in (scores or {}).items()
        ),
        profiles={p.id: p for p in profiles},
        default_profile=profiles[0].id if profiles else None,
    )


@pytest.fixture
def make_ws():
    """The :func:`workspace` factory."""
    return workspace


@pytest.fixture
def make_profile():
    """The :func:`profile` factory."""
    return profile
