"""Read YAML safely: duplicate keys, tabs, bad encodings and syntax errors become Issues."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml

from policyeval.errors import Issue

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_Base):  # type: ignore[misc, valid-type]
    """A safe loader that rejects duplicate mapping keys."""


def _construct_mapping(loader: Any, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    seen: dict[Any, int] = {}
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, f"a mapping key must be a plain value, got {key!r}", key_node.start_mark
            )
        if key in seen:
            raise DuplicateKeyError(str(key), seen[key] + 1, key_node.start_mark.line + 1)
        seen[key] = key_node.start_mark.line
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class DuplicateKeyError(yaml.YAMLError):
    """A key appears twice in the same mapping."""

    def __init__(self, key: str, first_line: int, line: int) -> None:
        self.key, self.first_line, self.line = key, first_line, line
        super().__init__(f"duplicate key '{key}'")


def _context(text: str, line: int) -> str:
    lines = text.splitlines()
    lo, hi = max(0, line - 2), min(len(lines), line + 1)
    return " | ".join(f"{i + 1}: {lines[i]}" for i in range(lo, hi))


def read_text(
    path: Path, rel: str, digests: dict[str, str] | None = None
) -> tuple[str | None, list[Issue]]:
    """The text of a UTF-8 file (a byte-order mark is dropped), or None and the problem.

    ``digests``, when given, records the SHA-256 of the bytes read under ``rel``.
    """
    try:
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
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - safe loader subclass
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
    if data is None:
        return None, [
            Issue("empty-file", "the file holds only comments; fill it in or delete it", rel)
        ]
    return data, []
