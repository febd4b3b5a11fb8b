"""Clean up on SIGTERM: the temporary files and folders in use, and the solvers using them.

Writers and the solver wrapper register what they create while it exists
(:func:`track`, :func:`forget`). ``policyeval`` installs :func:`terminate` as the
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
from pathlib import Path
from types import FrameType

_LIVE: dict[str, bool] = {}
"""Registered paths -> True for a folder, False for a file."""


def track(path: str, folder: bool = False) -> None:
    """Register ``path`` (a temporary file, or a folder) for removal on SIGTERM."""
    _LIVE[path] = folder


def forget(path: str) -> None:
    """Unregister ``path`` (it was renamed into place or removed)."""
    _LIVE.pop(path, None)


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


def cleanup() -> None:
    """Remove every registered path (stopping the solvers working in a folder)."""
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
