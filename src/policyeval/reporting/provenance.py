"""Provenance of a memo: input hashes, settings, package versions, the command to rerun.

Everything here is reproducible: paths are relative to the workspace, there is
no clock (the memo date is an input) and file hashes are SHA-256 of the bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shlex
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

PACKAGES = ("policyeval", "numpy", "pandas", "scikit-criteria", "pulp", "jinja2", "matplotlib")


def default_date() -> str:
    """The memo date when none is given: SOURCE_DATE_EPOCH's, else today (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return when.date().isoformat()


def file_hashes(digests: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    """Rows ``{"path", "sha256"}`` of a workspace's input digests, sorted by path.

    The digests are those the loader took of the bytes it parsed
    (``Workspace.digests``): no file is read a second time.

    Examples
    --------
    >>> file_hashes([("b.yaml", "2"), ("a.yaml", "1")])[0]
    {'path': 'a.yaml', 'sha256': '1'}
    """
    return [{"path": p, "sha256": h} for p, h in sorted(digests)]


def combined_hash(files: Iterable[Mapping[str, str]]) -> str:
    """One SHA-256 over every input: of the lines ``"<sha256>  <path>\\n"``, sorted by path.

    These are the lines ``sha256sum`` prints, so from the workspace folder
    ``sha256sum FILES | sort -k 2 | sha256sum`` gives the same digest
    (``LC_ALL=C`` for the byte order of the paths).

    Examples
    --------
    >>> combined_hash([{"path": "b", "sha256": "2"}, {"path": "a", "sha256": "1"}]) == (
    ...     hashlib.sha256(b"1  a\\n2  b\\n").hexdigest())
    True
    """
    lines = "".join(f"{f['sha256']}  {f['path']}\n" for f in sorted(files, key=lambda f: f["path"]))
    return hashlib.sha256(lines.encode()).hexdigest()


def package_versions(names: Sequence[str] = PACKAGES) -> dict[str, str]:
    """Installed versions of the packages a memo depends on ("not installed" if absent)."""
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in names:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def reproduce_command(args: Mapping[str, Any]) -> str:
    """The shell command, run from the workspace folder, that writes the same files.

    ``args`` maps long option names (without ``--``) to values; None is left out,
    True is a bare flag.

    Examples
    --------
    >>> reproduce_command({"profile": "balanced", "date": "2026-01-31", "seed": 0, "x": None})
    'policyeval report -w . --profile balanced --date 2026-01-31 --seed 0'
    """
    parts = ["policyeval", "report", "-w", "."]
    for key, value in args.items():
        if value is None or value is False:
            continue
        parts.append(f"--{key}")
        if value is not True:
            parts.append(str(value))
    return shlex.join(parts)
