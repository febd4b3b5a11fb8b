"""Shared fixtures of the report tests: contexts built once per module."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policyeval.analysis import Analysis
from policyeval.io import load_workspace
from policyeval.reporting import report_context

REPO = Path(__file__).resolve().parents[2]
TRANSPORT = REPO / "tests" / "fixtures" / "transport"
PINNED = {"policyeval": "X", "numpy": "X"}  # package versions, pinned for stable bytes


@pytest.fixture(scope="session")
def shipped_ctx():
    """The shipped case's memo context (2,000 samples, date fixed, versions pinned)."""
    return report_context(
        Analysis(load_workspace(REPO)), date="2026-01-31", seed=0, samples=2000, versions=PINNED
    )


@pytest.fixture
def transport_copy(tmp_path: Path) -> Path:
    """A writable copy of the generic transport workspace."""
    return Path(shutil.copytree(TRANSPORT, tmp_path / "transport"))
