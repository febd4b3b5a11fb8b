"""Shared fixtures: workspaces written into tmp_path from dicts."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from workspaces import tiny_spec, write_workspace  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A valid tiny workspace folder."""
    return write_workspace(tmp_path / "ws", tiny_spec())


@pytest.fixture
def shipped() -> Path:
    """The shipped Central Asia case (repository root)."""
    return REPO
