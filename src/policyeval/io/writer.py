"""Write files crash-safely: a temporary file in the same folder, fsync, then a rename.

Used by every command that writes (elicit, import-xlsx, init, serve, report), so that
nothing half-written is ever left behind: a reader (or a crash) sees the old file or
the new one. Paths built from input go through
:func:`policyeval.safepath.resolve_write_path` first (:func:`write_file` does both).
New files get the usual permissions (``0666`` less the umask, 0644 by default).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import threading
from pathlib import Path, PurePath
from typing import Any

import yaml

from policyeval.errors import Issue, WorkspaceError
from policyeval.interrupt import forget, track
from policyeval.safepath import resolve_write_path

TMP_SUFFIX = ".tmp"
"""Suffix of the temporary files (``.NAME.XXXX.tmp``, beside the target)."""

_UMASK: list[int] = []
_UMASK_LOCK = threading.Lock()


def file_mode() -> int:
    """The mode of a new file: ``0o666`` less the process umask (read once)."""
    with _UMASK_LOCK:
        if not _UMASK:
            mask = os.umask(0o022)
            os.umask(mask)
            _UMASK.append(mask)
    return 0o666 & ~_UMASK[0]


def write_atomic(path: Path, data: bytes | str, *, exclusive: bool = False) -> Path:
    """Write ``data`` to ``path`` through a temporary file, ``fsync`` and ``os.replace``.

    Parameters
    ----------
    path : Path
        The target, already resolved (see :func:`write_file` for input names).
    data : bytes or str
        The content (text is written as UTF-8).
    exclusive : bool
        Create the file only if it does not exist, atomically (a hard link of the
        complete temporary file): of two concurrent exclusive writers, one wins.

    Raises
    ------
    FileExistsError
        With ``exclusive``, when ``path`` already exists (nothing is written).
    WorkspaceError
        When the folder cannot be created or written (an Issue naming the path).
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    tmp = ""
    try:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = str(path.parent / f".{path.name[:64]}.{secrets.token_hex(6)}{TMP_SUFFIX}")
            track(tmp)  # before it exists: a SIGTERM at any moment removes it
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as err:
            raise _unwritable(err, path.parent) from err
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, file_mode())
        if exclusive:
            os.link(tmp, path)
        else:
            os.replace(tmp, path)
    except FileExistsError:
        raise
    except OSError as err:
        raise _unwritable(err, path) from err
    finally:  # also on Ctrl-C; on SIGTERM, policyeval.interrupt removes it
        if tmp:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            forget(tmp)
    _sync_folder(path.parent)
    return path


LEFTOVER_AGE = 60.0
"""Seconds after which a temporary file of ours is a leftover (a write takes milliseconds)."""


def remove_leftovers(folder: Path, now: float | None = None) -> list[Path]:
    """Remove the temporary files an interrupted write left in ``folder`` (``kill -9``).

    Only files of :func:`write_atomic`'s own pattern (``.NAME.<12 hex digits>.tmp``) older
    than :data:`LEFTOVER_AGE` are removed (a younger one may belong to a write in
    progress); returns the paths removed.
    """
    import re
    import time

    ours = re.compile(rf"^\..+\.[0-9a-f]{{12}}{re.escape(TMP_SUFFIX)}\Z")
    now = time.time() if now is None else now
    removed = []
    for path in sorted(folder.glob(f".*{TMP_SUFFIX}")):
        try:
            old = now - path.lstat().st_mtime > LEFTOVER_AGE
            if ours.match(path.name) and old and path.is_file() and not path.is_symlink():
                path.unlink()
                removed.append(path)
        except OSError:  # gone meanwhile, or not ours to remove
            continue
    return removed


def write_file(
    base: Path, rel: str | PurePath, data: bytes | str, *, exclusive: bool = False
) -> Path:
    """Write ``data`` to ``base / rel`` atomically, refusing any place outside ``base``.

    ``base`` is the workspace or the chosen output folder; ``rel`` comes from input
    (ids, template names). See :func:`policyeval.safepath.resolve_write_path`.
    """
    return write_atomic(resolve_write_path(base, rel), data, exclusive=exclusive)


def _sync_folder(folder: Path) -> None:
    """Make the rename durable (best effort: some file systems refuse)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _unwritable(err: OSError, where: Path) -> WorkspaceError:
    return WorkspaceError(
        [
            Issue(
                "not-writable",
                f"cannot write here ({err.strerror or err}); choose a folder you can write to",
                str(where),
            )
        ]
    )


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
