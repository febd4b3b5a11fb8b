"""The only code that reads workspace files."""

from __future__ import annotations

from policyeval.io.workspace import load_workspace

__all__ = ["load_workspace"]
