"""Run a function in a forked child process, beside the caller.

Much of a memo's time is Python holding the GIL (the value of information's many small
regressions, drawing the charts), so threads do not overlap it; a second process
does, on a second core. :func:`submit` forks a child that runs ``fn(*args)`` and
sends back its pickled result (or exception) through a pipe; ``job.result()`` returns
it (or raises it). The child starts from a copy of the caller's memory, so it needs
nothing re-loaded, and it ends with ``os._exit`` (no ``atexit``, no flushing of the
caller's buffers).

Where a child cannot help or is not safe, the call runs in the caller when the result
is asked for, with the same result: not on Linux (Windows has no ``fork``; on macOS a
forked child may not use the system's frameworks), one CPU, other Python threads alive
(a fork copies their locks, not the threads; so under ``policyeval serve``), or
``POLICYEVAL_WORKERS=1``. A child that ends without a result
(killed, out of memory), or with an exception that cannot be rebuilt in the caller, is
also replaced by a run in the caller.

Children are registered with :mod:`policyeval.interrupt`, so SIGTERM, Ctrl-C and a
job left unasked (``with`` block) stop them; a child forgets the files its parent
registered, so it never removes them.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import sys
import threading
from collections.abc import Callable, Hashable, Mapping
from typing import Any, Generic, TypeVar

from policyeval import interrupt

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


def workers() -> int:
    """Processes that may work at once: ``POLICYEVAL_WORKERS``, else the usable CPUs."""
    setting = os.environ.get("POLICYEVAL_WORKERS", "").strip()
    if setting.isdigit() and int(setting) >= 1:
        return int(setting)
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def can_fork() -> bool:
    """True when :func:`submit` runs its function in a child process."""
    return sys.platform.startswith("linux") and workers() > 1 and threading.active_count() == 1


class Job(Generic[T]):
    """A call running in a child process (or, where none can, deferred to :meth:`result`)."""

    def __init__(self, fn: Callable[..., T], args: tuple[Any, ...]) -> None:
        self._fn, self._args = fn, args
        self._pid = 0
        self._read = -1
        self._outcome: tuple[bool, Any] | None = None  # (ok, value or exception), once known
        if can_fork():
            self._start()

    def _start(self) -> None:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: compute, send, and leave without running the parent's exit code
            os.close(read)
            interrupt.forget_all()
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; it stops us
            try:
                payload = pickle.dumps((True, self._fn(*self._args)))
            except BaseException as err:  # noqa: BLE001 - every failure goes to the parent
                try:
                    payload = pickle.dumps((False, err))
                except Exception:  # noqa: BLE001 - an exception that cannot be pickled
                    payload = pickle.dumps((False, RuntimeError(repr(err))))
            try:
                with os.fdopen(write, "wb") as pipe:
                    pipe.write(payload)
            finally:
                interrupt.cleanup()
                os._exit(0)
        os.close(write)
        self._pid, self._read = pid, read
        interrupt.track_child(pid)

    @property
    def forked(self) -> bool:
        """Whether a child process is working on the call (else :meth:`result` runs it)."""
        return bool(self._pid)

    def fileno(self) -> int:
        """The pipe the child's result arrives on: readable once it is computed (``select``)."""
        return self._read

    def result(self) -> T:
        """The function's return value (or its exception, raised here); asked again, the same."""
        if self._outcome is None:
            self._outcome = self._collect()
        ok, value = self._outcome
        if not ok:
            raise value
        return value

    def _collect(self) -> tuple[bool, Any]:
        if self._pid:
            with os.fdopen(self._read, "rb") as pipe:
                payload = pipe.read()
            self._reap()
            try:
                if payload:
                    return pickle.loads(payload)
            except Exception:  # noqa: BLE001 - an exception that cannot be rebuilt here
                pass
        # no child, or one that died without a word: compute it here
        try:
            return True, self._fn(*self._args)
        except Exception as err:  # noqa: BLE001 - raised by result(), every time it is asked
            return False, err

    def cancel(self) -> None:
        """Stop the child if it is still working (nothing happens to a finished job)."""
        if self._pid:
            os.close(self._read)
            interrupt.stop_child(self._pid)
            self._pid = 0

    def _reap(self) -> None:
        try:
            os.waitpid(self._pid, 0)
        except ChildProcessError:
            pass
        interrupt.forget_child(self._pid)
        self._pid = 0

    def __del__(self) -> None:
        if getattr(self, "_pid", 0):  # a job dropped unasked leaves no child behind
            with contextlib.suppress(Exception):
                self.cancel()

    def __enter__(self) -> Job[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cancel()


def submit(fn: Callable[..., T], *args: Any) -> Job[T]:
    """Start ``fn(*args)`` in a child process; use as ``with submit(...) as job``.

    Examples
    --------
    >>> with submit(sum, [1, 2, 3]) as job:
    ...     job.result()
    6
    """
    return Job(fn, args)


class Pool(Generic[K, T]):
    """Calls handed out to up to :func:`workers` children as they are added, costliest first.

    :meth:`add` starts a call at once when a worker is free (so a long call can start
    while the caller prepares the others); :meth:`results` waits for all of them. Where
    no child can be forked (see :func:`can_fork`) the calls run in the caller, one after
    another, in :meth:`results`.

    Examples
    --------
    >>> pool = Pool()
    >>> pool.add("a", lambda: 1)
    >>> pool.add("b", lambda: 2, cost=5.0)
    >>> pool.results()
    {'a': 1, 'b': 2}
    """

    def __init__(self) -> None:
        self._order: list[K] = []
        self._queue: list[tuple[float, int, K, Callable[[], T]]] = []  # costliest first
        self._running: dict[K, Job[T]] = {}
        self._results: dict[K, T] = {}  # in the order they arrived

    def add(self, key: K, call: Callable[[], T], cost: float = 0.0) -> None:
        """Queue ``call`` under ``key``; it starts now if a worker is free."""
        self._order.append(key)
        self._queue.append((-cost, len(self._order), key, call))
        self._queue.sort(key=lambda item: item[:2])
        if can_fork():
            try:
                self._collect(wait=False)
            except BaseException:
                self.stop()
                raise

    def results(self, done: Callable[[K], Any] | None = None) -> dict[K, T]:
        """Every call's result, in the order added; the first exception is raised here.

        ``done`` is called with each key as its result arrives. Children still working
        when an exception is raised are stopped.
        """
        told = 0
        try:
            if not can_fork():
                for _, _, key, call in self._queue:
                    self._results[key] = call()
                self._queue.clear()
            while True:
                for key in list(self._results)[told:]:
                    told += 1
                    if done is not None:
                        done(key)
                if not (self._queue or self._running):
                    break
                self._collect(wait=True)
        finally:
            self.stop()
        return {key: self._results[key] for key in self._order}

    def stop(self) -> None:
        """Stop the children still working and drop the calls not started."""
        for job in self._running.values():
            job.cancel()
        self._running.clear()
        self._queue.clear()

    def __enter__(self) -> Pool[K, T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _collect(self, wait: bool) -> None:
        """Start queued calls on free workers; gather the results that have arrived."""
        while self._queue and len(self._running) < workers():
            _, _, key, call = self._queue.pop(0)
            self._running[key] = submit(call)
        forked_ = [job for job in self._running.values() if job.forked]
        ready = set(select.select(forked_, [], [], None if wait else 0)[0]) if forked_ else set()
        for key in [k for k, job in self._running.items() if job in ready or not job.forked]:
            self._results[key] = self._running.pop(key).result()


def run_all(
    calls: Mapping[K, Callable[[], T]],
    cost: Callable[[K], float],
    done: Callable[[K], Any] | None = None,
) -> dict[K, T]:
    """Run every call in up to :func:`workers` children at once, costliest first.

    The caller only hands out the calls and collects their results as they arrive (a
    free worker takes the next call at once). Where no child can be forked (see
    :func:`can_fork`) the calls run in the caller, one after another. Returns the
    results in the order of ``calls``; the first exception is raised (after stopping the
    children still working). ``done`` is called with each key as its result arrives.

    Examples
    --------
    >>> run_all({"a": lambda: 1, "b": lambda: 2}, cost=lambda k: 0.0)
    {'a': 1, 'b': 2}
    """
    pool: Pool[K, T] = Pool()
    for key, call in calls.items():
        pool.add(key, call, cost(key))
    return pool.results(done)
