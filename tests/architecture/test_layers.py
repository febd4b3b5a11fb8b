"""The package's layers: imports only point down (the one-analysis issue, item 8).

package face -> __main__ -> cli -> serve -> api -> diff -> record -> reporting -> analysis ->
verdict, next_steps ->
optimization -> sensitivity -> ranking, weighting -> lp -> io -> model -> errors,
display, charts. Every import is read from the source with ``ast``, function-level
imports included, type-checking-only imports left out (they run nothing); a module may
import its own package and anything on a lower layer, nothing above it or beside it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "policyeval"

LAYERS = {
    "__init__": 13,
    "__main__": 12.5,
    "cli": 12,
    "serve": 11,
    "api": 10,
    "diff": 9.4,
    "record": 9.2,
    "reporting": 9,
    "analysis": 8,
    "verdict": 7, "next_steps": 7,
    "optimization": 6,
    "sensitivity": 5,
    "interop": 4.5,
    "ranking": 4, "weighting": 4,
    "lp": 3,
    "io": 2,
    "model": 1,
    "limits": 0.5, "safepath": 0.5,
    "errors": 0, "display": 0, "charts": 0, "_version": 0, "interrupt": 0, "forked": 0.3,
}  # fmt: skip


def room(module: str) -> str:
    """The top-level room of ``policyeval.x.y`` (``x``), or ``__init__`` for the package."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _type_checking_only(tree: ast.Module) -> set[int]:
    """Ids of the nodes under ``if TYPE_CHECKING:``."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            out |= {id(n) for child in node.body for n in ast.walk(child)}
    return out


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every policyeval import that runs, wherever it stands.

    ``from policyeval import lp`` counts as an import of ``policyeval.lp``.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_only(tree)
    found = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "policyeval":
                found += [(node.lineno, f"policyeval.{a.name}") for a in node.names]
            else:
                found.append((node.lineno, node.module))
    return [(line, m) for line, m in found if m.startswith("policyeval.")]


def modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py"))


def test_every_room_has_a_layer() -> None:
    rooms = {
        room("policyeval." + ".".join(p.relative_to(SRC).with_suffix("").parts)) for p in modules()
    }
    assert rooms <= set(LAYERS), sorted(rooms - set(LAYERS))


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_imports_point_down(path: Path) -> None:
    me = room("policyeval." + ".".join(path.relative_to(SRC).with_suffix("").parts))
    bad = []
    for line, module in imports(path):
        other = room(module)
        if other not in LAYERS:  # a name of the package face, e.g. __version__
            other = "__init__"
        if other == me:
            continue
        if LAYERS[other] >= LAYERS[me]:
            bad.append(
                f"line {line}: {me} (layer {LAYERS[me]}) imports {module} (layer {LAYERS[other]})"
            )
    assert not bad, "\n".join(bad)
