"""Read YAML safely: duplicate keys, tabs, bad encodings, syntax errors and oversized
input become Issues.

Numbers follow what analysts write: ``1e3``, ``1.2e1`` and ``2.5e6`` are numbers
(YAML 1.1 would read them as text), and ``1:30`` is text (YAML 1.1 reads it as 90,
in base 60). A merge key (``<<: *defaults``) may be followed by keys that override
it. Files over the ``file_bytes`` limit, and documents whose aliases expand to more
than ``yaml_nodes`` values ("billion laughs"), are refused before they are built
(:mod:`policyeval.limits`).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import yaml

from policyeval.errors import Issue
from policyeval.limits import exceeded, limit

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_INT, _FLOAT = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_MERGE = "tag:yaml.org,2002:merge"
MAX_DIGITS = 4000
"""Longest integer literal read (Python refuses to convert more than 4300 digits)."""
_SHOWN = 120
"""Characters of each line quoted in a syntax error."""


class _UniqueKeyLoader(_Base):  # type: ignore[misc, valid-type]
    """A safe loader that rejects duplicate mapping keys, with analyst-friendly numbers."""

    yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag not in (_INT, _FLOAT)]
        for first, resolvers in _Base.yaml_implicit_resolvers.items()
    }


_UniqueKeyLoader.add_implicit_resolver(
    _INT,
    re.compile(
        r"""^(?:[-+]?0b[0-1_]+
        |[-+]?0[0-7_]+
        |[-+]?(?:0|[1-9][0-9_]*)
        |[-+]?0x[0-9a-fA-F_]+)$""",
        re.X,
    ),
    list("-+0123456789"),
)
_UniqueKeyLoader.add_implicit_resolver(
    _FLOAT,
    re.compile(
        r"""^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+
        |[-+]?\.[0-9_]+(?:[eE][-+]?[0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
        re.X,
    ),
    list("-+0123456789."),
)


class NumberTooLongError(yaml.YAMLError):
    """An integer literal with more digits than :data:`MAX_DIGITS`."""

    def __init__(self, digits: int, line: int) -> None:
        self.digits, self.line = digits, line
        super().__init__(f"an integer of {digits} digits")


def _construct_int(loader: Any, node: yaml.ScalarNode) -> int:
    if len(node.value) > MAX_DIGITS:
        raise NumberTooLongError(len(node.value), node.start_mark.line + 1)
    return yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)


def _construct_mapping(loader: Any, node: yaml.MappingNode, deep: bool = False) -> dict:
    explicit = sum(1 for key_node, _ in node.value if key_node.tag != _MERGE)
    loader.flatten_mapping(node)
    merged = len(node.value) - explicit  # flatten_mapping puts merged pairs first
    seen: dict[Any, int] = {}
    mapping: dict[Any, Any] = {}
    for index, (key_node, value_node) in enumerate(node.value):
        key = loader.construct_object(key_node, deep=deep)
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, f"a mapping key must be a plain value, got {key!r}", key_node.start_mark
            )
        if index >= merged:  # an explicit key may override a merged one, not repeat itself
            if key in seen:
                raise DuplicateKeyError(str(key), seen[key] + 1, key_node.start_mark.line + 1)
            seen[key] = key_node.start_mark.line
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_UniqueKeyLoader.add_constructor(_INT, _construct_int)


class DuplicateKeyError(yaml.YAMLError):
    """A key appears twice in the same mapping."""

    def __init__(self, key: str, first_line: int, line: int) -> None:
        self.key, self.first_line, self.line = key, first_line, line
        super().__init__(f"duplicate key '{key}'")


def expanded_size(node: yaml.Node, cap: int) -> int:
    """How many values ``node`` holds once its aliases are expanded, counted up to ``cap + 1``.

    Aliases share nodes, so a few hundred bytes can stand for billions of values
    ("billion laughs"); this walk stops as soon as the count passes ``cap``, so it
    costs at most ``cap`` steps, also for recursive aliases.
    """
    count, todo = 0, [node]
    while todo and count <= cap:
        current = todo.pop()
        count += 1
        if isinstance(current, yaml.SequenceNode):
            todo.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            for key_node, value_node in current.value:
                todo += (key_node, value_node)
    return count


def _load(text: str, rel: str) -> tuple[Any, list[Issue]]:
    """Compose, check the expanded size, then construct (raises yaml.YAMLError)."""
    loader = _UniqueKeyLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, []
        cap = int(limit("yaml_nodes"))
        size = expanded_size(node, cap)
        if size > cap:
            return None, [
                exceeded(
                    "yaml_nodes", f"over {cap:,}", "values once anchors and aliases expand", rel
                )
            ]
        return loader.construct_document(node), []
    finally:
        loader.dispose()


def _context(text: str, line: int) -> str:
    lines = text.splitlines()
    lo, hi = max(0, line - 2), min(len(lines), line + 1)
    return " | ".join(f"{i + 1}: {_cut(lines[i])}" for i in range(lo, hi))


def _cut(line: str) -> str:
    return line if len(line) <= _SHOWN else line[: _SHOWN - 3] + "..."


def read_text(
    path: Path, rel: str, digests: dict[str, str] | None = None
) -> tuple[str | None, list[Issue]]:
    """The text of a UTF-8 file (a byte-order mark is dropped), or None and the problem.

    ``digests``, when given, records the SHA-256 of the bytes read under ``rel``.
    """
    try:
        size = path.stat().st_size
        if size > limit("file_bytes"):
            return None, [exceeded("file_bytes", size, "bytes", rel)]
        raw = path.read_bytes()
    except OSError as err:
        return None, [Issue("unreadable", f"cannot read the file ({err.strerror})", rel)]
    if digests is not None:
        digests[rel] = hashlib.sha256(raw).hexdigest()
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as err:
        return None, [
            Issue("not-utf8", f"the file is not UTF-8 (byte {err.start}); save it as UTF-8", rel)
        ]


def read_yaml(
    path: Path, rel: str, digests: dict[str, str] | None = None
) -> tuple[Any, list[Issue]]:
    """Load one YAML file.

    Parameters
    ----------
    path : Path
        The file.
    rel : str
        Its name relative to the workspace, used in messages.
    digests : dict, optional
        Where to record the SHA-256 of the bytes read (``rel`` -> hex digest).

    Returns
    -------
    data, issues
        The parsed document (None when it could not be read) and the problems found.
    """
    text, found = read_text(path, rel, digests)
    if text is None:
        return None, found
    if not text.strip():
        return None, [Issue("empty-file", "the file is empty; fill it in or delete it", rel)]
    for n, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t"):
            return None, [
                Issue(
                    "tab-indent",
                    f"line {n} is indented with a tab; YAML needs spaces for indentation",
                    rel,
                    f"line {n}",
                )
            ]
    try:
        data, found = _load(text, rel)
    except NumberTooLongError as err:
        return None, [
            Issue(
                "not-finite",
                f"expected a finite number, got an integer of {err.digits} digits; "
                "write it in scientific notation (e.g. 1.0e+30) or in other units",
                rel,
                f"line {err.line}",
            )
        ]
    except DuplicateKeyError as err:
        return None, [
            Issue(
                "duplicate-key",
                f"key '{err.key}' appears twice (lines {err.first_line} and {err.line}); "
                "keep one of them",
                rel,
                f"line {err.line}",
            )
        ]
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        problem = getattr(err, "problem", None) or str(err)
        if mark is not None:
            line = mark.line + 1
            return None, [
                Issue(
                    "yaml-syntax",
                    f"YAML syntax error at line {line}, column {mark.column + 1}: {problem} "
                    f"[{_context(text, line)}]",
                    rel,
                    f"line {line}",
                )
            ]
        return None, [Issue("yaml-syntax", f"YAML syntax error: {problem}", rel)]
    except RecursionError:
        return None, [
            Issue("yaml-too-deep", "the file is nested too deeply to read; flatten it", rel)
        ]
    if found:
        return None, found
    if data is None:
        return None, [
            Issue("empty-file", "the file holds only comments; fill it in or delete it", rel)
        ]
    return data, []
