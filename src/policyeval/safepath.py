"""Containment: every path policyeval writes is resolved here, inside a chosen folder.

:func:`resolve_write_path` is the one gate between a name that came from input
(an id, a template name, a relative report path) and the file system. It joins
the name to its base folder (the workspace, or the ``--out`` folder the user
chose), resolves ``..``, symlinks and absolute paths, and refuses anything that
does not end up inside the base. Writers call it before creating any folder or
file (:func:`policyeval.io.writer.write_file`).
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath

from policyeval.errors import Issue, WorkspaceError

NAME_MAX = 255
"""Longest file name (bytes) of the common file systems."""


def resolve_write_path(base: str | Path, rel: str | PurePath, entry: str = "") -> Path:
    """The absolute path to write ``rel`` under ``base``, refusing anything outside ``base``.

    Parameters
    ----------
    base : str or Path
        The folder writes are contained in: the workspace or the chosen ``--out``
        folder. It may not exist yet; a symlink given as ``base`` is followed
        (it is the user's choice).
    rel : str or PurePath
        The path to write, relative to ``base`` (e.g. ``criteria/weights/x.yaml``).
    entry : str
        Where the name came from (an option or a field), for the message.

    Returns
    -------
    Path
        The resolved target, inside the resolved ``base``.

    Raises
    ------
    WorkspaceError
        ``path-outside`` when ``rel`` is absolute, holds ``..``, or resolves
        (through symlinks) to a place outside ``base``; ``bad-file-name`` for an
        empty name, a NUL byte or a name too long for the file system.

    Examples
    --------
    >>> str(resolve_write_path("/tmp/ws", "options/a.yaml"))
    '/tmp/ws/options/a.yaml'
    >>> resolve_write_path("/tmp/ws", "../x.yaml")
    Traceback (most recent call last):
    ...
    policyeval.errors.WorkspaceError: ../x.yaml: refusing to write outside ...
    """
    text = str(rel)
    root = Path(os.path.abspath(base)).resolve()
    parts = PurePath(text).parts
    if not text or "\0" in text or any(len(p.encode()) > NAME_MAX for p in parts):
        raise WorkspaceError(
            [
                Issue(
                    "bad-file-name",
                    "this name cannot be a file name (empty, a NUL byte, or longer than "
                    f"{NAME_MAX} bytes); use a shorter id",
                    _shown(text),
                    entry,
                )
            ]
        )
    if PurePath(text).is_absolute() or ".." in parts:
        raise _outside(text, root, entry)
    target = (root / text).resolve()
    if target == root or not target.is_relative_to(root):
        raise _outside(text, root, entry)
    return target


def _outside(text: str, root: Path, entry: str) -> WorkspaceError:
    return WorkspaceError(
        [
            Issue(
                "path-outside",
                f"refusing to write outside {root}: the name leads elsewhere (through '..', "
                "an absolute path or a symlink); use a plain id or file name",
                _shown(text),
                entry,
            )
        ]
    )


def _shown(text: str) -> str:
    text = text.encode("unicode_escape").decode("ascii")
    return text if len(text) <= 80 else text[:77] + "..."
