"""Hierarchical (value-tree) weights: global weight = product along the tree."""

from __future__ import annotations

from collections.abc import Mapping


def tree_product(
    local: Mapping[str | None, Mapping[str, float]], node: str | None = None
) -> dict[str, float]:
    """Global leaf weights from local weights at each node.

    Parameters
    ----------
    local : mapping of node to mapping of child to float
        ``local[node]`` gives the normalized weights of ``node``'s children;
        ``None`` is the root. A child that is itself a key is a group.
    node : str or None
        Where to start (the root by default).

    Returns
    -------
    dict of str to float
        Leaf weight = product of the local weights on its path.

    Raises
    ------
    ValueError
        When a group is reachable from itself.

    References
    ----------
    Keeney, R. L., & Raiffa, H. (1976). *Decisions with Multiple Objectives*.
    Wiley (hierarchical weighting of a value tree).

    Examples
    --------
    >>> tree_product({None: {"g": 0.6, "c": 0.4}, "g": {"a": 0.5, "b": 0.5}})
    {'a': 0.3, 'b': 0.3, 'c': 0.4}
    """
    out: dict[str, float] = {}

    def walk(at: str | None, factor: float, path: tuple[str | None, ...]) -> None:
        for child, w in local[at].items():
            if child in path:
                raise ValueError(f"group '{child}' contains itself")
            if child in local:
                walk(child, factor * w, (*path, child))
            else:
                out[child] = factor * w

    walk(node, 1.0, (node,))
    return out
