"""Work in forked children (policyeval.forked): same results as in the caller, errors
raised in the caller, no child left behind, and the caller's files never touched."""

from __future__ import annotations

import os
import signal
import threading
import time
from functools import partial
from pathlib import Path

import pytest

from policyeval import forked, interrupt
from policyeval.errors import InfeasibleError, Issue, WorkspaceError


@pytest.fixture
def two_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork whatever the machine's CPU count (CI machines may have one)."""
    monkeypatch.setenv("POLICYEVAL_WORKERS", "2")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def square_and_pid(x: int) -> tuple[int, int]:
    return x * x, os.getpid()


def test_submit_runs_in_a_child_and_returns_its_result(two_workers: None) -> None:
    with forked.submit(square_and_pid, 7) as job:
        assert job.forked
        value, pid = job.result()
    assert value == 49 and pid != os.getpid()
    assert not alive(pid) and interrupt._CHILDREN == set()


def test_a_large_result_comes_through_the_pipe_whole(two_workers: None) -> None:
    payload = bytes(range(256)) * 40_000  # 10 MB, far above a pipe's buffer
    with forked.submit(bytes, payload) as job:
        assert job.result() == payload


def fail() -> None:
    raise WorkspaceError([Issue("bad", "the message", "options/a.yaml", "scores.x")])


def test_an_error_in_the_child_is_raised_in_the_caller(two_workers: None) -> None:
    with forked.submit(fail) as job, pytest.raises(WorkspaceError) as err:
        job.result()
    assert [(i.code, i.message, i.file) for i in err.value.issues] == [
        ("bad", "the message", "options/a.yaml")
    ]
    assert str(err.value) == "options/a.yaml: scores.x: the message"


def infeasible() -> None:
    raise InfeasibleError("no portfolio fits", ["budget", "must_fund_a"])


def test_an_infeasible_problem_in_the_child_is_raised_in_the_caller(two_workers: None) -> None:
    with forked.submit(infeasible) as job, pytest.raises(InfeasibleError) as err:
        job.result()
    assert (str(err.value), err.value.constraints) == (
        "no portfolio fits",
        ["budget", "must_fund_a"],
    )


def die_in_a_child(parent: int) -> int:
    if os.getpid() != parent:
        os.kill(os.getpid(), signal.SIGKILL)
    return os.getpid()


def test_a_child_that_dies_is_replaced_by_a_run_in_the_caller(two_workers: None) -> None:
    with forked.submit(die_in_a_child, os.getpid()) as job:
        assert job.forked
        assert job.result() == os.getpid()


def test_leaving_the_block_stops_a_working_child(two_workers: None) -> None:
    with forked.submit(time.sleep, 60) as job:
        pid = job._pid
        assert alive(pid)
    assert not alive(pid)  # stopped and reaped, not a zombie
    assert interrupt._CHILDREN == set()


def test_cleanup_stops_children_and_the_child_forgets_the_callers_files(
    two_workers: None, tmp_path
) -> None:
    mine = tmp_path / "parent.tmp"
    mine.write_text("x")
    interrupt.track(str(mine))
    try:
        with forked.submit(lambda: dict(interrupt._LIVE)) as job:
            assert job.result() == {}  # the child knows nothing of the caller's files
        job = forked.submit(time.sleep, 60)
        pid = job._pid
        interrupt.forget(str(mine))
        interrupt.cleanup()  # what SIGTERM and the entry point run
        assert not alive(pid) and interrupt._CHILDREN == set()
        assert mine.exists()
    finally:
        interrupt.forget(str(mine))


def test_no_fork_with_other_threads_alive_or_one_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICYEVAL_WORKERS", "2")
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        with forked.submit(square_and_pid, 3) as job:
            assert not job.forked
            assert job.result() == (9, os.getpid())  # run in the caller, when asked
    finally:
        stop.set()
        other.join()
    monkeypatch.setenv("POLICYEVAL_WORKERS", "1")
    assert not forked.can_fork()


def test_run_all_keeps_the_order_and_spreads_the_work(two_workers: None) -> None:
    calls = {k: (lambda k=k: square_and_pid(k)) for k in range(6)}
    arrived: list[int] = []
    results = forked.run_all(calls, cost=float, done=arrived.append)
    assert list(results) == list(range(6))
    assert [v for v, _ in results.values()] == [k * k for k in range(6)]
    pids = {pid for _, pid in results.values()}
    assert os.getpid() not in pids and len(pids) == 6  # a child per call, none in the caller
    assert sorted(arrived) == list(range(6))  # progress: each key once, as it arrived
    assert interrupt._CHILDREN == set()


def span(seconds: float) -> tuple[float, float]:
    start = time.time()
    time.sleep(seconds)
    return start, time.time()


def test_run_all_keeps_every_worker_busy(two_workers: None) -> None:
    """Two workers, calls of 1.2, 0.3 and 0.3 s: the worker freed by a short call takes the
    third while the long one still runs (not after both of the first two)."""
    seconds = (1.2, 0.3, 0.3)
    got = forked.run_all(
        {k: partial(span, s) for k, s in enumerate(seconds)}, cost=seconds.__getitem__
    )
    assert got[2][0] < got[0][1]  # the third started before the first ended


def test_a_pool_starts_a_call_as_soon_as_it_is_added(two_workers: None) -> None:
    """A long call starts while the caller still prepares the next ones (not at results())."""
    pool: forked.Pool[str, tuple[float, float]] = forked.Pool()
    pool.add("long", partial(span, 0.1), cost=1.0)
    time.sleep(1.0)  # the caller prepares the next call meanwhile
    added = time.time()
    pool.add("short", partial(span, 0.1))
    got = pool.results()
    assert list(got) == ["long", "short"]
    assert got["long"][0] < added  # started before the second call was even added
    assert interrupt._CHILDREN == set()


def test_run_all_runs_in_the_caller_where_it_cannot_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICYEVAL_WORKERS", "1")
    results = forked.run_all({k: (lambda k=k: square_and_pid(k)) for k in range(3)}, cost=float)
    assert results == {k: (k * k, os.getpid()) for k in range(3)}


def test_run_all_raises_the_first_error_and_stops_the_rest(two_workers: None) -> None:
    started = time.perf_counter()
    with pytest.raises(WorkspaceError):
        forked.run_all({"slow": lambda: time.sleep(60), "bad": fail}, cost=len)
    assert time.perf_counter() - started < 30  # the sleeping child was stopped, not awaited
    assert interrupt._CHILDREN == set()


def test_asked_again_a_job_gives_the_same_answer(two_workers: None) -> None:
    with forked.submit(square_and_pid, 5) as job:
        first = job.result()
        assert job.result() == first and first[1] != os.getpid()  # not computed again here
    with forked.submit(fail) as job:
        for _ in range(2):
            with pytest.raises(WorkspaceError):
                job.result()


def test_a_job_dropped_unasked_leaves_no_child(two_workers: None) -> None:
    job = forked.submit(time.sleep, 60)
    pid = job._pid
    del job  # e.g. an error between starting a drawing and using it
    assert not alive(pid) and interrupt._CHILDREN == set()


def knapsack(n: int, seed: int = 0) -> float:
    """A small 0-1 knapsack solved by HiGHS through PuLP; its optimal value."""
    import numpy as np

    from policyeval import lp

    rng = np.random.default_rng(seed)
    prob = lp.new_problem("knapsack")
    x = [lp.add_var(prob, f"x{i}", binary=True) for i in range(n)]
    value, weight = rng.uniform(1, 10, n), rng.integers(1, 100, n)
    prob += lp.lp_sum(float(v) * xi for v, xi in zip(value, x))
    prob += lp.lp_sum(int(w) * xi for w, xi in zip(weight, x)) <= int(weight.sum() // 3)
    lp.solve(prob, lp.make_solver("highs"))
    return round(float(prob.objective.value()), 6)


def test_a_highs_mip_in_a_child_after_highs_ran_here_finishes(two_workers: None) -> None:
    """HiGHS keeps worker threads after its first solve; a child forked then copied its
    scheduler without them and its next MIP waited for ever (policyeval.lp stops them
    before every fork)."""
    import select

    import numpy as np

    from policyeval.lp import solve_lp

    solve_lp([1.0, 1.0], a_ub=np.array([[-1.0, -2.0]]), b_ub=[-2.0])  # HiGHS runs here
    here = knapsack(50)
    with forked.submit(knapsack, 50) as job:
        assert job.forked
        assert select.select([job], [], [], 60)[0], "the child's MIP did not finish in 60 s"
        assert job.result() == here


def stubborn(ready: str) -> None:
    """A child that does not end on SIGTERM, as one busy in a library's C code."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    Path(ready).touch()
    time.sleep(60)


def test_a_child_that_does_not_end_on_sigterm_is_killed(two_workers: None, tmp_path) -> None:
    """Stopping a job waits a moment for SIGTERM, then kills (a child stuck in HiGHS's C++
    code kept `frontier` waiting for ever after a timeout's SIGTERM)."""
    ready = tmp_path / "ready"
    job = forked.submit(stubborn, str(ready))
    [pid] = interrupt._CHILDREN
    deadline = time.monotonic() + 30
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert ready.exists()
    start = time.perf_counter()
    job.cancel()
    assert time.perf_counter() - start < 15
    assert not alive(pid) and interrupt._CHILDREN == set()
