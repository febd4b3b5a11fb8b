"""Write small workspaces into a folder from plain dicts (dbt-style test fixtures)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml


def tiny_spec() -> dict[str, Any]:
    """A valid three-option, three-criterion workspace as a dict of file contents."""
    return copy.deepcopy(
        {
            "criteria/criteria.yaml": {
                "title": "Tiny decision",
                "default_profile": "even",
                "groups": [{"id": "impact", "name": "Impact"}],
                "criteria": [
                    {"id": "benefit", "name": "Benefit", "group": "impact", "scale": [0, 10]},
                    {"id": "reach", "name": "Reach", "group": "impact", "scale": [0, 10]},
                    {"id": "cost", "name": "Cost", "direction": "min", "combine": "sum"},
                ],
            },
            "criteria/weights/even.yaml": {
                "name": "Even",
                "method": "points",
                "points": {"benefit": 1, "reach": 1, "cost": 1},
            },
            "options/status_quo.yaml": {
                "id": "status_quo",
                "title": "Status quo",
                "kind": "baseline",
                "scores": {"benefit": 2, "reach": 3, "cost": 0},
            },
            "options/alpha.yaml": {
                "id": "alpha",
                "title": "Alpha",
                "cost": 10,
                "scores": {
                    "benefit": {"value": 8, "low": 6, "high": 9, "rationale": "r", "source": "§1"},
                    "reach": 5,
                    "cost": 10,
                },
            },
            "options/beta.yaml": {
                "id": "beta",
                "title": "Beta",
                "cost": 4,
                "requires": ["alpha"],
                "scores": {"benefit": 5, "reach": 9, "cost": 4},
            },
            "options/packages.yaml": {
                "packages": [{"id": "both", "title": "Both", "options": ["alpha", "beta"]}],
                "synergies": [{"options": ["alpha", "beta"], "adjust": {"reach": 1}}],
            },
        }
    )


def write_workspace(root: Path, spec: dict[str, Any]) -> Path:
    """Write ``{relative path: dict or raw text}`` under ``root``; return ``root``."""
    for rel, content in spec.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_text(yaml.safe_dump(content, sort_keys=False), encoding="utf-8")
    return root
