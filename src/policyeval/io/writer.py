"""Write workspace files atomically: a temporary file in the same folder, then a rename.

Used by every command that writes (elicit, import-xlsx, init, serve, report), so that
nothing half-written is ever left behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

from policyeval.errors import Issue, WorkspaceError


def write_atomic(path: Path, data: bytes | str) -> Path:
    """Write ``data`` to ``path`` through a temporary file and ``os.replace``.

    Raises
    ------
    WorkspaceError
        When the folder cannot be created or written (an Issue naming the path).
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise WorkspaceError(
            [
                Issue(
                    "not-writable",
                    f"cannot write here ({err.strerror}); choose a folder you can write to",
                    str(path.parent),
                )
            ]
        ) from err
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(tmp, path)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise WorkspaceError(
            [Issue("not-writable", f"cannot write the file ({err.strerror})", str(path))]
        ) from err
    return path


class _Dumper(yaml.SafeDumper):
    """Safe dumper writing lists of plain values inline (``[a, b, 3]``)."""


def _represent_list(dumper: yaml.SafeDumper, data: list) -> yaml.Node:
    flow = bool(data) and not any(isinstance(v, list | dict) for v in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(tuple, _represent_list)


def dump_yaml(data: Any, header: str = "") -> str:
    """YAML text in the workspace style: keys in insertion order, block mappings, lists
    of plain values inline (AHP judgements, ties, id lists), UTF-8.

    ``header`` lines are written as comments at the top.

    Examples
    --------
    >>> print(dump_yaml({"method": "ahp", "pairwise": [["a", "b", 3]]}, "A profile"), end="")
    # A profile
    method: ahp
    pairwise:
    - [a, b, 3]
    """
    comment = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return comment + body


def write_yaml(path: Path, data: Any, header: str = "") -> Path:
    """Write ``data`` as YAML to ``path`` atomically."""
    return write_atomic(path, dump_yaml(data, header))
