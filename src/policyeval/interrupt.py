"""Clean up on SIGTERM: the temporary files and folders in use, the solvers using them,
and our worker processes.

Writers and the solver wrapper register what they create while it exists
(:func:`track`, :func:`forget`); :mod:`policyeval.forked` registers its children
(:func:`track_child`). ``policyeval`` installs :func:`terminate` as the
SIGTERM handler: it removes what is registered, stops the CBC processes working in
a registered folder, and exits with 143 at once. (Raising an exception from the
handler instead could land in a finalizer, where Python ignores it.) Ctrl-C keeps
Python's ``KeyboardInterrupt``: ``finally`` blocks clean up, and ``policyeval``'s
entry point calls :func:`cleanup` on the way out for anything an interruption
between two statements left registered.
"""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path
from types import FrameType

_LIVE: dict[str, bool] = {}
"""Registered paths -> True for a folder, False for a file."""
_CHILDREN: set[int] = set()
"""Process ids of running worker children."""


def track(path: str, folder: bool = False) -> None:
    """Register ``path`` (a temporary file, or a folder) for removal on SIGTERM."""
    _LIVE[path] = folder


def forget(path: str) -> None:
    """Unregister ``path`` (it was renamed into place or removed)."""
    _LIVE.pop(path, None)


def track_child(pid: int) -> None:
    """Register a worker child, stopped and reaped by :func:`cleanup` (:func:`stop_child`)."""
    _CHILDREN.add(pid)


def forget_child(pid: int) -> None:
    """Unregister a worker child (it has been reaped)."""
    _CHILDREN.discard(pid)


def forget_all() -> None:
    """Forget everything registered (in a forked child: those are the parent's)."""
    _LIVE.clear()
    _CHILDREN.clear()


def stop_processes_using(folder: str) -> None:
    """Kill and reap our processes whose command line names ``folder`` (Linux ``/proc``)."""
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if folder.encode() not in (proc / "cmdline").read_bytes():
                continue
            os.kill(int(proc.name), signal.SIGKILL)
            os.waitpid(int(proc.name), 0)
        except (OSError, ValueError):  # gone meanwhile, or not our child
            continue


def stop_child(pid: int, grace: float = 2.0) -> None:
    """Stop worker child ``pid`` and reap it.

    SIGTERM first: the child removes its own files and exits. A child still running
    ``grace`` seconds later is killed (SIGKILL): one busy inside a library's C code
    never gets to run Python's handler, and waiting for it would hang the caller.
    """
    try:
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        while os.waitpid(pid, os.WNOHANG) == (0, 0):
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                break
            time.sleep(0.01)
    except OSError:  # gone meanwhile, or reaped already
        pass
    forget_child(pid)


def cleanup() -> None:
    """Stop every worker child; remove every registered path (and the solvers using it)."""
    for pid in list(_CHILDREN):
        stop_child(pid)
    for path, folder in list(_LIVE.items()):
        try:
            if folder:
                stop_processes_using(path)
                shutil.rmtree(path, ignore_errors=True)
            else:
                os.unlink(path)
        except OSError:
            pass
        forget(path)


def terminate(signum: int, frame: FrameType | None) -> None:
    """SIGTERM handler: :func:`cleanup`, then exit with ``128 + signum`` at once."""
    cleanup()
    os._exit(128 + signum)


def install() -> None:
    """Make SIGTERM clean up and exit (main thread only; elsewhere nothing changes)."""
    try:
        signal.signal(signal.SIGTERM, terminate)
    except ValueError:  # not the main thread
        pass
